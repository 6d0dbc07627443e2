-- The EUR value of one unit of each currency on every day: the latest published rate on or before
-- that day (rates are missing on weekends and holidays). EUR is 1. Days before a currency's first
-- rate have no row: amounts on those days were quarantined at load.
-- materialized: table
-- The days run from the first rate or order to the last rate, order, return or monthly cost: other
-- entities only add days at either end, where there is nothing to convert yet, and never move the rate
-- of a day. So only a change of rates moves a day's row.
-- affected_by: fx_rates
-- test: unique(currency, rate_date)
-- test: not_null(currency, rate_date, eur_per_unit)
with rates as (
  select currency, rate_date, eur_per_unit from staging.stg_fx_rates
),

bounds as (
  select
    least(
      (select min(rate_date) from rates),
      (select cast(timezone({{ reporting_time_zone }}, min(ordered_at)) as date) from staging.stg_order_items)
    ) as first_day,
    greatest(
      (select max(rate_date) from rates),
      (select cast(timezone({{ reporting_time_zone }}, max(ordered_at)) as date) from staging.stg_order_items),
      (select cast(timezone({{ reporting_time_zone }}, max(returned_at)) as date) from staging.stg_returns),
      (select max(last_day(cast(month || '-01' as date))) from staging.stg_marketing_spend),
      (select max(last_day(cast(month || '-01' as date))) from staging.stg_operating_costs)
    ) as last_day
),

days as (
  select cast(d as date) as rate_date
  from bounds, range(bounds.first_day, bounds.last_day + interval 1 day, interval 1 day) as t(d)
),

currencies as (
  select distinct currency from rates
),

carried as (
  select c.currency, d.rate_date, r.eur_per_unit
  from days d
  cross join currencies c
  asof join rates r on r.currency = c.currency and d.rate_date >= r.rate_date
)

select currency, rate_date, eur_per_unit from carried
union all
select 'EUR' as currency, rate_date, 1::decimal(18, 10) as eur_per_unit from days

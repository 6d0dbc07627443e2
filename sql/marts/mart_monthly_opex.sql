-- Operating costs and headcount per month, country and cost centre, in EUR at the rate on or before the
-- month's last day (as in mart_monthly_pnl, whose opex_eur is their sum per month and country), and in
-- the country's own currency (opex_local: as recorded, or via EUR at the month-end rates).
-- `central`: the cost centres that serve every country, kept apart from the country's own costs (ADR
-- 0019): the tech and general teams of the headquarters, the first country launched (ties: by code).
-- materialized: table
-- test: unique(month, country_code, cost_center)
-- test: not_null(month, country_code, region, cost_center, headcount, opex_eur, central)
-- test: accepted_values(cost_center: tech, operations, customer_care, marketing_team, general)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with month_rates as (
  select currency, strftime(rate_date, '%Y-%m') as month, eur_per_unit
  from intermediate.int_fx_daily
  where rate_date = last_day(rate_date)
),

headquarters as (
  select country_code from staging.stg_countries order by launched_on, country_code limit 1
)

select
  o.month,
  o.country_code,
  c.region,
  o.cost_center,
  cast(o.headcount as bigint) as headcount,
  etl.to_eur(o.amount, r.eur_per_unit) as opex_eur,
  c.currency,
  cast(case when o.currency = c.currency then o.amount
    else round(cast(o.amount as decimal(38, 4)) * r.eur_per_unit / l.eur_per_unit, 4) end as decimal(18, 4))
    as opex_local,
  o.country_code in (select country_code from headquarters) and o.cost_center in ('tech', 'general') as central
from staging.stg_operating_costs o
join month_rates r using (currency, month)
join staging.stg_countries c using (country_code)
join month_rates l on l.currency = c.currency and l.month = o.month
order by o.month, o.country_code, o.cost_center

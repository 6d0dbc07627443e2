-- The money of mart_daily_country_sales in each country's own currency, for figures shown in local
-- currency. Amounts recorded in the country's currency are summed as recorded: no conversion, so a
-- GBP total is the GBP that was charged. An amount recorded in another currency (none in the demo
-- data) goes through EUR at that day's rates: amount × rate(its currency) ÷ rate(country currency).
-- Built from the source amounts (stg_order_items, int_returns), on the same reporting dates as the
-- EUR marts; one row per reporting date and country.
-- materialized: incremental
-- incremental_by: reporting_date
-- cluster_by: reporting_date, country_code
-- test: unique(reporting_date, country_code)
-- test: not_null(reporting_date, country_code, currency)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with items as (
  select * from staging.stg_order_items
  where {{ incremental('reporting_date') }} and status = 'completed'
),

amounts as (
  select reporting_date, country_code, currency,
    sum(price) as gmv, sum(commission) as commission, sum(payment_fee) as payment_fees,
    0 as commission_refunded, 0 as return_costs
  from items
  group by all
  union all
  select reporting_date, country_code, currency,
    0, 0, 0, sum(commission_refunded), sum(cost_to_marketplace)
  from intermediate.int_returns
  where {{ incremental('reporting_date') }}
  group by all
),

converted as (
  select a.reporting_date, a.country_code, c.currency,
    -- Same currency: as recorded. Another one: via EUR at the day's rates, rounded to 4 decimals.
    case when a.currency = c.currency then 1 else src.eur_per_unit / dst.eur_per_unit end as factor,
    a.currency = c.currency as as_recorded,
    a.gmv, a.commission, a.payment_fees, a.commission_refunded, a.return_costs
  from amounts a
  join staging.stg_countries c using (country_code)
  left join intermediate.int_fx_daily src on src.currency = a.currency and src.rate_date = a.reporting_date
  left join intermediate.int_fx_daily dst on dst.currency = c.currency and dst.rate_date = a.reporting_date
)

select
  reporting_date,
  country_code,
  currency,
  cast(sum(case when as_recorded then gmv else round(gmv * factor, 4) end) as decimal(18, 4)) as gmv_local,
  cast(sum(case when as_recorded then commission else round(commission * factor, 4) end) as decimal(18, 4))
    as commission_local,
  cast(sum(case when as_recorded then payment_fees else round(payment_fees * factor, 4) end) as decimal(18, 4))
    as payment_fees_local,
  cast(sum(case when as_recorded then commission_refunded else round(commission_refunded * factor, 4) end)
    as decimal(18, 4)) as commission_refunded_local,
  cast(sum(case when as_recorded then return_costs else round(return_costs * factor, 4) end) as decimal(18, 4))
    as return_costs_local
from converted
group by all

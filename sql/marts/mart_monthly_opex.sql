-- Operating costs and headcount per month, country and cost centre, in EUR at the rate on or before the
-- month's last day (as in mart_monthly_pnl, whose opex_eur is their sum per month and country).
-- materialized: table
-- test: unique(month, country_code, cost_center)
-- test: not_null(month, country_code, region, cost_center, headcount, opex_eur)
-- test: accepted_values(cost_center: tech, operations, customer_care, marketing_team, general)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with month_rates as (
  select currency, strftime(rate_date, '%Y-%m') as month, eur_per_unit
  from intermediate.int_fx_daily
  where rate_date = last_day(rate_date)
)

select
  o.month,
  o.country_code,
  c.region,
  o.cost_center,
  cast(o.headcount as bigint) as headcount,
  cast(round(cast(o.amount as decimal(38, 4)) * r.eur_per_unit, 4) as decimal(18, 4)) as opex_eur
from staging.stg_operating_costs o
join month_rates r using (currency, month)
join staging.stg_countries c using (country_code)
order by o.month, o.country_code, o.cost_center

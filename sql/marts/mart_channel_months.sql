-- Sales by month, country and channel (web, app, partner) and partner, for the /channels page: each
-- partner's share of its country's devices and GMV, and each channel's take rate, contribution before
-- marketing and return rate. Money in EUR as in mart_daily_sales: sales on their order's reporting
-- date, commission refunded and return costs on the return's own date; returned_items by order cohort
-- (the return rate's numerator). A month's rows depend on its own days alone: a run rebuilds the
-- months from the first affected one on.
-- materialized: incremental
-- incremental_by: month_onward
-- test: unique(month, country_code, channel, partner)
-- test: not_null(month, country_code, channel, devices_sold, gmv_eur, commission_eur, commission_refunded_eur)
-- test: not_null(payment_fees_eur, return_costs_eur, returned_items)
-- test: accepted_values(channel: web, app, partner)
-- test: relationships(country_code -> staging.stg_countries.country_code)
select
  date_trunc('month', reporting_date)::date as month,
  country_code,
  channel,
  partner,
  cast(sum(devices_sold) as bigint) as devices_sold,
  cast(sum(gmv_eur) as decimal(18, 4)) as gmv_eur,
  cast(sum(commission_eur) as decimal(18, 4)) as commission_eur,
  cast(sum(commission_refunded_eur) as decimal(18, 4)) as commission_refunded_eur,
  cast(sum(payment_fees_eur) as decimal(18, 4)) as payment_fees_eur,
  cast(sum(return_costs_eur) as decimal(18, 4)) as return_costs_eur,
  cast(sum(returned_items) as bigint) as returned_items
from marts.mart_daily_sales
where {{ incremental_from('reporting_date') }}
group by all
order by month, country_code, channel, partner

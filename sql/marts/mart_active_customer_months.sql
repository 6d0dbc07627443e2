-- Monthly customer activity with each customer's previous active month, counted per scope: a country,
-- a region, or everywhere ('all'). Distinct active customers over any run of whole months [A, B] are
--   sum(customers) where month between A and B and (previous_month is null or previous_month < A)
-- and per quarter or year the same with A = the period's first month (ADR 0006). Exact, and small.
-- A customer's first day of a month (in a scope) is the customer-day whose previous date in that scope
-- falls before the month: no window function needed, so a full rebuild takes seconds.
-- A month's rows depend on earlier months only, so a run rebuilds the months from the first affected on.
-- materialized: incremental
-- incremental_by: month_onward
-- cluster_by: scope, month
-- test: not_null(scope, month, customers)
-- test: accepted_values(scope: country, region, all)
with days as (
  select
    date_trunc('month', reporting_date)::date as month, country_code, region,
    previous_date, previous_date_in_region, previous_date_anywhere
  from marts.mart_customer_days
  where {{ incremental_from('reporting_date') }}
)

select 'country' as scope, month, country_code, region,
  date_trunc('month', previous_date)::date as previous_month, count(*) as customers
from days where previous_date is null or previous_date < month group by all
union all
select 'region', month, null, region, date_trunc('month', previous_date_in_region)::date, count(*)
from days where previous_date_in_region is null or previous_date_in_region < month group by all
union all
select 'all', month, null, null, date_trunc('month', previous_date_anywhere)::date, count(*)
from days where previous_date_anywhere is null or previous_date_anywhere < month group by all

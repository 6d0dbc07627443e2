-- Monthly customer activity with each customer's previous active month, counted per scope: a country,
-- a region, or everywhere ('all'). Distinct active customers over any run of whole months [A, B] are
--   sum(customers) where month between A and B and (previous_month is null or previous_month < A)
-- and per quarter or year the same with A = the period's first month (ADR 0006). Exact, and small.
-- materialized: table
-- test: not_null(scope, month, customers)
-- test: accepted_values(scope: country, region, all)
with months as (
  select distinct date_trunc('month', reporting_date)::date as month, country_code, region, customer_id
  from marts.mart_customer_days
),

lagged as (
  select
    month, country_code, region,
    lag(month) over (partition by customer_id, country_code order by month) as previous_in_country,
    lag(month) over (partition by customer_id, region order by month, country_code) as previous_in_region,
    lag(month) over (partition by customer_id order by month, country_code) as previous_anywhere
  from months
)

select 'country' as scope, month, country_code, region, previous_in_country as previous_month, count(*) as customers
from lagged group by all
union all
select 'region', month, null, region, previous_in_region, count(*) from lagged group by all
union all
select 'all', month, null, null, previous_anywhere, count(*) from lagged group by all
order by scope, month

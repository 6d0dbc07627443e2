-- Distinct active customers per reporting date, per scope: a country, a region, or everywhere ('all').
-- A day's count depends only on the customer-days of that day, so the affected dates are rebuilt alone.
-- (Weeks: mart_active_customer_weeks; months, quarters, years: mart_active_customer_months. ADR 0006.)
-- materialized: incremental
-- incremental_by: reporting_date
-- cluster_by: reporting_date
-- test: unique(reporting_date, scope, country_code, region)
-- test: not_null(reporting_date, scope, active_customers)
-- test: accepted_values(scope: country, region, all)
with days as (
  select reporting_date, country_code, region, previous_date_in_region, previous_date_anywhere
  from marts.mart_customer_days
  where {{ incremental('reporting_date') }}
)

-- Within a country each customer has one row a day.
select reporting_date, 'country' as scope, country_code, region, count(*) as active_customers
from days group by all
union all
select reporting_date, 'region', null, region,
  count(*) filter (where previous_date_in_region is null or previous_date_in_region < reporting_date)
from days group by all
union all
select reporting_date, 'all', null, null,
  count(*) filter (where previous_date_anywhere is null or previous_date_anywhere < reporting_date)
from days group by all

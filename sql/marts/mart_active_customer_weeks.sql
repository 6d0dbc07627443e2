-- Distinct active customers per ISO week (starting on Monday), per scope: a country, a region, or
-- everywhere ('all'): the customer-days of the week whose previous date in the scope is before it.
-- A week's count depends only on its own customer-days, so only the weeks of affected dates are rebuilt.
-- materialized: incremental
-- incremental_by: week
-- cluster_by: week
-- test: unique(week, scope, country_code, region)
-- test: not_null(week, scope, active_customers)
-- test: accepted_values(scope: country, region, all)
with days as (
  select
    date_trunc('week', reporting_date)::date as week, country_code, region,
    previous_date, previous_date_in_region, previous_date_anywhere
  from marts.mart_customer_days
  where {{ incremental("date_trunc('week', reporting_date)::date") }}
)

select week, 'country' as scope, country_code, region,
  count(*) filter (where previous_date is null or previous_date < week) as active_customers
from days group by all
union all
select week, 'region', null, region,
  count(*) filter (where previous_date_in_region is null or previous_date_in_region < week)
from days group by all
union all
select week, 'all', null, null,
  count(*) filter (where previous_date_anywhere is null or previous_date_anywhere < week)
from days group by all

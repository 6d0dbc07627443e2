-- Distinct customers with a completed item per month and country (exact, never approximate), kept
-- apart so that the monthly P&L does not count 30M customer-days again on every run.
-- materialized: incremental
-- incremental_by: month
-- test: unique(month, country_code)
-- test: not_null(month, country_code, active_customers)
select
  strftime(reporting_date, '%Y-%m') as month,
  country_code,
  count(distinct customer_id) as active_customers
from marts.mart_customer_days
where {{ incremental("strftime(reporting_date, '%Y-%m')") }}
group by all

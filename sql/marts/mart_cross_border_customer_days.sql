-- The customer-days (mart_customer_days) of customers active in more than one country, and only theirs.
-- Distinct customers over any set of countries is then exact without COUNT(DISTINCT) over every
-- customer-day: each country's own count (exact from the precomputed scopes, ADR 0006), summed, less
-- what that sum counts twice: for each of these customers, the countries of the set they were active in
-- beyond their first (pairs of customer and country, less customers, over this small table). A customer
-- who buys in one country only never appears here; cross-border customers are a small minority.
-- materialized: incremental
-- incremental_by: customer_id
-- cluster_by: reporting_date, country_code
-- test: unique(reporting_date, country_code, customer_id)
-- test: not_null(reporting_date, country_code, region, customer_id)
with affected as (
  select reporting_date, country_code, region, customer_id, previous_date, previous_date_anywhere
  from marts.mart_customer_days
  where {{ incremental('customer_id') }}
)

-- A customer active in two countries has a day whose previous activity anywhere is not their previous
-- activity in that country (the first day in the second country, at least): no grouping needed.
select reporting_date, country_code, region, customer_id
from affected
where customer_id in (
  select customer_id from affected where previous_date is distinct from previous_date_anywhere
)

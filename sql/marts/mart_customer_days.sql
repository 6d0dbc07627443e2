-- One row per customer, country and reporting date with at least one completed item: the base of
-- exact distinct customer counts for any period (never approximate: approx_count_distinct is off by
-- up to ±20% on this data).
-- materialized: incremental
-- incremental_by: reporting_date
-- test: unique(reporting_date, country_code, customer_id)
-- test: not_null(reporting_date, country_code, customer_id)
select distinct
  reporting_date,
  country_code,
  customer_id
from intermediate.int_order_items
where status = 'completed' and {{ incremental('reporting_date') }}

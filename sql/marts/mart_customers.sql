-- Customer facts: who they are, and their first completed item (which makes them a customer of the
-- country it was sold in, on its reporting date: new_customers and cumulative_customers count these).
-- materialized: incremental
-- incremental_by: customer_id
-- test: unique(customer_id)
-- test: not_null(customer_id, first_order_date, first_order_country)
-- test: relationships(customer_id -> staging.stg_customers.customer_id)
with first_items as (
  select
    customer_id,
    arg_min(country_code, ordered_at) as first_order_country,
    min(ordered_at) as first_ordered_at,
    count(*) as completed_items
  from staging.stg_order_items
  where status = 'completed' and {{ incremental('customer_id') }}
  group by customer_id
)

select
  f.customer_id,
  c.country_code as signup_country,
  c.acquisition_channel,
  c.signed_up_at,
  f.first_order_country,
  cast(timezone({{ reporting_time_zone }}, f.first_ordered_at) as date) as first_order_date,
  f.completed_items
from first_items f
join staging.stg_customers c using (customer_id)

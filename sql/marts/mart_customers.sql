-- Customer facts: who they are, and their first completed item (which makes them a customer of the
-- country it was sold in, on its reporting date: new_customers and cumulative_customers count these).
-- first_channel and first_partner: how that first item was bought (web, app, or a partner's offer).
-- second_order_date: the next reporting date with a completed item, anywhere (null: never yet) — the
-- earliest of the customer's days in mart_customer_days that has an earlier one. Items and those days
-- are read in one pass (union, one aggregation) rather than aggregated apart and joined: the full build
-- then groups 15M customers once, not three times (ADR 0013).
-- customer_id here is the customer's surrogate key (BIGINT, raw.customer_keys), as in mart_customer_days.
-- materialized: incremental
-- incremental_by: customer_id
-- test: unique(customer_id)
-- test: not_null(customer_id, first_order_date, first_order_country, first_channel)
-- No relationships(customer_id -> stg_customers) test: the final join below keeps only customers that
-- stg_customers holds, so it could never fail (it cost 5.7 s of a full load).
with facts as (
  select
    customer_key as customer_id,
    ordered_at,
    {'country_code': country_code, 'channel': channel, 'partner': partner} as item,
    null::date as later_date
  from staging.stg_order_items
  where status = 'completed' and {{ incremental('customer_key') }}
  union all
  select customer_id, null, null, reporting_date
  from marts.mart_customer_days
  where previous_date_anywhere < reporting_date and {{ incremental('customer_id') }}
),

first_items as (
  select
    customer_id,
    -- One arg_min for the whole item: country, channel and partner come from the same item.
    arg_min(item, ordered_at) as first_item,
    min(ordered_at) as first_ordered_at,
    count(ordered_at) as completed_items,
    min(later_date) as second_order_date
  from facts
  group by customer_id
)

select
  f.customer_id,
  c.country_code as signup_country,
  c.acquisition_channel,
  c.signed_up_at,
  f.first_item.country_code as first_order_country,
  cast(timezone({{ reporting_time_zone }}, f.first_ordered_at) as date) as first_order_date,
  f.completed_items,
  f.first_item.channel as first_channel,
  f.first_item.partner as first_partner,
  f.second_order_date
from first_items f
join staging.stg_customers c on c.customer_key = f.customer_id

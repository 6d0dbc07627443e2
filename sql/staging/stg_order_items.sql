-- Staging: the raw order_items as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(order_item_id)
-- test: not_null(order_item_id, order_id, customer_id, seller_id, product_id, customer_key, seller_key, product_key, country_code, ordered_at, reporting_date, channel, grade, currency, price, displayed_new_price, commission, payment_fee, status)
-- test: accepted_values(channel: web, app, partner)
-- test: accepted_values(partner: bouygues_telecom, verizon)
-- test: accepted_values(grade: premium, excellent, very_good, good)
-- test: accepted_values(status: completed, cancelled)
-- test: relationships(customer_key -> staging.stg_customers.customer_key)
-- test: relationships(seller_key -> staging.stg_sellers.seller_key)
-- test: relationships(product_key -> staging.stg_products.product_key)
-- test: relationships(country_code -> staging.stg_countries.country_code)
select
  order_item_id,
  order_id,
  customer_id,
  seller_id,
  product_id,
  -- surrogate keys of the ids (stable across runs), looked up once at load
  customer_key,
  seller_key,
  product_key,
  country_code,
  ordered_at,
  -- the local date of ordered_at in the reporting time zone, derived once at load
  reporting_date,
  channel,
  partner,
  grade,
  battery_health_pct,
  currency,
  price,
  displayed_new_price,
  commission,
  payment_fee,
  status,
  _batch_id
from raw.order_items

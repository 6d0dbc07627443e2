-- Staging: the raw new_prices as loaded (latest version of each key), without load bookkeeping.
-- materialized: view
-- test: unique(product_id, valid_from)
-- test: not_null(product_id, valid_from, new_price_eur)
-- test: relationships(product_id -> staging.stg_products.product_id)
select
  product_id,
  valid_from,
  new_price_eur
from raw.new_prices

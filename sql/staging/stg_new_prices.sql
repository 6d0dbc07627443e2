-- Staging: the raw new_prices as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(product_id, valid_from)
-- test: not_null(product_id, product_key, valid_from, new_price_eur)
-- test: relationships(product_key -> staging.stg_products.product_key)
select
  product_id,
  product_key,
  valid_from,
  new_price_eur,
  _batch_id
from raw.new_prices

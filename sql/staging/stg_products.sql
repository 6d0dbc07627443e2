-- Staging: the raw products as loaded (latest version of each key), without load bookkeeping.
-- materialized: view
-- test: unique(product_id)
-- test: not_null(product_id, category, brand, model)
-- test: accepted_values(category: smartphone, laptop, tablet, console, audio, wearable, other)
select
  product_id,
  category,
  brand,
  model
from raw.products

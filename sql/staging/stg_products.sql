-- Staging: the raw products as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(product_id)
-- test: not_null(product_id, category, brand, model)
-- test: accepted_values(category: smartphone, laptop, tablet, console, audio, wearable, other)
select
  product_id,
  product_key,
  category,
  brand,
  model,
  _batch_id
from raw.products

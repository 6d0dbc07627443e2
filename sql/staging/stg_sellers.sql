-- Staging: the raw sellers as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(seller_id)
-- test: not_null(seller_id, name, country_code, joined_on)
select
  seller_id,
  seller_key,
  name,
  country_code,
  joined_on,
  _batch_id
from raw.sellers

-- Staging: the raw sellers as loaded (latest version of each key), without load bookkeeping.
-- materialized: view
-- test: unique(seller_id)
-- test: not_null(seller_id, name, country_code, joined_on)
select
  seller_id,
  name,
  country_code,
  joined_on
from raw.sellers

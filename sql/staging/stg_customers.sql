-- Staging: the raw customers as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(customer_id)
-- test: not_null(customer_id, country_code, signed_up_at, acquisition_channel)
-- test: accepted_values(acquisition_channel: organic, paid, referral, partner)
-- test: relationships(country_code -> staging.stg_countries.country_code)
select
  customer_id,
  -- the surrogate key of the id (stable across runs): what the customer marts join and count by
  customer_key,
  country_code,
  signed_up_at,
  acquisition_channel,
  _batch_id
from raw.customers

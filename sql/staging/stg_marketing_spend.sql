-- Staging: the raw marketing_spend as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(month, country_code, channel)
-- test: not_null(month, country_code, channel, currency, amount)
-- test: accepted_values(channel: search, social, tv, affiliate, partner, other)
select
  month,
  country_code,
  channel,
  currency,
  amount,
  _batch_id
from raw.marketing_spend

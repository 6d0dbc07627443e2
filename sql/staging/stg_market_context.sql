-- Staging: the raw market_context as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(month, country_code, category)
-- test: not_null(month, country_code, category, market_units, second_hand_units)
-- test: accepted_values(category: smartphone, laptop, tablet, console, audio, wearable, other)
select
  month,
  country_code,
  category,
  market_units,
  second_hand_units,
  _batch_id
from raw.market_context

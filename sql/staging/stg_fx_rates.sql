-- Staging: the raw fx_rates as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(rate_date, currency)
-- test: not_null(rate_date, currency, eur_per_unit)
select
  rate_date,
  currency,
  eur_per_unit,
  _batch_id
from raw.fx_rates

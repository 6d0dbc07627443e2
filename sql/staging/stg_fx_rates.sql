-- Staging: the raw fx_rates as loaded (latest version of each key), without load bookkeeping.
-- materialized: view
-- test: unique(rate_date, currency)
-- test: not_null(rate_date, currency, eur_per_unit)
select
  rate_date,
  currency,
  eur_per_unit
from raw.fx_rates

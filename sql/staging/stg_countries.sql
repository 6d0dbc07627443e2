-- Staging: the raw countries as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(country_code)
-- test: not_null(country_code, name, region, currency, launched_on)
-- test: accepted_values(region: europe, north_america, asia_pacific)
select
  country_code,
  name,
  region,
  currency,
  launched_on,
  app_launched_on,
  _batch_id
from raw.countries

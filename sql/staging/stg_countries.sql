-- Staging: the raw countries as loaded (latest version of each key), without load bookkeeping.
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
  app_launched_on
from raw.countries

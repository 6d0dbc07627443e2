-- The countries the marketplace sells in, for filters and labels: region, currency, launch dates.
-- materialized: table
-- test: unique(country_code)
-- test: not_null(country_code, region, currency, launched_on)
select country_code, region, currency, launched_on, app_launched_on
from staging.stg_countries
order by country_code

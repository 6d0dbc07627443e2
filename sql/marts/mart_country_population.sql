-- Reference data, not a landing entity: each country's population, for figures per inhabitant on
-- /rollout. Mid-2023 estimates, rounded to the nearest 10,000, from the World Bank's World Development
-- Indicators (SP.POP.TOTL), which compile national statistics offices and UN estimates. A country the
-- marketplace sells in but missing here shows "no population" on the page rather than a guess.
-- materialized: table
-- test: unique(country_code)
-- test: not_null(country_code, population, population_year, source)
select country_code, population, 2023 as population_year, 'World Bank WDI SP.POP.TOTL' as source
from (values
  ('AT', 9130000),
  ('AU', 26640000),
  ('BE', 11820000),
  ('DE', 83280000),
  ('DK', 5950000),
  ('ES', 48370000),
  ('FI', 5580000),
  ('FR', 68170000),
  ('GB', 68350000),
  ('GR', 10360000),
  ('IE', 5260000),
  ('IT', 58760000),
  ('JP', 124520000),
  ('NL', 17880000),
  ('PT', 10530000),
  ('SE', 10540000),
  ('SK', 5430000),
  ('US', 334910000)
) as p(country_code, population)
order by country_code

-- The market each country's sales sit in, by month and category (the /market page): units sold on the
-- whole market and second-hand (market_context, where data exists; null elsewhere) next to the
-- company's own devices sold (completed items of every grade, on their order's reporting date). One row
-- per month × country × category found in either. Small, and rebuilt in full on every run: a batch may
-- bring market rows for any month, and runs track affected dates of sales and returns only.
-- materialized: table
-- test: unique(month, country_code, category)
-- test: not_null(month, country_code, category, devices_sold)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with sales as (
  select
    date_trunc('month', reporting_date)::date as month,
    country_code,
    category,
    cast(sum(devices_sold) as bigint) as devices_sold
  from marts.mart_daily_sales
  group by all
),

market as (
  select cast(month || '-01' as date) as month, country_code, category, market_units, second_hand_units
  from staging.stg_market_context
)

select
  month,
  country_code,
  category,
  m.market_units,
  m.second_hand_units,
  coalesce(s.devices_sold, 0) as devices_sold
from market m
full outer join sales s using (month, country_code, category)
order by month, country_code, category

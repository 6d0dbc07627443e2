-- New customers per reporting date and country: a customer is new on the reporting date of their first
-- completed item, in the country it was sold in. Cumulative customers at a date are the running sum.
-- materialized: table
-- test: unique(reporting_date, country_code)
-- test: not_null(reporting_date, country_code, region, new_customers)
select
  m.first_order_date as reporting_date,
  m.first_order_country as country_code,
  c.region,
  count(*) as new_customers
from marts.mart_customers m
join staging.stg_countries c on c.country_code = m.first_order_country
group by all
order by reporting_date, country_code

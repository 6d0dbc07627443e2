-- New customers by the month of their first completed item (month: the cohort), its country and how it
-- was bought (first_channel web / app / partner, and the partner), with how many bought again — a
-- completed item on a later reporting date, anywhere — within 90 and within 365 days of that first day
-- (the /channels page's conversion into repeat customers). Cohorts too young to be judged are kept: the
-- page decides which are old enough from the data's last date.
-- A cohort depends on its customers' next 365 days: a change on date d can only move customers whose
-- first order is on or after d − 365 days (or moves their first order itself, on or after d). So a run
-- rebuilds the months from the first affected date less 365 days on, not all 15M customers (ADR 0013).
-- materialized: incremental
-- incremental_by: month_onward
-- lookback_days: 365
-- test: unique(month, country_code, first_channel, first_partner)
-- test: not_null(month, country_code, first_channel, customers, repeat_90d, repeat_365d)
-- test: accepted_values(first_channel: web, app, partner)
-- test: relationships(country_code -> staging.stg_countries.country_code)
select
  date_trunc('month', first_order_date)::date as month,
  first_order_country as country_code,
  first_channel,
  first_partner,
  count(*) as customers,
  count(*) filter (where second_order_date - first_order_date <= 90) as repeat_90d,
  count(*) filter (where second_order_date - first_order_date <= 365) as repeat_365d
from marts.mart_customers
where {{ incremental_from('first_order_date') }}
group by all
order by month, country_code, first_channel, first_partner

-- Distinct active customers per day and per ISO week (Monday first), per scope: a country, a region,
-- or everywhere ('all'). Counted exactly from mart_customer_days' previous dates (ADR 0006); months,
-- quarters and years come from mart_active_customer_months.
-- materialized: table
-- test: unique(grain, period_start, scope, country_code, region)
-- test: not_null(grain, period_start, scope, active_customers)
-- test: accepted_values(grain: day, week)
-- test: accepted_values(scope: country, region, all)
with periods as (
  select
    g.grain,
    case g.grain when 'day' then reporting_date else date_trunc('week', reporting_date)::date end as period_start,
    country_code, region, previous_date, previous_date_in_region, previous_date_anywhere
  from marts.mart_customer_days
  cross join (values ('day'), ('week')) g(grain)
)

select grain, period_start, 'country' as scope, country_code, region,
  count(*) filter (where previous_date is null or previous_date < period_start) as active_customers
from periods group by all
union all
select grain, period_start, 'region', null, region,
  count(*) filter (where previous_date_in_region is null or previous_date_in_region < period_start)
from periods group by all
union all
select grain, period_start, 'all', null, null,
  count(*) filter (where previous_date_anywhere is null or previous_date_anywhere < period_start)
from periods group by all
order by grain, period_start

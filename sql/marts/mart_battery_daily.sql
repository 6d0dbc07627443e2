-- Battery health of completed items in 5-point bands, by reporting date × country × category × grade:
-- the distribution per grade, and the Premium promise (at least 85% of a new battery).
-- materialized: incremental
-- incremental_by: reporting_date
-- test: unique(reporting_date, country_code, category, grade, battery_band)
-- test: not_null(reporting_date, country_code, category, grade, battery_band, devices_sold)
-- test: accepted_values(grade: premium, excellent, very_good, good)
select
  reporting_date,
  country_code,
  category,
  grade,
  cast(least(floor(battery_health_pct / 5) * 5, 100) as integer) as battery_band,
  count(*) as devices_sold
from intermediate.int_order_items
where status = 'completed' and battery_health_pct is not null and {{ incremental('reporting_date') }}
group by all

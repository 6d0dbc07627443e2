-- Battery health of completed items in 5-point bands (80 = 80–84%, 100 = a new battery), by month ×
-- country × category × grade: the distribution per grade on the grades page (/quality). A band under
-- 85 is exactly a battery under 85%, so Premium's broken promises are the Premium rows with band < 85.
-- Built from mart_battery_daily; a run rebuilds the months from the first affected one on.
-- materialized: incremental
-- incremental_by: month_onward
-- cluster_by: month
-- test: unique(month, country_code, category, grade, battery_band)
-- test: not_null(month, country_code, category, grade, battery_band, devices_sold)
-- test: accepted_values(grade: premium, excellent, very_good, good)
select
  date_trunc('month', reporting_date)::date as month, country_code, category, grade, battery_band,
  cast(sum(devices_sold) as bigint) as devices_sold
from marts.mart_battery_daily
where {{ incremental_from('reporting_date') }}
group by all

-- All-time headline totals, one row: the minimal overview page reads it.
-- materialized: table
-- test: not_null(customers, devices_sold, gmv_eur, synthetic)
select
  (select count(*) from marts.mart_customers) as customers,
  cast(coalesce(sum(devices_sold), 0) as bigint) as devices_sold,
  cast(coalesce(sum(gmv_eur), 0) as decimal(18, 2)) as gmv_eur,
  min(reporting_date) filter (where devices_sold > 0) as first_order_date,
  max(reporting_date) filter (where devices_sold > 0) as last_order_date,
  coalesce((select value = 'true' from meta.settings where key = 'synthetic'), false) as synthetic
from marts.mart_daily_sales

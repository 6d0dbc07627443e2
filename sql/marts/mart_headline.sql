-- All-time headline totals, one row: the minimal overview page reads it.
-- materialized: table
-- test: not_null(customers, devices_sold, gmv_eur, synthetic)
select
  (select count(*) from marts.mart_customers) as customers,
  cast(coalesce(sum(devices_sold), 0) as bigint) as devices_sold,
  cast(coalesce(sum(gmv_eur), 0) as decimal(18, 2)) as gmv_eur,
  min(reporting_date) filter (where devices_sold > 0) as first_order_date,
  max(reporting_date) filter (where devices_sold > 0) as last_order_date,
  -- Where the extract stops, in the reporting time zone ('2025-01-01 00:54'): the last order of any
  -- status. Converted once, after the max (not row by row).
  (
    select strftime(timezone({{ reporting_time_zone }}, max(ordered_at)), '%Y-%m-%d %H:%M')
    from marts.mart_order_items
  ) as last_order_local,
  coalesce((select value = 'true' from meta.settings where key = 'synthetic'), false) as synthetic
from marts.mart_daily_sales

-- Premium devices sold by seller × month × country × category, with how many had a battery under 85%
-- of a new one (the promise broken: the same items as mart_premium_battery_breaches) and the lowest
-- battery among those (null when none): the compliance list of the grades page (/quality), with each
-- seller's share of its own Premium sales.
-- Only the seller-months with at least one such device are kept (a list of offenders, a few thousand
-- rows); the period's totals come from mart_battery_months. Read from int_order_items, Premium only;
-- a run rebuilds the months from the first affected one on (a scan of those days alone).
-- materialized: incremental
-- incremental_by: month_onward
-- cluster_by: month
-- test: unique(month, seller_id, country_code, category)
-- test: not_null(month, seller_id, seller_name, country_code, category, premium_devices, devices_under_85)
-- test: relationships(seller_id -> staging.stg_sellers.seller_id)
with premium as (
  select
    date_trunc('month', reporting_date)::date as month, seller_id, country_code, category,
    count(*) as premium_devices,
    count(*) filter (where battery_health_pct < 85) as devices_under_85,
    min(battery_health_pct) filter (where battery_health_pct < 85) as lowest_battery_pct
  from intermediate.int_order_items
  where grade = 'premium' and status = 'completed' and {{ incremental_from('reporting_date') }}
  group by all
)

select p.month, p.seller_id, s.name as seller_name, p.country_code, p.category,
  cast(p.premium_devices as bigint) as premium_devices,
  cast(p.devices_under_85 as bigint) as devices_under_85,
  p.lowest_battery_pct
from premium p
join staging.stg_sellers s on s.seller_id = p.seller_id
qualify max(p.devices_under_85) over (partition by p.month, p.seller_id) > 0

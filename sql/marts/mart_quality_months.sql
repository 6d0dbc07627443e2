-- Sales, returns and their cost by month × country × category × grade, for the grades page (/quality).
-- Sales count in their order's month; returned_items counts returns against the order's month (the
-- cohort, for the return rate); returns_received, the reasons, refunds, commission refunded and the
-- cost borne by the marketplace count in the return's own month (as money does everywhere). Built
-- from the daily marts (a month's rows depend on that month's days only), so a run rebuilds the months
-- from the first affected one on.
-- materialized: incremental
-- incremental_by: month_onward
-- cluster_by: month
-- test: unique(month, country_code, category, grade)
-- test: not_null(month, country_code, category, grade, devices_sold, gmv_eur, returned_items, returns_received)
-- test: accepted_values(grade: premium, excellent, very_good, good)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with sales as (
  select
    date_trunc('month', reporting_date)::date as month, country_code, category, grade,
    sum(devices_sold) as devices_sold,
    sum(gmv_eur) as gmv_eur,
    sum(commission_eur) as commission_eur,
    sum(returned_items) as returned_items,
    sum(returns_received) as returns_received,
    sum(refunds_eur) as refunds_eur,
    sum(commission_refunded_eur) as commission_refunded_eur,
    sum(return_costs_eur) as return_costs_eur
  from marts.mart_daily_sales
  where {{ incremental_from('reporting_date') }}
  group by all
  -- Cancelled items alone leave nothing to show.
  having sum(devices_sold) > 0 or sum(returned_items) > 0 or sum(returns_received) > 0
),

reasons as (
  select
    date_trunc('month', reporting_date)::date as month, country_code, category, grade,
    sum(returns_received) filter (where reason = 'defect') as returns_defect,
    sum(returns_received) filter (where reason = 'not_as_described') as returns_not_as_described,
    sum(returns_received) filter (where reason = 'battery') as returns_battery,
    sum(returns_received) filter (where reason = 'changed_mind') as returns_changed_mind,
    sum(returns_received) filter (where reason = 'other') as returns_other
  from marts.mart_returns_daily
  where {{ incremental_from('reporting_date') }}
  group by all
)

select
  month, country_code, category, grade,
  cast(coalesce(s.devices_sold, 0) as bigint) as devices_sold,
  cast(coalesce(s.gmv_eur, 0) as decimal(18, 4)) as gmv_eur,
  cast(coalesce(s.commission_eur, 0) as decimal(18, 4)) as commission_eur,
  cast(coalesce(s.returned_items, 0) as bigint) as returned_items,
  cast(coalesce(s.returns_received, 0) as bigint) as returns_received,
  cast(coalesce(s.refunds_eur, 0) as decimal(18, 4)) as refunds_eur,
  cast(coalesce(s.commission_refunded_eur, 0) as decimal(18, 4)) as commission_refunded_eur,
  cast(coalesce(s.return_costs_eur, 0) as decimal(18, 4)) as return_costs_eur,
  cast(coalesce(r.returns_defect, 0) as bigint) as returns_defect,
  cast(coalesce(r.returns_not_as_described, 0) as bigint) as returns_not_as_described,
  cast(coalesce(r.returns_battery, 0) as bigint) as returns_battery,
  cast(coalesce(r.returns_changed_mind, 0) as bigint) as returns_changed_mind,
  cast(coalesce(r.returns_other, 0) as bigint) as returns_other
from sales s
full outer join reasons r using (month, country_code, category, grade)

-- mart_daily_sales summed over category, grade, channel and partner: one row per reporting date and
-- country (about 20 times fewer rows), read whenever no filter needs those dimensions.
-- materialized: table
-- cluster_by: reporting_date, country_code
-- test: unique(reporting_date, country_code)
-- test: not_null(reporting_date, country_code, region)
select
  s.reporting_date,
  s.country_code,
  c.region,
  cast(sum(s.devices_sold) as bigint) as devices_sold,
  cast(sum(s.items_cancelled) as bigint) as items_cancelled,
  cast(sum(s.gmv_eur) as decimal(18, 4)) as gmv_eur,
  cast(sum(s.commission_eur) as decimal(18, 4)) as commission_eur,
  cast(sum(s.payment_fees_eur) as decimal(18, 4)) as payment_fees_eur,
  cast(sum(s.returned_items) as bigint) as returned_items,
  cast(sum(s.returns_received) as bigint) as returns_received,
  cast(sum(s.refunds_eur) as decimal(18, 4)) as refunds_eur,
  cast(sum(s.commission_refunded_eur) as decimal(18, 4)) as commission_refunded_eur,
  cast(sum(s.return_costs_eur) as decimal(18, 4)) as return_costs_eur
from marts.mart_daily_sales s
join staging.stg_countries c using (country_code)
group by all

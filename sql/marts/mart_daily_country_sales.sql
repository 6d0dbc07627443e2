-- mart_daily_sales summed over category, grade, channel and partner: one row per reporting date and
-- country (about 20 times fewer rows), read whenever no filter needs those dimensions. The *_local
-- columns are the same money in the country's own currency (mart_daily_local_sales).
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
  cast(sum(s.return_costs_eur) as decimal(18, 4)) as return_costs_eur,
  c.currency,
  cast(coalesce(any_value(l.gmv_local), 0) as decimal(18, 4)) as gmv_local,
  cast(coalesce(any_value(l.commission_local), 0) as decimal(18, 4)) as commission_local,
  cast(coalesce(any_value(l.payment_fees_local), 0) as decimal(18, 4)) as payment_fees_local,
  cast(coalesce(any_value(l.commission_refunded_local), 0) as decimal(18, 4)) as commission_refunded_local,
  cast(coalesce(any_value(l.return_costs_local), 0) as decimal(18, 4)) as return_costs_local
from marts.mart_daily_sales s
join staging.stg_countries c using (country_code)
left join marts.mart_daily_local_sales l using (reporting_date, country_code)
group by s.reporting_date, s.country_code, c.region, c.currency

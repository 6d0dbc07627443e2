-- Every Premium device sold with a battery under 85% of a new one: the promise broken, with the
-- seller and the model, for the compliance view.
-- materialized: incremental
-- incremental_by: reporting_date
-- test: unique(order_item_id)
-- test: not_null(order_item_id, reporting_date, seller_id, battery_health_pct)
-- test: relationships(seller_id -> staging.stg_sellers.seller_id)
select
  i.order_item_id,
  i.reporting_date,
  i.country_code,
  i.seller_id,
  s.name as seller_name,
  i.product_id,
  p.brand,
  p.model,
  i.battery_health_pct,
  i.price_eur
from intermediate.int_order_items i
join staging.stg_sellers s on s.seller_key = i.seller_key
join staging.stg_products p on p.product_key = i.product_key
where i.status = 'completed' and i.grade = 'premium' and i.battery_health_pct < 85
  and {{ incremental('i.reporting_date') }}

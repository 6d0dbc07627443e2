-- Order items on their reporting date, with product category and every amount in EUR at the rate of
-- that date. EUR amounts keep 4 decimals per item; totals are rounded only where they are shown.
-- materialized: view
select
  i.order_item_id,
  i.order_id,
  i.customer_id,
  i.seller_id,
  i.product_id,
  i.country_code,
  i.ordered_at,
  cast(timezone({{ reporting_time_zone }}, i.ordered_at) as date) as reporting_date,
  i.channel,
  i.partner,
  i.grade,
  p.category,
  i.battery_health_pct,
  i.currency,
  i.status,
  fx.eur_per_unit,
  cast(round(cast(i.price as decimal(38, 4)) * fx.eur_per_unit, 4) as decimal(18, 4)) as price_eur,
  cast(round(cast(i.displayed_new_price as decimal(38, 4)) * fx.eur_per_unit, 4) as decimal(18, 4)) as displayed_new_price_eur,
  cast(round(cast(i.commission as decimal(38, 4)) * fx.eur_per_unit, 4) as decimal(18, 4)) as commission_eur,
  cast(round(cast(i.payment_fee as decimal(38, 4)) * fx.eur_per_unit, 4) as decimal(18, 4)) as payment_fee_eur
from staging.stg_order_items i
join staging.stg_products p on p.product_id = i.product_id
join intermediate.int_fx_daily fx
  on fx.currency = i.currency
  and fx.rate_date = cast(timezone({{ reporting_time_zone }}, i.ordered_at) as date)

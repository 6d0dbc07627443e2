-- Order items on their reporting date, with product category and every amount in EUR at the rate of
-- that date. EUR amounts keep 4 decimals per item; totals are rounded only where they are shown.
-- Materialised, and rebuilt only for the reporting dates a run touches: every mart reads it.
-- Source ids (text) are kept for the ledger export; joins and counts use the surrogate keys.
-- materialized: incremental
-- incremental_by: reporting_date
-- cluster_by: reporting_date
-- test: unique(order_item_id)
-- test: not_null(order_item_id, reporting_date, price_eur, commission_eur, payment_fee_eur)
with items as (
  select *, cast(timezone({{ reporting_time_zone }}, ordered_at) as date) as reporting_date
  from staging.stg_order_items
  where {{ incremental_window('ordered_at') }}
)

select
  i.order_item_id,
  i.order_id,
  i.customer_id,
  i.seller_id,
  i.product_id,
  i.customer_key,
  i.seller_key,
  i.product_key,
  i.country_code,
  i.ordered_at,
  i.reporting_date,
  i.channel,
  i.partner,
  i.grade,
  p.category,
  i.battery_health_pct,
  i.currency,
  i.status,
  fx.eur_per_unit,
  etl.to_eur(i.price, fx.eur_per_unit) as price_eur,
  etl.to_eur(i.displayed_new_price, fx.eur_per_unit) as displayed_new_price_eur,
  etl.to_eur(i.commission, fx.eur_per_unit) as commission_eur,
  etl.to_eur(i.payment_fee, fx.eur_per_unit) as payment_fee_eur
from items i
join staging.stg_products p on p.product_key = i.product_key
join intermediate.int_fx_daily fx on fx.currency = i.currency and fx.rate_date = i.reporting_date
where {{ incremental('i.reporting_date') }}

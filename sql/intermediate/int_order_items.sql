-- Order items on their reporting date, with product category and every amount in EUR at the rate of
-- that date. EUR amounts keep 4 decimals per item; totals are rounded only where they are shown.
-- A view (ADR 0028): the reporting date is kept in raw since the load, and the conversion to EUR is a
-- join with a small table and integer arithmetic, cheaper for each mart to do on the rows it reads than
-- writing 30 million rows of text ids again. A mart filtering on reporting_date reads only those days.
-- Source ids (text) are kept for the ledger export; joins and counts use the surrogate keys.
-- No tests of its own: its rows are stg_order_items' (tested there) joined on unique keys, an item
-- without a product or a rate is quarantined at load, and the reconciliation counts the devices sold.
-- materialized: view
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
from staging.stg_order_items i
join staging.stg_products p on p.product_key = i.product_key
join intermediate.int_fx_daily fx on fx.currency = i.currency and fx.rate_date = i.reporting_date

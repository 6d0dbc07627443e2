-- Every order item, completed or cancelled, with its seller, product and region, amounts in EUR at the
-- rate of its reporting date (and that rate): the line-by-line ledger finance exports. A view: it costs
-- the pipeline nothing, and an export reads only the dates and countries it asks for.
-- materialized: view
select
  i.order_item_id,
  i.order_id,
  i.customer_id,
  i.reporting_date,
  i.ordered_at,
  i.country_code,
  c.region,
  i.seller_id,
  s.name as seller_name,
  i.product_id,
  p.brand,
  p.model,
  i.category,
  i.grade,
  i.battery_health_pct,
  i.channel,
  i.partner,
  i.status,
  i.currency,
  i.eur_per_unit,
  i.price_eur,
  i.displayed_new_price_eur,
  i.commission_eur,
  i.payment_fee_eur
from intermediate.int_order_items i
join staging.stg_sellers s on s.seller_key = i.seller_key
join staging.stg_products p on p.product_key = i.product_key
join staging.stg_countries c on c.country_code = i.country_code

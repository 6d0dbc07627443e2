-- Returns on their own reporting date (for money) with their item's dimensions and order date
-- (for the return rate, counted against the order cohort); amounts in EUR at the return date's rate.
-- Reporting dates are kept in raw since the load (ADR 0028); the item's dimensions come from staging
-- (its category from its product), with no EUR conversion of the item that a return does not need.
-- materialized: view
select
  r.return_id,
  r.order_item_id,
  r.returned_at,
  r.reporting_date,
  i.reporting_date as order_reporting_date,
  i.country_code,
  p.category,
  i.grade,
  i.channel,
  i.partner,
  r.reason,
  r.currency,
  -- The amounts as recorded, in the row's currency (for figures shown in a country's own currency).
  r.commission_refunded,
  r.cost_to_marketplace,
  etl.to_eur(r.refunded_amount, fx.eur_per_unit) as refunded_eur,
  etl.to_eur(r.commission_refunded, fx.eur_per_unit) as commission_refunded_eur,
  etl.to_eur(r.cost_to_marketplace, fx.eur_per_unit) as return_cost_eur
from staging.stg_returns r
join staging.stg_order_items i on i.order_item_id = r.order_item_id
join staging.stg_products p on p.product_key = i.product_key
join intermediate.int_fx_daily fx on fx.currency = r.currency and fx.rate_date = r.reporting_date

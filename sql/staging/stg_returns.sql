-- Staging: the raw returns as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(return_id)
-- test: not_null(return_id, order_item_id, returned_at, reporting_date, reason, currency, refunded_amount, commission_refunded, cost_to_marketplace)
-- test: accepted_values(reason: defect, not_as_described, battery, changed_mind, other)
-- test: relationships(order_item_id -> staging.stg_order_items.order_item_id)
select
  return_id,
  order_item_id,
  returned_at,
  -- the local date of returned_at in the reporting time zone, derived once at load
  reporting_date,
  reason,
  currency,
  refunded_amount,
  commission_refunded,
  cost_to_marketplace,
  _batch_id
from raw.returns

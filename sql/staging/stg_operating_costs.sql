-- Staging: the raw operating_costs as loaded (latest version of each key), with the batch that brought each row (tests of a run look at its own rows).
-- materialized: view
-- test: unique(month, country_code, cost_center)
-- test: not_null(month, country_code, cost_center, headcount, currency, amount)
-- test: accepted_values(cost_center: tech, operations, customer_care, marketing_team, general)
select
  month,
  country_code,
  cost_center,
  headcount,
  currency,
  amount,
  _batch_id
from raw.operating_costs

-- Staging: the raw operating_costs as loaded (latest version of each key), without load bookkeeping.
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
  amount
from raw.operating_costs

-- Returns on their own reporting date by country × category × grade × channel × reason, with the
-- money they cost (refunds, commission refunded, cost borne by the marketplace), in EUR.
-- materialized: incremental
-- incremental_by: reporting_date
-- test: unique(reporting_date, country_code, category, grade, channel, reason)
-- test: not_null(reporting_date, country_code, category, grade, channel, reason)
-- test: accepted_values(reason: defect, not_as_described, battery, changed_mind, other)
select
  reporting_date,
  country_code,
  category,
  grade,
  channel,
  reason,
  count(*) as returns_received,
  cast(sum(refunded_eur) as decimal(18, 4)) as refunds_eur,
  cast(sum(commission_refunded_eur) as decimal(18, 4)) as commission_refunded_eur,
  cast(sum(return_cost_eur) as decimal(18, 4)) as return_costs_eur
from intermediate.int_returns
where {{ incremental('reporting_date') }}
group by all

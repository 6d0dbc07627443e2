-- Every additive sales metric by reporting date × country × category × grade × channel × partner.
-- Sales count on their order's reporting date; refunds and return costs on the return's own date;
-- returned_items counts returns against the order cohort (the order's date), for the return rate.
-- materialized: incremental
-- incremental_by: reporting_date
-- test: unique(reporting_date, country_code, category, grade, channel, partner)
-- test: not_null(reporting_date, country_code, category, grade, channel)
-- test: accepted_values(grade: premium, excellent, very_good, good)
-- test: accepted_values(channel: web, app, partner)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with sales as (
  select
    reporting_date, country_code, category, grade, channel, coalesce(partner, '') as partner,
    count(*) filter (where status = 'completed') as devices_sold,
    count(*) filter (where status = 'cancelled') as items_cancelled,
    coalesce(sum(price_eur) filter (where status = 'completed'), 0) as gmv_eur,
    coalesce(sum(commission_eur) filter (where status = 'completed'), 0) as commission_eur,
    coalesce(sum(payment_fee_eur) filter (where status = 'completed'), 0) as payment_fees_eur
  from intermediate.int_order_items
  where {{ incremental('reporting_date') }}
  group by all
),

cohort_returns as (
  select
    order_reporting_date as reporting_date, country_code, category, grade, channel, coalesce(partner, '') as partner,
    count(*) as returned_items
  from intermediate.int_returns
  where {{ incremental('order_reporting_date') }}
  group by all
),

returns_on_date as (
  select
    reporting_date, country_code, category, grade, channel, coalesce(partner, '') as partner,
    count(*) as returns_received,
    sum(refunded_eur) as refunds_eur,
    sum(commission_refunded_eur) as commission_refunded_eur,
    sum(return_cost_eur) as return_costs_eur
  from intermediate.int_returns
  where {{ incremental('reporting_date') }}
  group by all
)

-- partner is '' inside the joins (NULL never equals NULL) and NULL again outside.
select
  reporting_date, country_code, category, grade, channel, nullif(partner, '') as partner,
  coalesce(s.devices_sold, 0) as devices_sold,
  coalesce(s.items_cancelled, 0) as items_cancelled,
  cast(coalesce(s.gmv_eur, 0) as decimal(18, 4)) as gmv_eur,
  cast(coalesce(s.commission_eur, 0) as decimal(18, 4)) as commission_eur,
  cast(coalesce(s.payment_fees_eur, 0) as decimal(18, 4)) as payment_fees_eur,
  coalesce(c.returned_items, 0) as returned_items,
  coalesce(r.returns_received, 0) as returns_received,
  cast(coalesce(r.refunds_eur, 0) as decimal(18, 4)) as refunds_eur,
  cast(coalesce(r.commission_refunded_eur, 0) as decimal(18, 4)) as commission_refunded_eur,
  cast(coalesce(r.return_costs_eur, 0) as decimal(18, 4)) as return_costs_eur
from sales s
full outer join cohort_returns c using (reporting_date, country_code, category, grade, channel, partner)
full outer join returns_on_date r using (reporting_date, country_code, category, grade, channel, partner)

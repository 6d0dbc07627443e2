-- One row per customer, country and reporting date with at least one completed item: the base of
-- exact distinct customer counts for any period (never approximate: approx_count_distinct is off by
-- up to ±20% on this data).
-- Each row also carries the customer's previous and next active dates in the same country, the same
-- region and anywhere. Then "distinct customers active in [a, b]" is an exact count without DISTINCT:
-- the rows in [a, b] whose previous date is before a (or none) — one row per customer; the next date
-- lets a range be split into partial months and whole months without counting anyone twice (ADR 0006).
-- Rebuilt per affected customer, since a late item changes the previous dates of later rows.
-- customer_id here is the customer's surrogate key (BIGINT, raw.customer_keys), not the source id:
-- distinct counts and windows over tens of millions of rows run on integers.
-- materialized: incremental
-- incremental_by: customer_id
-- cluster_by: reporting_date, country_code
-- test: unique(reporting_date, country_code, customer_id)
-- test: not_null(reporting_date, country_code, region, customer_id)
-- The items are read from staging: int_order_items' joins (category, EUR rate) keep the same items (an
-- item without a product or a rate is quarantined at load), and cost 1.7 s of 30M rows here for nothing.
with days as (
  select distinct reporting_date, country_code, customer_key as customer_id
  from staging.stg_order_items
  where status = 'completed' and {{ incremental('customer_key') }}
),

-- One window over each customer's days (by date, then country) gives the previous and next dates
-- anywhere, and tells whether the customer was active in more than one country (a few per cent). For
-- everyone else the previous and next dates in the country and in the region are those same dates; only
-- the others' days get the per-country and per-region windows (three sorts of 27 million rows were most
-- of this model's build; a GROUP BY of the customers to find the few cost a further 14 s of CPU).
anywhere as (
  select
    d.reporting_date,
    d.country_code,
    d.customer_id,
    lag(d.reporting_date) over w as previous_date,
    lead(d.reporting_date) over w as next_date,
    min(d.country_code) over (w rows between unbounded preceding and unbounded following)
      <> max(d.country_code) over (w rows between unbounded preceding and unbounded following)
      as several_countries
  from days d
  window w as (partition by d.customer_id order by d.reporting_date, d.country_code)
)

select
  d.reporting_date,
  d.country_code,
  c.region,
  d.customer_id,
  d.previous_date,
  d.previous_date as previous_date_in_region,
  d.previous_date as previous_date_anywhere,
  d.next_date,
  d.next_date as next_date_in_region,
  d.next_date as next_date_anywhere
from anywhere d
join staging.stg_countries c using (country_code)
where not d.several_countries

union all

select
  d.reporting_date,
  d.country_code,
  c.region,
  d.customer_id,
  lag(d.reporting_date) over (partition by d.customer_id, d.country_code order by d.reporting_date) as previous_date,
  lag(d.reporting_date) over (partition by d.customer_id, c.region order by d.reporting_date, d.country_code)
    as previous_date_in_region,
  d.previous_date as previous_date_anywhere,
  lead(d.reporting_date) over (partition by d.customer_id, d.country_code order by d.reporting_date) as next_date,
  lead(d.reporting_date) over (partition by d.customer_id, c.region order by d.reporting_date, d.country_code)
    as next_date_in_region,
  d.next_date as next_date_anywhere
from anywhere d
join staging.stg_countries c using (country_code)
where d.several_countries

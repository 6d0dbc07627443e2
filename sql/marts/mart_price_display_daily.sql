-- Price-display compliance: each completed sale's displayed "new" price against the market price of
-- that model new, valid on the order date, in 5-point bands of overstatement (displayed ÷ real − 1;
-- 5 means 5–10% above the real new price). Claimed and actual savings follow from the sums.
-- materialized: incremental
-- incremental_by: reporting_date
-- test: unique(reporting_date, country_code, category, overstatement_band)
-- test: not_null(reporting_date, country_code, category, sales)
with priced as (
  select
    i.reporting_date,
    i.country_code,
    i.category,
    i.price_eur,
    i.displayed_new_price_eur,
    n.new_price_eur
  -- Filter before the ASOF join: it is not pushed through it.
  from (
    select * from intermediate.int_order_items
    where status = 'completed' and {{ incremental('reporting_date') }}
  ) i
  asof left join staging.stg_new_prices n
    on n.product_id = i.product_id and i.reporting_date >= n.valid_from
)

select
  reporting_date,
  country_code,
  category,
  -- null when no market new price is known for the model on that date
  cast(greatest(-20, least(100, floor(100 * (displayed_new_price_eur / nullif(new_price_eur, 0) - 1) / 5) * 5)) as integer)
    as overstatement_band,
  count(*) as sales,
  cast(sum(price_eur) as decimal(18, 4)) as price_eur,
  cast(sum(displayed_new_price_eur) as decimal(18, 4)) as displayed_new_price_eur,
  cast(sum(new_price_eur) as decimal(18, 4)) as market_new_price_eur
from priced
group by all

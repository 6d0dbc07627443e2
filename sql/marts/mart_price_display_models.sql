-- Price-display compliance per month × country × model (product), for the worst offending models: the
-- same comparison and columns as mart_price_display_sellers (displayed "new" price vs the market new price
-- valid on the order date; inflated counts at each threshold of ADR 0011).
-- materialized: incremental
-- incremental_by: month
-- cluster_by: month
-- test: unique(month, country_code, product_id)
-- test: not_null(month, country_code, category, product_id, sales, priced_sales)
-- test: relationships(product_id -> staging.stg_products.product_id)
with priced as (
  select
    strftime(i.reporting_date, '%Y-%m') as month,
    i.country_code,
    i.category,
    i.product_id,
    i.price_eur,
    i.displayed_new_price_eur,
    n.new_price_eur
  -- Filter before the ASOF join (it is not pushed through it); the date bound lets the scan skip row groups.
  from (
    select * from intermediate.int_order_items
    where status = 'completed'
      and {{ incremental_from('reporting_date') }}
      and {{ incremental("strftime(reporting_date, '%Y-%m')") }}
  ) i
  asof left join staging.stg_new_prices n
    on n.product_key = i.product_key and i.reporting_date >= n.valid_from
)

select
  month,
  country_code,
  category,
  product_id,
  count(*) as sales,
  -- sales whose model has a market new price on the order date; the sums below are over these
  count(new_price_eur) as priced_sales,
  cast(coalesce(sum(price_eur) filter (where new_price_eur is not null), 0) as decimal(18, 4)) as price_eur,
  cast(coalesce(sum(displayed_new_price_eur) filter (where new_price_eur is not null), 0) as decimal(18, 4))
    as displayed_new_price_eur,
  cast(coalesce(sum(new_price_eur), 0) as decimal(18, 4)) as market_new_price_eur,
  -- priced sales whose displayed "new" price is more than t % above the market new price (exact decimals)
  count(*) filter (where 100 * displayed_new_price_eur > 101 * new_price_eur) as inflated_over_1_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 102 * new_price_eur) as inflated_over_2_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 103 * new_price_eur) as inflated_over_3_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 105 * new_price_eur) as inflated_over_5_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 110 * new_price_eur) as inflated_over_10_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 115 * new_price_eur) as inflated_over_15_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 120 * new_price_eur) as inflated_over_20_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 125 * new_price_eur) as inflated_over_25_pct,
  count(*) filter (where 100 * displayed_new_price_eur > 130 * new_price_eur) as inflated_over_30_pct
from priced
group by all

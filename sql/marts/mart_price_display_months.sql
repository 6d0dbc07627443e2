-- Price-display compliance per month × country × category: mart_price_display_sellers summed over sellers,
-- small enough for the page's trend and its country and category tables (ADR 0011).
-- materialized: incremental
-- incremental_by: month
-- test: unique(month, country_code, category)
-- test: not_null(month, country_code, category, sales, priced_sales)
select
  month,
  country_code,
  category,
  cast(sum(sales) as bigint) as sales,
  cast(sum(priced_sales) as bigint) as priced_sales,
  cast(sum(price_eur) as decimal(18, 4)) as price_eur,
  cast(sum(displayed_new_price_eur) as decimal(18, 4)) as displayed_new_price_eur,
  cast(sum(market_new_price_eur) as decimal(18, 4)) as market_new_price_eur,
  cast(sum(inflated_over_1_pct) as bigint) as inflated_over_1_pct,
  cast(sum(inflated_over_2_pct) as bigint) as inflated_over_2_pct,
  cast(sum(inflated_over_3_pct) as bigint) as inflated_over_3_pct,
  cast(sum(inflated_over_5_pct) as bigint) as inflated_over_5_pct,
  cast(sum(inflated_over_10_pct) as bigint) as inflated_over_10_pct,
  cast(sum(inflated_over_15_pct) as bigint) as inflated_over_15_pct,
  cast(sum(inflated_over_20_pct) as bigint) as inflated_over_20_pct,
  cast(sum(inflated_over_25_pct) as bigint) as inflated_over_25_pct,
  cast(sum(inflated_over_30_pct) as bigint) as inflated_over_30_pct
from marts.mart_price_display_sellers
where {{ incremental('month') }}
group by all

-- Price-display compliance per month × seller, all countries and categories: mart_price_display_sellers
-- summed, so that the sellers' table of an unfiltered period reads ~3,000 rows a month instead of ~50,000
-- (ADR 0011). The page reads mart_price_display_sellers only when a country or category is chosen.
-- materialized: incremental
-- incremental_by: month
-- cluster_by: month
-- test: unique(month, seller_id)
-- test: not_null(month, seller_id, sales, priced_sales)
select
  month,
  seller_id,
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

-- The sellers as last loaded, for names and labels in the product views (a name can change: marts that
-- count by seller_id never copy it).
-- materialized: table
-- test: unique(seller_id)
-- test: not_null(seller_id, name, country_code, joined_on)
select seller_id, name, country_code, joined_on
from staging.stg_sellers
order by seller_id

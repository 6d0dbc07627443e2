-- The products as last loaded, for names and labels in the product views (a name can change: marts that
-- count by product_id never copy it).
-- materialized: table
-- test: unique(product_id)
-- test: not_null(product_id, category, brand, model)
select product_id, category, brand, model
from staging.stg_products
order by product_id

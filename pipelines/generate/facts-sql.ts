// The large tables, drawn inside DuckDB from the day plan: every random draw is
// hash(key, seed, salt), so the output depends on the seed only, never on threads or timing.

import { PRICE_QUARTERS } from "./catalogue.ts";
import { ABROAD_SHARE, CANCEL_RATE } from "./plan.ts";
import { CATEGORIES, GRADES } from "./reference.ts";

export function macrosSql(seed: number): string {
  return `
-- hash(k, seed, salt) combines its arguments' hashes without remixing them: draws with different salts
-- would be correlated. Hashing the combination again decorrelates them.
CREATE OR REPLACE MACRO rnd(k, salt) AS hash(hash(k, ${Math.trunc(seed)}, salt))::DOUBLE / 18446744073709551616.0;
CREATE OR REPLACE MACRO money(x, decimals) AS (CASE WHEN decimals = 0 THEN round(x, 0) ELSE round(x, 2) END)::DECIMAL(18, 2);
CREATE OR REPLACE MACRO new_price_eur(launch_price, q) AS round(launch_price * (1 - 0.036 * q), 2)::DECIMAL(18, 2);
CREATE OR REPLACE MACRO day_to_date(d) AS (DATE '1970-01-01' + d::INTEGER);
`;
}

/** Orders: one row per order; the first order of each new customer is its signup. */
export const ORDERS_SQL = `
CREATE OR REPLACE TABLE g_orders AS
SELECT
  p.order_base + j + 1 AS order_id,
  p.country_idx,
  p.day,
  j < p.new_orders AS is_first,
  CASE
    WHEN j < p.new_orders THEN c.customer_offset + 1 + p.customer_base + j
    -- A few repeat buyers come from the neighbouring country (who signed up there before this day).
    WHEN p.abroad_base > 0 AND rnd(p.order_base + j, 'abroad') < ${ABROAD_SHARE}
      THEN a.customer_offset + 1 + floor(p.abroad_base * pow(rnd(p.order_base + j, 'repeat'), 0.6))::BIGINT
    -- Repeat buyers: any earlier customer of the country, recent ones more often.
    ELSE c.customer_offset + 1 + floor(p.customer_base * pow(rnd(p.order_base + j, 'repeat'), 0.6))::BIGINT
  END AS customer_id,
  to_timestamp(
    p.day * 86400
    + floor(86400 * (0.29 + 0.71 * pow(rnd(p.order_base + j, 'time'), 0.85)))::BIGINT
    - c.utc_offset * 3600
  ) AS ordered_at,
  CASE
    WHEN rnd(p.order_base + j, 'channel') < p.partner_share THEN 'partner'
    WHEN rnd(p.order_base + j, 'channel') < p.partner_share + p.app_share THEN 'app'
    ELSE 'web'
  END AS channel,
  p.partner, p.premium, p.inflated_share, p.take_rate, p.eur_per_unit
FROM (SELECT *, unnest(range(new_orders + repeat_orders)) AS j FROM g_plan) p
JOIN g_country c ON c.idx = p.country_idx
JOIN g_country a ON a.idx = p.abroad_idx;
`;

function cumulativeCase(u: string, entries: readonly [value: string, weight: number][]): string {
  let acc = 0;
  const parts = entries.slice(0, -1).map(([value, weight]) => {
    acc += weight;
    return `WHEN ${u} < ${acc.toFixed(6)} THEN ${value}`;
  });
  return `CASE ${parts.join(" ")} ELSE ${(entries.at(-1) as [string, number])[0]} END`;
}

function gradeCase(premiumAvailable: boolean): string {
  const entries = Object.entries(GRADES)
    .map(([grade, g]) => [`'${grade}'`, premiumAvailable ? g.after : g.before] as [string, number])
    .filter(([, w]) => w > 0);
  return cumulativeCase("rnd(ikey, 'grade')", entries);
}

const gradeValue = (field: "discount" | "returnRate"): string =>
  `CASE grade ${Object.entries(GRADES)
    .map(([grade, g]) => `WHEN '${grade}' THEN ${g[field]}`)
    .join(" ")} END`;

/** Order items: 1–3 per order; product, seller, grade, battery, prices, fees and status. */
export const ITEMS_SQL = `
CREATE OR REPLACE TABLE g_items AS
WITH lines AS (
  -- Every 12th order holds a second item and every 100th a third, so that an item's id follows from
  -- its order's id (no sort of tens of millions of rows to number them).
  SELECT o.*, k, order_id * 4 + k AS ikey,
    (order_id - 1) + (order_id - 1) // 12 + (order_id - 1) // 100 + k + 1 AS order_item_id
  FROM (
    SELECT *, unnest(range(1 + ((order_id - 1) % 12 = 11)::INT + ((order_id - 1) % 100 = 99)::INT)) AS k
    FROM g_orders
  ) o
),
picked AS (
  SELECT
    l.*,
    c.code AS country_code, c.currency, c.decimals,
    ${cumulativeCase(
      "rnd(ikey, 'category')",
      CATEGORIES.map((cat, i) => [String(i), cat.share] as [string, number]),
    )} AS category_idx,
    least(c.pool_count, floor((l.day - c.pool_start) / c.pool_interval)::BIGINT + 1) AS sellers_joined,
    c.pool_offset
  FROM lines l JOIN g_country c ON c.idx = l.country_idx
),
placed AS (
  SELECT
    p.*,
    -- Models on sale: those already released, the recent ones more often.
    least(cl.models, floor((p.day - cl.start_day) / cl.interval_days)::BIGINT + 1) AS released,
    cl.product_offset, cl.window_models,
    p.pool_offset + 1 + floor(p.sellers_joined * pow(rnd(ikey, 'seller'), 1.8))::BIGINT AS seller_id
  FROM picked p JOIN g_category cl ON cl.idx = p.category_idx
),
sold AS (
  SELECT
    pl.*,
    pl.product_offset + pl.released - floor(least(pl.released, pl.window_models) * pow(rnd(ikey, 'product'), 1.7))::BIGINT AS product_id
  FROM placed pl
),
graded AS (
  SELECT
    s.*, pr.launch_price, pr.release_day, pr.has_battery, pr.take_offset, pr.return_factor,
    se.shady,
    least(${PRICE_QUARTERS - 1}, floor((s.day - pr.release_day) / 91))::INTEGER AS price_quarter,
    CASE WHEN s.premium AND pr.has_battery THEN ${gradeCase(true)} ELSE ${gradeCase(false)} END AS grade
  FROM sold s
  JOIN g_product pr ON pr.product_id = s.product_id
  JOIN g_seller se ON se.seller_id = s.seller_id
),
priced AS (
  SELECT
    g.*,
    new_price_eur(g.launch_price, g.price_quarter) AS new_price,
    new_price_eur(g.launch_price, g.price_quarter)
      * (1 - (${gradeValue("discount")}) - least(0.2, 0.04 * (g.day - g.release_day) / 365.25))
      * (0.93 + 0.14 * rnd(ikey, 'price')) AS price_eur_raw
  FROM graded g
)
SELECT
  order_item_id, order_id, customer_id, seller_id, product_id, country_code, ordered_at, channel,
  CASE WHEN channel = 'partner' THEN partner END AS partner,
  grade,
  CASE WHEN NOT has_battery THEN NULL
    WHEN grade = 'premium' THEN CASE
      WHEN rnd(ikey, 'battery-violation') < CASE WHEN shady THEN 0.08 ELSE 0.004 END
        THEN 76 + floor(9 * rnd(ikey, 'battery'))
      ELSE 85 + floor(16 * pow(rnd(ikey, 'battery'), 0.8)) END
    WHEN grade = 'excellent' THEN 80 + floor(21 * pow(rnd(ikey, 'battery'), 0.8))
    WHEN grade = 'very_good' THEN 75 + floor(24 * pow(rnd(ikey, 'battery'), 0.9))
    ELSE 68 + floor(28 * rnd(ikey, 'battery'))
  END::INTEGER AS battery_health_pct,
  currency,
  money(price_eur_raw / eur_per_unit, decimals) AS price,
  money(new_price / eur_per_unit * CASE
    WHEN rnd(ikey, 'inflate') < inflated_share * CASE WHEN shady THEN 3 ELSE 1 END
      THEN 1.08 + 0.32 * rnd(ikey, 'inflate-by')
    ELSE 0.99 + 0.02 * rnd(ikey, 'inflate-by') END, decimals) AS displayed_new_price,
  money(money(price_eur_raw / eur_per_unit, decimals)
    * greatest(0.05, take_rate + take_offset + 0.02 * (rnd(ikey, 'take') - 0.5)), decimals) AS commission,
  CASE WHEN channel = 'partner' THEN 0
    ELSE money(money(price_eur_raw / eur_per_unit, decimals) * 0.012 + 0.25 / eur_per_unit, decimals)
  END::DECIMAL(18, 2) AS payment_fee,
  CASE WHEN NOT (is_first AND k = 0) AND rnd(ikey, 'cancel') < ${CANCEL_RATE} THEN 'cancelled' ELSE 'completed' END AS status,
  -- Not part of the extract: when a cancellation happened, the EUR rate used, and the chance of a return
  -- (lower grades, laptops, weak batteries, a few sellers and the web channel return more).
  to_timestamp(floor(epoch(ordered_at) + 3600 * (1 + 70 * rnd(ikey, 'cancel-at')))) AS cancelled_at,
  eur_per_unit,
  ((${gradeValue("returnRate")}) * return_factor
    * CASE WHEN battery_health_pct < 80 THEN 1.5 ELSE 1 END
    * CASE WHEN channel = 'partner' THEN 0.8 ELSE 1 END
    * CASE WHEN shady THEN 1.6 ELSE 1 END)::FLOAT AS return_chance
FROM priced;
`;

/** Returns of completed items, more often for lower grades, laptops, weak batteries and a few sellers. */
export const RETURNS_SQL = `
CREATE OR REPLACE TABLE g_returns AS
WITH returned AS (
  SELECT
    i.*,
    to_timestamp(floor(epoch(ordered_at) + 86400 * (2 + 28 * pow(rnd(order_item_id, 'return-at'), 1.4)))) AS returned_at,
    CASE
      WHEN battery_health_pct < 85 AND rnd(order_item_id, 'reason') < 0.45 THEN 'battery'
      WHEN rnd(order_item_id, 'reason-2') < CASE WHEN grade = 'good' THEN 0.33 ELSE 0.28 END THEN 'defect'
      WHEN rnd(order_item_id, 'reason-3') < CASE WHEN grade = 'good' THEN 0.42 ELSE 0.22 END THEN 'not_as_described'
      WHEN rnd(order_item_id, 'reason-4') < 0.85 THEN 'changed_mind'
      ELSE 'other'
    END AS reason,
    CASE WHEN rnd(order_item_id, 'partial') < 0.1 THEN 0.5 ELSE 1 END AS refunded_share
  FROM (SELECT i.*, c.decimals FROM g_items i JOIN g_country c ON c.code = i.country_code) i
  WHERE status = 'completed' AND rnd(order_item_id, 'return') < return_chance
)
SELECT
  row_number() OVER (ORDER BY returned_at, order_item_id) AS return_id,
  order_item_id, returned_at, reason, currency,
  money(price * refunded_share, decimals) AS refunded_amount,
  money(commission * refunded_share, decimals) AS commission_refunded,
  CASE WHEN reason = 'changed_mind' THEN 0
    ELSE money((9 + CASE WHEN reason IN ('defect', 'not_as_described', 'battery') THEN 0.04 * price * eur_per_unit ELSE 0 END)
      / eur_per_unit, decimals)
  END::DECIMAL(18, 2) AS cost_to_marketplace,
  eur_per_unit
FROM returned;
`;

/** Customers: signed up a few minutes before their first order. */
export const CUSTOMERS_SQL = `
CREATE OR REPLACE TABLE g_customers AS
SELECT
  o.customer_id,
  c.code AS country_code,
  to_timestamp(epoch(o.ordered_at) - 120 - floor(2280 * rnd(o.customer_id, 'signup'))) AS signed_up_at,
  CASE
    WHEN o.channel = 'partner' THEN 'partner'
    ${cumulativeCase("rnd(o.customer_id, 'acquisition')", [
      ["'organic'", 0.5],
      ["'paid'", 0.35],
      ["'referral'", 0.15],
    ])
      .replace(/^CASE /, "")
      .replace(/ END$/, "")}
  END AS acquisition_channel
FROM g_orders o JOIN g_country c ON c.idx = o.country_idx
WHERE o.is_first;
`;

/** Contribution margin of each country and month in EUR (exact decimals), to calibrate operating costs. */
export const CONTRIBUTION_SQL = `
WITH sales AS (
  SELECT country_code, strftime(ordered_at, '%Y-%m') AS month,
    sum(round(commission * eur_per_unit, 2)::DECIMAL(18, 2)) - sum(round(payment_fee * eur_per_unit, 2)::DECIMAL(18, 2)) AS amount
  FROM g_items WHERE status = 'completed' GROUP BY ALL
), refunds AS (
  SELECT i.country_code, strftime(r.returned_at, '%Y-%m') AS month,
    -sum(round(r.commission_refunded * r.eur_per_unit, 2)::DECIMAL(18, 2)) - sum(round(r.cost_to_marketplace * r.eur_per_unit, 2)::DECIMAL(18, 2)) AS amount
  FROM g_returns r JOIN g_items i USING (order_item_id) GROUP BY ALL
)
SELECT country_code, month, sum(amount)::VARCHAR AS contribution_before_marketing_eur
FROM (SELECT * FROM sales UNION ALL SELECT * FROM refunds)
GROUP BY ALL ORDER BY ALL;
`;

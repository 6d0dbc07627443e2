// The landing contract's entities as the generator writes them: columns in contract order, each
// with its kind (how it is typed in Parquet and formatted in CSV), and the relation that feeds it.

import { type ContractColumn, type ContractEntity, contractEntity, duckdbType } from "../../core/contract.ts";

export interface EntitySpec extends ContractEntity {
  /** SQL relation with the entity's columns (typed) and `batch_no`. `$BATCH_DAY(x)` / `$BATCH_TS(x)` are expanded. */
  source: string;
}

const SOURCES: Record<string, string> = {
  countries: `SELECT code AS country_code, name, region, currency, day_to_date(launched_day) AS launched_on,
      day_to_date(app_day) AS app_launched_on, $BATCH_DAY(launched_day) AS batch_no FROM g_country`,
  fx_rates: `SELECT day_to_date(rate_day) AS rate_date, currency, eur_per_unit, $BATCH_DAY(rate_day) AS batch_no FROM g_fx`,
  customers: `SELECT *, $BATCH_TS(signed_up_at) AS batch_no FROM g_customers`,
  products: `SELECT product_id, category, brand, model, $BATCH_DAY(release_day) AS batch_no FROM g_product`,
  new_prices: `SELECT product_id, day_to_date(release_day + 91 * q) AS valid_from, new_price_eur(launch_price, q) AS new_price_eur,
      $BATCH_DAY(release_day + 91 * q) AS batch_no
      FROM g_product, (SELECT unnest(range($PRICE_QUARTERS)) AS q)`,
  sellers: `SELECT seller_id, name, country_code, day_to_date(joined_day) AS joined_on, $BATCH_DAY(joined_day) AS batch_no FROM g_seller`,
  order_items: `SELECT * EXCLUDE (status, cancelled_at, eur_per_unit, return_chance),
        CASE WHEN status = 'cancelled' AND $BATCH_TS(cancelled_at) = $BATCH_TS(ordered_at) THEN 'cancelled' ELSE 'completed' END AS status,
        $BATCH_TS(ordered_at) AS batch_no
      FROM g_items
      UNION ALL
      SELECT * EXCLUDE (status, cancelled_at, eur_per_unit, return_chance),
        'cancelled' AS status, $BATCH_TS(cancelled_at) AS batch_no
      FROM g_items
      WHERE status = 'cancelled' AND $BATCH_TS(cancelled_at) > $BATCH_TS(ordered_at)`,
  returns: `SELECT * EXCLUDE (eur_per_unit), $BATCH_TS(returned_at) AS batch_no FROM g_returns`,
  marketing_spend: `SELECT month, country_code, channel, currency, amount, $BATCH_DAY(month_end_day) AS batch_no FROM g_marketing`,
  operating_costs: `SELECT month, country_code, cost_center, headcount, currency, amount, $BATCH_DAY(month_end_day) AS batch_no FROM g_opex`,
  market_context: `SELECT month, country_code, category, market_units, second_hand_units, $BATCH_DAY(month_end_day) AS batch_no FROM g_market`,
};

export const ENTITIES: EntitySpec[] = Object.entries(SOURCES).map(([entity, source]) => ({
  ...contractEntity(entity),
  source,
}));

/**
 * How ids are written. `text` (the default) looks like real source systems: UUIDs for orders and order
 * items, prefixed codes for customers (`C-00000123`), sellers (`S-000123`) and products (`P-000123`),
 * digit strings with leading zeros for returns. `numeric`: the plain integers of older landings.
 * Internally every id is the same integer either way, so every figure is the same.
 */
export type IdStyle = "text" | "numeric";
export const ID_STYLES: readonly IdStyle[] = ["text", "numeric"];

/** A text id for the integer id `expr` of column `name` (the same integer always gives the same text). */
export function textId(name: string, expr: string): string {
  switch (name) {
    case "customer_id":
      return `'C-' || lpad(${expr}::VARCHAR, 8, '0')`;
    case "seller_id":
      return `'S-' || lpad(${expr}::VARCHAR, 6, '0')`;
    case "product_id":
      return `'P-' || lpad(${expr}::VARCHAR, 6, '0')`;
    case "order_id":
      return `md5('order-' || ${expr})::UUID::VARCHAR`;
    case "order_item_id":
      return `md5('item-' || ${expr})::UUID::VARCHAR`;
    default:
      return `lpad(${expr}::VARCHAR, 10, '0')`;
  }
}

/** The Parquet type of an id column in a given style. */
export const parquetIdType = (ids: IdStyle): string => (ids === "text" ? "VARCHAR" : "BIGINT");

/** Parquet column types, as the pipeline can expect them. */
export function parquetExpression(c: ContractColumn, ids: IdStyle = "text"): string {
  if (c.kind === "id")
    return ids === "text" ? `${textId(c.name, c.name)} AS ${c.name}` : `${c.name}::BIGINT AS ${c.name}`;
  return `${c.name}::${duckdbType(c.kind)} AS ${c.name}`;
}

/** CSV text per the contract: ISO-8601 UTC timestamps with Z, YYYY-MM-DD dates, plain decimals. */
export function csvExpression(c: ContractColumn, ids: IdStyle = "text"): string {
  switch (c.kind) {
    case "id":
      return ids === "text" ? `${textId(c.name, c.name)} AS ${c.name}` : `${c.name}::VARCHAR AS ${c.name}`;

    case "timestamp":
      return `strftime(timezone('UTC', ${c.name}), '%Y-%m-%dT%H:%M:%SZ') AS ${c.name}`;
    case "date":
      return `strftime(${c.name}, '%Y-%m-%d') AS ${c.name}`;
    case "money":
      return `${c.name}::DECIMAL(18, 2)::VARCHAR AS ${c.name}`;
    case "rate":
      // Trailing zeros trimmed: 0.0073120000 → 0.007312.
      return `rtrim(rtrim(${c.name}::DECIMAL(18, 10)::VARCHAR, '0'), '.') AS ${c.name}`;
    default:
      return `${c.name}::VARCHAR AS ${c.name}`;
  }
}

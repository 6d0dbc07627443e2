// What each batch did to the periods already published: for every file loaded on top of a published
// snapshot, its rows by kind of change (a new row, a row re-sent unchanged, a correction, a
// cancellation) and by the month × country whose figures they touch. Recorded before the rows replace
// the earlier versions (both versions are still there to compare), into meta.batch_effects, which is
// carried from snapshot to snapshot like meta.runs. The server's "What changed" page (issue 21) puts
// them beside the figures that moved between two snapshots; the figures themselves come from the
// metric layer, not from here.

import type { DuckDBConnection } from "@duckdb/node-api";
import type { ContractEntity } from "../../core/contract.ts";
import { sqlString } from "../../core/duckdb.ts";

export const EFFECTS_TABLE = `CREATE TABLE IF NOT EXISTS meta.batch_effects (run_id VARCHAR, batch_id VARCHAR,
  entity VARCHAR, change VARCHAR, month VARCHAR, country_code VARCHAR, rows BIGINT)`;

/** The kinds of change a row can bring, as stored. */
export const CHANGES = ["added", "corrected", "cancelled", "resent", "withdrawn"] as const;

const keyJoin = (entity: ContractEntity, a: string, b: string): string =>
  entity.key.map((k) => `${a}.${k} = ${b}.${k}`).join(" AND ");

/**
 * Records what the rows of `source` (a file's valid rows, keyed) do, compared with the versions they
 * replace (temp table `replaced`: the rows of raw.<entity> with the same key; for returns, temp table
 * `returned_items`: the order items returned): call it before they replace them. Exchange rates by their month (any country); the
 * entities without a month (products, sellers, countries, new prices) as a whole, month and country null.
 */
export async function recordEffects(
  conn: DuckDBConnection,
  entity: ContractEntity,
  source: string,
  ids: { runId: string; batchId: string },
  tz: string,
): Promise<void> {
  const previous = "replaced";
  const same = entity.columns.map((c) => `v.${c.name} IS NOT DISTINCT FROM r.${c.name}`).join(" AND ");
  const firstKey = `r.${entity.key[0]}`;
  const change = (cancelled: string) => `CASE WHEN ${firstKey} IS NULL THEN 'added' WHEN ${same} THEN 'resent'
    ${cancelled} ELSE 'corrected' END`;
  const monthOf = (alias: string, column: string) =>
    `strftime(CAST(timezone(${sqlString(tz)}, ${alias}.${column}) AS DATE), '%Y-%m')`;
  const head = `INSERT INTO meta.batch_effects SELECT ${sqlString(ids.runId)}, ${sqlString(ids.batchId)}, ${sqlString(entity.entity)}, change, month, country_code, count(*) FROM`;
  let positions: string;
  switch (entity.entity) {
    case "order_items": {
      const kind = change("WHEN r.status = 'completed' AND v.status = 'cancelled' THEN 'cancelled'");
      // The new version's month and country, and the old one's when the row moved (both figures change).
      positions = `(SELECT ${kind} AS change, ${monthOf("v", "ordered_at")} AS month, v.country_code
          FROM ${source} v LEFT JOIN ${previous} r ON ${keyJoin(entity, "r", "v")}
        UNION ALL
        SELECT ${kind}, ${monthOf("r", "ordered_at")}, r.country_code
          FROM ${source} v JOIN ${previous} r ON ${keyJoin(entity, "r", "v")}
          WHERE ${monthOf("r", "ordered_at")} <> ${monthOf("v", "ordered_at")} OR r.country_code <> v.country_code)`;
      break;
    }
    case "returns": {
      const kind = change("");
      // A return's money counts on its return date, its return rate on the order's month.
      positions = `(SELECT ${kind} AS change, ${monthOf("v", "returned_at")} AS month, i.country_code
          FROM ${source} v LEFT JOIN ${previous} r ON ${keyJoin(entity, "r", "v")}
          LEFT JOIN returned_items i ON i.order_item_id = v.order_item_id
        UNION
        SELECT ${kind}, ${monthOf("i", "ordered_at")}, i.country_code
          FROM ${source} v LEFT JOIN ${previous} r ON ${keyJoin(entity, "r", "v")}
          JOIN returned_items i ON i.order_item_id = v.order_item_id)`;
      break;
    }
    case "marketing_spend":
    case "operating_costs":
    case "market_context":
      positions = `(SELECT ${change("")} AS change, v.month, v.country_code
          FROM ${source} v LEFT JOIN ${previous} r ON ${keyJoin(entity, "r", "v")})`;
      break;
    case "customers":
      positions = `(SELECT ${change("")} AS change, ${monthOf("v", "signed_up_at")} AS month, v.country_code
          FROM ${source} v LEFT JOIN ${previous} r ON ${keyJoin(entity, "r", "v")})`;
      break;
    case "fx_rates":
      // A rate converts its currency's amounts from its day on, in whichever countries use it.
      positions = `(SELECT ${change("")} AS change, strftime(v.rate_date, '%Y-%m') AS month, NULL::VARCHAR AS country_code
          FROM ${source} v LEFT JOIN ${previous} r ON ${keyJoin(entity, "r", "v")})`;
      break;
    default:
      positions = `(SELECT ${change("")} AS change, NULL::VARCHAR AS month, NULL::VARCHAR AS country_code
          FROM ${source} v LEFT JOIN ${previous} r ON ${keyJoin(entity, "r", "v")})`;
  }
  await conn.run(`${head} ${positions} GROUP BY ALL`);
}

/** Records the rows a re-applied batch takes back before it loads again (`withdrawn`). */
export async function recordWithdrawn(
  conn: DuckDBConnection,
  entity: ContractEntity,
  ids: { runId: string; batchId: string },
  tz: string,
): Promise<void> {
  const where = `r._batch_id = ${sqlString(ids.batchId)}`;
  const monthOf = (column: string) =>
    `strftime(CAST(timezone(${sqlString(tz)}, r.${column}) AS DATE), '%Y-%m')`;
  const position =
    entity.entity === "order_items"
      ? `${monthOf("ordered_at")}, r.country_code`
      : entity.entity === "returns"
        ? `${monthOf("returned_at")}, (SELECT i.country_code FROM raw.order_items i WHERE i.order_item_id = r.order_item_id LIMIT 1)`
        : ["marketing_spend", "operating_costs", "market_context"].includes(entity.entity)
          ? "r.month, r.country_code"
          : entity.entity === "customers"
            ? `${monthOf("signed_up_at")}, r.country_code`
            : entity.entity === "fx_rates"
              ? "strftime(r.rate_date, '%Y-%m'), NULL::VARCHAR"
              : "NULL::VARCHAR, NULL::VARCHAR";
  await conn.run(`INSERT INTO meta.batch_effects SELECT ${sqlString(ids.runId)}, ${sqlString(ids.batchId)},
    ${sqlString(entity.entity)}, 'withdrawn', ${position}, count(*) FROM raw.${entity.entity} r WHERE ${where} GROUP BY ALL`);
}

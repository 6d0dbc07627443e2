// Surrogate keys: source ids are opaque text (UUIDs, prefixed codes, digits with leading zeros), kept
// as text in the raw layer and wherever an id is shown. Where tens of millions of rows are joined,
// grouped or counted by an id (customers above all), the models use a dense BIGINT key instead.
//
// One map per id (`raw.<entity>_keys`: source id → key), filled when the owning entity loads: a new id
// gets max(key) + 1, 2, … in id order; an id once mapped keeps its key for ever (the map is never
// pruned, not even when a batch is re-applied), so keys are stable across runs and re-applied batches.
// Each raw table that holds such an id stores its key beside it (`customer_key` next to
// `customer_id`), looked up once when the row loads: the models never join the maps.

import type { DuckDBConnection } from "@duckdb/node-api";
import type { ContractEntity } from "../../core/contract.ts";

export interface SurrogateKey {
  /** The id column, wherever it appears. */
  id: string;
  /** Its key column, beside it in raw tables. */
  key: string;
  /** The entity whose loads add ids to the map. */
  owner: string;
  map: string;
}

export const SURROGATE_KEYS: readonly SurrogateKey[] = [
  { id: "customer_id", key: "customer_key", owner: "customers", map: "raw.customer_keys" },
  { id: "seller_id", key: "seller_key", owner: "sellers", map: "raw.seller_keys" },
  { id: "product_id", key: "product_key", owner: "products", map: "raw.product_keys" },
];

/** The surrogate keys a raw table of this entity carries, in column order. */
export function keysOf(entity: ContractEntity): SurrogateKey[] {
  return SURROGATE_KEYS.filter((k) => entity.columns.some((c) => c.name === k.id));
}

export async function createKeyMaps(conn: DuckDBConnection): Promise<void> {
  for (const k of SURROGATE_KEYS)
    await conn.run(
      `CREATE TABLE IF NOT EXISTS ${k.map} (${k.id} VARCHAR NOT NULL, ${k.key} BIGINT NOT NULL)`,
    );
}

/**
 * Maps the new ids of `source` (an entity owning a key map) and creates temp view `keyed`: `source`
 * with the key of each id column. Ids of other entities were checked to exist (orphan rule), so
 * their keys exist.
 */
export async function keySource(
  conn: DuckDBConnection,
  entity: ContractEntity,
  source: string,
  /** Materialise the result (a small batch read several times) rather than a view over the file. */
  materialize = false,
): Promise<string> {
  const keys = keysOf(entity);
  if (keys.length === 0) {
    if (!materialize) return source;
    await conn.run(`CREATE OR REPLACE TEMP TABLE keyed_rows AS SELECT * FROM ${source}`);
    return "keyed_rows";
  }
  for (const k of keys.filter((x) => x.owner === entity.entity)) {
    // The owner's id is its key, which the load's duplicate rule keeps unique among valid rows: no
    // DISTINCT over them (15M customer ids: ~2 s of a full load).
    const unique = entity.key.length === 1 && entity.key[0] === k.id;
    await conn.run(`INSERT INTO ${k.map}
      SELECT ${k.id}, (SELECT coalesce(max(${k.key}), 0) FROM ${k.map}) + row_number() OVER (ORDER BY ${k.id})
      FROM (SELECT ${unique ? "" : "DISTINCT "}${k.id} FROM ${source} WHERE ${k.id} IS NOT NULL) n
      ANTI JOIN ${k.map} m USING (${k.id})`);
  }
  const joins = keys.map((k, i) => `LEFT JOIN ${k.map} k${i} ON k${i}.${k.id} = s.${k.id}`).join(" ");
  const select = `SELECT s.*, ${keys.map((k, i) => `k${i}.${k.key}`).join(", ")} FROM ${source} s ${joins}`;
  if (materialize) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE keyed_rows AS ${select}`);
    return "keyed_rows";
  }
  await conn.run(`CREATE OR REPLACE TEMP VIEW keyed AS ${select}`);
  return "keyed";
}

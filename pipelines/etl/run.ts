// One pipeline run: new landing batches → validate & quarantine → load (upsert by key) → models →
// data tests & reconciliation → publish a new snapshot atomically. Nothing is published unless
// every step succeeds; the snapshot being served is never written to.

import { appendFile, mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { CONTRACT, type ContractEntity, duckdbType } from "../../core/contract.ts";
import { openBatchDb, openSnapshotReadOnly, queryRows, sqlString } from "../../core/duckdb.ts";
import {
  discoverBatches,
  fingerprint,
  type LandingBatch,
  readChecksumCache,
  writeChecksumCache,
} from "./batches.ts";
import { runDeclaredTests, runReconciliation, type TestResult } from "./data-tests.ts";
import { EFFECTS_TABLE, recordEffects, recordWithdrawn } from "./effects.ts";
import { createKeyMaps, keySource, keysOf } from "./keys.ts";
import { acquireLock } from "./lock.ts";
import { createMacros } from "./macros.ts";
import { buildModel, loadModels, modelRange } from "./models.ts";
import {
  newSnapshotId,
  prepareSpare,
  pruneSnapshots,
  publish,
  readPointer,
  type SnapshotPointer,
  startBuilding,
} from "./snapshots.ts";
import { BatchRefused, readLandingFile, validateSource } from "./validate.ts";

export const SQL_DIR = resolve(fileURLToPath(new URL("../../sql", import.meta.url)));

export type Phase = "load" | "model" | "test" | "publish";

/**
 * Where a run's wall time goes: `prepare` (the new snapshot file started from the current one, opened
 * and initialised), the four phases, `finish` (the checkpoint that writes the file out), and, once
 * published, `spare` (the copy of the new snapshot that the next run starts from).
 */
export type Stage = "prepare" | Phase | "finish" | "spare";

export interface EtlOptions {
  landing: string;
  dataDir: string;
  reapply?: string[];
  timeZone?: string;
  keepSnapshots?: number;
  /** After publishing, copy the new snapshot for the next run to start from (default true). */
  spare?: boolean;
  synthetic?: boolean;
  threads?: number;
  memoryLimit?: string;
  /** Called when a phase starts; may pause (tests use it to kill a run at a chosen point). */
  onPhase?: (phase: Phase) => Promise<void> | void;
  onProgress?: (line: string) => void;
}

export interface LoadStat {
  batch_id: string;
  entity: string;
  file: string;
  rows_read: number;
  rows_loaded: number;
  rows_quarantined: number;
  /** Columns of the file that the contract does not name: ignored, and reported. */
  ignored_columns: string[];
  seconds: number;
}

export interface RunSummary {
  runId: string;
  status: "published" | "nothing_to_do" | "failed";
  snapshotId?: string;
  batches: string[];
  skipped: string[];
  stats: LoadStat[];
  tests: TestResult[];
  seconds: Record<string, number>;
  /** Build time of each model, in build order (where a run's model phase goes). */
  modelSeconds: Record<string, number>;
  /** How the snapshot file was started: a new file, the previous run's spare copy, or a copy made now. */
  startedFrom?: "new" | "spare" | "copy";
  /** Seconds from the run's start to its snapshot being current (what the spare copy does not delay). */
  secondsToPublish?: number;
  fullRebuild?: boolean;
  error?: string;
}

export class TestsFailed extends Error {}

/** The current snapshot was built before text ids (issue 16): its raw ids are BIGINT. */
export class NumericIdWarehouse extends BatchRefused {}

/** Entities whose changes touch customers (for mart_customers, incremental by customer). */
const CUSTOMER_KEYED = new Set(["order_items", "customers"]);

/**
 * Entities whose rows are events, with the instant each happened: raw keeps each event's reporting date
 * (the local date of that instant in the warehouse's reporting time zone) beside it, derived once at
 * load, so that no model converts 30 million instants again (ADR 0028).
 */
const TRACKED_DATES: Record<string, string> = {
  order_items: "ordered_at",
  returns: "returned_at",
};

/** The expression of an event's reporting date, from its instant (`instant`, a column or expression). */
const reportingDateOf = (instant: string, tz: string): string =>
  `CAST(timezone(${sqlString(tz)}, ${instant}) AS DATE)`;

export async function readApplied(
  dataDir: string,
  current: SnapshotPointer | null,
): Promise<Map<string, string>> {
  const applied = new Map<string, string>();
  if (!current) return applied;
  const { instance, conn } = await openSnapshotReadOnly(join(dataDir, current.path));
  try {
    const [registry] = await queryRows<{ n: number }>(
      conn,
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'meta' AND table_name = 'batches'",
    );
    if (!registry?.n)
      throw new BatchRefused(
        `${dataDir}/current.json points to ${current.path}, which has no batch registry (not a Backlight warehouse, or one from an older build): use another --data-dir, or remove that one`,
      );
    // Before text ids (issue 16) the raw layer held ids as BIGINT: such a warehouse cannot take text ids.
    const [idType] = await queryRows<{ data_type: string }>(
      conn,
      "SELECT data_type FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = 'customers' AND column_name = 'customer_id'",
    );
    if (idType && idType.data_type !== "VARCHAR")
      throw new NumericIdWarehouse(
        `${dataDir}/current.json points to ${current.path}, built by an older Backlight that stored ids as numbers: load the landing again into a new --data-dir`,
      );
    for (const row of await queryRows<{ batch_id: string; fingerprint: string }>(
      conn,
      "SELECT batch_id, fingerprint FROM meta.batches",
    )) {
      applied.set(row.batch_id, row.fingerprint);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return applied;
}

export async function initialise(
  conn: DuckDBConnection,
  timeZone: string,
  synthetic: boolean,
): Promise<void> {
  for (const schema of ["meta", "raw", "etl", "staging", "intermediate", "marts"])
    await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await conn.run(`CREATE TABLE IF NOT EXISTS meta.settings (key VARCHAR, value VARCHAR)`);
  await conn.run(
    `CREATE TABLE IF NOT EXISTS meta.batches (batch_id VARCHAR, fingerprint VARCHAR, applied_at TIMESTAMPTZ, run_id VARCHAR)`,
  );
  await conn.run(`CREATE TABLE IF NOT EXISTS meta.load_stats (run_id VARCHAR, batch_id VARCHAR, entity VARCHAR, file VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, seconds DOUBLE)`);
  await conn.run("ALTER TABLE meta.load_stats ADD COLUMN IF NOT EXISTS ignored_columns VARCHAR");
  await conn.run(`CREATE TABLE IF NOT EXISTS meta.quarantine (run_id VARCHAR, batch_id VARCHAR, entity VARCHAR, file VARCHAR,
    line BIGINT, rule VARCHAR, reason VARCHAR, raw_row VARCHAR)`);
  await conn.run(
    `CREATE TABLE IF NOT EXISTS meta.test_results (run_id VARCHAR, name VARCHAR, model VARCHAR, failures BIGINT, passed BOOLEAN, detail VARCHAR)`,
  );
  await conn.run(`CREATE TABLE IF NOT EXISTS meta.runs (run_id VARCHAR, snapshot_id VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ,
    batches VARCHAR, full_rebuild BOOLEAN, rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT,
    tests_passed BIGINT, tests_failed BIGINT, seconds VARCHAR)`);
  await conn.run(EFFECTS_TABLE);
  await createKeyMaps(conn);
  await createMacros(conn);
  for (const entity of CONTRACT) {
    const columns = [
      ...entity.columns.map((c) => `${c.name} ${duckdbType(c.kind)}`),
      ...keysOf(entity).map((k) => `${k.key} BIGINT`),
    ].join(", ");
    await conn.run(
      `CREATE TABLE IF NOT EXISTS raw.${entity.entity} (${columns}, _batch_id VARCHAR, _line BIGINT)`,
    );
    // Versions that a later batch replaced: what a re-applied batch falls back to.
    await conn.run(
      `CREATE TABLE IF NOT EXISTS raw.${entity.entity}__superseded (${columns}, _batch_id VARCHAR, _line BIGINT)`,
    );
  }
  // Reporting dates a run's changes touched, each with the entity whose change touched it: a model
  // rebuilds only the dates of the entities it is affected by (models.ts, affected_by).
  await conn.run("CREATE OR REPLACE TABLE etl.affected_dates (affected_date DATE, entity VARCHAR)");
  await conn.run("CREATE OR REPLACE TABLE etl.fx_changes (currency VARCHAR, from_date DATE)");
  await conn.run("CREATE OR REPLACE TABLE etl.affected_customers (customer_key BIGINT)");
  const [previous] = await queryRows<{ value: string }>(
    conn,
    "SELECT value FROM meta.settings WHERE key = 'reporting_time_zone'",
  );
  const zoneChanged = previous !== undefined && previous.value !== timeZone;
  if (zoneChanged) await conn.run("DELETE FROM meta.settings WHERE key = 'marts_built'");
  // Each event's reporting date, kept in raw (last column, so that a warehouse built before it had the
  // column has the same layout once it is added): every row's again when the reporting zone changes;
  // otherwise only rows without one (a warehouse from before the column, filled once).
  for (const [entity, instant] of Object.entries(TRACKED_DATES)) {
    for (const table of [`raw.${entity}`, `raw.${entity}__superseded`]) {
      await conn.run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS reporting_date DATE`);
      await conn.run(`UPDATE ${table} SET reporting_date = ${reportingDateOf(instant, timeZone)}
        WHERE ${zoneChanged ? "true" : `reporting_date IS NULL AND ${instant} IS NOT NULL`}`);
    }
  }
  await conn.run("DELETE FROM meta.settings WHERE key IN ('reporting_time_zone', 'synthetic')");
  await conn.run(
    `INSERT INTO meta.settings VALUES ('reporting_time_zone', ${sqlString(timeZone)}), ('synthetic', ${sqlString(String(synthetic))})`,
  );
}

const keyJoin = (entity: ContractEntity, a: string, b: string): string =>
  entity.key.map((k) => `${a}.${k} = ${b}.${k}`).join(" AND ");

/**
 * Records the reporting dates whose figures a change of these rows can move, tagged with the entity:
 * `rows` holds versions of the entity's rows that changed (old, new, or both). Order items by their
 * order date and the dates they were returned on; returns by their own dates and their order's (its
 * cohort's return rate); products and sellers as the order items they describe; new prices by the
 * order dates of their product's items from the price's first valid day;
 * a changed country by every date (which makes the run a full rebuild). Exchange rates go through
 * etl.fx_changes (their dates run until the currency's next rate, see planModels).
 */
async function recordAffectedDates(
  conn: DuckDBConnection,
  entity: ContractEntity,
  rows: string,
  tz: string,
  /** For returns: a relation with (order_item_id, ordered_at) of at least the items returned. */
  orderItems = "raw.order_items",
): Promise<void> {
  const zone = sqlString(tz);
  const dateOf = (expression: string) => `CAST(timezone(${zone}, ${expression}) AS DATE)`;
  const insert = (select: string) =>
    conn.run(
      `INSERT INTO etl.affected_dates SELECT DISTINCT d, ${sqlString(entity.entity)} FROM (${select}) t(d)`,
    );
  // A return counts on its own date with its order item's attributes (country, category, grade…): a
  // change to an item moves the figures of its order date and of the dates it was returned on.
  const itemDates = (items: string) =>
    insert(`SELECT ${dateOf("i.ordered_at")} FROM ${items} i
      UNION ALL SELECT ${dateOf("r.returned_at")} FROM raw.returns r SEMI JOIN ${items} i ON i.order_item_id = r.order_item_id`);
  switch (entity.entity) {
    case "order_items":
      return void (await itemDates(rows));
    case "returns":
      await insert(`SELECT ${dateOf("returned_at")} FROM ${rows}`);
      return void (await insert(
        `SELECT ${dateOf("i.ordered_at")} FROM ${orderItems} i SEMI JOIN ${rows} r ON r.order_item_id = i.order_item_id`,
      ));
    case "products":
    case "sellers": {
      const key = entity.entity === "products" ? "product_key" : "seller_key";
      return void (await itemDates(
        `(SELECT order_item_id, ordered_at FROM raw.order_items WHERE ${key} IN (SELECT ${key} FROM ${rows}))`,
      ));
    }
    case "new_prices":
      return void (await insert(`SELECT ${dateOf("i.ordered_at")} FROM raw.order_items i
        JOIN (SELECT product_key, min(valid_from) AS first FROM ${rows} GROUP BY 1) n ON n.product_key = i.product_key
        -- The instant bound first: else the local date of all 30 million items is computed before the join.
        WHERE i.ordered_at >= (SELECT min(valid_from) FROM ${rows}) - INTERVAL 1 DAY
          AND ${dateOf("i.ordered_at")} >= n.first`));
    case "countries":
      return void (await insert(`SELECT CAST(d AS DATE) FROM (SELECT
          ${dateOf("min(ordered_at)")} AS first, ${dateOf("max(ordered_at)")} AS last FROM raw.order_items) b,
        range(b.first, b.last + 1, INTERVAL 1 DAY) t(d)
        WHERE EXISTS (SELECT 1 FROM ${rows})`));
    default:
  }
}

/** Entities whose changed rows move reporting dates through recordAffectedDates. */
const DATE_AFFECTING = new Set(["order_items", "returns", "products", "sellers", "new_prices", "countries"]);

/** Upserts the valid rows of one file into raw.<entity>, recording the reporting dates it touches. */
async function loadValid(
  conn: DuckDBConnection,
  entity: ContractEntity,
  batchId: string,
  tz: string,
  options: { reapply: boolean; track: boolean; runId: string },
): Promise<void> {
  const raw = `raw.${entity.entity}`;
  const [existing] = await queryRows<{ n: number }>(
    conn,
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${raw} LIMIT 1)`,
  );
  const rawIsEmpty = (existing?.n ?? 0) === 0;
  // The valid rows with the surrogate key of each id (new ids of this entity are mapped first). On top
  // of earlier loads they are read several times (dates and customers touched, versions replaced):
  // materialised once then, a batch being small; a first load reads them once, where they lie.
  const keyed = await keySource(conn, entity, "valid", !rawIsEmpty);
  let source = keyed;
  // On top of earlier loads, one transaction per file: the row ids of `replaced` stay valid until its
  // DELETE (no checkpoint in between). A first load replaces nothing, and appends tens of millions of
  // rows faster outside an explicit transaction (a failed run is discarded whole either way).
  const transaction = !rawIsEmpty;
  if (transaction) await conn.run("BEGIN TRANSACTION");
  try {
    if (options.reapply) {
      // A re-applied batch never overrides rows that later batches (not re-applied themselves) brought.
      await conn.run(`CREATE OR REPLACE TEMP VIEW valid_reapplied AS SELECT * FROM ${keyed} v
        WHERE NOT EXISTS (SELECT 1 FROM ${raw} r WHERE ${keyJoin(entity, "r", "v")} AND r._batch_id > ${sqlString(batchId)})`);
      source = "valid_reapplied";
    }
    // The versions in raw that these rows replace, found with one scan of the raw table's keys (text:
    // each pass over 30 million of them costs about half a second), then fetched by row id (reading
    // every column of every row to keep a few hundred cost five times the scan); every step below
    // reads them from here. Empty on a first load.
    await conn.run(`CREATE OR REPLACE TEMP TABLE replaced_rowids AS SELECT r.rowid AS _rowid FROM ${raw} r
      ${rawIsEmpty ? "WHERE false" : `SEMI JOIN ${source} v ON ${keyJoin(entity, "r", "v")}`}`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE replaced AS SELECT rowid AS _rowid, * FROM ${raw}
      WHERE rowid IN (SELECT _rowid FROM replaced_rowids)`);
    const [replacedCount] = await queryRows<{ n: number }>(conn, "SELECT count(*) AS n FROM replaced");
    const anyReplaced = (replacedCount?.n ?? 0) > 0;

    // Reporting dates this file touches (old and new versions), for incremental models.
    if (options.track) {
      if (entity.entity === "returns") {
        // The order items these returns are of (old versions included): their country and cohort date,
        // with one scan of the items.
        await conn.run(`CREATE OR REPLACE TEMP TABLE returned_items AS
          SELECT i.order_item_id, i.ordered_at, i.country_code FROM raw.order_items i
          SEMI JOIN (SELECT order_item_id FROM ${source} UNION SELECT order_item_id FROM replaced) v
            ON v.order_item_id = i.order_item_id`);
      }
      // On top of a published snapshot: what the rows change, for the "What changed" page.
      await recordEffects(conn, entity, source, { runId: options.runId, batchId }, tz);
      if (DATE_AFFECTING.has(entity.entity)) {
        // Every version of order items and returns; of the descriptive entities, only rows that are
        // new or differ from the version they replace (a daily extract may resend them all unchanged).
        const same = entity.columns.map((c) => `v.${c.name} IS NOT DISTINCT FROM r.${c.name}`).join(" AND ");
        const changedNew = TRACKED_DATES[entity.entity]
          ? source
          : `(SELECT v.* FROM ${source} v LEFT JOIN replaced r ON ${keyJoin(entity, "r", "v")} WHERE r.${entity.key[0]} IS NULL OR NOT (${same}))`;
        const changedOld = TRACKED_DATES[entity.entity]
          ? "replaced"
          : `(SELECT r.* FROM replaced r JOIN ${source} v ON ${keyJoin(entity, "r", "v")} WHERE NOT (${same}))`;
        const orderItems = entity.entity === "returns" ? "returned_items" : undefined;
        await recordAffectedDates(conn, entity, changedNew, tz, orderItems);
        if (anyReplaced) await recordAffectedDates(conn, entity, changedOld, tz, orderItems);
      }
      if (CUSTOMER_KEYED.has(entity.entity)) {
        if (anyReplaced)
          await conn.run("INSERT INTO etl.affected_customers SELECT DISTINCT customer_key FROM replaced");
        await conn.run(`INSERT INTO etl.affected_customers SELECT DISTINCT customer_key FROM ${source}`);
      }
      if (entity.entity === "fx_rates") {
        await conn.run(
          `INSERT INTO etl.fx_changes SELECT currency, min(rate_date) FROM ${source} GROUP BY 1`,
        );
      }
    }
    const columns = [...entity.columns.map((c) => c.name), ...keysOf(entity).map((k) => k.key)].join(", ");
    const instant = TRACKED_DATES[entity.entity];
    const target = `(${columns}, _batch_id, _line${instant ? ", reporting_date" : ""})`;
    const derived = instant ? `, ${reportingDateOf(instant, tz)}` : "";
    if (anyReplaced) {
      await conn.run(`INSERT INTO ${raw}__superseded SELECT * EXCLUDE (_rowid) FROM replaced`);
      await conn.run(`DELETE FROM ${raw} WHERE rowid IN (SELECT _rowid FROM replaced)`);
    }
    if (options.reapply) {
      // This batch's rows that later batches replace are kept as superseded versions, not lost.
      await conn.run(`INSERT INTO ${raw}__superseded ${target} SELECT ${columns}, ${sqlString(batchId)}, _line${derived} FROM ${keyed} v
        WHERE EXISTS (SELECT 1 FROM ${raw} r WHERE ${keyJoin(entity, "r", "v")} AND r._batch_id > ${sqlString(batchId)})`);
    }
    await conn.run(
      `INSERT INTO ${raw} ${target} SELECT ${columns}, ${sqlString(batchId)}, _line${derived} FROM ${source}`,
    );
    if (transaction) await conn.run("COMMIT");
  } catch (error) {
    if (transaction) await conn.run("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** Deletes the raw rows a batch brought (optionally only some), recording the reporting dates they leave. */
export async function removeBatchRows(
  conn: DuckDBConnection,
  entity: ContractEntity,
  batchId: string,
  tz: string,
  /** The run taking the rows back: they are recorded as withdrawn (meta.batch_effects). */
  runId?: string,
): Promise<void> {
  const raw = `raw.${entity.entity}`;
  const where = `r._batch_id = ${sqlString(batchId)}`;
  if (runId) await recordWithdrawn(conn, entity, { runId, batchId }, tz);
  if (DATE_AFFECTING.has(entity.entity))
    await recordAffectedDates(conn, entity, `(SELECT * FROM ${raw} r WHERE ${where})`, tz);
  if (entity.entity === "fx_rates")
    await conn.run(
      `INSERT INTO etl.fx_changes SELECT currency, min(rate_date) FROM ${raw} r WHERE ${where} GROUP BY 1`,
    );
  if (CUSTOMER_KEYED.has(entity.entity)) {
    await conn.run(
      `INSERT INTO etl.affected_customers SELECT DISTINCT r.customer_key FROM ${raw} r WHERE ${where}`,
    );
  }
  const keys = entity.key.join(", ");
  await conn.run(`CREATE OR REPLACE TEMP TABLE removed_keys AS SELECT ${keys} FROM ${raw} r WHERE ${where}`);
  await conn.run(`DELETE FROM ${raw} r WHERE ${where}`);
  await conn.run(`DELETE FROM ${raw}__superseded r WHERE ${where}`);
  // The latest earlier version of each removed key comes back, as if this batch had never come.
  await conn.run(`CREATE OR REPLACE TEMP TABLE restored AS SELECT s.* FROM ${raw}__superseded s
    SEMI JOIN removed_keys k ON ${keyJoin(entity, "s", "k")}
    QUALIFY row_number() OVER (PARTITION BY ${entity.key.map((k) => `s.${k}`).join(", ")} ORDER BY s._batch_id DESC) = 1`);
  await conn.run(
    `DELETE FROM ${raw}__superseded s USING restored x WHERE ${keyJoin(entity, "s", "x")} AND s._batch_id = x._batch_id`,
  );
  await conn.run(`INSERT INTO ${raw} SELECT * FROM restored`);
  if (DATE_AFFECTING.has(entity.entity)) await recordAffectedDates(conn, entity, "restored", tz);
  if (entity.entity === "fx_rates") {
    await conn.run("INSERT INTO etl.fx_changes SELECT currency, min(rate_date) FROM restored GROUP BY 1");
  }
  if (CUSTOMER_KEYED.has(entity.entity)) {
    await conn.run("INSERT INTO etl.affected_customers SELECT DISTINCT customer_key FROM restored");
  }
}

/** Called once a file is validated, with temp table `rejected` holding its quarantine rows. */
export type OnValidated = (conn: DuckDBConnection, entity: ContractEntity, stat: LoadStat) => Promise<void>;

export async function applyBatch(
  conn: DuckDBConnection,
  batch: LandingBatch,
  runId: string,
  tz: string,
  reapply: boolean,
  track: boolean,
  progress: (line: string) => void,
  onValidated?: OnValidated,
): Promise<LoadStat[]> {
  if (batch.files.length === 0) throw new BatchRefused(`batch ${batch.batchId}: no entity files`);
  const stats: LoadStat[] = [];
  if (reapply) {
    await conn.run(`DELETE FROM meta.quarantine WHERE batch_id = ${sqlString(batch.batchId)}`);
  }
  for (const entity of CONTRACT) {
    const file = batch.files.find((f) => f.entity === entity.entity);
    if (!file) continue;
    const started = performance.now();
    const label = `batch ${batch.batchId}: ${file.name}`;
    progress(`etl: ${batch.batchId} ${entity.entity}: reading`);
    const { rows: rowsRead, ignoredColumns } = await readLandingFile(conn, entity, file.path, label);
    if (ignoredColumns.length > 0)
      progress(`etl: ${batch.batchId} ${entity.entity}: ignoring columns ${ignoredColumns.join(", ")}`);
    progress(`etl: ${batch.batchId} ${entity.entity}: validating ${rowsRead.toLocaleString("en-GB")} rows`);
    await validateSource(conn, entity, file.name.endsWith(".csv"));
    await loadValid(conn, entity, batch.batchId, tz, { reapply, track, runId });
    const relative = `${batch.batchId}/${file.name}`;
    await conn.run(`INSERT INTO meta.quarantine SELECT ${sqlString(runId)}, ${sqlString(batch.batchId)}, ${sqlString(entity.entity)},
      ${sqlString(relative)}, line, rule, reason, raw_row FROM rejected`);
    const [counts] = await queryRows<{ rejected: number }>(conn, "SELECT count(*) AS rejected FROM rejected");
    const quarantined = counts?.rejected ?? 0;
    const stat: LoadStat = {
      batch_id: batch.batchId,
      entity: entity.entity,
      file: relative,
      rows_read: rowsRead,
      // Every row not quarantined is loaded (for a re-applied batch, some only to be overridden by later batches).
      rows_loaded: rowsRead - quarantined,
      rows_quarantined: quarantined,
      ignored_columns: ignoredColumns,
      seconds: (performance.now() - started) / 1000,
    };
    stats.push(stat);
    await onValidated?.(conn, entity, stat);
    await conn.run(`INSERT INTO meta.load_stats (run_id, batch_id, entity, file, rows_read, rows_loaded, rows_quarantined, seconds, ignored_columns)
      VALUES (${sqlString(runId)}, ${sqlString(stat.batch_id)}, ${sqlString(stat.entity)},
      ${sqlString(stat.file)}, ${stat.rows_read}, ${stat.rows_loaded}, ${stat.rows_quarantined}, ${stat.seconds},
      ${ignoredColumns.length > 0 ? sqlString(ignoredColumns.join(", ")) : "NULL"})`);
  }
  await conn.run(`DELETE FROM meta.batches WHERE batch_id = ${sqlString(batch.batchId)}`);
  await conn.run(
    `INSERT INTO meta.batches VALUES (${sqlString(batch.batchId)}, ${sqlString(fingerprint(batch.files))}, now(), ${sqlString(runId)})`,
  );
  return stats;
}

/** Decides between a full rebuild and an incremental one, and completes the affected dates. */
async function planModels(conn: DuckDBConnection, tz: string): Promise<boolean> {
  const [built] = await queryRows<{ n: number }>(
    conn,
    "SELECT count(*) AS n FROM meta.settings WHERE key = 'marts_built'",
  );
  if (!built?.n) return true;
  // A new FX rate changes conversions from its date until the currency's next rate: re-model those days on.
  const [fx] = await queryRows<{ first: string | null }>(
    conn,
    "SELECT CAST(min(from_date) AS VARCHAR) AS first FROM etl.fx_changes",
  );
  if (fx?.first) {
    const zone = sqlString(tz);
    // The local date of the latest instant is the latest local date: one max over the column, not a
    // time-zone conversion of each of 30 million rows.
    await conn.run(`INSERT INTO etl.affected_dates
      SELECT CAST(d AS DATE), 'fx_rates' FROM range(DATE '${fx.first}', (SELECT greatest(
          CAST(timezone(${zone}, (SELECT max(ordered_at) FROM raw.order_items)) AS DATE),
          CAST(timezone(${zone}, (SELECT max(returned_at) FROM raw.returns)) AS DATE),
          DATE '${fx.first}') + 1), INTERVAL 1 DAY) t(d)`);
  }
  const [share] = await queryRows<{ affected: number; total: number }>(
    conn,
    "SELECT (SELECT count(DISTINCT affected_date) FROM etl.affected_dates) AS affected, (SELECT count(DISTINCT reporting_date) FROM marts.mart_daily_sales) AS total",
  );
  return !share || share.total === 0 || share.affected > share.total * 0.5;
}

function rowTotals(stats: readonly LoadStat[]): { read: number; loaded: number; quarantined: number } {
  return stats.reduce(
    (t, s) => ({
      read: t.read + s.rows_read,
      loaded: t.loaded + s.rows_loaded,
      quarantined: t.quarantined + s.rows_quarantined,
    }),
    { read: 0, loaded: 0, quarantined: 0 },
  );
}

async function logRun(dataDir: string, summary: RunSummary): Promise<void> {
  const entry = { at: new Date().toISOString(), ...summary, stats: undefined, tests: undefined };
  const totals = rowTotals(summary.stats);
  const tests = {
    passed: summary.tests.filter((t) => t.passed).length,
    failed: summary.tests.filter((t) => !t.passed).length,
  };
  await appendFile(
    join(dataDir, "runs.jsonl"),
    `${JSON.stringify({ ...entry, rows: totals, tests, stats: summary.stats })}\n`,
  );
}

export async function runEtl(options: EtlOptions): Promise<RunSummary> {
  const dataDir = resolve(options.dataDir);
  const tz = options.timeZone ?? "Europe/Paris";
  const progress = options.onProgress ?? (() => undefined);
  await mkdir(dataDir, { recursive: true });
  const release = await acquireLock(dataDir);
  const runId = newSnapshotId();
  const startedAt = new Date().toISOString();
  const runStarted = performance.now();
  const summary: RunSummary = {
    runId,
    status: "failed",
    batches: [],
    skipped: [],
    stats: [],
    tests: [],
    seconds: {},
    modelSeconds: {},
  };
  const timed = async <T>(name: Stage, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      summary.seconds[name] = Number(((performance.now() - started) / 1000).toFixed(3));
    }
  };
  let building: string | undefined;
  /** The snapshot whose spare copy this run took (a failed run makes it again). */
  let spareTaken: SnapshotPointer | null = null;
  try {
    await pruneSnapshots(dataDir, options.keepSnapshots ?? 3);
    const current = await readPointer(dataDir);
    const checksums = await readChecksumCache(dataDir);
    const batches = await discoverBatches(options.landing, checksums);
    await writeChecksumCache(dataDir, checksums);
    const applied = await readApplied(dataDir, current);
    const reapply = new Set(options.reapply ?? []);
    for (const id of reapply) {
      if (!batches.some((b) => b.batchId === id))
        throw new BatchRefused(`--reapply ${id}: no such batch in ${options.landing}`);
    }
    const toApply: LandingBatch[] = [];
    for (const batch of batches) {
      const known = applied.get(batch.batchId);
      if (known === undefined || reapply.has(batch.batchId)) toApply.push(batch);
      else if (known === fingerprint(batch.files)) summary.skipped.push(batch.batchId);
      else
        throw new BatchRefused(
          `batch ${batch.batchId} has changed since it was applied; re-run with --reapply ${batch.batchId} to apply it again`,
        );
    }
    if (toApply.length === 0) {
      summary.status = "nothing_to_do";
      summary.snapshotId = current?.id;
      await logRun(dataDir, summary);
      return summary;
    }
    summary.batches = toApply.map((b) => b.batchId);
    const snapshotId = newSnapshotId(new Date(), current?.id);
    const prepareStarted = performance.now();
    const started = await startBuilding(dataDir, current, snapshotId);
    building = started.building;
    summary.startedFrom = started.from;
    if (started.from === "spare") spareTaken = current;
    await mkdir(join(dataDir, "tmp", runId), { recursive: true });
    const { instance, conn } = await openBatchDb(building, {
      threads: options.threads,
      memoryLimit: options.memoryLimit ?? "8GB",
      tempDirectory: join(dataDir, "tmp", runId),
    });
    try {
      await conn.run(`SET TimeZone = ${sqlString(tz)}`);
      await initialise(conn, tz, options.synthetic ?? false);
      summary.seconds.prepare = Number(((performance.now() - prepareStarted) / 1000).toFixed(3));
      // Reporting dates touched by the batches only matter once there are marts to update.
      const [built] = await queryRows<{ n: number }>(
        conn,
        "SELECT count(*) AS n FROM meta.settings WHERE key = 'marts_built'",
      );
      const track = (built?.n ?? 0) > 0;
      // The models are read once: the run builds and tests the same set even if sql/ changes meanwhile.
      const models = loadModels(SQL_DIR);
      await options.onPhase?.("load");
      await timed("load", async () => {
        // Re-applied batches first lose every row they brought, then load again as they are now.
        for (const batch of toApply.filter((b) => reapply.has(b.batchId))) {
          for (const entity of CONTRACT) await removeBatchRows(conn, entity, batch.batchId, tz, runId);
        }
        for (const batch of toApply) {
          summary.stats.push(
            ...(await applyBatch(conn, batch, runId, tz, reapply.has(batch.batchId), track, progress)),
          );
        }
      });
      await options.onPhase?.("model");
      await timed("model", async () => {
        const full = await planModels(conn, tz);
        summary.fullRebuild = full;
        // The span of the dates each entity's changes touched: a model's is the span of its entities'.
        const ranges = new Map<string, [string, string]>();
        for (const r of await queryRows<{ entity: string; first: string; last: string }>(
          conn,
          "SELECT entity, CAST(min(affected_date) AS VARCHAR) AS first, CAST(max(affected_date) AS VARCHAR) AS last FROM etl.affected_dates WHERE affected_date IS NOT NULL GROUP BY entity",
        ))
          ranges.set(r.entity, [r.first, r.last]);
        for (const model of models) {
          progress(`etl: building ${model.relation}`);
          const started = performance.now();
          await buildModel(conn, model, { timeZone: tz, full, affectedRange: modelRange(model, ranges) });
          summary.modelSeconds[model.relation] = Number(((performance.now() - started) / 1000).toFixed(3));
        }
        await conn.run("DELETE FROM meta.settings WHERE key = 'marts_built'");
        await conn.run("INSERT INTO meta.settings VALUES ('marts_built', 'true')");
      });
      await options.onPhase?.("test");
      await timed("test", async () => {
        progress("etl: data tests and reconciliation");
        summary.tests = [
          ...(await runDeclaredTests(
            conn,
            models,
            summary.fullRebuild ? null : { batches: summary.batches },
          )),
          ...(await runReconciliation(conn, runId, !summary.fullRebuild)),
        ];
        for (const t of summary.tests) {
          await conn.run(`INSERT INTO meta.test_results VALUES (${sqlString(runId)}, ${sqlString(t.name)}, ${sqlString(t.model)},
            ${t.failures}, ${t.passed}, ${t.detail === undefined ? "NULL" : sqlString(t.detail)})`);
        }
        const failed = summary.tests.filter((t) => !t.passed);
        if (failed.length > 0) {
          throw new TestsFailed(
            `${failed.length} data test(s) failed, nothing published: ${failed.map((t) => `${t.model} ${t.name}${t.detail ? ` (${t.detail})` : ""}`).join("; ")}`,
          );
        }
      });
      const totals = rowTotals(summary.stats);
      await conn.run(`INSERT INTO meta.runs VALUES (${sqlString(runId)}, ${sqlString(snapshotId)}, ${sqlString(startedAt)}::TIMESTAMPTZ, now(),
        ${sqlString(summary.batches.join(","))}, ${summary.fullRebuild ?? false}, ${totals.read}, ${totals.loaded}, ${totals.quarantined},
        ${summary.tests.filter((t) => t.passed).length}, ${summary.tests.filter((t) => !t.passed).length}, ${sqlString(JSON.stringify(summary.seconds))})`);
      await timed("finish", async () => {
        await conn.run("DROP TABLE etl.affected_dates");
        await conn.run("DROP TABLE etl.fx_changes");
        await conn.run("DROP TABLE etl.affected_customers");
        await conn.run("CHECKPOINT");
      });
    } finally {
      conn.closeSync();
      instance.closeSync();
      await rm(join(dataDir, "tmp", runId), { recursive: true, force: true });
    }
    await options.onPhase?.("publish");
    const pointer = await timed("publish", async () => {
      const pointer: SnapshotPointer = {
        id: snapshotId,
        path: `snapshots/${snapshotId}.duckdb`,
        createdAt: new Date().toISOString(),
        synthetic: options.synthetic ?? false,
      };
      await publish(dataDir, building as string, pointer);
      building = undefined;
      summary.secondsToPublish = Number(((performance.now() - runStarted) / 1000).toFixed(3));
      await pruneSnapshots(dataDir, options.keepSnapshots ?? 3);
      return pointer;
    });
    summary.status = "published";
    summary.snapshotId = snapshotId;
    if (options.spare ?? true) {
      progress(`etl: published ${snapshotId}; copying it for the next run to start from`);
      // Served already: a failure here only means the next run copies the snapshot itself.
      await timed("spare", () => prepareSpare(dataDir, pointer)).catch((error) =>
        progress(`etl: no spare copy for the next run (${error instanceof Error ? error.message : error})`),
      );
    }
    await logRun(dataDir, summary);
    return summary;
  } catch (error) {
    summary.status = "failed";
    summary.error = error instanceof Error ? error.message : String(error);
    if (building) await rm(building, { force: true });
    if (building) await rm(`${building}.wal`, { force: true });
    // The snapshot served is still the one the spare copied: the next run should not pay for the copy.
    if (building && spareTaken && (options.spare ?? true))
      await prepareSpare(dataDir, spareTaken).catch(() => undefined);
    await logRun(dataDir, summary).catch(() => undefined);
    throw error;
  } finally {
    await release();
  }
}

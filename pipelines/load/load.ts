// The first, minimal loader (issue 3 replaces it with the full pipeline): reads every landing batch
// in order, keeps the latest row per key, builds a snapshot file and publishes it atomically.
//
// It validates nothing beyond types: it is the demo's bridge from landing files to the dashboard.

import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CONTRACT, type ContractEntity, duckdbType } from "../contract.ts";
import { openBatchDb, sqlString } from "../lib/duckdb.ts";

export interface LoadOptions {
  landing: string;
  dataDir: string;
  reportingTimeZone?: string;
  synthetic?: boolean;
}

export interface SnapshotPointer {
  id: string;
  path: string;
  createdAt: string;
  synthetic: boolean;
}

async function batchFiles(landing: string): Promise<{ batches: string[]; files: Map<string, string[]> }> {
  const entries = await readdir(landing, { withFileTypes: true });
  const batches = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  const files = new Map<string, string[]>();
  for (const batch of batches) {
    for (const name of await readdir(join(landing, batch))) {
      const match = /^(\w+)\.(csv|parquet)$/.exec(name);
      if (!match) continue;
      const entity = match[1] as string;
      files.set(entity, [...(files.get(entity) ?? []), join(landing, batch, name)]);
    }
  }
  return { batches, files };
}

function readRelation(entity: ContractEntity, file: string): string {
  const columns = entity.columns.map((c) => `${c.name}::${duckdbType(c.kind)} AS ${c.name}`).join(", ");
  if (file.endsWith(".parquet")) return `SELECT ${columns} FROM read_parquet(${sqlString(file)})`;
  const types = entity.columns.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(", ");
  return `SELECT ${columns} FROM read_csv(${sqlString(file)}, header = true, delim = ',', quote = '"', escape = '"', columns = {${types}})`;
}

export async function loadLanding(options: LoadOptions): Promise<SnapshotPointer> {
  const { batches, files } = await batchFiles(options.landing);
  if (batches.length === 0) throw new Error(`no batch folders in ${options.landing}`);
  const createdAt = new Date().toISOString();
  const id = `${createdAt.replaceAll(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomUUID().slice(0, 8)}`;
  const snapshotDir = join(options.dataDir, "snapshots");
  await mkdir(snapshotDir, { recursive: true });
  const path = join(snapshotDir, `${id}.duckdb`);
  const { instance, conn } = await openBatchDb(path, { tempDirectory: join(options.dataDir, "tmp") });
  try {
    await conn.run(`SET TimeZone = ${sqlString(options.reportingTimeZone ?? "Europe/Paris")}`);
    for (const entity of CONTRACT) {
      const sources = files.get(entity.entity) ?? [];
      const typed = entity.columns.map((c) => `${c.name} ${duckdbType(c.kind)}`).join(", ");
      if (sources.length === 0) {
        await conn.run(`CREATE TABLE ${entity.entity} (${typed})`);
        continue;
      }
      // Later batches replace earlier rows with the same key.
      const union = sources
        .map((f, i) => `SELECT *, ${i} AS _batch_order FROM (${readRelation(entity, f)})`)
        .join(" UNION ALL ");
      await conn.run(
        `CREATE TABLE ${entity.entity} AS SELECT * EXCLUDE (_batch_order) FROM (${union})
         QUALIFY row_number() OVER (PARTITION BY ${entity.key.join(", ")} ORDER BY _batch_order DESC) = 1`,
      );
    }
    // Headline totals: completed items on their reporting date, GMV at the latest EUR rate on or before it.
    await conn.run(`
      CREATE TABLE headline AS
      WITH rates AS (
        SELECT rate_date, currency, eur_per_unit FROM fx_rates
      ), items AS (
        SELECT customer_id, currency, price, (ordered_at AT TIME ZONE current_setting('TimeZone'))::DATE AS reporting_date
        FROM order_items WHERE status = 'completed'
      ), converted AS (
        SELECT i.*, CASE WHEN i.currency = 'EUR' THEN 1 ELSE r.eur_per_unit END AS eur_per_unit
        FROM items i ASOF LEFT JOIN rates r ON r.currency = i.currency AND i.reporting_date >= r.rate_date
      )
      SELECT
        count(DISTINCT customer_id) AS customers,
        count(*) AS devices_sold,
        sum(round(price * eur_per_unit, 2))::DECIMAL(18, 2) AS gmv_eur,
        min(reporting_date) AS first_order_date,
        max(reporting_date) AS last_order_date,
        ${options.synthetic === false ? "false" : "true"} AS synthetic
      FROM converted`);
    await conn.run("CHECKPOINT");
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  await fsyncFile(path);
  const pointer: SnapshotPointer = {
    id,
    path: `snapshots/${id}.duckdb`,
    createdAt,
    synthetic: options.synthetic !== false,
  };
  await publish(options.dataDir, pointer);
  await rm(join(options.dataDir, "tmp"), { recursive: true, force: true });
  return pointer;
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Switches current.json to the new snapshot: write a temporary file, fsync it, rename over the old one. */
async function publish(dataDir: string, pointer: SnapshotPointer): Promise<void> {
  const tmp = join(dataDir, `.current.json.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(pointer, null, 2)}\n`);
  await fsyncFile(tmp);
  await rename(tmp, join(dataDir, "current.json"));
  await stat(join(dataDir, "current.json"));
}

// Warehouse data directories for tests: the real demo pipeline for the first snapshot, and
// hand-written snapshots with chosen numbers to watch the server switch.

import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { REPO_ROOT } from "./repo";
import { builtOnce } from "./run-cache";

const run = promisify(execFile);

export interface SnapshotPointer {
  id: string;
  path: string;
  createdAt: string;
  synthetic: boolean;
}

/** The one row of a snapshot's `headline` table, BIGINTs as numbers and dates as `YYYY-MM-DD`. */
export interface HeadlineRow {
  customers: number;
  devices_sold: number;
  gmv_eur: number;
  first_order_date: string;
  last_order_date: string;
  synthetic: boolean;
}

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `backlight-${prefix}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * A data directory published by the real demo pipeline at a tiny scale: built once per test run, and
 * each caller gets a copy of its own (to change or remove as it likes).
 */
export async function createDemoDataDir(): Promise<string> {
  const dataDir = await makeTempDir("data");
  const built = await builtOnce("demo-data", runDemo);
  if (built) await cp(built, dataDir, { recursive: true });
  else await runDemo(dataDir);
  return dataDir;
}

async function runDemo(dataDir: string): Promise<void> {
  await run("npx", ["tsx", "cli/demo.ts", "--data-only", "--scale", "0.002", "--data-dir", dataDir], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function readPointer(dataDir: string): Promise<SnapshotPointer> {
  return JSON.parse(await readFile(join(dataDir, "current.json"), "utf8")) as SnapshotPointer;
}

/** Reads the headline straight from a snapshot file, read-only, independently of the app's code. */
export async function queryHeadlineFile(file: string): Promise<HeadlineRow> {
  const instance = await DuckDBInstance.create(file, { access_mode: "READ_ONLY", threads: "1" });
  try {
    const conn = await instance.connect();
    try {
      const reader = await conn.runAndReadAll(`
        SELECT customers, devices_sold, gmv_eur::DOUBLE AS gmv_eur,
          first_order_date::VARCHAR AS first_order_date, last_order_date::VARCHAR AS last_order_date, synthetic
        FROM marts.mart_headline`);
      const rows = reader.getRowObjectsJS();
      if (rows.length !== 1) throw new Error(`expected one headline row in ${file}, got ${rows.length}`);
      const row = rows[0] as Record<string, unknown>;
      return {
        customers: Number(row.customers),
        devices_sold: Number(row.devices_sold),
        gmv_eur: Number(row.gmv_eur),
        first_order_date: String(row.first_order_date),
        last_order_date: String(row.last_order_date),
        synthetic: row.synthetic === true,
      };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Writes `snapshots/<id>.duckdb` holding only a `marts.mart_headline` table with the loader's exact schema. */
export async function writeSnapshot(
  dataDir: string,
  id: string,
  headline: HeadlineRow,
): Promise<SnapshotPointer> {
  const path = `snapshots/${id}.duckdb`;
  await mkdir(join(dataDir, "snapshots"), { recursive: true });
  const instance = await DuckDBInstance.create(join(dataDir, path));
  try {
    const conn = await instance.connect();
    try {
      await conn.run("CREATE SCHEMA marts");
      await conn.run(`
        CREATE TABLE marts.mart_headline (
          customers BIGINT, devices_sold BIGINT, gmv_eur DECIMAL(18, 2),
          first_order_date DATE, last_order_date DATE, synthetic BOOLEAN)`);
      await conn.run(
        "INSERT INTO marts.mart_headline VALUES ($customers, $devices, $gmv::DECIMAL(18, 2), $first::DATE, $last::DATE, $synthetic)",
        {
          customers: BigInt(headline.customers),
          devices: BigInt(headline.devices_sold),
          gmv: String(headline.gmv_eur),
          first: headline.first_order_date,
          last: headline.last_order_date,
          synthetic: headline.synthetic,
        },
      );
      await conn.run("CHECKPOINT");
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  return { id, path, createdAt: new Date().toISOString(), synthetic: headline.synthetic };
}

/** Publishes a pointer the way the loader does: write a temporary file, then rename it over current.json. */
export async function publishPointer(dataDir: string, pointer: SnapshotPointer): Promise<void> {
  const tmp = join(dataDir, `.current.json.test-${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(pointer, null, 2)}\n`);
  await rename(tmp, join(dataDir, "current.json"));
}

/** Files a process holds open (Linux /proc), to check that replaced snapshots get closed. */
export async function openFiles(pid: number | "self"): Promise<string[]> {
  const fdDir = `/proc/${pid}/fd`;
  const targets = await Promise.all(
    (await readdir(fdDir)).map((fd) => readlink(join(fdDir, fd)).catch(() => "")),
  );
  return targets.filter((target) => target !== "");
}

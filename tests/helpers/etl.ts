// Test helper: run the ETL CLI as a real child process, build landing folders and data directories
// in temporary folders, and fingerprint the warehouse a data directory serves.

import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { openSnapshotReadOnly, queryRows } from "../../core/duckdb.ts";
import type { Phase } from "../../pipelines/etl/run.ts";
import type { SnapshotPointer } from "../../pipelines/etl/snapshots.ts";
import { REPO_ROOT } from "./repo.ts";

const tempDirs: string[] = [];
const children = new Set<ChildProcess>();

/** A new empty temporary directory, removed by `cleanUpEtl`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `backlight-etl-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** A new landing folder holding copies of the given batch folders of `source`. */
export function makeLanding(source: string, batches: readonly string[]): string {
  const dir = tempDir("landing");
  for (const batch of batches) cpSync(join(source, batch), join(dir, batch), { recursive: true });
  return dir;
}

/** A copy of a data directory (pointer, snapshots, run log), in a new temporary directory. */
export function copyDataDir(source: string): string {
  const dir = join(tempDir("data"), "data");
  cpSync(source, dir, { recursive: true });
  return dir;
}

/** Kills every CLI process still running and removes every temporary directory. */
export function cleanUpEtl(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface EtlResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface EtlProcess {
  child: ChildProcess;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr matches; rejects if the process ends first or the wait times out. */
  waitForStderr: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exited: Promise<EtlResult>;
}

export interface EtlRunOptions {
  landing: string;
  dataDir: string;
  args?: string[];
  /** Sets BACKLIGHT_ETL_PAUSE_AT: the run prints `paused at <phase>` on stderr and sleeps there. */
  pauseAt?: Phase;
}

/** Starts `pipelines/etl/cli.ts` from the repository root, as `npm run etl` would. */
export function startEtl(options: EtlRunOptions): EtlProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.BACKLIGHT_ETL_PAUSE_AT;
  delete env.BACKLIGHT_DEBUG;
  if (options.pauseAt) env.BACKLIGHT_ETL_PAUSE_AT = options.pauseAt;
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "pipelines/etl/cli.ts",
      "--landing",
      options.landing,
      "--data-dir",
      options.dataDir,
      ...(options.args ?? []),
    ],
    { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<EtlResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      children.delete(child);
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let ended = false;
  void exited.then(
    () => {
      ended = true;
    },
    () => {
      ended = true;
    },
  );
  const waitForStderr = (pattern: RegExp, timeoutMs = 90_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(stderr)) {
          done();
          resolve();
        } else if (ended || child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(
            new Error(
              `the ETL run ended (code ${child.exitCode}, signal ${child.signalCode}) before stderr matched ${pattern}\nstderr:\n${stderr}\nstdout:\n${stdout}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`stderr did not match ${pattern} within ${timeoutMs} ms\nstderr:\n${stderr}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    child,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr,
    exited,
  };
}

/** Runs the CLI to the end. */
export function runEtlCli(options: EtlRunOptions): Promise<EtlResult> {
  return startEtl(options).exited;
}

/** Lines of a run's stderr that are not progress lines (`etl: …`), e.g. the final error line. */
export function messageLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("etl: "));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function pointerPath(dataDir: string): string {
  return join(dataDir, "current.json");
}

export function readPointerFile(dataDir: string): SnapshotPointer {
  return JSON.parse(readFileSync(pointerPath(dataDir), "utf8")) as SnapshotPointer;
}

/** The names in `<dataDir>/snapshots`, sorted (empty when the folder does not exist). */
export function snapshotFiles(dataDir: string): string[] {
  const dir = join(dataDir, "snapshots");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function buildingLeftovers(dataDir: string): string[] {
  return snapshotFiles(dataDir).filter((name) => name.startsWith(".building-"));
}

/** Runs read-only queries on a snapshot file (BIGINT as number, DECIMAL and others as returned). */
export async function querySnapshot<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const { instance, conn } = await openSnapshotReadOnly(file);
  try {
    return await queryRows<T>(conn, sql);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export interface WarehouseFingerprint {
  orderItems: number;
  gmvEur: string;
  devicesSold: string;
  quarantined: number;
}

/** A few figures that change whenever the warehouse's contents do, read from the current snapshot. */
export async function warehouseFingerprint(dataDir: string): Promise<WarehouseFingerprint> {
  const pointer = readPointerFile(dataDir);
  const [row] = await querySnapshot<WarehouseFingerprint>(
    join(dataDir, pointer.path),
    `SELECT (SELECT count(*) FROM raw.order_items) AS "orderItems",
      (SELECT CAST(sum(gmv_eur) AS VARCHAR) FROM marts.mart_daily_sales) AS "gmvEur",
      (SELECT CAST(sum(devices_sold) AS VARCHAR) FROM marts.mart_daily_sales) AS "devicesSold",
      (SELECT count(*) FROM meta.quarantine) AS quarantined`,
  );
  if (!row) throw new Error(`no fingerprint row for ${dataDir}`);
  return row;
}

/** Runs queries on an in-memory DuckDB (to read or write landing files); returns the last one's rows. */
export async function queryMemory<T = Record<string, unknown>>(...sql: string[]): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    for (const statement of sql.slice(0, -1)) await conn.run(statement);
    return await queryRows<T>(conn, sql.at(-1) ?? "SELECT 1 WHERE false");
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A path as a DuckDB string literal. */
export const sqlPath = (path: string): string => `'${path.replaceAll("'", "''")}'`;

/** Rows in a Parquet file, counted by DuckDB. */
export async function parquetRows(file: string): Promise<number> {
  const [row] = await queryMemory<{ n: number }>(`SELECT count(*) AS n FROM read_parquet(${sqlPath(file)})`);
  return row?.n ?? Number.NaN;
}

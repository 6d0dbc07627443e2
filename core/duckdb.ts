// One way to open DuckDB, for the pipeline, the server and the tests: always offline (no extension is
// ever downloaded or loaded behind our back); batch work with bounded memory, spilling to a temp folder;
// published snapshots read-only. Node only: never imported by browser code.

import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

/** Settings of every DuckDB instance we open: no extension installed or loaded on demand. */
export const OFFLINE_SETTINGS = {
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
} as const;

/** Settings of an instance that reads a published snapshot (the server adds threads and memory). */
export const READ_ONLY_SETTINGS = { access_mode: "READ_ONLY", ...OFFLINE_SETTINGS } as const;

export interface BatchDbOptions {
  threads?: number;
  memoryLimit?: string;
  tempDirectory?: string;
}

export async function openBatchDb(
  path: string,
  options: BatchDbOptions = {},
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const config: Record<string, string> = {
    threads: String(options.threads ?? 2),
    memory_limit: options.memoryLimit ?? "6GB",
    ...OFFLINE_SETTINGS,
    preserve_insertion_order: "true",
  };
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  const instance = await DuckDBInstance.create(path, config);
  const conn = await instance.connect();
  return { instance, conn };
}

/** A published snapshot, read-only and offline: how every command (and test) reads the warehouse. */
export async function openSnapshotReadOnly(
  file: string,
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(file, { ...READ_ONLY_SETTINGS });
  return { instance, conn: await instance.connect() };
}

/** Rows of a query as plain JS objects, BIGINT converted to number (counts here stay far below 2^53). */
export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row))
      out[key] = typeof value === "bigint" ? Number(value) : value;
    return out as T;
  });
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

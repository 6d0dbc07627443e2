// Bulk-load small JS tables into DuckDB through an appender (no SQL text built from values).

import type { DuckDBConnection } from "@duckdb/node-api";

export type ColumnType = "INTEGER" | "BIGINT" | "DOUBLE" | "VARCHAR" | "BOOLEAN";
export type Cell = number | string | boolean | null;

export async function createAndAppend(
  conn: DuckDBConnection,
  table: string,
  columns: readonly (readonly [name: string, type: ColumnType])[],
  rows: Iterable<readonly Cell[]>,
): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(", ")})`);
  const appender = await conn.createAppender(table);
  for (const row of rows) {
    columns.forEach(([, type], i) => {
      const value = row[i];
      if (value === null || value === undefined) appender.appendNull();
      else if (type === "INTEGER") appender.appendInteger(value as number);
      else if (type === "BIGINT") appender.appendBigInt(BigInt(value as number));
      else if (type === "DOUBLE") appender.appendDouble(value as number);
      else if (type === "BOOLEAN") appender.appendBoolean(value as boolean);
      else appender.appendVarchar(String(value));
    });
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

// Test helper: query a landing folder with DuckDB (files read as written, CSV as text).

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { CONTRACT } from "../../core/contract.ts";
import { queryRows } from "../../core/duckdb.ts";

export interface Landing {
  conn: DuckDBConnection;
  batches: string[];
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  one<T = Record<string, unknown>>(sql: string): Promise<T>;
  close(): void;
}

/**
 * Views per entity: `<entity>_all` (every version, with `batch`), `<entity>` (latest version per key).
 * CSV columns are typed by DuckDB's casts from text; Parquet as written.
 */
export async function openLanding(dir: string, format: "csv" | "parquet"): Promise<Landing> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'UTC'");
  const batches = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const entity of CONTRACT) {
    const files = batches
      .filter((b) => readdirSync(join(dir, b)).includes(`${entity.entity}.${format}`))
      .map((b) => ({ batch: b, file: join(dir, b, `${entity.entity}.${format}`) }));
    const reads = files.map(({ batch, file }) =>
      format === "parquet"
        ? `SELECT *, '${batch}' AS batch FROM read_parquet('${file}')`
        : `SELECT *, '${batch}' AS batch FROM read_csv('${file}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`,
    );
    if (reads.length === 0) continue;
    await conn.run(`CREATE VIEW ${entity.entity}_all AS ${reads.join(" UNION ALL ")}`);
    await conn.run(
      `CREATE VIEW ${entity.entity} AS SELECT * FROM ${entity.entity}_all QUALIFY row_number() OVER (PARTITION BY ${entity.key.join(", ")} ORDER BY batch DESC) = 1`,
    );
  }
  const rows = <T>(sql: string): Promise<T[]> => queryRows<T>(conn, sql);
  return {
    conn,
    batches,
    rows,
    one: async <T>(sql: string): Promise<T> => {
      const [first] = await rows<T>(sql);
      if (first === undefined) throw new Error(`no row: ${sql}`);
      return first;
    },
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

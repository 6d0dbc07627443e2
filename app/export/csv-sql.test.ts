import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cell, CsvDialect, ExportColumn } from "./columns.ts";
import { csvRow } from "./csv.ts";
import { csvFieldSql, csvLineSql } from "./csv-sql.ts";
import { COLUMNS, ROWS } from "./test-fixture.ts";

const DIALECTS: readonly CsvDialect[] = ["csv", "csv-excel-fr", "csv-excel-en"];

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
  // A session zone far from UTC: timestamps must still come out in UTC.
  await conn.run("SET TimeZone = 'Asia/Kolkata'");
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

function lit(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A typed DuckDB literal for a fixture cell, as a query would see it in a real table. */
function sqlValue(column: ExportColumn, value: Cell): string {
  const nullOf = (type: string) => `CAST(NULL AS ${type})`;
  switch (column.kind) {
    case "text":
    case "code":
      return value === null ? nullOf("VARCHAR") : lit(String(value));
    case "integer":
      return value === null ? nullOf("BIGINT") : `CAST(${lit(String(value))} AS HUGEINT)`;
    case "decimal":
    case "ratio":
      if (value === null) return nullOf("DOUBLE");
      if (typeof value === "string") return `CAST(${lit(value)} AS DECIMAL(18, 4))`;
      return `CAST(${lit(Object.is(value, -0) ? "-0.0" : String(value))} AS DOUBLE)`;
    case "date":
      return value === null ? nullOf("DATE") : `DATE ${lit(String(value))}`;
    case "timestamp":
      return value === null ? nullOf("TIMESTAMPTZ") : `CAST(${lit(String(value))} AS TIMESTAMPTZ)`;
  }
}

async function sqlLines(sql: string): Promise<string[]> {
  const result = await conn.runAndReadAll(sql);
  return result.getRowObjectsJS().map((row) => row.line as string);
}

describe("csvLineSql", () => {
  it.each(DIALECTS)(
    "gives the same bytes as csvRow for every hostile row (%s, literal values)",
    async (dialect) => {
      const selects = ROWS.map((cells, i) => {
        const line = csvLineSql(
          COLUMNS.map((column, c) => ({ column, expr: sqlValue(column, cells[c] ?? null) })),
          dialect,
        );
        return `SELECT ${i} AS i, ${line} AS line`;
      });
      const lines = await sqlLines(`${selects.join(" UNION ALL ")} ORDER BY i`);
      const js = ROWS.map((cells) => csvRow(COLUMNS, cells, { dialect }).slice(0, -2));
      expect(lines).toEqual(js);
      expect(lines.length).toBe(ROWS.length);
    },
  );

  it.each(DIALECTS)("gives the same bytes from typed table columns, NULLs included (%s)", async (dialect) => {
    await conn.run(`CREATE OR REPLACE TABLE hostile (
      i INTEGER, label VARCHAR, code VARCHAR, amount DOUBLE, exact DECIMAL(18, 4), units BIGINT,
      margin DOUBLE, day DATE, sold_at TIMESTAMPTZ)`);
    // BIGINT cannot hold 1e21: those rows are checked by the literal test above.
    const rows = ROWS.map((cells, i) => ({ cells, i })).filter(({ cells }) => cells[4] !== 1e21);
    const values = rows.map(
      ({ cells, i }) =>
        `(${i}, ${COLUMNS.map((column, c) =>
          column.kind === "integer" && cells[c] !== null
            ? `CAST(${lit(String(cells[c]))} AS BIGINT)`
            : sqlValue(column, cells[c] ?? null),
        ).join(", ")})`,
    );
    await conn.run(`INSERT INTO hostile VALUES ${values.join(", ")}`);
    const line = csvLineSql(
      COLUMNS.map((column) => ({ column, expr: `"${column.id}"` })),
      dialect,
    );
    const lines = await sqlLines(`SELECT ${line} AS line FROM hostile ORDER BY i`);
    expect(lines).toEqual(rows.map(({ cells }) => csvRow(COLUMNS, cells, { dialect }).slice(0, -2)));
  });

  it("rounds DOUBLE decimals and ratios like JS, ties and near-ties included", async () => {
    const columns: ExportColumn[] = [
      { id: "amount", label: "Amount", kind: "decimal" },
      { id: "rate", label: "Rate", kind: "ratio" },
      { id: "units", label: "Units", kind: "decimal", scale: 0 },
    ];
    const line = csvLineSql(
      columns.map((column) => ({ column, expr: "x" })),
      "csv",
    );
    // Every 3-decimal value in ±200 (each tie at scale 2), 7-decimal ties at scale 6, random magnitudes,
    // values around the 2^40 fast-path limit, and non-ties close to ties.
    const result = await conn.runAndReadAll(`
      WITH xs AS (
        SELECT (i / 1000.0)::DOUBLE AS x FROM range(-200000, 200001) t(i)
        UNION ALL SELECT (i / 1e7 + 5e-8)::DOUBLE FROM range(-20000, 20000) t(i)
        UNION ALL SELECT ((random() - 0.5) * pow(10, (random() * 30 - 12)::INTEGER))::DOUBLE FROM range(50000)
        UNION ALL SELECT (10995116277.76 + i / 1000.0)::DOUBLE FROM range(-2000, 2000) t(i)
        UNION ALL SELECT (i / 100.0 + 0.005 + j * 1e-6)::DOUBLE FROM range(-500, 500) t(i), range(-3, 4) u(j)
      )
      SELECT x, ${line} AS line FROM xs`);
    const rows = result.getRowObjectsJS() as { x: number; line: string }[];
    expect(rows.length).toBeGreaterThan(450_000);
    const mismatches = rows.filter(
      ({ x, line }) => csvRow(columns, [x, x, x], { dialect: "csv" }) !== `${line}\r\n`,
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
    // FLOAT columns: JS receives the float widened to a double, and must see the same digits.
    const floats = await conn.runAndReadAll(
      `SELECT x, ${line} AS line FROM (SELECT (i / 1000.0)::FLOAT AS x FROM range(-20000, 20000) t(i))`,
    );
    const floatRows = floats.getRowObjectsJS() as { x: number; line: string }[];
    expect(floatRows.length).toBe(40000);
    const floatMismatches = floatRows.filter(
      ({ x, line }) => csvRow(columns, [x, x, x], { dialect: "csv" }) !== `${line}\r\n`,
    );
    expect(floatMismatches.slice(0, 5)).toEqual([]);
  });

  it("renders exact, known bytes (not just equal to the JS encoder)", async () => {
    const columns: ExportColumn[] = [
      { id: "t", label: "T", kind: "text" },
      { id: "c", label: "C", kind: "code" },
      { id: "d", label: "D", kind: "decimal" },
      { id: "r", label: "R", kind: "ratio" },
      { id: "ts", label: "TS", kind: "timestamp" },
    ];
    const line = csvLineSql(
      [
        { column: columns[0] as ExportColumn, expr: `'=1;"x"'` },
        { column: columns[1] as ExportColumn, expr: "'00123'" },
        { column: columns[2] as ExportColumn, expr: "1.005::DOUBLE" },
        { column: columns[3] as ExportColumn, expr: "NULL::DOUBLE" },
        { column: columns[4] as ExportColumn, expr: "TIMESTAMPTZ '2024-03-01 11:00:00+01'" },
      ],
      "csv-excel-fr",
    );
    expect(await sqlLines(`SELECT ${line} AS line`)).toEqual([
      `"'=1;""x""";'00123;1,01;;2024-03-01T10:00:00.000Z`,
    ]);
  });

  it("rejects bad column models like the JS encoder", () => {
    expect(() => csvLineSql([], "csv")).toThrow(/at least one column/);
    const bad = { id: "Bad Id", label: "x", kind: "text" } as const;
    expect(() => csvLineSql([{ column: bad, expr: "x" }], "csv")).toThrow(/column id/);
    expect(csvFieldSql({ id: "n", label: "N", kind: "integer" }, "n", "csv")).toBe("CAST((n) AS VARCHAR)");
  });
});

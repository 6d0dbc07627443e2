// etl.to_eur, the 64-bit form of "an amount in EUR" (../../pipelines/etl/macros.ts), gives exactly what the
// decimal definition gives: CAST(round(CAST(amount AS DECIMAL(38,4)) * rate, 4) AS DECIMAL(18,4)).

import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMacros } from "../../pipelines/etl/macros";

const DECIMAL_FORM = "CAST(round(CAST(amount AS DECIMAL(38, 4)) * rate, 4) AS DECIMAL(18, 4))";

describe("etl.to_eur", () => {
  let conn: DuckDBConnection;
  beforeAll(async () => {
    const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
    conn = await instance.connect();
    await createMacros(conn);
  });
  afterAll(() => conn?.closeSync());

  /** Rows where the macro and the decimal form differ, among `cases` (amount DECIMAL(18,4), rate DECIMAL(18,10)). */
  async function differences(cases: string): Promise<{ n: number; first: string | null }> {
    const reader = await conn.runAndReadAll(`
      WITH cases AS (${cases}), compared AS (
        SELECT amount, rate, etl.to_eur(amount, rate) AS fast, ${DECIMAL_FORM} AS exact FROM cases
      )
      SELECT count(*) FILTER (WHERE fast IS DISTINCT FROM exact) AS n,
        min(CASE WHEN fast IS DISTINCT FROM exact THEN amount || ' × ' || rate || ': ' || fast || ' ≠ ' || exact END) AS first
      FROM compared`);
    const row = reader.getRowObjectsJS()[0] as { n: bigint; first: string | null };
    return { n: Number(row.n), first: row.first };
  }

  it("rounds half away from zero at the fourth decimal, like the decimal form, on the edges", async () => {
    const cases = `SELECT CAST(a AS DECIMAL(18, 4)) AS amount, CAST(r AS DECIMAL(18, 10)) AS rate FROM (VALUES
      (0.0001, 0.5), (-0.0001, 0.5), (0.0003, 0.5), (-0.0003, 0.5), (1, 0.00005), (1, 0.000049999),
      (1.0001, 0.4999999999), (12.3456, 1), (-12.3456, 1), (0, 1.2345678901), (99999999.9999, 49.9999999999),
      (-99999999.9999, 49.9999999999), (100000000, 1.5), (123456789012.3456, 0.0000000001), (5, 50),
      (2.5, 0.0000000002), (19.99, 0.0091234567), (1499.0000, 1.1712345678), (0.0005, 0.1), (-0.0005, 0.1),
      (NULL, 1), (1, NULL)
    ) t(a, r)`;
    expect(await differences(cases)).toEqual({ n: 0, first: null });
    // The halves themselves, spelled out: 0.0003 × 0.5 = 0.00015 → 0.0002; negative → -0.0002.
    const reader = await conn.runAndReadAll(
      "SELECT etl.to_eur(0.0003::DECIMAL(18,4), 0.5::DECIMAL(18,10))::VARCHAR AS p, etl.to_eur(-0.0003::DECIMAL(18,4), 0.5::DECIMAL(18,10))::VARCHAR AS n",
    );
    expect(reader.getRowObjectsJS()[0]).toEqual({ p: "0.0002", n: "-0.0002" });
  });

  it("agrees with the decimal form on a million random amounts and rates", async () => {
    await conn.run("SELECT setseed(0.17)");
    const cases = `SELECT
        CAST(round((random() - 0.2) * pow(10, floor(random() * 9)), 4) AS DECIMAL(18, 4)) AS amount,
        CAST(random() * pow(10, floor(random() * 4) - 2) AS DECIMAL(18, 10)) AS rate
      FROM range(1000000)`;
    expect(await differences(cases)).toEqual({ n: 0, first: null });
  });
});

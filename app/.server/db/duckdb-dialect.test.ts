// The DuckDB dialect against a real in-memory DuckDB: what goes in as a parameter and what comes out,
// including the cases the published dialect gets wrong (Date parameters, a lone `count` column).

import { DuckDBInstance } from "@duckdb/node-api";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kyselyOver, sqlDate } from "./duckdb-dialect";

interface Scratch {
  "main.t": { d: string; n: number; amount: number; ts: string };
}

describe("the DuckDB dialect", () => {
  let instance: DuckDBInstance;
  let close: () => void;
  let db: ReturnType<typeof kyselyOver<Scratch>>;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    await conn.run(`
      create table t (d date, n bigint, amount decimal(18, 4), ts timestamptz);
      insert into t values
        ('2024-12-31', 1, 100.1234, '2024-12-31 23:30:00+00'),
        ('2025-01-01', 2, -0.0001, '2025-01-01 00:30:00+01')`);
    db = kyselyOver<Scratch>(conn);
    close = () => {
      conn.closeSync();
      instance.closeSync();
    };
  });
  afterAll(() => close());

  it("binds a calendar date as DATE and returns DATE as YYYY-MM-DD, whatever the process time zone", async () => {
    const rows = await db
      .selectFrom("main.t")
      .select(["d", "n"])
      .where(sql<boolean>`d >= ${sqlDate("2025-01-01")}`)
      .execute();
    expect(rows).toEqual([{ d: "2025-01-01", n: 2 }]);
  });

  it("binds a JS Date as an instant and returns TIMESTAMPTZ as ISO 8601 in UTC", async () => {
    const rows = await db
      .selectFrom("main.t")
      .select("ts")
      .where("ts", "<", new Date("2024-12-31T23:45:00Z") as unknown as string)
      .orderBy("ts")
      .execute();
    expect(rows).toEqual([{ ts: "2024-12-31T23:30:00.000Z" }, { ts: "2024-12-31T23:30:00.000Z" }]);
  });

  it("keeps a result whose only column is named count", async () => {
    const rows = await db.selectFrom("main.t").select(sql<number>`count(*)`.as("count")).execute();
    expect(rows).toEqual([{ count: 2 }]);
  });

  it("returns DECIMAL and HUGEINT sums as exact numbers", async () => {
    const row = await db
      .selectFrom("main.t")
      .select([sql<number>`sum(amount)`.as("amount"), sql<number>`sum(n)`.as("n")])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ amount: 100.1233, n: 3 });
  });

  it("refuses a count beyond 2^53 rather than rounding it", async () => {
    await expect(sql`select 9007199254740993::bigint as big`.execute(db)).rejects.toThrow("beyond 2^53");
  });

  it("rejects a parameter it cannot type", async () => {
    await expect(sql`select ${{ a: 1 }} as x`.execute(db)).rejects.toThrow("unsupported parameter type");
    expect(() => sqlDate("31/12/2024")).toThrow("not a YYYY-MM-DD date");
  });
});

// A cube's sums by key against DuckDB's GROUP BY on the same rows, for ranges of every length and
// alignment and for country and category sets, over awkward data: NULL measures (a key whose values in
// a scope are all NULL sums to NULL), negative amounts, keys with a gap of months, keys with a single
// month, a month no key of a block has, text keys out of numeric order.

import { DuckDBInstance } from "@duckdb/node-api";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { random } from "~/lib/sample-visits";
import { kyselyOver } from "../db/duckdb-dialect";
import { type Cube, residentCube, sumByKey } from "./price-cubes.server";
import type { Db } from "./query.server";

const MONTHS = Array.from({ length: 30 }, (_, i) => {
  const y = 2022 + Math.floor(i / 12);
  return `${y}-${String((i % 12) + 1).padStart(2, "0")}`;
});
const COUNTRIES = ["DE", "FR", "IT"];
const CATEGORIES = ["audio", "laptop", "smartphone"];
const KEYS = ["S-10", "S-2", "S-1", "S-300", "S-41", "S-5"];

describe("price cubes: sums by key", () => {
  let instance: DuckDBInstance;
  let db: Db;
  let cube: Cube | null = null;
  // The same data every run.
  const r = random(7).next;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    db = kyselyOver(conn, {});
    await sql`create table t (country_code varchar, category varchar, month varchar, seller_id varchar,
      sales bigint, price_eur decimal(18,4))`.execute(db);
    const rows: string[] = [];
    for (const country of COUNTRIES)
      for (const category of CATEGORIES)
        for (const key of KEYS)
          for (const month of MONTHS) {
            // Gaps: a key sells in about half the months of a block; S-5 in one month only.
            if (key === "S-5" ? month !== "2023-02" : r() < 0.5) continue;
            const sales = r() < 0.1 ? "NULL" : String(Math.floor(r() * 40));
            const price = r() < 0.15 ? "NULL" : (Math.round((r() - 0.2) * 1e7) / 1e4).toFixed(4);
            rows.push(`('${country}', '${category}', '${month}', '${key}', ${sales}, ${price})`);
          }
    // A key whose every price in one block is NULL.
    rows.push("('IT', 'audio', '2024-06', 'S-9', 3, NULL)", "('IT', 'audio', '2024-01', 'S-9', 1, NULL)");
    await sql.raw(`insert into t values ${rows.join(", ")}`).execute(db);
    cube = await residentCube(db, { name: "t", key: "seller_id", relation: sql`select * from t` });
  });

  afterAll(() => {
    instance.closeSync();
  });

  const AGGREGATES = [
    { as: "devices_sold", column: "sales", fn: "sum" as const },
    { as: "priced_gmv_eur", column: "price_eur", fn: "sum" as const },
  ];

  async function bySql(scope: { from: string; to: string; country: string[]; category: string[] }) {
    const where = [sql`month between ${scope.from} and ${scope.to}`];
    if (scope.country.length) where.push(sql`country_code in (${sql.join(scope.country)})`);
    if (scope.category.length) where.push(sql`category in (${sql.join(scope.category)})`);
    const { rows } = await sql<{ key: string; devices_sold: number | null; priced_gmv_eur: number | null }>`
      select seller_id as key, sum(sales)::DOUBLE as devices_sold, sum(price_eur)::DOUBLE as priced_gmv_eur
      from t where ${sql.join(where, sql` and `)} group by all order by key`.execute(db);
    return rows.map((row) => ({
      key: row.key,
      devices_sold: row.devices_sold === null ? null : Number(row.devices_sold),
      priced_gmv_eur: row.priced_gmv_eur === null ? null : Number(row.priced_gmv_eur),
    }));
  }

  it("sums like DuckDB for ranges of any length and alignment, and country and category sets", async () => {
    if (!cube) throw new Error("the cube was not held");
    const pick = <T>(items: readonly T[]) => items.filter(() => r() < 0.4);
    const scopes = [
      { from: MONTHS[0] as string, to: MONTHS.at(-1) as string, country: [], category: [] },
      { from: "2023-02", to: "2023-02", country: [], category: [] },
      { from: "2021-01", to: "2021-12", country: [], category: [] },
      { from: "2024-06", to: "2024-06", country: ["IT"], category: ["audio"] },
    ];
    for (let i = 0; i < 60; i++) {
      const a = Math.floor(r() * MONTHS.length);
      const b = Math.min(MONTHS.length - 1, a + Math.floor(r() * r() * MONTHS.length));
      scopes.push({
        from: MONTHS[a] as string,
        to: MONTHS[b] as string,
        country: pick(COUNTRIES),
        category: pick(CATEGORIES),
      });
    }
    for (const scope of scopes) {
      const mine = sumByKey(cube, scope, AGGREGATES)
        .map(({ key, values }) => ({ key, ...values }))
        .sort((x, y) => (x.key < y.key ? -1 : 1));
      expect(mine, JSON.stringify(scope)).toEqual(await bySql(scope));
    }
    // The all-NULL key: a count, and no amount.
    const nulls = sumByKey(cube, scopes[3] as (typeof scopes)[number], AGGREGATES).find(
      (k) => k.key === "S-9",
    );
    expect(nulls?.values).toEqual({ devices_sold: 3, priced_gmv_eur: null });
  });
});

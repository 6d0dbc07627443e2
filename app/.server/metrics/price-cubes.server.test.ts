// A cube's sums by key against DuckDB's GROUP BY on the same rows, for ranges of every length and
// alignment and for country and category sets, over awkward data: NULL measures (a key whose values in
// a scope are all NULL sums to NULL), negative amounts, keys with a gap of months, keys with a single
// month, a month no key of a block has, text keys out of numeric order.

import { DuckDBInstance } from "@duckdb/node-api";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { random } from "~/lib/sample-visits";
import { kyselyOver } from "../db/duckdb-dialect";
import { type Cube, residentCube, spansOf, sumByKey } from "./price-cubes.server";
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
      sales bigint, price_eur decimal(18,4), fee_eur decimal(18,4))`.execute(db);
    const rows: string[] = [];
    for (const country of COUNTRIES)
      for (const category of CATEGORIES)
        for (const key of KEYS)
          for (const month of MONTHS) {
            // Gaps: a key sells in about half the months of a block; S-5 in one month only.
            if (key === "S-5" ? month !== "2023-02" : r() < 0.5) continue;
            const sales = r() < 0.1 ? "NULL" : String(Math.floor(r() * 40));
            const price = r() < 0.15 ? "NULL" : (Math.round((r() - 0.2) * 1e7) / 1e4).toFixed(4);
            const fee = (Math.round(r() * 1e6) / 1e4).toFixed(4);
            rows.push(`('${country}', '${category}', '${month}', '${key}', ${sales}, ${price}, ${fee})`);
          }
    // A key whose every price in one block is NULL, in a year not whole (2024) and in a whole one (2022).
    // Its fee is NULL once, in a month whose year has another: the months hold a NULL fee, the years none.
    rows.push(
      "('IT', 'audio', '2024-06', 'S-9', 3, NULL, NULL)",
      "('IT', 'audio', '2024-01', 'S-9', 1, NULL, 1.5)",
      "('IT', 'audio', '2022-03', 'S-9', 2, NULL, 2.25)",
      "('IT', 'audio', '2022-11', 'S-9', 4, NULL, 0.5)",
    );
    await sql.raw(`insert into t values ${rows.join(", ")}`).execute(db);
    cube = await residentCube(db, { name: "t", key: "seller_id", relation: sql`select * from t` });
  });

  afterAll(() => {
    instance.closeSync();
  });

  const AGGREGATES = [
    { as: "devices_sold", column: "sales", fn: "sum" as const },
    { as: "priced_gmv_eur", column: "price_eur", fn: "sum" as const },
    { as: "commission_eur", column: "fee_eur", fn: "sum" as const },
  ];

  async function bySql(scope: { from: string; to: string; country: string[]; category: string[] }) {
    const where = [sql`month between ${scope.from} and ${scope.to}`];
    if (scope.country.length) where.push(sql`country_code in (${sql.join(scope.country)})`);
    if (scope.category.length) where.push(sql`category in (${sql.join(scope.category)})`);
    type Row = {
      key: string;
      devices_sold: number | null;
      priced_gmv_eur: number | null;
      commission_eur: number | null;
    };
    const { rows } = await sql<Row>`
      select seller_id as key, sum(sales)::DOUBLE as devices_sold, sum(price_eur)::DOUBLE as priced_gmv_eur,
        sum(fee_eur)::DOUBLE as commission_eur
      from t where ${sql.join(where, sql` and `)} group by all order by key`.execute(db);
    const number = (v: number | null) => (v === null ? null : Number(v));
    return rows.map((row) => ({
      key: row.key,
      devices_sold: number(row.devices_sold),
      priced_gmv_eur: number(row.priced_gmv_eur),
      commission_eur: number(row.commission_eur),
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
      // Whole years (read from the cube of years), alone and between months; a year beyond the data.
      { from: "2022-01", to: "2023-12", country: [], category: [] },
      { from: "2022-01", to: "2022-12", country: ["IT"], category: ["audio"] },
      { from: "2022-04", to: "2024-02", country: ["DE", "IT"], category: [] },
      { from: "2021-07", to: "2023-12", country: [], category: ["laptop"] },
      { from: "2023-01", to: "2025-12", country: ["FR"], category: ["audio", "smartphone"] },
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
    // The all-NULL key: a count, and no amount, over months and over a whole year.
    const nulls = sumByKey(cube, scopes[3] as (typeof scopes)[number], AGGREGATES).find(
      (k) => k.key === "S-9",
    );
    expect(nulls?.values).toEqual({ devices_sold: 3, priced_gmv_eur: null, commission_eur: null });
    const yearOfNulls = sumByKey(cube, scopes[5] as (typeof scopes)[number], AGGREGATES).find(
      (k) => k.key === "S-9",
    );
    expect(yearOfNulls?.values).toEqual({ devices_sold: 6, priced_gmv_eur: null, commission_eur: 2.75 });
    // A key's category is one it sold in within the scope.
    for (const scope of scopes.filter((s) => s.category.length === 1))
      for (const k of sumByKey(cube, scope, AGGREGATES)) expect(k.category).toBe(scope.category[0]);
  });

  it("reads a scope's whole years from the cube of years, the months around them from the months'", () => {
    if (!cube?.years) throw new Error("the cube of years was not held");
    expect(cube.years.months).toEqual(["2022", "2023", "2024"]);
    const read = (from: string, to: string) =>
      spansOf(cube as Cube, from, to).map((s) => [
        s.cube === cube ? "months" : "years",
        s.cube.months[s.first],
        s.cube.months[s.end - 1],
      ]);
    expect(read("2022-01", "2023-12")).toEqual([["years", "2022", "2023"]]);
    expect(read("2022-04", "2024-02")).toEqual([
      ["months", "2022-04", "2022-12"],
      ["years", "2023", "2023"],
      ["months", "2024-01", "2024-02"],
    ]);
    expect(read("2022-02", "2022-12")).toEqual([["months", "2022-02", "2022-12"]]);
    // Beyond the data: the whole years held, no empty span.
    expect(read("2019-01", "2030-12")).toEqual([["years", "2022", "2024"]]);
  });
});

// Distinct active customers are counted without DISTINCT (previous/next dates, monthly marts, ranges
// split into partial and whole months: ADR 0006). Here each count is checked against a plain
// COUNT(DISTINCT customer_id) over the demo warehouse, for ranges of every shape, every grouping and
// every kind of geographic filter.

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { residentCustomerDays } from "~/.server/metrics/customer-days.server";
import { type Country, computeMetrics, type GroupBy, type MetricQuery } from "~/.server/metrics/query.server";
import { Warehouse } from "~/.server/warehouse.server";
import type { DateRange } from "~/lib/filters";
import { createDemoDataDir, removeDir } from "../helpers/fixture-warehouse";

// Whole months, partial ends, one day, a week across a month end, a year, the whole history.
const RANGES: DateRange[] = [
  { from: "2024-03-01", to: "2024-05-31" },
  { from: "2024-03-17", to: "2024-06-04" },
  { from: "2024-02-29", to: "2024-02-29" },
  { from: "2023-12-28", to: "2024-01-03" },
  { from: "2023-01-15", to: "2023-03-14" },
  { from: "2019-07-01", to: "2024-12-31" },
  { from: "2014-11-03", to: "2025-01-01" },
  { from: "2022-05-09", to: "2022-05-31" },
];

// Twice: with the customer-day counts held in memory (ADR 0031), and before they are read (a server's
// first seconds), when the end pieces are asked of DuckDB.
describe.each([
  { path: "from the resident customer-day counts", read: true },
  { path: "from DuckDB", read: false },
])("active customers, exact for any range and scope, $path", ({ read }) => {
  let dataDir: string | undefined;
  let warehouse: Warehouse;
  let countries: Country[];

  beforeAll(async () => {
    dataDir = await createDemoDataDir();
    warehouse = new Warehouse({ dataDir, cacheEntries: 0 });
    const r = await warehouse.withDb((db) =>
      db.selectFrom("marts.mart_countries").select(["country_code", "region"]).execute(),
    );
    if (r.state !== "ready") throw new Error("no warehouse");
    countries = r.result;
    if (read) {
      const counts = await warehouse.withDb((db) => residentCustomerDays(db));
      if (counts.state !== "ready" || !counts.result)
        throw new Error("the customer-day counts were not read");
    }
  });
  afterAll(async () => {
    warehouse.close();
    await removeDir(dataDir);
  });

  /** The same counts by brute force. */
  async function expected(
    range: DateRange,
    selected: string[] | null,
    groupBy: GroupBy,
  ): Promise<Record<string, number>> {
    const r = await warehouse.withDb(async (db) => {
      const key =
        groupBy.kind === "country"
          ? sql`country_code`
          : groupBy.kind === "region"
            ? sql`region`
            : groupBy.kind === "period"
              ? sql`strftime(greatest(date_trunc(${sql.lit(groupBy.grain)}, reporting_date)::date, ${sql.lit(range.from)}::date), '%Y-%m-%d')`
              : sql`'total'`;
      const where = selected ? sql`country_code in (${sql.join(selected)})` : sql`true`;
      const { rows } = await sql<{ key: string; n: number }>`
        select ${key} as key, count(distinct customer_id) as n from marts.mart_customer_days
        where reporting_date between ${sql.lit(range.from)}::date and ${sql.lit(range.to)}::date and ${where}
        group by 1`.execute(db);
      return Object.fromEntries(rows.map((row) => [row.key, row.n]));
    });
    if (r.state !== "ready") throw new Error("no warehouse");
    return r.result;
  }

  async function actual(
    range: DateRange,
    selected: string[] | null,
    groupBy: GroupBy,
  ): Promise<Record<string, number>> {
    const q: MetricQuery = {
      current: range,
      comparison: null,
      countries: selected,
      slices: { category: [], grade: [], channel: [], partner: [] },
      allCountries: countries,
    };
    const r = await warehouse.withDb((db) => computeMetrics(db, q, groupBy, ["active_customers"]));
    if (r.state !== "ready") throw new Error("no warehouse");
    return Object.fromEntries(
      r.result
        .filter((row) => (row.values.active_customers ?? 0) > 0)
        .map((row) => [row.key, row.values.active_customers as number]),
    );
  }

  const europe = () => countries.filter((c) => c.region === "europe").map((c) => c.country_code);
  const SELECTIONS: [string, () => string[] | null][] = [
    ["everywhere", () => null],
    ["Europe", europe],
    ["France", () => ["FR"]],
    ["France, Germany and the US", () => ["FR", "DE", "US"]],
    ["part of Europe (France, Belgium, Spain)", () => ["FR", "BE", "ES"]],
  ];
  const GROUPINGS: GroupBy[] = [
    { kind: "total" },
    { kind: "country" },
    { kind: "region" },
    { kind: "period", grain: "month" },
    { kind: "period", grain: "quarter" },
  ];

  it("holds customers active in two of the selected countries, whom a sum by country would count twice", async () => {
    // The generator's neighbours: some Belgian and Spanish repeat orders come from French customers.
    const whole = { from: "2014-11-03", to: "2025-01-01" };
    const byCountry = await expected(whole, ["FR", "BE", "ES"], { kind: "country" });
    const union = await expected(whole, ["FR", "BE", "ES"], { kind: "total" });
    const sum = Object.values(byCountry).reduce((a, b) => a + b, 0);
    expect(sum - (union.total ?? 0)).toBeGreaterThan(0);
    expect(await actual(whole, ["FR", "BE", "ES"], { kind: "total" })).toEqual(union);
  });

  for (const [name, selection] of SELECTIONS) {
    it(`matches COUNT(DISTINCT) ${name}, for every range and grouping`, async () => {
      for (const range of RANGES) {
        for (const groupBy of GROUPINGS) {
          const label = `${range.from}..${range.to} by ${groupBy.kind}${groupBy.kind === "period" ? ` ${groupBy.grain}` : ""}`;
          expect(await actual(range, selection(), groupBy), label).toEqual(
            await expected(range, selection(), groupBy),
          );
        }
      }
    });
  }

  it("matches COUNT(DISTINCT) around the days of customers active in several countries", async () => {
    // Their previous and next dates differ by country, region and company: the resident counts keep
    // them as corrections (ADR 0031). Ranges that start, end or are cut around such days, with partial
    // months at one or both ends, whole months between or not.
    const r = await warehouse.withDb(async (db) => {
      const { rows } = await sql<{ day: string }>`
        select distinct strftime(reporting_date, '%Y-%m-%d') as day from marts.mart_customer_days
        where previous_date is distinct from previous_date_anywhere
          and next_date is distinct from next_date_anywhere
        order by 1`.execute(db);
      return rows.map((row) => row.day);
    });
    if (r.state !== "ready") throw new Error("no warehouse");
    const days = r.result;
    expect(days.length).toBeGreaterThan(10);
    const shift = (d: string, n: number) =>
      new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const picked = [0.3, 0.5, 0.7, 0.9].map((q) => days[Math.floor(q * (days.length - 1))] as string);
    const ranges: DateRange[] = picked.flatMap((d) => [
      { from: shift(d, -3), to: shift(d, 40) },
      { from: shift(d, -20), to: d },
      { from: d, to: shift(d, 75) },
      { from: shift(d, -50), to: shift(d, 3) },
      { from: shift(d, -400), to: shift(d, 2) },
      { from: shift(d, -1), to: shift(d, 500) },
    ]);
    for (const range of ranges)
      for (const [name, selection] of SELECTIONS.slice(0, 2))
        for (const groupBy of [{ kind: "total" }, { kind: "region" }] as GroupBy[])
          expect(
            await actual(range, selection(), groupBy),
            `${range.from}..${range.to} ${name} by ${groupBy.kind}`,
          ).toEqual(await expected(range, selection(), groupBy));
  });

  it("matches COUNT(DISTINCT) by week and by day over short ranges", async () => {
    for (const range of [
      { from: "2024-02-20", to: "2024-03-19" },
      { from: "2023-12-25", to: "2024-01-07" },
    ]) {
      for (const grain of ["week", "day"] as const) {
        for (const [, selection] of SELECTIONS)
          expect(await actual(range, selection(), { kind: "period", grain })).toEqual(
            await expected(range, selection(), { kind: "period", grain }),
          );
      }
    }
  });
});

// The metric layer's small marts held in memory (ADR 0029) answer exactly what DuckDB answers: every
// metric of the catalogue, for ranges of every shape, every grouping, every kind of geographic selection,
// with and without a comparison, in EUR and in a country's own currency, with central costs as recorded
// and allocated — each computed once through the resident marts and once with them off, and compared
// value for value (no tolerance: the same doubles).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Country,
  computeMetrics,
  costCentres,
  type GroupBy,
  type MetricQuery,
  type MetricRow,
} from "~/.server/metrics/query.server";
import { residentDailySales, residentOf } from "~/.server/metrics/resident.server";
import { Warehouse } from "~/.server/warehouse.server";
import type { DateRange } from "~/lib/filters";
import { METRIC_IDS } from "~/metrics/catalogue";
import { createDemoDataDir, removeDir } from "../helpers/fixture-warehouse";

const RANGES: [DateRange, DateRange | null][] = [
  [
    { from: "2024-03-01", to: "2024-05-31" },
    { from: "2023-03-01", to: "2023-05-31" },
  ],
  [
    { from: "2024-03-17", to: "2024-06-04" },
    { from: "2023-12-29", to: "2024-03-16" },
  ],
  [{ from: "2024-02-29", to: "2024-02-29" }, null],
  [
    { from: "2023-12-28", to: "2024-01-03" },
    { from: "2022-12-28", to: "2023-01-03" },
  ],
  [{ from: "2019-07-01", to: "2024-12-31" }, null],
  // Before the first sale and past the last: empty groups and clipped periods.
  [
    { from: "2010-01-01", to: "2030-12-31" },
    { from: "2000-01-01", to: "2009-12-31" },
  ],
];

const GROUPINGS: GroupBy[] = [
  { kind: "total" },
  { kind: "country" },
  { kind: "region" },
  { kind: "period", grain: "day" },
  { kind: "period", grain: "week" },
  { kind: "period", grain: "month" },
  { kind: "period", grain: "quarter" },
  { kind: "period", grain: "year" },
];

describe("resident marts: the same figures as DuckDB", () => {
  let dataDir: string | undefined;
  let warehouse: Warehouse;
  let countries: Country[];

  beforeAll(async () => {
    dataDir = await createDemoDataDir();
    warehouse = new Warehouse({ dataDir, cacheEntries: 0 });
    const r = await warehouse.withDb((db) =>
      db.selectFrom("marts.mart_countries").select(["country_code", "region", "currency"]).execute(),
    );
    if (r.state !== "ready") throw new Error("no warehouse");
    countries = r.result;
  });
  afterAll(async () => {
    delete process.env.BACKLIGHT_RESIDENT_MARTS;
    warehouse.close();
    await removeDir(dataDir);
  });

  async function compute(q: MetricQuery, groupBy: GroupBy, resident: boolean): Promise<MetricRow[]> {
    if (resident) delete process.env.BACKLIGHT_RESIDENT_MARTS;
    else process.env.BACKLIGHT_RESIDENT_MARTS = "0";
    const r = await warehouse.withDb((db) => computeMetrics(db, q, groupBy, METRIC_IDS));
    if (r.state !== "ready") throw new Error("no warehouse");
    // Groups other than periods come in no promised order (DuckDB's GROUP BY has none).
    return r.result.sort((a, b) => `${a.which}|${a.key}`.localeCompare(`${b.which}|${b.key}`));
  }

  it("holds the demo warehouse's marts (so the comparisons below compare two paths)", async () => {
    delete process.env.BACKLIGHT_RESIDENT_MARTS;
    const r = await warehouse.withDb((db) => residentOf(db));
    if (r.state !== "ready") throw new Error("no warehouse");
    expect(r.result?.sales.dates.length).toBeGreaterThan(1000);
    expect(r.result?.newCustomers.dates.length).toBeGreaterThan(1000);
    expect(r.result?.pnl.length).toBeGreaterThan(100);
    expect(r.result?.opex.length).toBeGreaterThan(100);
    expect(r.result?.activeMonths.dates.length).toBeGreaterThan(100);
    expect(r.result?.salesByCategory.slices?.category?.codes.length).toBeGreaterThan(1000);
    const daily = await warehouse.withDb((db) => residentDailySales(db));
    if (daily.state !== "ready") throw new Error("no warehouse");
    expect(daily.result?.dates.length).toBeGreaterThan(r.result?.salesByCategory.dates.length ?? 0);
    expect(daily.result?.slices?.partner?.values).toEqual(expect.arrayContaining(["verizon"]));
  });

  it("reads them once per snapshot, by the open snapshot, whatever else a unit of work reads", async () => {
    // With no result cache (BACKLIGHT_CACHE_ENTRIES=0) every request reads the dimensions afresh: the
    // resident marts were keyed by that list once, and read again by every request (issue 19).
    delete process.env.BACKLIGHT_RESIDENT_MARTS;
    const first = await warehouse.withDb((db) => residentOf(db));
    const second = await warehouse.withDb((db) => residentOf(db));
    if (first.state !== "ready" || second.state !== "ready") throw new Error("no warehouse");
    expect(first.result).not.toBeNull();
    expect(second.result).toBe(first.result);
  });

  const selections: [string, () => string[] | null][] = [
    ["everywhere", () => null],
    ["France", () => ["FR"]],
    ["Europe", () => countries.filter((c) => c.region === "europe").map((c) => c.country_code)],
    ["France, Germany and the US", () => ["FR", "DE", "US"]],
  ];

  for (const [name, selected] of selections)
    it(`answers ${name} the same, every metric, range, grouping and cost basis`, async () => {
      let compared = 0;
      for (const [current, comparison] of RANGES)
        for (const groupBy of GROUPINGS) {
          if (groupBy.kind === "period" && groupBy.grain === "day" && current.from < "2019-07-02") continue;
          for (const costBasis of ["recorded", "allocated"] as const) {
            const q: MetricQuery = {
              current,
              comparison,
              countries: selected(),
              slices: { category: [], grade: [], channel: [], partner: [] },
              allCountries: countries,
              costBasis,
              centralColumns: true,
            };
            const label = `${current.from}..${current.to} by ${JSON.stringify(groupBy)}, ${costBasis}`;
            const fromDuckDb = await compute(q, groupBy, false);
            expect(await compute(q, groupBy, true), label).toEqual(fromDuckDb);
            compared += fromDuckDb.length;
          }
        }
      expect(compared).toBeGreaterThan(100);
    });

  it("answers by category and sliced by any slice the same (mart_daily_sales, whole or by category)", async () => {
    let compared = 0;
    const slicings: MetricQuery["slices"][] = [
      { category: [], grade: [], channel: [], partner: [] },
      { category: ["smartphone"], grade: [], channel: [], partner: [] },
      { category: ["laptop", "tablet"], grade: [], channel: [], partner: [] },
      // Grade, channel or partner: mart_daily_sales whole.
      { category: ["smartphone"], grade: ["excellent"], channel: [], partner: [] },
      { category: [], grade: ["premium", "good"], channel: ["app"], partner: [] },
      { category: [], grade: [], channel: [], partner: ["verizon"] },
      // A value no row holds: nothing, the same way.
      { category: [], grade: [], channel: ["fax"], partner: [] },
    ];
    for (const [name, selected] of selections)
      for (const [current, comparison] of RANGES)
        for (const slices of slicings)
          for (const groupBy of [
            { kind: "category" },
            { kind: "total" },
            { kind: "country" },
            { kind: "period", grain: "month" },
            { kind: "period", grain: "week" },
          ] as GroupBy[]) {
            const q: MetricQuery = {
              current,
              comparison,
              countries: selected(),
              slices,
              allCountries: countries,
              costBasis: "recorded",
              centralColumns: true,
            };
            const label = `${name} ${current.from}..${current.to} ${JSON.stringify(slices)} by ${JSON.stringify(groupBy)}`;
            const fromDuckDb = await compute(q, groupBy, false);
            expect(await compute(q, groupBy, true), label).toEqual(fromDuckDb);
            compared += fromDuckDb.filter((r) => r.hasData && (r.values.gmv_eur ?? 0) > 0).length;
          }
    expect(compared).toBeGreaterThan(500);
  });

  it("answers the cost centres the same: every selection, month range and currency", async () => {
    let compared = 0;
    for (const [, selected] of selections)
      for (const [from, to] of [
        ["2014-01", "2030-12"],
        ["2023-02", "2024-01"],
        ["2024-06", "2024-06"],
      ] as const) {
        const read = async (resident: boolean, local: boolean) => {
          const own = countries.find((c) => c.currency && c.currency !== "EUR")?.country_code as string;
          const chosen = local ? [own] : selected();
          const r = await warehouse.withDb((db) => costCentres(db, chosen, from, to, local, resident));
          if (r.state !== "ready") throw new Error("no warehouse");
          expect(r.result.length, "cost centres in the months").toBeGreaterThan(0);
          return r.result;
        };
        for (const local of [false, true]) {
          const fromDuckDb = await read(false, local);
          expect(await read(true, local), `${from}..${to}${local ? " in GBP" : ""}`).toEqual(fromDuckDb);
          compared += fromDuckDb.length;
        }
      }
    expect(compared).toBeGreaterThan(100);
  });

  it("answers one country in its own currency the same", async () => {
    const own = countries.find((c) => c.currency && c.currency !== "EUR");
    expect(own, "a country outside the euro").toBeDefined();
    for (const [current, comparison] of RANGES)
      for (const groupBy of GROUPINGS.filter((g) => g.kind !== "period" || g.grain !== "day")) {
        const q: MetricQuery = {
          current,
          comparison,
          countries: [own?.country_code as string],
          slices: { category: [], grade: [], channel: [], partner: [] },
          allCountries: countries,
          localCurrency: own?.currency,
          centralColumns: true,
        };
        expect(await compute(q, groupBy, true)).toEqual(await compute(q, groupBy, false));
      }
  });
});

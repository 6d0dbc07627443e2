// The overview's loader over a warehouse the real pipeline built from a hand-written batch: every card's
// exact value for a known range and its comparison, worked out by hand in overview-fixture.ts.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeMetrics } from "~/.server/metrics/query.server";
import {
  BadRequest,
  filtersFromUrl,
  loadOverview,
  metricQuery,
  readDimensions,
} from "~/.server/overview.server";
import { loadRegions } from "~/.server/regions.server";
import { Warehouse } from "~/.server/warehouse.server";
import { OVERVIEW_METRICS } from "~/metrics/catalogue";
import { buildOverviewWarehouse, OVERVIEW_ANSWERS } from "../helpers/overview-fixture";

type Answers = Partial<Record<(typeof OVERVIEW_METRICS)[number], number>>;

describe("the overview loader on the hand-written warehouse", () => {
  let root: string;
  let warehouse: Warehouse;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "backlight-overview-"));
    buildOverviewWarehouse(join(root, "landing"), join(root, "data"));
    warehouse = new Warehouse({ dataDir: join(root, "data"), cacheEntries: 0 });
  });
  afterAll(() => {
    warehouse.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function overview(query: string, locale: "en-GB" | "fr-FR" = "en-GB") {
    const result = await loadOverview(
      warehouse,
      new URL(`http://backlight.test/?${query}`),
      locale,
      "finance",
    );
    if (result.state !== "ready") throw new Error("no warehouse");
    return result.result;
  }

  function values(cards: { id: string; value: number | null }[]): Record<string, number | null> {
    return Object.fromEntries(cards.map((c) => [c.id, c.value]));
  }

  function comparisons(cards: { id: string; comparison: number | null }[]): Record<string, number | null> {
    return Object.fromEntries(cards.map((c) => [c.id, c.comparison]));
  }

  /** The expected card values: money to 1/10,000 €, ratios to 1e-12. */
  function expectCards(actual: Record<string, number | null>, expected: Answers): void {
    for (const id of OVERVIEW_METRICS) {
      const want = expected[id];
      if (want === undefined) continue;
      if (id === "take_rate") expect(actual[id], id).toBeCloseTo(want, 12);
      else expect(actual[id], id).toBe(want);
    }
  }

  it("holds the snapshot's facts with the result cache off, and computes filtered results every time", async () => {
    // The countries and span of data are read once per snapshot (Warehouse.held), whatever the cache.
    const first = await readDimensions(warehouse);
    const again = await readDimensions(warehouse);
    if (first.state !== "ready" || again.state !== "ready") throw new Error("no warehouse");
    expect(again.result).toBe(first.result);
    expect(first.result.countries.length).toBeGreaterThan(0);
    // A filtered result goes through the result cache, off here: its work runs on each call.
    let runs = 0;
    for (let i = 0; i < 2; i++) await warehouse.cached("counted", async () => ++runs);
    expect(runs).toBe(2);
  });

  it("gives every card of December against November (whole months compare with the month before)", async () => {
    const view = await overview("from=2024-12-01&to=2024-12-31");
    expect(view.filters.comparison).toEqual({ from: "2024-11-01", to: "2024-11-30" });
    expectCards(values(view.cards), OVERVIEW_ANSWERS.december);
    expectCards(comparisons(view.cards), OVERVIEW_ANSWERS.november);
    const gmv = view.cards.find((c) => c.id === "gmv_eur");
    // 445 vs 570: −125, −21.9%; GMV falling is bad news.
    expect(gmv?.change).toEqual({ absolute: "-€125", percent: "-21.9%", direction: "down", good: false });
    const take = view.cards.find((c) => c.id === "take_rate");
    expect(take?.display).toBe("8.3%");
    expect(take?.change?.absolute).toBe("-6.7 pt");
  });

  it("spreads monthly costs over the days of a partial month, and compares with the days just before", async () => {
    const view = await overview("from=2024-12-01&to=2024-12-15");
    expect(view.filters.comparison).toEqual({ from: "2024-11-16", to: "2024-11-30" });
    expectCards(values(view.cards), OVERVIEW_ANSWERS.firstHalfOfDecember);
    expectCards(comparisons(view.cards), OVERVIEW_ANSWERS.secondHalfOfNovember);
  });

  it("formats the same figures for fr-FR", async () => {
    const view = await overview("from=2024-12-01&to=2024-12-31", "fr-FR");
    const display = Object.fromEntries(view.cards.map((c) => [c.id, c.display]));
    expect(display.gmv_eur).toBe("445\u00a0€");
    expect(display.ebitda_eur).toBe("-1\u202f908\u00a0€");
    expect(display.take_rate).toBe("8,3\u00a0%");
  });

  it("splits by region and country, each region the sum of its countries to the cent", async () => {
    const numbers = await warehouse.withDb(async (db) => {
      const dims = await readDimensions(warehouse);
      if (dims.state !== "ready") throw new Error("no warehouse");
      const url = new URL("http://backlight.test/?from=2024-12-01&to=2024-12-31");
      const q = metricQuery(filtersFromUrl(url, dims.result), dims.result);
      return [
        ...(await computeMetrics(db, q, { kind: "country" }, OVERVIEW_METRICS)),
        ...(await computeMetrics(db, q, { kind: "region" }, OVERVIEW_METRICS)),
      ].filter((r) => r.which === "current");
    });
    if (numbers.state !== "ready") throw new Error("no warehouse");
    const row = (key: string) => numbers.result.find((r) => r.key === key)?.values;
    // FR: 22.50 + 12 − 30 refunded = 4.50 net; fees 2.30 + return 4.00; marketing 300; opex 1000
    expect(row("FR")).toMatchObject({
      gmv_eur: 230,
      net_revenue_eur: 4.5,
      ebitda_eur: -1301.8,
      active_customers: 2,
    });
    expect(row("GB")).toMatchObject({
      gmv_eur: 120,
      net_revenue_eur: 18,
      ebitda_eur: -43.2,
      active_customers: 1,
    });
    expect(row("US")).toMatchObject({
      gmv_eur: 95,
      net_revenue_eur: 14.25,
      ebitda_eur: -562.7,
      active_customers: 1,
    });
    expect(row("europe")).toMatchObject({ gmv_eur: 350, ebitda_eur: -1345, active_customers: 3 });
    expect(row("north_america")).toMatchObject({ gmv_eur: 95, ebitda_eur: -562.7, active_customers: 1 });

    // The page shows the same rows, formatted and sorted by the trend metric (GMV), largest first.
    const view = await overview("from=2024-12-01&to=2024-12-31");
    expect(
      view.breakdown.regions.map((r) => [r.name, r.display.gmv_eur, r.countries.map((c) => c.name)]),
    ).toEqual([
      ["Europe", "€350", ["France", "United Kingdom"]],
      ["North America", "€95", ["United States"]],
    ]);
    // Europe: 350 in December vs. 300 (FR) in November.
    expect(view.breakdown.regions[0]?.change).toBe("+16.7%");
    expect(view.breakdown.bars).toEqual([
      { key: "FR", label: "France", value: 230 },
      { key: "GB", label: "United Kingdom", value: 120 },
      { key: "US", label: "United States", value: 95 },
    ]);
    const byName = await overview("from=2024-12-01&to=2024-12-31&sort=name&dir=asc&lang=fr", "fr-FR");
    expect(byName.breakdown.regions.map((r) => r.name)).toEqual(["Amérique du Nord", "Europe"]);
    expect(byName.breakdown.regions[1]?.countries.map((c) => c.name)).toEqual(["France", "Royaume-Uni"]);
  });

  it("draws the trend by period with the comparison at the same positions, cumulative customers carried", async () => {
    const view = await overview(
      "from=2024-11-01&to=2024-12-31&grain=month&metric=cumulative_customers&compare=none",
    );
    expect(view.series).toEqual([
      {
        key: "2024-11-01",
        partial: false,
        days: 30,
        daysOf: 30,
        comparisonKey: null,
        current: 3,
        comparison: null,
      },
      {
        key: "2024-12-01",
        partial: false,
        days: 31,
        daysOf: 31,
        comparisonKey: null,
        current: 5,
        comparison: null,
      },
    ]);
    const weekly = await overview(
      "from=2024-12-01&to=2024-12-15&grain=week&metric=active_customers&compare=none",
    );
    // 1 Dec is a Sunday: a partial week, then 2–8 Dec (i4 cust 1), then 9–15 Dec (i5 cust 4, i6 cust 5).
    expect(weekly.series.map((p) => [p.key, p.partial, p.days, p.daysOf, p.current])).toEqual([
      ["2024-12-01", true, 1, 7, 0],
      ["2024-12-02", false, 7, 7, 1],
      ["2024-12-09", false, 7, 7, 2],
    ]);
  });

  it("gives every period a cumulative customer count, carried through days with no new customer", async () => {
    const numbers = await warehouse.withDb(async (db) => {
      const dims = await readDimensions(warehouse);
      if (dims.state !== "ready") throw new Error("no warehouse");
      const url = new URL("http://backlight.test/?from=2024-11-08&to=2024-11-21&compare=none");
      const q = metricQuery(filtersFromUrl(url, dims.result), dims.result);
      return computeMetrics(db, q, { kind: "period", grain: "day" }, [
        "cumulative_customers",
        "devices_sold",
      ]);
    });
    if (numbers.state !== "ready") throw new Error("no warehouse");
    // First orders: customer 1 on 10 Nov, customer 3 on 15 Nov, customer 2 on 20 Nov; nobody before.
    const byDay = Object.fromEntries(
      numbers.result.map((r) => [r.key.slice(8), r.values.cumulative_customers]),
    );
    expect(byDay).toEqual({
      "08": 0,
      "09": 0,
      "10": 1,
      "11": 1,
      "12": 1,
      "13": 1,
      "14": 1,
      "15": 2,
      "16": 2,
      "17": 2,
      "18": 2,
      "19": 2,
      "20": 3,
      "21": 3,
    });
    // Days without sales are there too, with 0 devices.
    expect(numbers.result.find((r) => r.key === "2024-11-11")?.values.devices_sold).toBe(0);
  });

  it("narrows to a country and leaves blank what a category filter cannot split", async () => {
    const us = await overview("from=2024-12-01&to=2024-12-31&country=US");
    expect(values(us.cards)).toMatchObject({ gmv_eur: 95, active_customers: 1, ebitda_eur: -562.7 });
    const phones = await overview("from=2024-12-01&to=2024-12-31&category=smartphone");
    // i4, i5 and i8 are smartphones: 150 + 80 + 95
    expect(values(phones.cards)).toMatchObject({
      gmv_eur: 325,
      devices_sold: 3,
      contribution_margin_eur: null,
      ebitda_eur: null,
      active_customers: null,
    });
    expect(phones.cards.find((c) => c.id === "ebitda_eur")?.unavailable).toBe(true);
  });

  it("shows one country in its own currency as recorded, and says when local currency cannot apply", async () => {
    // US in December, in USD as recorded: i8 100.00 (commission 15, fee 1); marketing 100, opex 500.
    // November: i3 300.00 (45, 3); marketing 50; no operating costs.
    const usd = await overview("from=2024-12-01&to=2024-12-31&country=US&currency=local");
    expect(usd.currency).toEqual({ code: "USD", local: true, offer: "USD", refused: null });
    expect(values(usd.cards)).toMatchObject({
      gmv_eur: 100,
      net_revenue_eur: 15,
      // 15 − fee 1 − marketing 100; less operating costs 500
      contribution_margin_eur: -86,
      ebitda_eur: -586,
      devices_sold: 1,
      active_customers: 1,
    });
    expect(comparisons(usd.cards)).toMatchObject({
      gmv_eur: 300,
      contribution_margin_eur: -8,
      ebitda_eur: -8,
    });
    expect(usd.cards.find((c) => c.id === "gmv_eur")?.display).toBe("$100");
    expect(usd.cards.find((c) => c.id === "ebitda_eur")?.change?.absolute).toBe("-$578");
    const fr = await overview("from=2024-12-01&to=2024-12-31&country=US&currency=local", "fr-FR");
    expect(fr.cards.find((c) => c.id === "ebitda_eur")?.display).toBe("-586\u00a0$");
    // The same view in EUR converts (0.95 on 18 December, 0.96 at the month's end) and offers USD.
    const eur = await overview("from=2024-12-01&to=2024-12-31&country=US");
    expect(eur.currency).toEqual({ code: "EUR", local: false, offer: "USD", refused: null });
    expect(values(eur.cards)).toMatchObject({ gmv_eur: 95, ebitda_eur: -562.7 });
    // A euro country's own currency is EUR: nothing to offer.
    expect((await overview("country=FR")).currency.offer).toBeNull();
    // Local currency needs one country and no category, grade, channel or partner filter.
    const many = await overview("from=2024-12-01&to=2024-12-31&currency=local");
    expect(many.currency).toMatchObject({ code: "EUR", local: false, refused: "one_country" });
    expect(values(many.cards).gmv_eur).toBe(445);
    const sliced = await overview("from=2024-12-01&to=2024-12-31&country=US&grade=very_good&currency=local");
    expect(sliced.currency).toMatchObject({ code: "EUR", local: false, refused: "slices" });
    expect(values(sliced.cards).gmv_eur).toBe(95);
    // The regions page: the country's margins in USD, and no category table (kept in EUR only).
    const regions = await loadRegions(
      warehouse,
      new URL("http://backlight.test/regions?from=2024-12-01&to=2024-12-31&country=US&currency=local"),
      "en-GB",
    );
    if (regions.state !== "ready") throw new Error("no warehouse");
    const us = regions.result.regions[0]?.countries[0]?.cells;
    expect(us?.gmv_eur.display).toBe("$100");
    expect(us?.ebitda_eur.display).toBe("-$586");
    expect(us?.contribution_per_device.display).toBe("-$86.00");
    expect(regions.result.categories).toEqual([]);
  });

  it("gives the regions page each country's margins and their change, regions first", async () => {
    const result = await loadRegions(
      warehouse,
      new URL("http://backlight.test/regions?from=2024-12-01&to=2024-12-31"),
      "en-GB",
    );
    if (result.state !== "ready") throw new Error("no warehouse");
    const { regions, multiples } = result.result;
    expect(regions.map((r) => [r.name, r.countries.map((c) => c.name)])).toEqual([
      ["Europe", ["France", "United Kingdom"]],
      ["North America", ["United States"]],
    ]);
    const fr = regions[0]?.countries[0]?.cells;
    // FR December: net 4.50; contribution 4.50 − 6.30 − 300 = −301.80, i.e. −6,706.7% of net revenue;
    // November: 45 − 3 − 100 = −58, −128.9%: a change of −6,577.8 points.
    expect(fr?.net_revenue_eur).toEqual({ display: "€5", change: "-90.0%", good: false });
    expect(fr?.contribution_margin_eur.display).toBe("-€302");
    expect(fr?.contribution_margin_pct).toEqual({ display: "-6,706.7%", change: "-6,577.8 pt", good: false });
    // GB: net 18, contribution 18 − 1.20 − 60 = −43.20 (−240%); no sales in November, so no change.
    expect(regions[0]?.countries[1]?.cells.contribution_margin_pct).toEqual({
      display: "-240.0%",
      change: null,
      good: null,
    });
    // US EBITDA −562.70 on 14.25 of net revenue.
    expect(regions[1]?.cells.ebitda_margin_pct.display).toBe("-3,948.8%");
    expect(multiples.map((m) => m.name)).toEqual(["Europe", "North America"]);

    // Unit economics, FR in December: 2 devices; net 4.50, variable 6.30, marketing 300, one new customer.
    const units = regions[0]?.countries[0]?.cells;
    expect(units?.net_revenue_per_device.display).toBe("€2.25");
    expect(units?.variable_costs_per_device.display).toBe("€3.15");
    expect(units?.marketing_per_device.display).toBe("€150.00");
    expect(units?.contribution_per_device.display).toBe("-€150.90");
    expect(units?.new_customers_per_1k_marketing.display).toBe("3.33");
    // Smartphones (i4, i5, i8; and the refund of i2 on 3 December): net 18.75 and variable 7.25 on 3
    // devices; marketing is not split by category.
    const phones = result.result.categories.find((c) => c.key === "smartphone")?.cells;
    expect(phones?.net_revenue_per_device.display).toBe("€6.25");
    expect(phones?.variable_costs_per_device.display).toBe("€2.42");
    expect(phones?.marketing_per_device.display).toBe("—");
  });

  it("refuses bad filters with a message that says what is wrong", async () => {
    const bad = async (query: string) => {
      const error = await overview(query).catch((e: unknown) => e);
      expect(error, query).toBeInstanceOf(BadRequest);
      return (error as Error).message;
    };
    expect(await bad("from=2024-13-01&to=2024-12-31")).toBe("from: 2024-13-01 is not a calendar date");
    expect(await bad("from=2024-12-31&to=2024-12-01")).toBe("from: 2024-12-31 is after to (2024-12-01)");
    expect(await bad("country=ZZ")).toContain('unknown country "ZZ"');
    expect(await bad("grade=mint")).toContain('grade: unknown value "mint" (one of: premium');
    expect(await bad("compare=yesterday")).toContain("compare");
    expect(await bad("colour=blue")).toMatch(/^colour: unknown parameter \(this page takes: range, from, to/);
    // A date far outside the data never reaches a query (typing 06/01/2024 sent from=0006-01-01).
    expect(await bad("from=0006-01-01&to=2024-12-31")).toMatch(
      /^from: no data on 0006-01-01 \(the data runs from 2024-/,
    );
    expect(await bad("from=2024-12-01&to=9999-12-31")).toMatch(/^to: no data on 9999-12-31/);
    // Two months of data: a range of years is outside it (the grain's limit is app/lib/filters.test.ts's).
    expect(await bad("from=2020-01-01&to=2024-12-31&grain=day")).toBe(
      "from: no data on 2020-01-01 (the data runs from 2024-11-10 to 2024-12-18)",
    );
    expect(await bad("metric=profit")).toBe('metric: "profit" is not a metric id');
  });
});

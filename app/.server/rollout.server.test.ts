import { describe, expect, it } from "vitest";
import {
  appShareAround,
  appShareWindows,
  defaultCountries,
  figureAt,
  median,
  medianLine,
  milestonesOf,
  monthsBetween,
  type RolloutMonth,
  readRolloutParams,
} from "./rollout.server";

/** A country's months of age 1…n with the given devices, customers and margins. */
function months(
  country: string,
  perMonth: { devices: number; newCustomers: number; net: number; cm: number }[],
) {
  let cumulative = 0;
  return perMonth.map((m, i): RolloutMonth => {
    cumulative += m.newCustomers;
    // Net revenue as commission with nothing refunded; the contribution margin what is left after fees.
    return {
      country_code: country,
      region: "europe",
      commission_eur: m.net,
      commission_refunded_eur: 0,
      payment_fees_eur: m.net - m.cm,
      return_costs_eur: 0,
      marketing_eur: 0,
      month: `2020-${String(i + 1).padStart(2, "0")}`,
      months_since_launch: i + 1,
      launched_on: "2020-01-15",
      app_launched_on: null,
      devices_sold: m.devices,
      gmv_eur: m.devices * 300,
      net_revenue_eur: m.net,
      contribution_margin_eur: m.cm,
      active_customers: m.newCustomers,
      returning_customers: 0,
      new_customers: m.newCustomers,
      cumulative_customers: cumulative,
      app_devices: 0,
    };
  });
}

describe("rollout milestones", () => {
  it("finds the month each device milestone is reached, customers and margin at 12 and 24 months, and break-even", () => {
    // 4,000 devices a month: 10k in month 3 (12,000), 100k in month 25 (100,000 exactly).
    const rows = months(
      "DE",
      Array.from({ length: 30 }, (_, i) => ({
        devices: 4_000,
        newCustomers: 1_000,
        net: 50_000,
        // Losing money until month 18, then +1 € from there on.
        cm: i + 1 < 18 ? -10_000 : 1,
      })),
    );
    const m = milestonesOf("DE", rows.reverse());
    expect(m.monthsToDevices).toEqual({ 10000: 3, 100000: 25, 1000000: null });
    expect(m.customersAt).toEqual({ 12: 12_000, 24: 24_000 });
    expect(m.contributionPctAt).toEqual({ 12: -0.2, 24: 1 / 50_000 });
    expect(m.breakEvenMonth).toBe(18);
    expect(m.launchedOn).toBe("2020-01-15");
  });

  it("says null for what a young country has not reached yet", () => {
    const m = milestonesOf("PT", months("PT", [{ devices: 10, newCustomers: 5, net: 0, cm: -100 }]));
    expect(m).toMatchObject({
      monthsToDevices: { 10000: null, 100000: null, 1000000: null },
      customersAt: { 12: null, 24: null },
      contributionPctAt: { 12: null, 24: null },
      breakEvenMonth: null,
      historyFromLaunch: true,
    });
  });

  it("takes the median, and the mean of the middle two for an even count", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("draws the median from month 1 on, only at ages that three countries have reached", () => {
    const a = months(
      "AA",
      [10, 20, 30].map((devices) => ({ devices, newCustomers: 1, net: 1, cm: 0 })),
    );
    const b = months(
      "BB",
      [30, 40, 50].map((devices) => ({ devices, newCustomers: 1, net: 1, cm: 0 })),
    );
    const c = months(
      "CC",
      [20, 60].map((devices) => ({ devices, newCustomers: 1, net: 1, cm: 0 })),
    );
    // A month before launch (marketing ahead of it) is left out.
    const early = { ...(a[0] as RolloutMonth), months_since_launch: 0, devices_sold: 999 };
    expect(medianLine([...a, ...b, ...c, early], (row) => row.devices_sold)).toEqual([
      { x: 1, y: 20 },
      { x: 2, y: 40 },
    ]);
  });

  it("defaults to the five most recent launches", () => {
    const launches = [
      ["FR", "2014-11-03"],
      ["DE", "2016-03-01"],
      ["ES", "2016-09-01"],
      ["GB", "2017-06-01"],
      ["US", "2018-05-02"],
      ["JP", "2021-04-01"],
      ["AU", "2022-02-01"],
      ["SE", "2023-05-01"],
    ].map(([country, launchedOn]) => ({ country: country as string, launchedOn: launchedOn as string }));
    expect(defaultCountries(launches)).toEqual(["SE", "AU", "JP", "US", "GB"]);
  });

  it("reads a metric, an axis and a basis from fixed lists, each once (countries are checked against the data)", () => {
    const p = readRolloutParams(new URLSearchParams("country=FR,DE&metric=take_rate&axis=calendar"));
    expect([p.raw.country, p.metric, p.axis, p.basis]).toEqual([
      "FR,DE",
      "take_rate",
      "calendar",
      "absolute",
    ]);
    // The form's ticked boxes (country=FR&country=DE) mean the same as country=FR,DE.
    expect(readRolloutParams(new URLSearchParams("country=FR&country=DE")).raw.country).toBe("FR,DE");
    for (const bad of ["metric=ebitda_eur", "axis=x", "sort=1", "metric=gmv_eur&metric=gmv_eur"])
      expect(() => readRolloutParams(new URLSearchParams(bad)), bad).toThrow();
  });
});

describe("the app's launch", () => {
  // 30 months of 100 devices; the app launches on 20 June 2021 (month 18 of age), then takes 10 devices
  // a month, 30 from 12 months after its launch.
  const rows = months(
    "GB",
    Array.from({ length: 30 }, () => ({ devices: 100, newCustomers: 1, net: 1, cm: 1 })),
  ).map((m, i) => ({
    ...m,
    month: `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
    app_launched_on: "2021-06-20",
    app_devices: i < 17 ? 0 : i < 29 ? 10 : 30,
  }));

  it("counts months between two dates by calendar month", () => {
    expect(monthsBetween("2021-06-20", "2021-06")).toBe(0);
    expect(monthsBetween("2021-06-20", "2020-06-01")).toBe(-12);
    expect(monthsBetween("2020-01-15", "2021-06-20")).toBe(17);
  });

  it("gives the app's share by month around its launch, and over the 12 months before and after", () => {
    const around = appShareAround(rows, "2021-06-20");
    // From 12 months before (June 2020) to the last month of data (June 2022, month +12).
    expect(around[0]).toEqual({ x: -12, y: 0 });
    expect(around.find((p) => p.x === 0)).toEqual({ x: 0, y: 0.1 });
    expect(around.at(-1)).toEqual({ x: 12, y: 0.3 });
    // Before: July 2020 … May 2021, no app; after: July 2021 … June 2022: 11 months at 10 %, one at 30 %.
    expect(appShareWindows(rows, "2021-06-20")).toEqual({ before: 0, after: (11 * 10 + 30) / 1200 });
  });
});

describe("per-capita parameters", () => {
  it("reads the basis, absolute by default, and refuses another", () => {
    expect(readRolloutParams(new URLSearchParams("")).basis).toBe("absolute");
    expect(readRolloutParams(new URLSearchParams("basis=per_capita")).basis).toBe("per_capita");
    expect(() => readRolloutParams(new URLSearchParams("basis=per_head"))).toThrow(/basis/);
  });
});

describe("a row's figures, worked out once", () => {
  it("answers the same whether asked first or again, with or without a population, and follows a new one", () => {
    const [row] = months("FR", [{ devices: 500, newCustomers: 40, net: 1_000, cm: 250 }]);
    if (!row) throw new Error("no row");
    expect(figureAt(row, "devices_sold")).toBe(500);
    // Per 1,000 inhabitants of 2 million: 0.25; asked again, the same; without a population, none.
    expect(figureAt(row, "devices_sold_per_1k_inhabitants", 2_000_000)).toBe(0.25);
    expect(figureAt(row, "devices_sold_per_1k_inhabitants", 2_000_000)).toBe(0.25);
    expect(figureAt(row, "devices_sold_per_1k_inhabitants")).toBeNull();
    // Another population (a new reference year) is not answered from the first one's figures.
    expect(figureAt(row, "devices_sold_per_1k_inhabitants", 1_000_000)).toBe(0.5);
    expect(figureAt(row, "devices_sold", 1_000_000)).toBe(500);
    expect(figureAt(row, "contribution_margin_pct")).toBe(0.25);
  });
});

import { describe, expect, it } from "vitest";
import { ParamError } from "~/lib/grammar";
import {
  type MarketMonth,
  marketByCountry,
  marketFigures,
  parseMarketParams,
  readMarketCategory,
  resolveMarketPeriod,
} from "./market.server";

const row = (
  month: string,
  country: string,
  market: number | null,
  secondHand: number | null,
  devices: number,
  category = "smartphone",
): MarketMonth => ({
  month,
  country_code: country,
  category,
  market_units: market,
  second_hand_units: secondHand,
  devices_sold: devices,
});

const params = (q: string) => parseMarketParams(new URLSearchParams(q));

describe("market page parameters", () => {
  it("default to smartphones and read months, countries and regions", () => {
    expect(params("")).toEqual({});
    expect(readMarketCategory(params(""))).toBe("smartphone");
    expect(params("category=tablet&from=2020-01&to=2020-12&country=FR&lang=en")).toEqual({
      category: "tablet",
      from: "2020-01",
      to: "2020-12",
      country: "FR",
    });
    expect(params("country=FR&country=DE&region=europe")).toEqual({ country: "FR,DE", region: "europe" });
  });

  it("refuse an unknown category, a repeat or an unknown name, with a sentence in each language", () => {
    expect(() => readMarketCategory(params("category=phone"))).toThrow(ParamError);
    expect(() => readMarketCategory(params("category=phone"))).toThrow(
      'category: unknown value "phone" (one of: smartphone, laptop, tablet, console, audio, wearable, other)',
    );
    // The page shows one category: two (a list, as the grammar reads category) are not one of the list.
    expect(() => readMarketCategory(params("category=laptop&category=tablet"))).toThrow(
      'category: unknown value "laptop,tablet"',
    );
    for (const [query, message] of [
      ["from=2024-01&from=2024-02", "from: was given more than once"],
      [
        "grade=premium",
        "grade: unknown parameter (this page takes: category, range, from, to, country, region)",
      ],
    ] as const) {
      expect(() => params(query), query).toThrow(ParamError);
      expect(() => params(query), query).toThrow(message);
    }
  });
});

describe("market figures", () => {
  const rows = [
    row("2015-01", "FR", 1000, 150, 0),
    row("2024-11", "FR", 1000, 200, 30),
    row("2024-12", "FR", 1200, 300, 40),
    row("2024-12", "DE", null, null, 25),
    row("2024-12", "DE", null, null, 5, "laptop"),
    row("2025-01", "FR", null, null, 2),
  ];

  it("default to every month with the category's market data, up to the last whole month", () => {
    const data = { from: "2014-11-03", to: "2025-01-01" };
    expect(resolveMarketPeriod({}, rows, "smartphone", data)).toEqual({
      from: "2015-01",
      to: "2024-12",
    });
    // No laptop market data: the last 12 whole months.
    expect(resolveMarketPeriod({}, rows, "laptop", data)).toEqual({ from: "2024-01", to: "2024-12" });
    expect(
      resolveMarketPeriod({ from: "2024-06" }, rows, "smartphone", { ...data, to: "2024-12-31" }),
    ).toEqual({
      from: "2024-06",
      to: "2024-12",
    });
    // January 2025 has data (its first day): from it alone, the period is that month.
    expect(resolveMarketPeriod({ from: "2025-01" }, rows, "smartphone", data)).toEqual({
      from: "2025-01",
      to: "2025-01",
    });
    expect(() => resolveMarketPeriod({ from: "2025-01", to: "2024-12" }, rows, "smartphone", data)).toThrow(
      "from: 2025-01 is after to (2024-12)",
    );
    // Issue 17: a month outside the data is a 400 that says the valid range, not a slow query.
    expect(() => resolveMarketPeriod({ to: "9999-11" }, rows, "smartphone", data)).toThrow(
      "to: no data in 9999-11 (the data runs from 2014-11 to 2025-01)",
    );
  });

  it("count devices only in the months with market data", () => {
    // January 2025's 2 devices have no market figure to compare with.
    expect(marketFigures(rows.filter((r) => r.country_code === "FR" && r.month >= "2024-11"))).toEqual({
      months: 2,
      marketUnits: 2200,
      secondHandUnits: 500,
      secondHandShare: 500 / 2200,
      devices: 70,
      companyShare: 70 / 500,
    });
    expect(marketFigures([])).toMatchObject({ months: 0, secondHandShare: null, companyShare: null });
  });

  it("split countries with market data from those without, in the category and period", () => {
    const split = marketByCountry(rows, "smartphone", { from: "2024-11", to: "2025-01" });
    expect(split.withData.map((c) => c.country)).toEqual(["FR"]);
    expect(split.withData[0]?.months.map((m) => [m.month, m.secondHandShare, m.devices])).toEqual([
      ["2024-11", 0.2, 30],
      ["2024-12", 0.25, 40],
      ["2025-01", null, 2],
    ]);
    expect(split.without).toEqual([{ country: "DE", devices: 25 }]);
    expect(marketByCountry(rows, "smartphone", { from: "2024-11", to: "2025-01" }, ["DE"]).withData).toEqual(
      [],
    );
  });
});

import { describe, expect, it } from "vitest";
import {
  type MarketMonth,
  marketByCountry,
  marketFigures,
  parseMarketParams,
  resolveMarketPeriod,
} from "./market.server";
import { BadRequest } from "./overview.server";

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
  it("default to smartphones and read months and a country", () => {
    expect(params("")).toEqual({ category: "smartphone" });
    expect(params("category=tablet&from=2020-01&to=2020-12&country=FR&lang=en")).toEqual({
      category: "tablet",
      from: "2020-01",
      to: "2020-12",
      country: "FR",
    });
  });

  it("refuse an unknown category, a bad month, a lower-case country, a repeat or an unknown name", () => {
    for (const [query, message] of [
      ["category=phone", "category: Invalid option"],
      ["from=2020", "from: must be a month written YYYY-MM"],
      ["country=fr", "country: must be a two-letter country code"],
      ["category=laptop&category=tablet", "the category parameter was given more than once"],
      ["grade=premium", 'parameters: Unrecognized key: "grade"'],
    ] as const) {
      expect(() => params(query), query).toThrow(BadRequest);
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
    expect(resolveMarketPeriod({}, rows, "smartphone", "2025-01-01")).toEqual({
      from: "2015-01",
      to: "2024-12",
    });
    // No laptop market data: the last 12 whole months.
    expect(resolveMarketPeriod({}, rows, "laptop", "2025-01-01")).toEqual({ from: "2024-01", to: "2024-12" });
    expect(resolveMarketPeriod({ from: "2024-06" }, rows, "smartphone", "2024-12-31")).toEqual({
      from: "2024-06",
      to: "2024-12",
    });
    expect(() => resolveMarketPeriod({ from: "2025-01" }, rows, "smartphone", "2025-01-01")).toThrow(
      "from: 2025-01 is after to (2024-12)",
    );
    // Outside the data: refused with the valid range, not counted month by month up to year 9999.
    expect(() => resolveMarketPeriod({ from: "2025-02" }, rows, "smartphone", "2025-01-01")).toThrow(
      "from: no data in 2025-02 (the data runs from 2015-01 to 2025-01)",
    );
    expect(() => resolveMarketPeriod({ to: "9999-11" }, rows, "smartphone", "2025-01-01")).toThrow(
      "to: no data in 9999-11 (the data runs from 2015-01 to 2025-01)",
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
    expect(marketByCountry(rows, "smartphone", { from: "2024-11", to: "2025-01" }, "DE").withData).toEqual(
      [],
    );
  });
});

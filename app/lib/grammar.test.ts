import { describe, expect, it } from "vitest";
import {
  lastWholeMonths,
  monthList,
  monthsBetween,
  ParamError,
  readCategories,
  readQuery,
  resolveCountries,
  resolveMonthRange,
  shiftMonth,
} from "./grammar";

const KNOWN = [
  { country_code: "DE", region: "europe" },
  { country_code: "FR", region: "europe" },
  { country_code: "JP", region: "asia_pacific" },
  { country_code: "US", region: "north_america" },
];

/** The error's sentence in both languages. */
function refusal(f: () => unknown): [string, string] {
  try {
    f();
  } catch (error) {
    if (error instanceof ParamError) return [error.in("en-GB"), error.in("fr-FR")];
    throw error;
  }
  throw new Error("no error");
}

describe("the one filter grammar", () => {
  it("reads lists as one value or one value per ticked box, and refuses unknown or repeated names", () => {
    const names = ["from", "to", "country", "category"] as const;
    expect(readQuery(new URLSearchParams("from=2024-01&country=FR&country=DE&lang=fr"), names)).toEqual({
      from: "2024-01",
      country: "FR,DE",
    });
    expect(refusal(() => readQuery(new URLSearchParams("grade=premium"), names))).toEqual([
      "grade: unknown parameter (this page takes: from, to, country, category)",
      "grade : paramètre inconnu (cette page accepte : from, to, country, category)",
    ]);
    expect(refusal(() => readQuery(new URLSearchParams("from=2024-01&from=2024-02"), names))[0]).toBe(
      "from: was given more than once",
    );
  });

  it("selects countries by code and region, and names the ones it does not know", () => {
    expect(resolveCountries({}, KNOWN).countries).toBeNull();
    expect(resolveCountries({ country: "FR,DE,FR" }, KNOWN).countries).toEqual(["DE", "FR"]);
    expect(resolveCountries({ region: "europe" }, KNOWN).countries).toEqual(["DE", "FR"]);
    // A country must also lie in a selected region.
    expect(resolveCountries({ country: "FR,JP", region: "europe" }, KNOWN).countries).toEqual(["FR"]);
    expect(refusal(() => resolveCountries({ country: "XX" }, KNOWN))[0]).toBe(
      'country: unknown country "XX" (one of: DE, FR, JP, US)',
    );
    expect(refusal(() => resolveCountries({ region: "mars" }, KNOWN))[1]).toMatch(
      /^region : valeur inconnue « mars »/,
    );
    expect(refusal(() => resolveCountries({ country: "FR,DE,JP" }, KNOWN, { max: 2 }))[0]).toBe(
      "country: choose at most 2 countries",
    );
    expect(readCategories("tablet,smartphone")).toEqual(["smartphone", "tablet"]);
    expect(refusal(() => readCategories("phones"))[0]).toMatch(/^category: unknown value "phones"/);
  });

  it("counts months", () => {
    expect(shiftMonth("2024-11", 2)).toBe("2025-01");
    expect(shiftMonth("2024-01", -1)).toBe("2023-12");
    expect(shiftMonth("2024-12", -11)).toBe("2024-01");
    expect(monthList("2024-11", "2025-02")).toEqual(["2024-11", "2024-12", "2025-01", "2025-02"]);
  });

  it("defaults to the last 12 whole months with data, and refuses months outside the data", () => {
    const data = { from: "2014-11-03", to: "2025-01-01" };
    expect(resolveMonthRange({}, data)).toEqual({ from: "2024-01", to: "2024-12" });
    expect(lastWholeMonths(data, 3)).toEqual({ from: "2024-10", to: "2024-12" });
    // Data ending on a month's last day: that month is whole.
    expect(resolveMonthRange({}, { from: "2014-11-03", to: "2024-12-31" })).toEqual({
      from: "2024-01",
      to: "2024-12",
    });
    // Less than a year of data: from its first month; one part month: that month.
    expect(resolveMonthRange({}, { from: "2024-05-10", to: "2024-12-31" })).toEqual({
      from: "2024-05",
      to: "2024-12",
    });
    expect(resolveMonthRange({}, { from: "2024-05-10", to: "2024-05-20" })).toEqual({
      from: "2024-05",
      to: "2024-05",
    });
    // Two months, the last one partial: the first (whole) one.
    expect(resolveMonthRange({}, { from: "2024-11-01", to: "2024-12-10" })).toEqual({
      from: "2024-11",
      to: "2024-11",
    });
    expect(resolveMonthRange({ to: "2020-06" }, data)).toEqual({ from: "2019-07", to: "2020-06" });
    expect(resolveMonthRange({ from: "2024-06" }, data)).toEqual({ from: "2024-06", to: "2024-12" });
    // The month in progress is there when asked for.
    expect(resolveMonthRange({ from: "2025-01" }, data)).toEqual({ from: "2025-01", to: "2025-01" });
    expect(refusal(() => resolveMonthRange({ from: "2014-10" }, data))).toEqual([
      "from: no data in 2014-10 (the data runs from 2014-11 to 2025-01)",
      "from : aucune donnée en 2014-10 (les données vont de 2014-11 à 2025-01)",
    ]);
    // Far outside the data (a year 9999 or 0001 must never reach a query).
    expect(refusal(() => resolveMonthRange({ to: "9999-11" }, data))[0]).toMatch(/^to: no data in 9999-11/);
    expect(refusal(() => resolveMonthRange({ from: "0001-01" }, data))[0]).toMatch(
      /^from: no data in 0001-01/,
    );
    expect(refusal(() => resolveMonthRange({ from: "2024-13" }, data))[0]).toMatch(
      /^from: "2024-13" is not a month/,
    );
    expect(refusal(() => resolveMonthRange({ from: "2024-05", to: "2024-04" }, data))[0]).toBe(
      "from: 2024-05 is after to (2024-04)",
    );
  });
});

describe("months between", () => {
  it("counts calendar months between two months or days, across years", () => {
    expect(monthsBetween("2021-06-20", "2021-06")).toBe(0);
    expect(monthsBetween("2020-01-15", "2021-06-20")).toBe(17);
    expect(monthsBetween("2021-06", "2020-06-01")).toBe(-12);
  });
});

describe("the monthly pages' period presets", () => {
  // The demo's span: the extract stops 54 minutes into 2025, so the last whole month is December 2024.
  const data = { from: "2014-11-05", to: "2025-01-01" };

  it("reads the overview's preset names as whole months ending with the last whole month", () => {
    expect(resolveMonthRange({ range: "last_12_months" }, data)).toEqual({ from: "2024-01", to: "2024-12" });
    expect(resolveMonthRange({ range: "year_to_date" }, data)).toEqual({ from: "2024-01", to: "2024-12" });
    expect(resolveMonthRange({ range: "this_quarter" }, data)).toEqual({ from: "2024-10", to: "2024-12" });
    expect(resolveMonthRange({ range: "all_time" }, data)).toEqual({ from: "2014-11", to: "2024-12" });
    // The last whole month alone (a monthly alert's period).
    expect(resolveMonthRange({ range: "last_month" }, data)).toEqual({ from: "2024-12", to: "2024-12" });
    // Two months of history: a preset never starts before the data.
    const short = { from: "2024-11-03", to: "2024-12-31" };
    expect(resolveMonthRange({ range: "last_12_months" }, short)).toEqual({ from: "2024-11", to: "2024-12" });
    expect(resolveMonthRange({ range: "this_quarter" }, { from: "2024-11-03", to: "2025-02-28" })).toEqual({
      from: "2025-01",
      to: "2025-02",
    });
  });

  it("refuses a preset with no whole-month meaning, and a preset beside months, in words", () => {
    expect(refusal(() => resolveMonthRange({ range: "last_30_days" }, data))[0]).toMatch(
      /range.*last_12_months, year_to_date, this_quarter, last_month, all_time/,
    );
    expect(refusal(() => resolveMonthRange({ range: "all_time", from: "2024-01" }, data))).toEqual([
      "range: give either range or from/to, not both",
      "range : donnez range ou from/to, pas les deux",
    ]);
  });
});

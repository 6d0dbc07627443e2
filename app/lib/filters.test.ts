// The URL's filters: parsed by one schema, written back by one function, presets and comparison ranges
// settled against the snapshot's data.

import { describe, expect, it } from "vitest";
import {
  comparisonRange,
  type FilterParams,
  filtersToSearch,
  parseFilters,
  presetRange,
  resolveFilters,
} from "./filters";

const parse = (query: string): FilterParams => {
  const parsed = parseFilters(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.params;
};

const DATA = { from: "2014-11-03", to: "2024-12-31" };

describe("filters in the URL", () => {
  it("round-trips: what is written back parses to the same filters, defaults left out", () => {
    for (const query of [
      "",
      "range=year_to_date&compare=last_year&grain=week",
      "from=2024-01-15&to=2024-06-20&region=europe&country=FR,DE&category=smartphone&grade=premium",
      "metric=ebitda_eur&channel=app,partner&partner=verizon&sort=name&dir=asc",
    ]) {
      const params = parse(query);
      expect(filtersToSearch(params)).toBe(query ? `?${query}` : "");
      expect(parse(filtersToSearch(params).slice(1))).toEqual(params);
    }
  });

  it("accepts a list as commas or as repeated parameters (a multiple select), and ignores empty fields", () => {
    expect(parse("country=FR&country=DE&grade=").country).toEqual(["FR", "DE"]);
    expect(parse("country=FR,DE,FR").country).toEqual(["FR", "DE"]);
  });

  it("changes one parameter, and a preset replaces explicit dates (and back)", () => {
    const params = parse("from=2024-01-01&to=2024-03-31&region=europe");
    expect(filtersToSearch(params, { range: "all_time" })).toBe("?range=all_time&region=europe");
    expect(filtersToSearch(parse("range=all_time"), { from: "2024-01-01", to: "2024-01-31" }, "fr")).toBe(
      "?from=2024-01-01&to=2024-01-31&lang=fr",
    );
  });

  it("says what is wrong with a bad URL", () => {
    const message = (query: string) => {
      const parsed = parseFilters(new URLSearchParams(query));
      return parsed.ok ? "ok" : parsed.message;
    };
    expect(message("from=2024-01-01")).toBe("from: from and to go together");
    expect(message("range=last_30_days&from=2024-01-01&to=2024-01-02")).toBe(
      "range: give either range or from/to, not both",
    );
    expect(message("range=forever")).toContain("range");
    expect(message("compare=previous_period&compare=none")).toBe("compare: was given more than once");
    expect(message("country=fr")).toBe('country: "fr" is not a country code (two capital letters, e.g. FR)');
    expect(message("category=toaster")).toContain('unknown value "toaster"');
    // Every sentence exists in French too.
    const french = parseFilters(new URLSearchParams("grade=mint"));
    expect(french.ok ? "ok" : french.error.in("fr-FR")).toMatch(/^grade : valeur inconnue « mint »/);
    expect(message(`country=${"FR,".repeat(200)}`)).toBe("country: is too long (at most 400 characters)");
    expect(message("dir=up")).toContain("dir");
  });

  it("settles presets against the last day with data; the last 12 months are whole months", () => {
    expect(presetRange("last_30_days", DATA)).toEqual({ from: "2024-12-02", to: "2024-12-31" });
    expect(presetRange("this_quarter", DATA)).toEqual({ from: "2024-10-01", to: "2024-12-31" });
    expect(presetRange("year_to_date", DATA)).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(presetRange("last_12_months", DATA)).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(presetRange("last_12_months", { from: DATA.from, to: "2025-01-01" })).toEqual({
      from: "2024-01-01",
      to: "2024-12-31",
    });
    expect(presetRange("all_time", DATA)).toEqual(DATA);
  });

  it("compares whole months with as many months before, other ranges with as many days", () => {
    expect(comparisonRange({ from: "2024-10-01", to: "2024-12-31" }, "previous_period")).toEqual({
      from: "2024-07-01",
      to: "2024-09-30",
    });
    expect(comparisonRange({ from: "2024-03-01", to: "2024-03-31" }, "previous_period")).toEqual({
      from: "2024-02-01",
      to: "2024-02-29",
    });
    expect(comparisonRange({ from: "2024-03-10", to: "2024-03-16" }, "previous_period")).toEqual({
      from: "2024-03-03",
      to: "2024-03-09",
    });
    expect(comparisonRange({ from: "2024-02-29", to: "2024-02-29" }, "last_year")).toEqual({
      from: "2023-02-28",
      to: "2023-02-28",
    });
    expect(comparisonRange({ from: "2024-01-01", to: "2024-01-31" }, "none")).toBeNull();
  });

  it("picks a grain from the range's length, and refuses one that would draw too many points", () => {
    const grain = (query: string) => {
      const resolved = resolveFilters(parse(query), DATA);
      return resolved.ok ? resolved.filters.grain : resolved.message;
    };
    expect(grain("range=last_30_days")).toBe("day");
    expect(grain("range=this_quarter")).toBe("week");
    expect(grain("range=year_to_date")).toBe("month");
    expect(grain("range=all_time")).toBe("quarter");
    expect(grain("range=all_time&grain=day")).toContain("grain=day covers at most 366 days");
  });
});

// The URL's filters: parsed by one schema, written back by one function, presets and comparison ranges
// settled against the snapshot's data.

import { formatISO, parseISO } from "date-fns";
import { describe, expect, it } from "vitest";
import {
  comparisonRange,
  dataSpan,
  type FilterParams,
  filtersToSearch,
  formatDay,
  parseDay,
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
    // The last whole month: December when the data ends on its last day, November on 15 December, the
    // month in progress when that is all there is.
    expect(presetRange("last_month", DATA)).toEqual({ from: "2024-12-01", to: "2024-12-31" });
    expect(presetRange("last_month", { from: DATA.from, to: "2024-12-15" })).toEqual({
      from: "2024-11-01",
      to: "2024-11-30",
    });
    expect(presetRange("last_month", { from: "2024-12-03", to: "2024-12-15" })).toEqual({
      from: "2024-12-03",
      to: "2024-12-15",
    });
  });

  it("ends the presets on the last whole day when the extract stopped during the last one; all time keeps it", () => {
    // The demo's extract ends at 23:54 UTC on 31 December: 00:54 on 1 January in Paris.
    const span = dataSpan(DATA.from, "2025-01-01", "2025-01-01 00:54");
    expect(span).toEqual({ from: DATA.from, to: "2025-01-01", through: "2024-12-31", cutoff: "00:54" });
    expect(presetRange("year_to_date", span)).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(presetRange("this_quarter", span)).toEqual({ from: "2024-10-01", to: "2024-12-31" });
    expect(presetRange("last_30_days", span)).toEqual({ from: "2024-12-02", to: "2024-12-31" });
    expect(presetRange("all_time", span)).toEqual({ from: DATA.from, to: "2025-01-01" });
    // Late enough in the day, or a last order on a later day (not completed): the last day is whole.
    expect(dataSpan(DATA.from, "2025-01-01", "2025-01-01 23:10")).toEqual({
      from: DATA.from,
      to: "2025-01-01",
    });
    expect(dataSpan(DATA.from, "2025-01-01", "2025-01-02 08:00")).toEqual({
      from: DATA.from,
      to: "2025-01-01",
    });
    // One partial day is all there is: it stays; an older snapshot without the time: as before.
    expect(dataSpan("2025-01-01", "2025-01-01", "2025-01-01 10:00")).toEqual({
      from: "2025-01-01",
      to: "2025-01-01",
    });
    expect(dataSpan(DATA.from, "2025-01-01", null)).toEqual({ from: DATA.from, to: "2025-01-01" });
  });

  it("drops a comparison that ends before the first order, and flags one that starts before it", () => {
    const resolve = (query: string) => {
      const resolved = resolveFilters(parse(query), { from: "2024-11-10", to: "2024-12-31" });
      if (!resolved.ok) throw new Error(resolved.message);
      return resolved.filters;
    };
    const all = resolve("range=all_time");
    expect(all.comparison).toBeNull();
    expect(all.comparisonBeforeData).toEqual({ from: "2024-09-19", to: "2024-11-09" });
    const december = resolve("from=2024-12-01&to=2024-12-31");
    expect(december.comparison).toEqual({ from: "2024-11-01", to: "2024-11-30" });
    expect(december.comparisonStartsBeforeData).toBe(true);
    expect(resolve("from=2024-12-16&to=2024-12-31").comparisonStartsBeforeData).toBe(false);
    expect(resolve("range=all_time&compare=none").comparisonBeforeData).toBeNull();
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

describe("parseDay and formatDay", () => {
  it("give what date-fns' parseISO and formatISO give, for every day of 1899–2101 and for bad input", () => {
    for (let t = Date.UTC(1899, 0, 1); t <= Date.UTC(2101, 11, 31); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      const mine = parseDay(iso);
      expect(mine.getTime()).toBe(parseISO(iso).getTime());
      expect(formatDay(mine)).toBe(formatISO(parseISO(iso), { representation: "date" }));
    }
    for (const bad of [
      "2024-02-30",
      "2024-13-01",
      "2024-00-10",
      "2024-1-01",
      "20x4-01-01",
      "",
      "2024-01-01T12:00",
    ])
      expect(String(parseDay(bad).getTime())).toBe(String(parseISO(bad).getTime()));
  });
});

import { describe, expect, it } from "vitest";
import { type DailyTable, dateKey, monthlyOf, sumDaily, wholeMonths } from "./resident.server";

describe("whole months of a range", () => {
  it("finds the whole months between partial edges, across years and leap days", () => {
    expect(wholeMonths("2024-03-17", "2024-06-04")).toEqual(["2024-04-01", "2024-06-01"]);
    expect(wholeMonths("2024-03-01", "2024-05-31")).toEqual(["2024-03-01", "2024-06-01"]);
    expect(wholeMonths("2023-12-28", "2024-02-29")).toEqual(["2024-01-01", "2024-03-01"]);
    expect(wholeMonths("2023-02-01", "2023-02-28")).toEqual(["2023-02-01", "2023-03-01"]);
    expect(wholeMonths("2024-11-30", "2025-01-31")).toEqual(["2024-12-01", "2025-02-01"]);
    // No whole month: a part of one, or parts of two.
    expect(wholeMonths("2024-02-01", "2024-02-28")).toBeNull();
    expect(wholeMonths("2024-02-29", "2024-02-29")).toBeNull();
    expect(wholeMonths("2024-01-15", "2024-02-14")).toBeNull();
  });
});

describe("sums over whole months from the table summed by month", () => {
  // Three countries, two categories, every day of 2023-12-20 … 2024-03-10, with amounts in 1/100.
  const dates: string[] = [];
  const countries: string[] = [];
  const codes: number[] = [];
  const gmv: number[] = [];
  const devices: number[] = [];
  let seed = 11;
  for (let t = Date.parse("2023-12-20T00:00:00Z"); t <= Date.parse("2024-03-10T00:00:00Z"); t += 86_400_000)
    for (const country of ["DE", "FR", "US"])
      for (const code of [0, 1]) {
        seed = (seed * 48_271) % 2_147_483_647;
        if (seed % 7 === 0) continue;
        dates.push(new Date(t).toISOString().slice(0, 10));
        countries.push(country);
        codes.push(code);
        gmv.push(seed % 100_000);
        devices.push(seed % 13);
      }
  const table: DailyTable = {
    dates,
    countries,
    slices: { category: { values: ["laptop", "smartphone"], codes: Uint8Array.from(codes) } },
    columns: new Map([
      ["gmv_eur", Float64Array.from(gmv)],
      ["devices_sold", Float64Array.from(devices)],
    ]),
    scales: new Map([["gmv_eur", 2]]),
  };
  const monthly = monthlyOf(table);

  it("holds a row per month, country and category, dated on the month's first day", () => {
    expect(monthly.dates.length).toBe(4 * 3 * 2);
    expect(new Set(monthly.dates)).toEqual(new Set(["2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01"]));
    expect(monthlyOf(table)).toBe(monthly);
  });

  const category = (t: DailyTable) => (_: string, __: string, row: number) =>
    t.slices?.category?.values[t.slices.category.codes[row] as number] ?? null;
  const keys: [string, (t: DailyTable) => (date: string, country: string, row: number) => string | null][] = [
    ["total", () => dateKey(() => "total")],
    ["country", () => (_, country) => country],
    ["category", category],
    ["month", () => dateKey((date: string) => date.slice(0, 7))],
  ];
  const ranges = [
    { from: "2023-12-20", to: "2024-03-10" },
    { from: "2023-12-31", to: "2024-02-01" },
    { from: "2024-01-01", to: "2024-02-29" },
    { from: "2024-01-15", to: "2024-02-14" },
    { from: "2024-02-29", to: "2024-02-29" },
    { from: "2010-01-01", to: "2030-12-31" },
  ];
  for (const [name, key] of keys)
    for (const range of ranges)
      for (const chosen of [null, new Set(["FR", "US"])])
        it(`by ${name}, ${range.from} … ${range.to}, ${chosen ? "two countries" : "everywhere"}, sliced or not`, () => {
          for (const slices of [null, { category: ["smartphone"] }]) {
            const columns = ["gmv_eur", "devices_sold"];
            const days = sumDaily(table, range, chosen, key(table), columns, undefined, slices);
            const months = sumDaily(table, range, chosen, key(table), columns, undefined, slices, {
              table: monthly,
              keyOf: key(monthly),
            });
            expect([...months]).toEqual([...days]);
            expect(days.size).toBeGreaterThan(0);
          }
        });
});

// countedTwice against a brute-force count, for selections of more than 32 countries (a key's mask then
// takes two words, and the 32nd country's bit is the sign bit of the first).

import { describe, expect, it } from "vitest";
import { type CustomerDays, countedTwice } from "./customer-days.server";

/** A seeded generator (mulberry32): the same rows on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const COUNTRIES = Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(2, "0")}`);

/** Cross-border rows (customer, day, country), ordered by customer and day, as the mart holds them. */
function crossBorder(seed: number) {
  const next = random(seed);
  const rows: [number, number, number][] = [];
  for (let customer = 0; customer < 300; customer++) {
    const days = 1 + Math.floor(next() * 6);
    for (let d = 0; d < days; d++) {
      const day = 20_000 + Math.floor(next() * 30);
      // Mostly several countries a customer, some of them on both sides of the 32nd.
      const visits = 1 + Math.floor(next() * 5);
      for (let v = 0; v < visits; v++) rows.push([customer, day, Math.floor(next() * COUNTRIES.length)]);
    }
  }
  rows.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  return {
    customer: Int32Array.from(rows, (r) => r[0]),
    day: Int32Array.from(rows, (r) => r[1]),
    country: Uint8Array.from(rows, (r) => r[2]),
  };
}

/** count(*) − count(DISTINCT customer) over the distinct (key, customer, country) kept, per key. */
function bruteForce(
  rows: ReturnType<typeof crossBorder>,
  days: [number, number],
  selected: readonly string[],
  keyOf: (day: number, country: number) => string,
) {
  const seen = new Map<string, Map<number, Set<number>>>();
  for (let r = 0; r < rows.customer.length; r++) {
    const day = rows.day[r] as number;
    const country = rows.country[r] as number;
    if (day < days[0] || day > days[1] || !selected.includes(COUNTRIES[country] as string)) continue;
    const key = keyOf(day, country);
    const customers = seen.get(key) ?? new Map<number, Set<number>>();
    seen.set(key, customers);
    const countries = customers.get(rows.customer[r] as number) ?? new Set<number>();
    customers.set(rows.customer[r] as number, countries);
    countries.add(country);
  }
  const out = new Map<string, number>();
  for (const [key, customers] of seen) {
    let n = 0;
    for (const countries of customers.values()) n += countries.size - 1;
    if (n) out.set(key, n);
  }
  return out;
}

describe("countedTwice", () => {
  const rows = crossBorder(7);
  const table = { countries: COUNTRIES, crossBorder: rows } as unknown as CustomerDays;
  const byWeek = (day: number) => String(Math.floor(day / 7));
  const byWeekAndHalf = (day: number, country: number) =>
    `${Math.floor(day / 7)}|${country < 20 ? "a" : "b"}`;

  it("counts each customer's countries beyond the first, with 33, 35 and 40 countries selected", () => {
    for (const size of [33, 35, 40]) {
      // Every other country first, so that selected slots and country indexes differ.
      const selected = [...COUNTRIES.filter((_, i) => i % 2), ...COUNTRIES.filter((_, i) => !(i % 2))].slice(
        0,
        size,
      );
      for (const keyOf of [byWeek, byWeekAndHalf]) {
        const expected = bruteForce(rows, [20_003, 20_025], selected, keyOf);
        expect(expected.size).toBeGreaterThan(0);
        expect(countedTwice(table, [20_003, 20_025], selected, keyOf)).toEqual(expected);
      }
    }
  });

  it("counts a customer met in the 32nd and 33rd countries of the selection (two words of the mask)", () => {
    const selected = COUNTRIES.slice(0, 34);
    const two = {
      countries: COUNTRIES,
      crossBorder: {
        customer: Int32Array.from([0, 0, 0, 1, 1]),
        day: Int32Array.from([20_000, 20_000, 20_000, 20_001, 20_001]),
        country: Uint8Array.from([31, 32, 33, 31, 31]),
      },
    } as unknown as CustomerDays;
    expect(countedTwice(two, [20_000, 20_001], selected, () => "all")).toEqual(new Map([["all", 2]]));
  });

  it("counts selections of two to four countries the same (only customers met in two of them are read)", () => {
    const next = random(3);
    let counted = 0;
    for (let k = 0; k < 60; k++) {
      const pool = [...COUNTRIES];
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
      }
      const selected = pool.slice(0, 2 + (k % 3));
      const from = 20_000 + Math.floor(next() * 15);
      const days: [number, number] = [from, from + Math.floor(next() * 15)];
      for (const keyOf of [byWeek, byWeekAndHalf]) {
        const expected = bruteForce(rows, days, selected, keyOf);
        expect(countedTwice(table, days, selected, keyOf)).toEqual(expected);
        counted += expected.size;
      }
    }
    expect(counted).toBeGreaterThan(20);
  });
});

// The metric layer's arithmetic, the only place where figures are summed across rows, divided and
// rounded: measure sums are kept in whole 1/10,000 of a euro (so sums of 4-decimal amounts stay exact
// integers below 2^53), then each metric's `derive` turns a group's sums into its value and the value
// is rounded by its unit's rule. Browser-safe and pure: the server's query layer and the page modules
// call it; nothing else computes a figure.

import { MEASURES, type MeasureId, type MeasureSums } from "./measures";

/** Each measure by its id, looked up once per row field (a Map: no prototype to guard against). */
const MEASURE_OF: ReadonlyMap<string, (typeof MEASURES)[MeasureId]> = new Map(
  Object.entries(MEASURES) as [string, (typeof MEASURES)[MeasureId]][],
);

/** Money is summed in whole 1/10,000 of its currency: the marts' DECIMAL(18,4). */
const UNITS = 10_000;
const toUnits = (amount: number) => Math.round(amount * UNITS);

/** An amount rounded to the ledger's 1/10,000: sums of 4-decimal amounts, exact once rounded. */
export const roundMoney = (amount: number): number => Math.round(amount * UNITS) / UNITS;

/** a ÷ b, or null when there is nothing to divide by. Only metric definitions call it. */
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** The share a/b that a rate metric reports per `per` (e.g. per 1,000). */
export const per = (a: number, b: number, scale: number): number | null => (b === 0 ? null : (a / b) * scale);

/** How much a figure moved, as a share of where it was (null from zero: no percentage of nothing). */
export const relativeChange = (now: number, before: number): number | null =>
  before === 0 ? null : (now - before) / Math.abs(before);

/**
 * How much a figure moved, in its own unit (a restated figure: after − before). Money is exact to the
 * ledger's 1/10,000 (the difference of two exact sums); other units lose only binary noise (12 places).
 */
export const difference = (now: number, before: number, money: boolean): number =>
  money ? roundMoney(now - before) : Math.round((now - before) * 1e12) / 1e12;

/** One group's share of another's (a grade's devices of the month's): the same measure in both. */
export function shareOf(measure: MeasureId, part: MeasureSums, whole: MeasureSums): number | null {
  return ratio(part[measure] ?? 0, whole[measure] ?? 0);
}

/**
 * Sums of measures per group: each row's measure fields (named by measure id) are added to its group's.
 * A non-additive measure (distinct or cumulative customers) may appear once per group: a second row of
 * it would be a sum of distinct counts, which is wrong, so it throws.
 */
export class MeasureTotals {
  readonly #groups = new Map<string, Map<MeasureId, number>>();
  readonly #order: string[] = [];

  /** `alias`: fields read as another measure (a mart's column per threshold read as the one chosen). */
  add(key: string, row: object, alias?: Readonly<Record<string, MeasureId>>): this {
    let group = this.#groups.get(key);
    if (!group) {
      group = new Map();
      this.#groups.set(key, group);
      this.#order.push(key);
    }
    // for…in rather than Object.entries: no array of pairs per row (the pages sum thousands of rows).
    for (const field in row) {
      const id = (alias?.[field] ?? field) as MeasureId;
      const measure = MEASURE_OF.get(id);
      if (!measure || !Object.hasOwn(row, field)) continue;
      const value = (row as Record<string, unknown>)[field];
      if (value === null || value === undefined) continue;
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`measure ${id} is not a number: ${String(value)}`);
      const before = group.get(id);
      if (before !== undefined && !measure.additive)
        throw new Error(`measure ${id} is a distinct count: it cannot be summed over rows (group ${key})`);
      const units = measure.kind === "money" ? toUnits(n) : n;
      group.set(id, (before ?? 0) + units);
    }
    return this;
  }

  /** Adds every row to the group its key function names. */
  addAll<R extends object>(
    rows: Iterable<R>,
    key: (row: R) => string,
    alias?: Readonly<Record<string, MeasureId>>,
  ): this {
    for (const row of rows) this.add(key(row), row, alias);
    return this;
  }

  has(key: string): boolean {
    return this.#groups.has(key);
  }

  keys(): string[] {
    return [...this.#order];
  }

  /** A group's sums in euros and units; a group with no row has none (every measure absent). */
  get(key: string): MeasureSums {
    const group = this.#groups.get(key);
    const out: MeasureSums = {};
    if (!group) return out;
    for (const [id, units] of group) out[id] = MEASURES[id].kind === "money" ? units / UNITS : units;
    return out;
  }

  /** The sums of several groups together (e.g. the period's total of its months); additive measures only. */
  combine(keys: Iterable<string>): MeasureSums {
    const total = new Map<MeasureId, number>();
    for (const key of keys) {
      const group = this.#groups.get(key);
      if (!group) continue;
      for (const [id, units] of group) {
        if (!MEASURES[id].additive) continue;
        total.set(id, (total.get(id) ?? 0) + units);
      }
    }
    const out: MeasureSums = {};
    for (const [id, units] of total) out[id] = MEASURES[id].kind === "money" ? units / UNITS : units;
    return out;
  }
}

/** Sums of rows by a key, in one call. */
export function sumMeasures<R extends object>(
  rows: Iterable<R>,
  key: (row: R) => string,
  /** Fields read as another measure (e.g. `inflated_over_5_pct` as `inflated_sales`). */
  alias?: Readonly<Record<string, MeasureId>>,
): MeasureTotals {
  return new MeasureTotals().addAll(rows, key, alias);
}

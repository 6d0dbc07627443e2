// The metric layer's arithmetic, the only place where figures are summed across rows, divided and
// rounded: measure sums are kept in whole 1/10,000 of a euro (so sums of 4-decimal amounts stay exact
// integers below 2^53), then each metric's `derive` turns a group's sums into its value and the value
// is rounded by its unit's rule. Browser-safe and pure: the server's query layer and the page modules
// call it; nothing else computes a figure.

import { withRoom } from "~/lib/typed-arrays";
import { MEASURES, type MeasureId, type MeasureSums } from "./measures";

/** The measures in a fixed order: a group's sums are a row of numbers, one slot per measure it has. */
const MEASURE_IDS = Object.keys(MEASURES) as MeasureId[];
const IS_MONEY = MEASURE_IDS.map((id) => MEASURES[id].kind === "money");
const IS_ADDITIVE = MEASURE_IDS.map((id) => MEASURES[id].additive);

/**
 * Which measure each row field is (its index, or -1 for a field that is no measure), per alias map (and
 * one for rows read without one). Learnt field by field as rows come: the fields are the marts' column
 * names and the query layer's, a bounded set. A Map: no prototype to guard against.
 */
const PLAIN_FIELDS = new Map<string, number>();
const ALIASED_FIELDS = new WeakMap<object, Map<string, number>>();
const INDEX_OF = new Map<string, number>(MEASURE_IDS.map((id, i) => [id, i]));

function fieldsOf(alias: Readonly<Record<string, MeasureId>> | undefined): Map<string, number> {
  if (!alias) return PLAIN_FIELDS;
  let fields = ALIASED_FIELDS.get(alias);
  if (!fields) {
    fields = new Map();
    ALIASED_FIELDS.set(alias, fields);
  }
  return fields;
}

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
 *
 * Kept as one typed array for all groups (a row of `stride` slots per group, a slot per measure met so
 * far, in units: money in 1/10,000) and a flag per slot for "has a value": a Map per group cost the
 * pages' first visits more than their sums (issue 19).
 */
export class MeasureTotals {
  readonly #groupOf = new Map<string, number>();
  readonly #order: string[] = [];
  /** Each measure's slot (-1: not met yet), and the measure of each slot. */
  readonly #slotOf = new Int16Array(MEASURE_IDS.length).fill(-1);
  readonly #measureOf: number[] = [];
  #stride = 8;
  // One group's row to start with (grown by doubling): arrays of 64 bytes or less live in V8's heap, where
  // a scavenge frees them; larger ones are memory outside it that only a full collection gives back (ADR 0043).
  #sums = new Float64Array(8);
  #seen = new Uint8Array(8);

  /** `alias`: fields read as another measure (a mart's column per threshold read as the one chosen). */
  add(key: string, row: object, alias?: Readonly<Record<string, MeasureId>>): this {
    let group = this.#groupOf.get(key);
    if (group === undefined) {
      group = this.#order.length;
      this.#groupOf.set(key, group);
      this.#order.push(key);
      const size = (group + 1) * this.#stride;
      this.#sums = withRoom(this.#sums, size);
      this.#seen = withRoom(this.#seen, size);
    }
    const fields = fieldsOf(alias);
    // for…in rather than Object.entries: no array of pairs per row (the pages sum thousands of rows).
    for (const field in row) {
      let measure = fields.get(field);
      if (measure === undefined) {
        measure = INDEX_OF.get(alias?.[field] ?? field) ?? -1;
        fields.set(field, measure);
      }
      if (measure < 0 || !Object.hasOwn(row, field)) continue;
      const value = (row as Record<string, unknown>)[field];
      if (value === null || value === undefined) continue;
      const n = typeof value === "number" ? value : Number(value);
      const id = MEASURE_IDS[measure] as MeasureId;
      if (!Number.isFinite(n)) throw new Error(`measure ${id} is not a number: ${String(value)}`);
      // The slot first: a new one may widen every group's row (the stride).
      const slot = this.#slot(measure);
      const at = group * this.#stride + slot;
      if (this.#seen[at]) {
        if (!IS_ADDITIVE[measure])
          throw new Error(`measure ${id} is a distinct count: it cannot be summed over rows (group ${key})`);
      } else this.#seen[at] = 1;
      (this.#sums[at] as number) += IS_MONEY[measure] ? toUnits(n) : n;
    }
    return this;
  }

  /** The measure's slot in every group's row; a row of more slots when its measures fill it. */
  #slot(measure: number): number {
    const known = this.#slotOf[measure] as number;
    if (known >= 0) return known;
    const slot = this.#measureOf.length;
    if (slot === this.#stride) {
      const stride = 2 * this.#stride;
      const groups = this.#order.length;
      const sums = new Float64Array(Math.max(16, groups) * stride);
      const seen = new Uint8Array(sums.length);
      for (let g = 0; g < groups; g++) {
        sums.set(this.#sums.subarray(g * this.#stride, (g + 1) * this.#stride), g * stride);
        seen.set(this.#seen.subarray(g * this.#stride, (g + 1) * this.#stride), g * stride);
      }
      this.#stride = stride;
      this.#sums = sums;
      this.#seen = seen;
    }
    this.#slotOf[measure] = slot;
    this.#measureOf.push(measure);
    return slot;
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
    return this.#groupOf.has(key);
  }

  keys(): string[] {
    return [...this.#order];
  }

  /** A group's sums in euros and units; a group with no row has none (every measure absent). */
  get(key: string): MeasureSums {
    const out: MeasureSums = {};
    const group = this.#groupOf.get(key);
    if (group === undefined) return out;
    this.#measureOf.forEach((measure, slot) => {
      const at = (group as number) * this.#stride + slot;
      if (this.#seen[at])
        out[MEASURE_IDS[measure] as MeasureId] = fromUnits(measure, this.#sums[at] as number);
    });
    return out;
  }

  /** The sums of several groups together (e.g. the period's total of its months); additive measures only. */
  combine(keys: Iterable<string>): MeasureSums {
    const total = new Float64Array(this.#stride);
    const seen = new Uint8Array(this.#stride);
    for (const key of keys) {
      const group = this.#groupOf.get(key);
      if (group === undefined) continue;
      this.#measureOf.forEach((measure, slot) => {
        const at = group * this.#stride + slot;
        if (!IS_ADDITIVE[measure] || !this.#seen[at]) return;
        seen[slot] = 1;
        (total[slot] as number) += this.#sums[at] as number;
      });
    }
    const out: MeasureSums = {};
    this.#measureOf.forEach((measure, slot) => {
      if (seen[slot]) out[MEASURE_IDS[measure] as MeasureId] = fromUnits(measure, total[slot] as number);
    });
    return out;
  }
}

/** A measure's sum in euros (money kept in 1/10,000) or in units. */
const fromUnits = (measure: number, units: number): number => (IS_MONEY[measure] ? units / UNITS : units);

/** Sums of rows by a key, in one call. */
export function sumMeasures<R extends object>(
  rows: Iterable<R>,
  key: (row: R) => string,
  /** Fields read as another measure (e.g. `inflated_over_5_pct` as `inflated_sales`). */
  alias?: Readonly<Record<string, MeasureId>>,
): MeasureTotals {
  return new MeasureTotals().addAll(rows, key, alias);
}

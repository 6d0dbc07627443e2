// What a metric of the catalogue is: an id (also its CSV column), labels and descriptions in each
// locale, a unit with its rounding rule, the measures it needs and the one `derive` that computes it
// from their sums. The catalogue (./catalogue.ts) lists every metric; the query layer and the page
// modules only ever ask it for values (`metricValue`). Browser-safe.

import type { Locale } from "~/i18n/locales";
import { roundMoney } from "./evaluate";
import { MEASURES, type MeasureId, type MeasureSums } from "./measures";

/** The dimensions a filter can restrict. Every metric honours dates and geography. */
export type Dimension = "country" | "category" | "grade" | "channel" | "partner";

/**
 * eur: amounts (rounded to the ledger's 1/10,000 €; whole euros shown); eur_unit: euros per device
 * (cents shown); count: whole units; ratio: a share (shown as %); rate: a plain number.
 */
export type Unit = "eur" | "eur_unit" | "count" | "ratio" | "rate";

/** Each unit's rounding of a derived value: money to the ledger's 1/10,000, the rest left to display. */
const ROUNDING: Record<Unit, (value: number) => number> = {
  eur: roundMoney,
  count: (v) => v,
  eur_unit: (v) => v,
  ratio: (v) => v,
  rate: (v) => v,
};

export interface MetricDefinition<Id extends string = string> {
  id: Id;
  unit: Unit;
  /** The measures `derive` reads. */
  measures: readonly MeasureId[];
  /**
   * The metric's value from one group's sums (money in euros, exact to 1/10,000; counts as integers);
   * null when it has no value there (nothing to divide by). Rounded afterwards by the unit's rule.
   */
  derive: (m: Readonly<Record<MeasureId, number>>) => number | null;
  /** Filters this metric can honour; with any other filter set it has no value (shown as unavailable). */
  dimensions: readonly Dimension[];
  /** Whether a rise is good news (colours and arrows of changes). */
  better: "up" | "down";
  label: Record<Locale, string>;
  description: Record<Locale, string>;
}

/** A definition whose `derive` can only read the measures it lists (the type checker sees to it). */
export function defineMetric<const Id extends string, const M extends MeasureId>(
  d: Omit<MetricDefinition<Id>, "measures" | "derive"> & {
    measures: readonly M[];
    derive: (m: Readonly<Record<M, number>>) => number | null;
  },
): MetricDefinition<Id> {
  return d as MetricDefinition<Id>;
}

/**
 * A metric's value for one group's sums. A measure with no row counts as 0 when it adds up (no sales:
 * 0 devices) and leaves the metric without a value when it is a distinct count nobody counted.
 */
export function metricValue(def: MetricDefinition, sums: MeasureSums): number | null {
  // The sums themselves when they hold every measure `derive` reads (it reads no other: defineMetric's
  // type): no object per metric and group, which the pages' first visits made by the ten thousand.
  let whole = true;
  for (const id of def.measures) if (sums[id] === undefined) whole = false;
  let m = sums as Record<MeasureId, number>;
  if (!whole) {
    m = {} as Record<MeasureId, number>;
    for (const id of def.measures) {
      const value = sums[id];
      if (value === undefined) {
        if (!MEASURES[id].additive) return null;
        m[id] = 0;
      } else m[id] = value;
    }
  }
  const value = def.derive(m);
  return value === null || !Number.isFinite(value) ? null : ROUNDING[def.unit](value);
}

/** The value of an empty group: 0 for sums and counts, none for ratios (nothing to divide by). */
export function emptyValue(def: MetricDefinition): number | null {
  return metricValue(def, {});
}

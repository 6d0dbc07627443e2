// Axis ticks shared by the charts: round steps (1, 2, 2.5 or 5 times a power of ten), and as many decimals
// as the step needs, so that an axis never reads 0%, 2%, 3%, 5% for 0, 1.5, 3, 4.5.

import type { Locale } from "~/i18n/locales";
import { formatCompact, formatPercentDigits } from "~/lib/format";
import type { Unit } from "~/metrics/catalogue";

const STEPS = [1, 2, 2.5, 5, 10];

function stepFor(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return (STEPS.find((m) => m * power >= raw - 1e-12) ?? 10) * power;
}

const round = (v: number) => Math.round(v * 1e9) / 1e9;

/** Round ticks from 0 to at least `max`: four or five of them. */
export function niceTicks(max: number): number[] {
  return niceScale(0, max).ticks;
}

/** Round ticks covering [lo, hi] (0 included when the data has one sign), about four intervals. */
export function niceScale(lo: number, hi: number, count = 4): { ticks: number[]; step: number } {
  const low = Math.min(0, lo);
  const high = Math.max(0, hi);
  if (!(high > low)) return { ticks: [0, 1], step: 1 };
  const step = stepFor(high - low, count);
  const first = Math.floor(low / step + 1e-9) * step;
  const n = Math.ceil((high - first) / step - 1e-9);
  return { ticks: Array.from({ length: n + 1 }, (_, i) => round(first + i * step)), step };
}

/** The fewest decimals that write every multiple of `step` exactly (2.5 → 1, 0.25 → 2, 10 → 0). */
export function decimalsFor(step: number): number {
  return [0, 1, 2, 3, 4, 5, 6].find((d) => Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) ?? 6;
}

/** An axis tick: compact for steps of 1 or more ("€2.5M"), else as many decimals as the step needs. */
export function formatTick(
  value: number,
  step: number,
  unit: Unit,
  locale: Locale,
  currency = "EUR",
): string {
  if (unit === "ratio") {
    const digits = decimalsFor(step * 100);
    return formatPercentDigits(value, locale, digits);
  }
  if (!(step > 0) || step >= 1) return formatCompact(value, unit, locale, currency);
  const digits = decimalsFor(step);
  const money = unit === "eur" || unit === "eur_unit";
  return new Intl.NumberFormat(locale, {
    ...(money ? { style: "currency", currency } : {}),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

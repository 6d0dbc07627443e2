// Monthly percentages as lines (the price-display page's trend charts), on the dashboard's line chart.

import type { Locale } from "~/i18n/locales";
import { formatPercentDigits } from "~/lib/format";
import { type ChartRow, type LineSeries, Lines } from "../charts/lines";
import { decimalsFor } from "../charts/ticks";

export type PercentLine = LineSeries;

/** A share with one decimal (or `digits`; `fixed`: always that many, as an axis' ticks need). */
export function formatPercent(
  value: number | null | undefined,
  locale: Locale,
  digits = 1,
  fixed = true,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return formatPercentDigits(value, locale, fixed ? digits : 0, digits);
}

export function PercentLines({
  rows,
  lines,
  monthLabel,
  locale,
  caption,
}: {
  /** One row per month: its label under `month` and each line's value (null: no sale to compare). */
  rows: ChartRow[];
  lines: PercentLine[];
  monthLabel: (month: string) => string;
  locale: Locale;
  caption: string;
}) {
  return (
    <Lines
      rows={rows}
      x="month"
      xLabel={monthLabel}
      series={lines}
      format={(v) => formatPercent(v, locale)}
      tickFormat={(v, step) => formatPercent(v, locale, decimalsFor(step * 100), true)}
      height={300}
      caption={caption}
    />
  );
}

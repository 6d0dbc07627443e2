// Ratios (shares, rates) by month on the dashboard's line chart, on an axis of round steps written with
// as many decimals as the step needs (0.25% must not read 0.3%).

import type { Locale } from "~/i18n/locales";
import { formatExact, formatPercentDigits } from "~/lib/format";
import { type ChartRow, Lines } from "../charts/lines";
import { decimalsFor, niceTicks } from "../charts/ticks";

export interface RatioSeries {
  key: string;
  name: string;
}

/** Ratios (shares, rates) by month, one line per series, each named at its end. */
export function RatioLines({
  rows,
  series,
  locale,
  title,
  reference,
}: {
  rows: ChartRow[];
  series: readonly RatioSeries[];
  locale: Locale;
  title: string;
  /** A level to mark across the chart, with its meaning written on it. */
  reference?: { value: number; label: string };
}) {
  const values = rows.flatMap((r) =>
    series.map((s) => r[s.key]).filter((v): v is number => typeof v === "number"),
  );
  const top = Math.max(reference?.value ?? 0, ...values);
  const ticks = niceTicks(top > 0 ? top : 0.01);
  const hi = ticks.at(-1) as number;
  // The fewest decimals that write the step exactly (2.5% → 1, 0.25% → 2, 0.02% → 2, 10% → 0).
  const digits = decimalsFor(((ticks[1] ?? hi) - (ticks[0] ?? 0)) * 100);

  return (
    <Lines
      rows={rows}
      x="label"
      series={series}
      format={(v) => formatExact(v, "ratio", locale)}
      tickFormat={(v) => formatPercentDigits(v, locale, digits)}
      domain={[0, hi]}
      ticks={ticks}
      reference={reference}
      caption={title}
    />
  );
}

import type { SeriesPoint } from "~/.server/overview.server";
import type { Locale } from "~/i18n/locales";
import { type Grain, periodEnd } from "~/lib/filters";
import { formatCompact, formatExact, formatPeriod } from "~/lib/format";
import type { Unit } from "~/metrics/catalogue";
import { type ChartRow, type LineSeries, Lines } from "../charts/lines";
import { PALETTE } from "../charts/palette";

export interface TrendChartProps {
  points: SeriesPoint[];
  unit: Unit;
  grain: Grain;
  locale: Locale;
  /** ISO code of the amounts (EUR unless one country is shown in its own currency). */
  currency?: string;
  currentLabel: string;
  comparisonLabel: string | null;
  summary: string;
  partialNote: (periods: string) => string;
  partialPeriod: (days: number, of: number) => string;
}

/** The chosen metric by period, the comparison period overlaid (dashed) at the same positions. */
export function TrendChart({
  points,
  unit,
  grain,
  locale,
  currency = "EUR",
  currentLabel,
  comparisonLabel,
  summary,
  partialNote,
  partialPeriod,
}: TrendChartProps) {
  // A period the range cuts short is marked with an asterisk and drawn dotted, explained below the chart.
  const rows: ChartRow[] = points.map((p) => ({
    label: `${formatPeriod(p.key, grain, locale)}${p.partial ? "*" : ""}`,
    // The days the period covers: business events in them are marked on the chart.
    periodFrom: p.key,
    periodTo: periodEnd(p.key, grain),
    current: p.current,
    comparison: p.comparison,
    comparisonKey: p.comparisonKey,
    coverage: p.partial ? partialPeriod(p.days, p.daysOf) : null,
  }));
  const partial = points.map((p) => p.partial);
  const partialList = points
    .filter((p) => p.partial)
    .map((p) => `${formatPeriod(p.key, grain, locale)} (${partialPeriod(p.days, p.daysOf)})`)
    .join(", ");
  const series: LineSeries[] = [
    {
      key: "current",
      name: currentLabel,
      colour: { light: PALETTE.light.current, dark: PALETTE.dark.current },
      dash: "",
      width: 2.5,
    },
  ];
  if (comparisonLabel)
    series.push({
      key: "comparison",
      name: comparisonLabel,
      colour: { light: PALETTE.light.comparison, dark: PALETTE.dark.comparison },
      dash: "6 4",
    });
  return (
    <Lines
      rows={rows}
      x="label"
      series={series}
      format={(v) => formatExact(v, unit, locale, currency)}
      tickFormat={(v) => formatCompact(v, unit, locale, currency)}
      tooltipLabel={(label, row) => {
        const coverage = typeof row?.coverage === "string" ? ` — ${row.coverage}` : "";
        return typeof row?.comparisonKey === "string" && comparisonLabel
          ? `${label}${coverage} (${comparisonLabel}: ${formatPeriod(row.comparisonKey, grain, locale)})`
          : `${label}${coverage}`;
      }}
      height={320}
      axisWidth={72}
      caption={summary}
      note={partialList ? partialNote(partialList) : undefined}
      partialRows={partial}
      connectNulls
    />
  );
}

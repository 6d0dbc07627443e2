import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { MonthRow } from "~/.server/profitability.server";
import { Drawn } from "~/components/charts/drawn";
import type { Locale } from "~/i18n/locales";
import { formatCompact, formatExact } from "~/lib/format";
import { EventList, eventMarkers, useChartEvents } from "../charts/events";
import { ChartLegend } from "../charts/legend";
import { THEMED, TOOLTIP_STYLE, usePalette } from "../charts/palette";

export interface EbitdaChartLabels {
  ebitda: string;
  /** The legend's two bar colours: EBITDA at or above zero, and below. */
  ebitdaPositive: string;
  ebitdaNegative: string;
  rolling3: string;
  rolling12: string;
  trend: string;
  breakEven: string;
  target: string;
}

/** Monthly EBITDA (bars: green above zero, vermilion below, and labelled), its rolling sums and the trend. */
export function EbitdaChart({
  rows,
  locale,
  currency = "EUR",
  labels,
  breakEven,
  target,
  summary,
  mode,
}: {
  mode: "monthly" | "rolling";
  /** The months' EBITDA, rolling sums and trend (their P&L in text is the table's, not the chart's). */
  /** `ebitda` is null for a month ahead (the trend goes on). */
  rows: (Pick<MonthRow, "month" | "label" | "rolling3" | "rolling12" | "trend"> & {
    ebitda: number | null;
  })[];
  locale: Locale;
  /** ISO code of the amounts (EUR unless one country is shown in its own currency). */
  currency?: string;
  labels: EbitdaChartLabels;
  breakEven: string | null;
  target: string | null;
  summary: string;
}) {
  const palette = usePalette();
  const positive = palette.dark ? THEMED.positive.dark : THEMED.positive.light;
  const negative = palette.dark ? THEMED.negative.dark : THEMED.negative.light;
  const label = (month: string | null) => rows.find((r) => r.month === month)?.label;
  // Business events in the months shown (rows carry their month): numbered markers, named below.
  const { marked, locale: eventsLocale } = useChartEvents(
    rows as unknown as Record<string, string | number | null>[],
    "label",
  );
  const eur = (v: unknown) =>
    typeof v === "number" && Number.isFinite(v) ? formatExact(v, "eur", locale, currency) : "—";
  const marker = (
    month: string | null,
    text: string,
    position: "insideTopRight" | "insideBottomRight",
    stroke: string,
  ) =>
    month && label(month) ? (
      <ReferenceLine
        x={label(month)}
        stroke={stroke}
        strokeDasharray="3 3"
        label={{ value: text, position, fill: "currentColor", fontSize: 12 }}
      />
    ) : null;
  return (
    <figure className="chart">
      <Drawn height={mode === "monthly" ? 340 : 260}>
        {() => (
          <ComposedChart
            responsive
            style={{ width: "100%", height: mode === "monthly" ? 340 : 260 }}
            data={rows}
            margin={{ top: 24, right: 24, bottom: 8, left: 8 }}
            accessibilityLayer
          >
            <CartesianGrid stroke={palette.grid} vertical={false} />
            <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 12 }} minTickGap={24} />
            <YAxis
              tick={{ fill: "currentColor", fontSize: 12 }}
              width={72}
              tickFormatter={(v: number) => formatCompact(v, "eur", locale, currency)}
            />
            <Tooltip formatter={(v, name) => [eur(v), name]} contentStyle={TOOLTIP_STYLE} />
            <ReferenceLine y={0} stroke="currentColor" />
            {mode === "monthly" ? (
              <Bar dataKey="ebitda" name={labels.ebitda} isAnimationActive={false}>
                {rows.map((r) => (
                  <Cell key={r.month} fill={(r.ebitda ?? 0) >= 0 ? positive : negative} />
                ))}
              </Bar>
            ) : null}
            {mode === "monthly" ? (
              <Line
                dataKey="trend"
                name={labels.trend}
                stroke="currentColor"
                dot={false}
                strokeWidth={1.5}
                strokeDasharray="8 4"
                isAnimationActive={false}
                connectNulls
              />
            ) : null}
            {mode === "rolling" ? (
              <Line
                dataKey="rolling3"
                name={labels.rolling3}
                stroke={palette.current}
                dot={false}
                strokeWidth={2}
                isAnimationActive={false}
              />
            ) : null}
            {mode === "rolling" ? (
              <Line
                dataKey="rolling12"
                name={labels.rolling12}
                stroke={palette.comparison}
                dot={false}
                strokeWidth={2}
                strokeDasharray="2 3"
                isAnimationActive={false}
              />
            ) : null}
            {marker(breakEven, labels.breakEven, "insideTopRight", positive)}
            {marker(target, labels.target, "insideBottomRight", "currentColor")}
            {eventMarkers(marked)}
          </ComposedChart>
        )}
      </Drawn>
      <EventList marked={marked} locale={eventsLocale} />
      <ChartLegend
        entries={
          mode === "monthly"
            ? [
                { label: labels.ebitdaPositive, colour: positive, kind: "box" },
                { label: labels.ebitdaNegative, colour: negative, kind: "box" },
                { label: labels.trend, colour: "currentColor", kind: "line", dash: "8 4" },
              ]
            : [
                { label: labels.rolling3, colour: palette.current, kind: "line" },
                { label: labels.rolling12, colour: palette.comparison, kind: "line", dash: "2 3" },
              ]
        }
      />
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}

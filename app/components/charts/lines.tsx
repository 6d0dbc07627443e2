// The dashboard's line chart: one line per series over a category axis (months, days), each line in its
// palette colour and dash pattern and named at its right end, so colour is never the only cue. Pages give
// the rows, the series and how to write a value; the rest (axes, grid, tooltip, themes, end labels that
// never overlap, a dot per point when there are too few points to draw a line) is decided here once.

import type { ReactNode } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { Drawn } from "./drawn";
import { endLabelRoom, endLabels } from "./end-labels";
import { EventList, eventMarkers, useChartEvents } from "./events";
import { ChartLegend } from "./legend";
import { useNarrow } from "./narrow";
import { colourOf, TOOLTIP_STYLE, usePalette } from "./palette";
import { niceScale } from "./ticks";

/** Dash patterns in series order: with the colours, two cues for every line. */
export const SERIES_DASHES = ["", "6 3", "2 3", "10 4 2 4", "", "6 3", "2 3", "10 4 2 4"];

export type ChartRow = Record<string, string | number | null>;

export interface LineSeries {
  key: string;
  name: string;
  /** Light and dark theme colours; the palette's series colour by position when absent. */
  colour?: { light: string; dark: string };
  /** A dash pattern; the position's pattern when absent. */
  dash?: string;
  /** Stroke width (2 by default): the series a page is about may be drawn thicker. */
  width?: number;
}

export function Lines({
  rows,
  x,
  xLabel,
  series,
  format,
  tickFormat = format,
  domain,
  ticks,
  reference,
  zeroLine = false,
  height = 280,
  caption,
  named = true,
  connectNulls = false,
  tooltipLabel,
  note,
  axisWidth = 60,
  partialRows,
}: {
  rows: readonly ChartRow[];
  /** The key of the category (x) in each row. */
  x: string;
  /** How a category is written on the axis and in the tooltip (as it is when absent). */
  xLabel?: (value: string) => string;
  series: readonly LineSeries[];
  /** How a value is written in the tooltip. */
  format: (value: number) => string;
  /** How a value is written on the axis (as in the tooltip when absent), knowing the ticks' step. */
  tickFormat?: (value: number, step: number) => string;
  /** The y axis' ends; from 0 (or below, for negative values) to the data's maximum when absent. */
  domain?: readonly [number, number];
  ticks?: readonly number[];
  /** A level to mark across the chart, with its meaning written on it. */
  reference?: { value: number; label: string };
  /** A solid line at 0 (for series that go negative). */
  zeroLine?: boolean;
  height?: number;
  /** What the chart shows, for screen readers (pages show a visible title above it). */
  caption: string;
  /** Each line named at its end (false for a single series named by its title). */
  named?: boolean;
  connectNulls?: boolean;
  /** The tooltip's heading for a point (the category as written on the axis when absent). */
  tooltipLabel?: (label: string, row: ChartRow | undefined) => string;
  /** A visible note under the chart (what an asterisk means, say). */
  note?: ReactNode;
  /** Room for the value axis' ticks, in px. */
  axisWidth?: number;
  /**
   * Rows whose period is cut short (a month of 1 day of 31): each line reaches them dotted and thin,
   * with a hollow dot, so that a partial period never reads as a collapse.
   */
  partialRows?: readonly boolean[];
}) {
  const palette = usePalette();
  const { marked, locale } = useChartEvents(rows, x);
  // On a phone the names go to a legend under the chart: at the lines' ends they would squeeze the plot.
  const narrow = useNarrow();
  const legend = named && narrow;
  const labelled = named && !narrow;
  const chart = () => {
    const margin = {
      top: marked.length > 0 ? 22 : 12,
      right: labelled ? endLabelRoom(series.map((s) => s.name)) : 12,
      bottom: 8,
      left: 4,
    };
    const plotHeight = height - margin.top - margin.bottom - 30;
    const values = rows.flatMap((r) =>
      series.map((s) => r[s.key]).filter((v): v is number => typeof v === "number"),
    );
    const [lo, hi] = domain ?? [Math.min(0, ...values), Math.max(0, reference?.value ?? 0, ...values)];
    // Round ticks, unless the page gives its own: recharts' own steps may be 1.5, which a 0-decimal
    // axis writes 0%, 2%, 3%, 5%.
    const scale = ticks
      ? { ticks: [...ticks], step: (ticks[1] ?? 1) - (ticks[0] ?? 0) }
      : domain
        ? null
        : niceScale(lo, hi);
    const endLabel = endLabels(
      rows,
      series.map((s) => s.key),
      plotHeight,
      [lo, hi],
    );
    const few = rows.length <= 3;
    const data = partialRows?.some(Boolean) ? splitRows(rows, series, partialRows) : rows;
    return (
      <LineChart
        responsive
        style={{ width: "100%", height }}
        data={data as ChartRow[]}
        margin={margin}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis
          dataKey={x}
          tickFormatter={xLabel ? (v) => xLabel(String(v)) : undefined}
          tick={{ fill: "currentColor", fontSize: 11 }}
          minTickGap={24}
        />
        <YAxis
          width={axisWidth}
          domain={
            domain
              ? [domain[0], domain[1]]
              : scale
                ? [scale.ticks[0] ?? 0, scale.ticks.at(-1) ?? 1]
                : [lo < 0 ? "auto" : 0, "auto"]
          }
          ticks={scale ? scale.ticks : undefined}
          interval={0}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={(v: number) => tickFormat(Number(v), scale?.step ?? 0)}
        />
        {zeroLine ? <ReferenceLine y={0} stroke="currentColor" /> : null}
        {/* Business events: a dotted line at their period, numbered at the top; the list under the chart names them. */}
        {eventMarkers(marked)}
        {reference ? (
          <ReferenceLine
            y={reference.value}
            stroke="currentColor"
            strokeDasharray="1 4"
            strokeWidth={1.5}
            label={{
              value: reference.label,
              position: "insideTopLeft",
              fill: "currentColor",
              fontSize: 11,
            }}
          />
        ) : null}
        <Tooltip
          labelFormatter={(v, payload) => {
            const label = xLabel ? xLabel(String(v)) : String(v);
            return tooltipLabel ? tooltipLabel(label, payload?.[0]?.payload as ChartRow | undefined) : label;
          }}
          formatter={(v, name) => [typeof v === "number" ? format(v) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
        />
        {series.map((s, i) => {
          const colour = colourOf(s, i, palette.dark);
          if (partialRows?.some(Boolean))
            return partialLines(s, colour, i, partialRows, {
              connectNulls,
              few,
              named: labelled,
              endLabel,
            });
          return (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={colour}
              strokeWidth={s.width ?? 2}
              strokeDasharray={s.dash ?? SERIES_DASHES[i % SERIES_DASHES.length]}
              // A few points: a dot on each, solid whatever the line's dashes.
              dot={few ? { r: 3, fill: colour, strokeDasharray: "" } : false}
              connectNulls={connectNulls}
              isAnimationActive={false}
              label={labelled ? endLabel(s.key, s.name, colour) : undefined}
            />
          );
        })}
      </LineChart>
    );
  };
  return (
    <figure className="chart">
      <Drawn height={height}>{chart}</Drawn>
      <EventList marked={marked} locale={locale} />
      {legend ? (
        <ChartLegend
          entries={series.map((s, i) => ({
            label: s.name,
            colour: colourOf(s, i, palette.dark),
            kind: "line" as const,
            dash: s.dash ?? SERIES_DASHES[i % SERIES_DASHES.length],
          }))}
        />
      ) : null}
      {note ? (
        <figcaption>
          <span className="visually-hidden">{caption}</span>
          <span className="chart__note">{note}</span>
        </figcaption>
      ) : (
        <figcaption className="visually-hidden">{caption}</figcaption>
      )}
    </figure>
  );
}

/**
 * The rows with two more keys per series: whole rows on the solid line, partial rows (and the whole rows
 * next to them, to join the two) on the dotted one.
 */
function splitRows(rows: readonly ChartRow[], series: readonly LineSeries[], partial: readonly boolean[]) {
  return rows.map((row, r) => {
    const out: ChartRow = { ...row };
    const near = partial[r] || (partial[r + 1] ?? false) || (partial[r - 1] ?? false);
    for (const s of series) {
      const value = row[s.key] ?? null;
      out[`${s.key}__whole`] = partial[r] ? null : value;
      out[`${s.key}__partial`] = near ? value : null;
    }
    return out;
  });
}

/**
 * A series over whole and partial periods, as three lines: one that carries the values (for the tooltip
 * and the end label) and is not drawn, the whole periods solid, and the steps into and between partial
 * periods dotted, with a hollow dot on each partial one.
 */
function partialLines(
  s: LineSeries,
  colour: string,
  i: number,
  partial: readonly boolean[],
  options: {
    connectNulls: boolean;
    few: boolean;
    named: boolean;
    endLabel: ReturnType<typeof endLabels>;
  },
) {
  const whole = `${s.key}__whole`;
  const cut = `${s.key}__partial`;
  const width = s.width ?? 2;
  return [
    <Line
      key={s.key}
      dataKey={s.key}
      name={s.name}
      stroke="none"
      dot={false}
      activeDot={{ r: 4, fill: colour }}
      connectNulls={options.connectNulls}
      isAnimationActive={false}
      label={options.named ? options.endLabel(s.key, s.name, colour) : undefined}
    />,
    <Line
      key={whole}
      dataKey={whole}
      stroke={colour}
      strokeWidth={width}
      strokeDasharray={s.dash ?? SERIES_DASHES[i % SERIES_DASHES.length]}
      dot={options.few ? { r: 3, fill: colour, strokeDasharray: "" } : false}
      activeDot={false}
      tooltipType="none"
      legendType="none"
      connectNulls={options.connectNulls}
      isAnimationActive={false}
    />,
    <Line
      key={cut}
      dataKey={cut}
      stroke={colour}
      strokeWidth={Math.max(1.5, width - 0.5)}
      strokeDasharray="1 4"
      strokeLinecap="round"
      dot={(props: { cx?: number; cy?: number; index?: number }) =>
        props.index !== undefined &&
        partial[props.index] &&
        props.cx !== undefined &&
        props.cy !== undefined ? (
          <circle
            key={`${cut}-${props.index}`}
            cx={props.cx}
            cy={props.cy}
            r={4}
            fill="var(--surface, #fff)"
            stroke={colour}
            strokeWidth={2}
          />
        ) : (
          <g key={`${cut}-${props.index}`} />
        )
      }
      activeDot={false}
      tooltipType="none"
      legendType="none"
      connectNulls={false}
      isAnimationActive={false}
    />,
  ];
}

// The dashboard's stacked bar chart: one column per category (months), stacked by series, each series
// named beside its segment of the last column (and in the legend), in the palette's colours: the names
// carry the meaning, colour only helps.

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { Drawn } from "./drawn";
import { endLabelRoom, endLabelShifts } from "./end-labels";
import { EventList, eventMarkers, useChartEvents } from "./events";
import { legendText } from "./legend";
import type { ChartRow, LineSeries } from "./lines";
import { colourOf, TOOLTIP_STYLE, usePalette } from "./palette";
import { niceTicks } from "./ticks";

const MARGIN = { top: 8, bottom: 8, left: 4 };
const AXIS_HEIGHT = 30;
const LEGEND_HEIGHT = 28;

export function StackedBars({
  rows,
  x,
  series,
  format,
  tickFormat = format,
  height = 260,
  caption,
}: {
  rows: readonly ChartRow[];
  /** The key of the category (x) in each row. */
  x: string;
  series: readonly Pick<LineSeries, "key" | "name" | "colour">[];
  format: (value: number) => string;
  tickFormat?: (value: number) => string;
  height?: number;
  caption: string;
}) {
  const palette = usePalette();
  // Business events in the columns' periods (rows carry their `month` or periodFrom/periodTo).
  const { marked, locale } = useChartEvents(rows, x);
  // Room above the plot for the events' numbers.
  const margin = { ...MARGIN, top: marked.length > 0 ? MARGIN.top + 14 : MARGIN.top };
  const chart = () => {
    const num = (v: unknown) => (typeof v === "number" && v > 0 ? v : 0);
    const totals = rows.map((r) => series.reduce((t, s) => t + num(r[s.key]), 0));
    const ticks = niceTicks(Math.max(1e-9, ...totals) || 1);
    const hi = ticks.at(-1) as number;
    const plotHeight = height - margin.top - margin.bottom - AXIS_HEIGHT - LEGEND_HEIGHT;
    // The last column's segments, named at their middle, pushed apart where thin segments would overlap.
    const last = rows.length - 1;
    let base = 0;
    const ends = series.map((s) => {
      const v = num(rows[last]?.[s.key]);
      const mid = base + v / 2;
      base += v;
      return { key: s.key, px: ((hi - mid) / hi) * plotHeight, value: v };
    });
    const shift = endLabelShifts(
      ends.filter((e) => e.value > 0),
      plotHeight,
    );
    const right = endLabelRoom(
      series.map((s) => s.name),
      0,
    );
    return (
      <BarChart
        responsive
        style={{ width: "100%", height }}
        data={rows as ChartRow[]}
        margin={{ ...margin, right }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis dataKey={x} tick={{ fill: "currentColor", fontSize: 11 }} minTickGap={24} />
        <YAxis
          width={64}
          domain={[0, hi]}
          ticks={ticks}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={(v: number) => tickFormat(v)}
        />
        <Tooltip
          formatter={(v, name) => [typeof v === "number" ? format(v) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
          cursor={{ fill: palette.grid, fillOpacity: 0.4 }}
        />
        <Legend wrapperStyle={{ color: "currentColor" }} height={LEGEND_HEIGHT} formatter={legendText} />
        {series.map((s, i) => {
          const colour = colourOf(s, i, palette.dark);
          return (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stackId="stack"
              fill={colour}
              isAnimationActive={false}
              label={(props: {
                index?: number;
                x?: number | string;
                y?: number | string;
                width?: number | string;
                height?: number | string;
              }) =>
                props.index === last && num(rows[last]?.[s.key]) > 0 ? (
                  <text
                    x={Number(props.x) + Number(props.width) + 6}
                    y={Number(props.y) + Number(props.height) / 2}
                    dy={4 + (shift.get(s.key) ?? 0)}
                    fill="currentColor"
                    fontSize={12}
                    fontWeight={600}
                  >
                    {s.name}
                  </text>
                ) : (
                  <g />
                )
              }
            />
          );
        })}
        {eventMarkers(marked)}
      </BarChart>
    );
  };
  return (
    <figure className="chart">
      <Drawn height={height}>{chart}</Drawn>
      <EventList marked={marked} locale={locale} />
      <figcaption className="visually-hidden">{caption}</figcaption>
    </figure>
  );
}

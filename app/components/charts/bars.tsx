// The dashboard's bar chart: one horizontal bar per category, named on its own axis and with its value
// written at its end, so nothing relies on colour. Pages give the rows and how to write a value.

import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import { Drawn } from "./drawn";
import { TOOLTIP_STYLE, usePalette } from "./palette";

export interface BarRow {
  label: string;
  value: number | null;
}

export function Bars({
  rows,
  format,
  labelFormat = format,
  axisFormat,
  caption,
  labelWidth = 132,
  barHeight = 28,
  minHeight = 0,
}: {
  rows: readonly BarRow[];
  /** How a value is written in the tooltip. */
  format: (value: number) => string;
  /** How a value is written at the end of its bar (as in the tooltip when absent). */
  labelFormat?: (value: number) => string;
  /** How the value axis is written; no value axis when absent (the bars carry their values). */
  axisFormat?: (value: number) => string;
  /** What the chart shows, for screen readers and as the tooltip's series name. */
  caption: string;
  /** Room for the category names, in px. */
  labelWidth?: number;
  barHeight?: number;
  minHeight?: number;
}) {
  const palette = usePalette();
  // A category without a value keeps its place and reads "—".
  const data = rows;
  const height = Math.max(minHeight, data.length * barHeight + (axisFormat ? 40 : 12));
  const chart = () => {
    const values = data.map((d) => d.value).filter((v): v is number => v !== null);
    // From 0 (or the lowest negative value) to the highest, so that a bar's length is its value.
    const domain: [number, number] = [Math.min(0, ...values), Math.max(0, ...values)];
    return (
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height }}
        data={data as BarRow[]}
        margin={{ top: 4, right: 88, bottom: 4, left: 4 }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} horizontal={false} />
        <XAxis
          type="number"
          hide={!axisFormat}
          domain={axisFormat ? undefined : domain}
          tick={{ fill: "currentColor", fontSize: 12 }}
          tickFormatter={axisFormat ? (v: number) => axisFormat(v) : undefined}
        />
        <YAxis
          type="category"
          dataKey="label"
          width={labelWidth}
          tick={{ fill: "currentColor", fontSize: 12 }}
          tickLine={false}
          interval={0}
        />
        <Tooltip
          formatter={(v) => [typeof v === "number" ? format(v) : "—", caption]}
          contentStyle={TOOLTIP_STYLE}
          cursor={{ fill: palette.grid, fillOpacity: 0.4 }}
        />
        <Bar dataKey="value" name={caption} fill={palette.bar} isAnimationActive={false} maxBarSize={22}>
          <LabelList
            dataKey="value"
            position="right"
            fill="currentColor"
            fontSize={12}
            formatter={(v: unknown) => (typeof v === "number" ? labelFormat(v) : "—")}
          />
        </Bar>
      </BarChart>
    );
  };
  return (
    <figure className="chart chart--bars">
      <Drawn height={height}>{chart}</Drawn>
      <figcaption className="visually-hidden">{caption}</figcaption>
    </figure>
  );
}

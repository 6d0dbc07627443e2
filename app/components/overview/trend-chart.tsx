import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { SeriesPoint } from "~/.server/overview.server";
import type { Locale } from "~/i18n/locales";
import type { Grain } from "~/lib/filters";
import { formatCompact, formatExact, formatPeriod } from "~/lib/format";
import type { Unit } from "~/metrics/catalogue";
import { TOOLTIP_STYLE, usePalette } from "../charts/palette";

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
  partialNote: string;
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
}: TrendChartProps) {
  const palette = usePalette();
  // A period the range cuts short is marked with an asterisk, explained below the chart.
  const data = points.map((p) => ({
    ...p,
    label: `${formatPeriod(p.key, grain, locale)}${p.partial ? "*" : ""}`,
  }));
  const partial = points.some((p) => p.partial);
  const value = (v: unknown) => (typeof v === "number" ? formatExact(v, unit, locale, currency) : "—");
  return (
    <figure className="chart">
      <LineChart
        responsive
        style={{ width: "100%", height: 320 }}
        data={data}
        margin={{ top: 16, right: 140, bottom: 8, left: 8 }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 12 }} minTickGap={16} />
        <YAxis
          tick={{ fill: "currentColor", fontSize: 12 }}
          width={72}
          tickFormatter={(v: number) => formatCompact(v, unit, locale, currency)}
        />
        <Tooltip
          formatter={(v, name) => [value(v), name]}
          labelFormatter={(label, payload) => {
            const row = payload?.[0]?.payload as { comparisonKey?: string | null } | undefined;
            return row?.comparisonKey && comparisonLabel
              ? `${label} (${comparisonLabel}: ${formatPeriod(row.comparisonKey, grain, locale)})`
              : label;
          }}
          contentStyle={TOOLTIP_STYLE}
        />
        <Legend wrapperStyle={{ color: "currentColor" }} />
        <Line
          type="monotone"
          dataKey="current"
          name={currentLabel}
          stroke={palette.current}
          strokeWidth={2.5}
          dot={points.length <= 24}
          isAnimationActive={false}
          connectNulls
          label={endLabel(currentLabel, palette.current, data.length, -6)}
        />
        {comparisonLabel ? (
          <Line
            type="monotone"
            dataKey="comparison"
            name={comparisonLabel}
            stroke={palette.comparison}
            strokeWidth={2}
            strokeDasharray="6 4"
            dot={false}
            isAnimationActive={false}
            connectNulls
            label={endLabel(comparisonLabel, palette.comparison, data.length, 14)}
          />
        ) : null}
      </LineChart>
      <figcaption>
        <span className="visually-hidden">{summary}</span>
        {partial ? <span className="chart__note">{partialNote}</span> : null}
      </figcaption>
    </figure>
  );
}

/** A line's name written at its last point: the series are told apart without the legend or colour. */
function endLabel(name: string, colour: string, points: number, dy: number) {
  // A render function for recharts' label prop (called, not mounted as a component).
  return (props: { x?: number | string; y?: number | string; index?: number }) => {
    if (props.index !== points - 1 || props.x === undefined || props.y === undefined) return <g />;
    return (
      <text x={Number(props.x) + 8} y={Number(props.y)} dy={dy} fill={colour} fontSize={12} fontWeight={600}>
        {name}
      </text>
    );
  };
}

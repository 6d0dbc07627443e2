import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { Locale } from "~/i18n/locales";
import { formatExact } from "~/lib/format";
import { niceTicks } from "~/metrics/channels";
import { seriesColour, TOOLTIP_STYLE, usePalette } from "../charts/palette";

// Okabe–Ito colours with a dash pattern each, and the series' name at the end of its line: colour is
// never the only cue. The figures are also in a table beside every chart.
/** The same order on a dark surface: Okabe–Ito's light blue and yellow instead of the dark blue and sky blue. */
export const SERIES_DASHES = ["", "6 3", "2 3", "10 4 2 4", "", "6 3"];

export interface RatioSeries {
  key: string;
  name: string;
}

const HEIGHT = 280;
const MARGIN = { top: 12, right: 132, bottom: 8, left: 4 };
/** The plot area's height: the chart's, less its margins and the x axis. */
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom - 30;
const LABEL_GAP = 14;

/** Ratios (shares, rates) by month, one line per series, each named at its end. */
export function RatioLines({
  rows,
  series,
  locale,
  title,
  reference,
}: {
  rows: Record<string, string | number | null>[];
  series: readonly RatioSeries[];
  locale: Locale;
  title: string;
  /** A level to mark across the chart, with its meaning written on it. */
  reference?: { value: number; label: string };
}) {
  const palette = usePalette();
  const lastIndex = (key: string) => rows.findLastIndex((r) => typeof r[key] === "number");
  const values = rows.flatMap((r) =>
    series.map((s) => r[s.key]).filter((v): v is number => typeof v === "number"),
  );
  const top = Math.max(reference?.value ?? 0, ...values);
  const ticks = niceTicks(top > 0 ? top : 0.01);
  const hi = ticks.at(-1) as number;
  // As many decimals as the ticks' step needs: 0.25% must not read 0.3%.
  const stepPct = ((ticks[1] ?? hi) - (ticks[0] ?? 0)) * 100;
  // The fewest decimals that write the step exactly (2.5% → 1, 0.25% → 2, 0.02% → 2, 10% → 0).
  const digits =
    [0, 1, 2, 3, 4].find((d) => Math.abs(Math.round(stepPct * 10 ** d) - stepPct * 10 ** d) < 1e-6) ?? 4;
  stepPct >= 1 ? (Number.isInteger(Math.round(stepPct * 1e6) / 1e6) ? 0 : 1) : stepPct >= 0.1 ? 2 : 3;
  const tickFormat = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // End labels that would overlap are pushed apart, top to bottom, by at least LABEL_GAP pixels, and
  // the whole stack moves up if that pushes the last one below the plot.
  const ends = series
    .map((s) => ({ key: s.key, value: rows[lastIndex(s.key)]?.[s.key] }))
    .filter((e): e is { key: string; value: number } => typeof e.value === "number")
    .map((e) => ({ key: e.key, px: ((hi - e.value) / hi) * PLOT_HEIGHT }))
    .sort((a, b) => a.px - b.px);
  const shift = new Map<string, number>();
  let previous = Number.NEGATIVE_INFINITY;
  for (const end of ends) {
    const placed = Math.max(end.px, previous + LABEL_GAP);
    shift.set(end.key, placed - end.px);
    previous = placed;
  }
  const overflow = Math.max(0, previous - PLOT_HEIGHT);
  if (overflow > 0) for (const [key, value] of shift) shift.set(key, value - overflow);
  const endLabel = (key: string, text: string, colour: string) => {
    const at = lastIndex(key);
    return (props: { index?: number; x?: number | string; y?: number | string }) =>
      props.index === at ? (
        <text
          x={Number(props.x) + 6}
          y={Number(props.y)}
          dy={4 + (shift.get(key) ?? 0)}
          fill={colour}
          fontSize={12}
          fontWeight={600}
        >
          {text}
        </text>
      ) : (
        <g />
      );
  };
  const colourOf = (i: number) => seriesColour(i, palette.dark);
  return (
    <figure className="chart">
      <LineChart
        responsive
        style={{ width: "100%", height: HEIGHT }}
        data={rows}
        margin={MARGIN}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 11 }} minTickGap={24} />
        <YAxis
          width={56}
          domain={[0, hi]}
          ticks={ticks}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={(v: number) => tickFormat.format(v)}
        />
        {reference ? (
          <ReferenceLine
            y={reference.value}
            stroke="currentColor"
            strokeDasharray="1 4"
            strokeWidth={1.5}
            label={{ value: reference.label, position: "insideTopLeft", fill: "currentColor", fontSize: 11 }}
          />
        ) : null}
        <Tooltip
          formatter={(v, name) => [typeof v === "number" ? formatExact(v, "ratio", locale) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
        />
        {series.map((s, i) => {
          const colour = colourOf(i);
          return (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={colour}
              strokeWidth={2}
              strokeDasharray={SERIES_DASHES[i % SERIES_DASHES.length]}
              dot={rows.length <= 3 ? { r: 3 } : false}
              connectNulls={false}
              isAnimationActive={false}
              label={endLabel(s.key, s.name, colour)}
            />
          );
        })}
      </LineChart>
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}

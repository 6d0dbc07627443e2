import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { RolloutView } from "~/.server/rollout.server";
import type { Locale } from "~/i18n/locales";
import type { RolloutMessages } from "~/i18n/rollout";
import { formatCompact, formatMetricValue } from "~/lib/format";
import { TOOLTIP_STYLE, usePalette } from "../overview/palette";

// Okabe–Ito's eight colours, and a dash pattern per line: colour is never the only cue, and each line
// carries its country's name at its end.
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const DASHES = ["", "6 3", "2 3", "10 4 2 4", "", "6 3", "2 3", "10 4 2 4"];

export type RolloutUnit = "count" | "eur" | "ratio";

const HEIGHT = 360;
/** The plot area's height: the chart's, less its margins and the x axis with its title. */
const PLOT_HEIGHT = HEIGHT - 12 - 24 - 30;
const LABEL_GAP = 14;

export function formatRollout(value: number | null, unit: RolloutUnit, locale: Locale): string {
  if (value === null) return "—";
  if (unit === "ratio")
    return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
  return formatMetricValue(value, unit, locale);
}

/** One line per country by month of age (or calendar month), and the median of all countries, dashed. */
export function RolloutChart({
  view,
  names,
  unit,
  locale,
  messages,
}: {
  view: RolloutView;
  names: Record<string, string>;
  unit: RolloutUnit;
  locale: Locale;
  messages: RolloutMessages;
}) {
  const palette = usePalette();
  const byLaunch = view.params.axis === "launch";
  // One row per x: each country's value under its code, and the median (months since launch only).
  const rows = new Map<number | string, Record<string, number | string | null>>();
  const row = (x: number | string) => {
    let found = rows.get(x);
    if (!found) {
      found = { x };
      rows.set(x, found);
    }
    return found;
  };
  for (const s of view.series) for (const p of s.points) row(p.x)[s.country] = p.y;
  if (byLaunch) {
    const xs = [...rows.keys()] as number[];
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    for (const m of view.median) if (m.x >= lo && m.x <= hi) row(m.x).median = m.y;
  }
  const data = [...rows.values()].sort((a, b) =>
    typeof a.x === "number" && typeof b.x === "number" ? a.x - b.x : String(a.x).localeCompare(String(b.x)),
  );
  const tick = (v: number) =>
    unit === "ratio" ? formatRollout(v, unit, locale) : formatCompact(v, unit, locale);
  const lastIndex = (key: string) => data.findLastIndex((d) => d[key] !== undefined && d[key] !== null);
  // End labels that would overlap are pushed apart, top to bottom, at least LABEL_GAP pixels: their
  // pixel heights are estimated from the data's range over the plot's height (the axis rounds its ends,
  // so the estimate errs on the side of more room).
  const keys = [...(byLaunch && view.median.length ? ["median"] : []), ...view.series.map((s) => s.country)];
  const values = data.flatMap((d) => keys.map((k) => d[k]).filter((v): v is number => typeof v === "number"));
  const [lo, hi] = [Math.min(0, ...values), Math.max(0, ...values)];
  const ends = keys
    .map((key) => ({ key, value: data[lastIndex(key)]?.[key] }))
    .filter((e): e is { key: string; value: number } => typeof e.value === "number")
    .map((e) => ({ key: e.key, px: ((hi - e.value) / (hi - lo || 1)) * PLOT_HEIGHT }))
    .sort((a, b) => a.px - b.px);
  const shift = new Map<string, number>();
  let previous = Number.NEGATIVE_INFINITY;
  for (const end of ends) {
    const placed = Math.max(end.px, previous + LABEL_GAP);
    shift.set(end.key, placed - end.px);
    previous = placed;
  }
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
  return (
    <figure className="chart">
      <LineChart
        responsive
        style={{ width: "100%", height: HEIGHT }}
        data={data}
        margin={{ top: 12, right: 96, bottom: 24, left: 8 }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis
          dataKey="x"
          type={byLaunch ? "number" : "category"}
          domain={byLaunch ? [1, "dataMax"] : undefined}
          allowDecimals={false}
          tick={{ fill: "currentColor", fontSize: 11 }}
          minTickGap={24}
          label={
            byLaunch
              ? {
                  value: messages.monthsSinceLaunch,
                  position: "insideBottom",
                  offset: -14,
                  fill: "currentColor",
                  fontSize: 12,
                }
              : undefined
          }
        />
        <YAxis width={72} tick={{ fill: "currentColor", fontSize: 11 }} tickFormatter={tick} />
        <Tooltip
          labelFormatter={(x) => (byLaunch ? messages.monthOfAge(Number(x)) : String(x))}
          formatter={(v, name) => [typeof v === "number" ? formatRollout(v, unit, locale) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
        />
        {byLaunch ? (
          <Line
            dataKey="median"
            name={messages.median}
            stroke="currentColor"
            strokeOpacity={0.55}
            strokeWidth={3}
            strokeDasharray="1 5"
            strokeLinecap="round"
            dot={false}
            connectNulls
            isAnimationActive={false}
            label={endLabel("median", messages.median, "currentColor")}
          />
        ) : null}
        {view.series.map((s, i) => {
          const colour =
            i === 7 && palette.grid !== "#d9dde4" ? "#ffffff" : (COLOURS[i % COLOURS.length] as string);
          return (
            <Line
              key={s.country}
              dataKey={s.country}
              name={names[s.country] ?? s.country}
              stroke={colour}
              strokeWidth={2}
              strokeDasharray={DASHES[i % DASHES.length]}
              dot={false}
              connectNulls
              isAnimationActive={false}
              label={endLabel(s.country, names[s.country] ?? s.country, colour)}
            />
          );
        })}
      </LineChart>
      <figcaption className="visually-hidden">
        {messages.chartTitle(messages.metrics[view.metric])}
      </figcaption>
    </figure>
  );
}

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { MixMonth } from "~/.server/quality.server";
import type { Locale } from "~/i18n/locales";
import { formatMetricValue } from "~/lib/format";
import { GRADES, type Grade } from "~/metrics/quality";
import { TOOLTIP_STYLE, usePalette } from "../overview/palette";

// Okabe–Ito colours and a dash pattern per grade, and each line's grade name at its end: colour is never
// the only cue. Premium (the newest, the one in question) is the thickest.
const STYLE: Record<Grade, { light: string; dark: string; dash: string; width: number }> = {
  premium: { light: "#D55E00", dark: "#E69F00", dash: "", width: 3 },
  excellent: { light: "#0072B2", dark: "#56B4E9", dash: "6 3", width: 2 },
  very_good: { light: "#009E73", dark: "#009E73", dash: "2 3", width: 2 },
  good: { light: "#CC79A7", dark: "#CC79A7", dash: "10 4 2 4", width: 2 },
};

const HEIGHT = 320;
const MARGIN = { top: 12, right: 120, bottom: 8, left: 8 };
/** The plot area's height: the chart's, less its margins and the x axis. */
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom - 30;
const LABEL_GAP = 14;

const pct = (v: number, locale: Locale) => formatMetricValue(v, "ratio", locale);
const wholePct = (v: number, locale: Locale) =>
  new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(v);

/** Each grade's share of the month's devices sold, one line per grade, Premium from its launch. */
export function GradeMixChart({
  mix,
  monthLabels,
  gradeNames,
  locale,
  title,
}: {
  mix: MixMonth[];
  monthLabels: Record<string, string>;
  gradeNames: Record<string, string>;
  locale: Locale;
  title: string;
}) {
  const palette = usePalette();
  const dark = palette.grid !== "#d9dde4";
  const data = mix.map((m) => ({
    x: monthLabels[m.month] ?? m.month,
    ...Object.fromEntries(GRADES.map((g) => [g, m.grades[g]?.share ?? null])),
  })) as Record<string, string | number | null>[];
  const lastIndex = (g: Grade) => data.findLastIndex((d) => typeof d[g] === "number");
  // End labels that would overlap are pushed apart, top to bottom, LABEL_GAP pixels at least. The axis
  // runs from 0 to the largest share rounded up to a tenth, set here so that the estimate is exact.
  const values = data.flatMap((d) =>
    GRADES.map((g) => d[g]).filter((v): v is number => typeof v === "number"),
  );
  const hi = Math.min(1, Math.ceil(Math.max(0.01, ...values) * 10) / 10);
  const ends = GRADES.map((g) => ({ g, value: data[lastIndex(g)]?.[g] }))
    .filter((e): e is { g: Grade; value: number } => typeof e.value === "number")
    .map((e) => ({ g: e.g, px: ((hi - e.value) / hi) * PLOT_HEIGHT }))
    .sort((a, b) => a.px - b.px);
  const shift = new Map<Grade, number>();
  let previous = Number.NEGATIVE_INFINITY;
  for (const end of ends) {
    const placed = Math.max(end.px, previous + LABEL_GAP);
    shift.set(end.g, placed - end.px);
    previous = placed;
  }
  const endLabel = (g: Grade, colour: string) => {
    const at = lastIndex(g);
    return (props: { index?: number; x?: number | string; y?: number | string }) =>
      props.index === at ? (
        <text
          x={Number(props.x) + 6}
          y={Number(props.y)}
          dy={4 + (shift.get(g) ?? 0)}
          fill={colour}
          fontSize={12}
          fontWeight={600}
        >
          {gradeNames[g] ?? g}
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
        margin={MARGIN}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis dataKey="x" tick={{ fill: "currentColor", fontSize: 11 }} minTickGap={24} />
        <YAxis
          width={56}
          domain={[0, hi]}
          ticks={Array.from({ length: Math.round(hi * 10) + 1 }, (_, i) => i / 10)}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={(v: number) => wholePct(v, locale)}
        />
        <Tooltip
          formatter={(v, name) => [typeof v === "number" ? pct(v, locale) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
        />
        {GRADES.map((g) => {
          const s = STYLE[g];
          const colour = dark ? s.dark : s.light;
          return (
            <Line
              key={g}
              dataKey={g}
              name={gradeNames[g] ?? g}
              stroke={colour}
              strokeWidth={s.width}
              strokeDasharray={s.dash}
              // A few months: a dot per month, solid whatever the line's dashes.
              dot={data.length <= 3 ? { r: 3, fill: colour, strokeDasharray: "" } : false}
              isAnimationActive={false}
              label={endLabel(g, colour)}
            />
          );
        })}
      </LineChart>
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}

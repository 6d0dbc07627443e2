import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { MixMonth } from "~/.server/quality.server";
import type { Locale } from "~/i18n/locales";
import { formatMetricValue } from "~/lib/format";
import { GRADES, type Grade } from "~/metrics/quality";
import { endLabels } from "../charts/end-labels";
import { OKABE_ITO, TOOLTIP_STYLE, usePalette } from "../charts/palette";

// Okabe–Ito colours and a dash pattern per grade, and each line's grade name at its end: colour is never
// the only cue. Premium (the newest, the one in question) is the thickest.
const STYLE: Record<Grade, { light: string; dark: string; dash: string; width: number }> = {
  premium: { light: OKABE_ITO.vermillion, dark: OKABE_ITO.orange, dash: "", width: 3 },
  excellent: { light: OKABE_ITO.blue, dark: OKABE_ITO.skyBlue, dash: "6 3", width: 2 },
  very_good: { light: OKABE_ITO.bluishGreen, dark: OKABE_ITO.bluishGreen, dash: "2 3", width: 2 },
  good: { light: OKABE_ITO.reddishPurple, dark: OKABE_ITO.reddishPurple, dash: "10 4 2 4", width: 2 },
};

const HEIGHT = 320;
const MARGIN = { top: 12, right: 120, bottom: 8, left: 8 };
/** The plot area's height: the chart's, less its margins and the x axis. */
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom - 30;

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
  const dark = palette.dark;
  const data = mix.map((m) => ({
    x: monthLabels[m.month] ?? m.month,
    ...Object.fromEntries(GRADES.map((g) => [g, m.grades[g]?.share ?? null])),
  })) as Record<string, string | number | null>[];
  // The axis runs from 0 to the largest share rounded up to a tenth, set here so that the end labels'
  // spacing is estimated exactly.
  const values = data.flatMap((d) =>
    GRADES.map((g) => d[g]).filter((v): v is number => typeof v === "number"),
  );
  const hi = Math.min(1, Math.ceil(Math.max(0.01, ...values) * 10) / 10);
  const label = endLabels(data, GRADES, PLOT_HEIGHT, [0, hi]);
  const endLabel = (g: Grade, colour: string) => label(g, gradeNames[g] ?? g, colour);
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

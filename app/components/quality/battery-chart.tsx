import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import type { BatteryGrade } from "~/.server/quality.server";
import { Drawn } from "~/components/charts/drawn";
import type { Locale } from "~/i18n/locales";
import { formatMetricValue, formatPercentDigits } from "~/lib/format";
import { PREMIUM_BATTERY_MIN } from "~/metrics/quality";
import { TOOLTIP_STYLE, usePalette, WARNING } from "../charts/palette";

const pct = (v: number, locale: Locale) => formatMetricValue(v, "ratio", locale);

/**
 * One small bar chart per grade, on the same scale: the share of the grade's devices in each 5-point
 * battery band. Bands under 85% are hatched (and vermilion), so the Premium promise reads without colour.
 */
export function BatteryCharts({
  grades,
  bandLabels,
  gradeNames,
  locale,
  devicesLabel,
}: {
  grades: BatteryGrade[];
  bandLabels: Record<number, string>;
  gradeNames: Record<string, string>;
  locale: Locale;
  devicesLabel: (grade: BatteryGrade) => string;
}) {
  const palette = usePalette();
  const top = Math.max(0.05, ...grades.flatMap((g) => g.bands.map((b) => b.share ?? 0)));
  // The same scale for every grade, in whole tens of percent.
  const domain: [number, number] = [0, Math.ceil(top * 10) / 10];
  const under = palette.dark ? WARNING.dark : WARNING.light;
  return (
    <div className="multiples battery-multiples">
      {grades.map((g) => {
        const hatch = `hatch-${g.grade}`;
        const data = g.bands.map((b) => ({ label: bandLabels[b.band] ?? String(b.band), ...b }));
        return (
          <figure key={g.grade} className="chart multiples__item" data-grade={g.grade}>
            <figcaption className="multiples__title">
              {gradeNames[g.grade] ?? g.grade} <span className="footnote">{devicesLabel(g)}</span>
            </figcaption>
            <Drawn height={200}>
              {() => (
                <BarChart
                  responsive
                  style={{ width: "100%", height: 200 }}
                  data={data}
                  margin={{ top: 8, right: 8, bottom: 4, left: 4 }}
                  accessibilityLayer
                >
                  <defs>
                    <pattern
                      id={hatch}
                      width="6"
                      height="6"
                      patternUnits="userSpaceOnUse"
                      patternTransform="rotate(45)"
                    >
                      <rect width="6" height="6" fill={under} fillOpacity={0.25} />
                      <line x1="0" y1="0" x2="0" y2="6" stroke={under} strokeWidth="3" />
                    </pattern>
                  </defs>
                  <CartesianGrid stroke={palette.grid} vertical={false} />
                  <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 10 }} interval={0} />
                  <YAxis
                    domain={domain}
                    width={48}
                    tick={{ fill: "currentColor", fontSize: 11 }}
                    tickFormatter={(v: number) => formatPercentDigits(v, locale, 0)}
                  />
                  <Tooltip
                    formatter={(v) => [
                      typeof v === "number" ? pct(v, locale) : "—",
                      gradeNames[g.grade] ?? g.grade,
                    ]}
                    contentStyle={TOOLTIP_STYLE}
                    cursor={{ fill: palette.grid, fillOpacity: 0.4 }}
                  />
                  <Bar dataKey="share" isAnimationActive={false}>
                    {data.map((b) => (
                      <Cell
                        key={b.band}
                        fill={b.band < PREMIUM_BATTERY_MIN ? `url(#${hatch})` : palette.bar}
                        stroke={b.band < PREMIUM_BATTERY_MIN ? under : palette.bar}
                      />
                    ))}
                  </Bar>
                </BarChart>
              )}
            </Drawn>
          </figure>
        );
      })}
    </div>
  );
}

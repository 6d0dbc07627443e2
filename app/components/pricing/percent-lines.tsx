// Monthly percentages as lines (the price-display page's trend charts): each line has its own colour
// (Okabe–Ito) and dash pattern and carries its name at its right end, so colour is never the only cue.

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { Locale } from "~/i18n/locales";
import { endLabels } from "../charts/end-labels";
import { TOOLTIP_STYLE, usePalette } from "../charts/palette";

export interface PercentLine {
  key: string;
  name: string;
  /** Light and dark theme colours. */
  colour: { light: string; dark: string };
  dash?: string;
}

export function formatPercent(value: number | null | undefined, locale: Locale, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(value);
}

const HEIGHT = 300;

export function PercentLines({
  rows,
  lines,
  monthLabel,
  locale,
  caption,
}: {
  /** One row per month: its label under `month` and each line's value (null: no sale to compare). */
  rows: Record<string, string | number | null>[];
  lines: PercentLine[];
  monthLabel: (month: string) => string;
  locale: Locale;
  caption: string;
}) {
  const palette = usePalette();
  const dark = palette.dark;
  const values = rows.flatMap((r) =>
    lines.map((l) => r[l.key]).filter((v): v is number => typeof v === "number"),
  );
  const [lo, hi] = [Math.min(0, ...values), Math.max(0.05, ...values)];
  const endLabel = endLabels(
    rows,
    lines.map((l) => l.key),
    HEIGHT - 12 - 30,
    [lo, hi],
  );
  return (
    <figure className="chart">
      <LineChart
        responsive
        style={{ width: "100%", height: HEIGHT }}
        data={rows}
        margin={{ top: 12, right: 150, bottom: 8, left: 8 }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis
          dataKey="month"
          tickFormatter={(m) => monthLabel(String(m))}
          tick={{ fill: "currentColor", fontSize: 11 }}
          minTickGap={24}
        />
        <YAxis
          width={56}
          domain={[lo < 0 ? "auto" : 0, "auto"]}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={(v) => formatPercent(Number(v), locale, 0)}
        />
        <Tooltip
          labelFormatter={(m) => monthLabel(String(m))}
          formatter={(v, name) => [formatPercent(typeof v === "number" ? v : null, locale), name]}
          contentStyle={TOOLTIP_STYLE}
        />
        {lines.map((line) => {
          const colour = dark ? line.colour.dark : line.colour.light;
          return (
            <Line
              key={line.key}
              dataKey={line.key}
              name={line.name}
              stroke={colour}
              strokeWidth={2}
              strokeDasharray={line.dash}
              dot={rows.length <= 3}
              connectNulls={false}
              isAnimationActive={false}
              label={endLabel(line.key, line.name, colour)}
            />
          );
        })}
      </LineChart>
      <figcaption className="visually-hidden">{caption}</figcaption>
    </figure>
  );
}

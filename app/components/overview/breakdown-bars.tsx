import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import type { Locale } from "~/i18n/locales";
import { formatCompact, formatExact } from "~/lib/format";
import type { Unit } from "~/metrics/catalogue";
import { TOOLTIP_STYLE, usePalette } from "../charts/palette";

export interface BarDatum {
  key: string;
  label: string;
  value: number | null;
}

/** One bar per country, largest first, each with its value written at its end. */
export function BreakdownBars({
  rows,
  unit,
  locale,
  currency = "EUR",
  title,
}: {
  rows: BarDatum[];
  unit: Unit;
  locale: Locale;
  /** ISO code of the amounts (EUR unless one country is shown in its own currency). */
  currency?: string;
  title: string;
}) {
  const palette = usePalette();
  const data = rows.filter((r) => r.value !== null);
  return (
    <figure className="chart chart--bars">
      <BarChart
        responsive
        style={{ width: "100%", height: Math.max(160, data.length * 28 + 40) }}
        data={data}
        layout="vertical"
        margin={{ top: 8, right: 88, bottom: 8, left: 8 }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} horizontal={false} />
        <XAxis
          type="number"
          tick={{ fill: "currentColor", fontSize: 12 }}
          tickFormatter={(v: number) => formatCompact(v, unit, locale, currency)}
        />
        <YAxis
          type="category"
          dataKey="label"
          width={140}
          tick={{ fill: "currentColor", fontSize: 12 }}
          interval={0}
        />
        <Tooltip
          formatter={(v) => [typeof v === "number" ? formatExact(v, unit, locale, currency) : "—", title]}
          contentStyle={TOOLTIP_STYLE}
        />
        <Bar dataKey="value" name={title} fill={palette.bar} isAnimationActive={false} maxBarSize={22}>
          <LabelList
            dataKey="value"
            position="right"
            fill="currentColor"
            fontSize={12}
            formatter={(v: unknown) =>
              typeof v === "number" ? formatCompact(v, unit, locale, currency) : ""
            }
          />
        </Bar>
      </BarChart>
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}

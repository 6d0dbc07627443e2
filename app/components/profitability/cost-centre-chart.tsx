import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { ProfitabilityView } from "~/.server/profitability.server";
import type { Locale } from "~/i18n/locales";
import { formatCompact, formatExact, formatMetricValue } from "~/lib/format";
import { SERIES, TOOLTIP_STYLE, usePalette } from "../charts/palette";

// Okabe–Ito, one colour per cost centre; the legend names each, and the table below gives the figures.
const COLOURS = SERIES.light.slice(0, 5);

/** Headcount or operating costs per month, stacked by cost centre. */
export function CostCentreChart({
  costs,
  measure,
  names,
  locale,
  currency = "EUR",
  title,
}: {
  costs: ProfitabilityView["costs"];
  measure: "headcount" | "opex";
  names: Record<string, string>;
  locale: Locale;
  /** ISO code of the amounts (EUR unless one country is shown in its own currency). */
  currency?: string;
  title: string;
}) {
  const palette = usePalette();
  const data = costs.months.map((m) => ({ label: m.label, ...m[measure] }));
  const format = (v: number) =>
    measure === "opex"
      ? formatExact(v, "eur", locale, currency)
      : formatMetricValue(v, "count", locale, currency);
  return (
    <figure className="chart">
      <BarChart
        responsive
        style={{ width: "100%", height: 260 }}
        data={data}
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 11 }} minTickGap={24} />
        <YAxis
          width={64}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={(v: number) =>
            measure === "opex"
              ? formatCompact(v, "eur", locale, currency)
              : formatCompact(v, "count", locale, currency)
          }
        />
        <Tooltip
          formatter={(v, name) => [typeof v === "number" ? format(v) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
        />
        <Legend wrapperStyle={{ color: "currentColor" }} />
        {costs.centres.map((centre, i) => (
          <Bar
            key={centre}
            dataKey={centre}
            name={names[centre] ?? centre}
            stackId="centres"
            fill={COLOURS[i % COLOURS.length]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}

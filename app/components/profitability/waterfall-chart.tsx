import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import type { WaterfallStep } from "~/.server/profitability.server";
import { Drawn } from "~/components/charts/drawn";
import type { Locale } from "~/i18n/locales";
import { formatCompact, formatExact } from "~/lib/format";
import { OKABE_ITO, TOOLTIP_STYLE, usePalette } from "../charts/palette";

/** Net revenue down to EBITDA: totals as full bars, each cost as a bar hanging from the running total. */
export function WaterfallChart({
  steps,
  locale,
  currency = "EUR",
  title,
}: {
  steps: (WaterfallStep & { name: string })[];
  locale: Locale;
  /** ISO code of the amounts (EUR unless one country is shown in its own currency). */
  currency?: string;
  title: string;
}) {
  const palette = usePalette();
  const data = steps.map((s) => ({
    ...s,
    span: [Math.min(s.from, s.to), Math.max(s.from, s.to)] as [number, number],
  }));
  const fill = (s: WaterfallStep) =>
    s.kind === "total" ? (s.value >= 0 ? palette.current : OKABE_ITO.vermillion) : OKABE_ITO.vermillion;
  return (
    <figure className="chart">
      <Drawn height={320}>
        {() => (
          <BarChart
            responsive
            style={{ width: "100%", height: 320 }}
            data={data}
            margin={{ top: 24, right: 24, bottom: 8, left: 8 }}
            accessibilityLayer
          >
            <CartesianGrid stroke={palette.grid} vertical={false} />
            <XAxis dataKey="name" tick={{ fill: "currentColor", fontSize: 12 }} interval={0} />
            <YAxis
              tick={{ fill: "currentColor", fontSize: 12 }}
              width={72}
              tickFormatter={(v: number) => formatCompact(v, "eur", locale, currency)}
            />
            <Tooltip
              formatter={(_, __, item) => [
                formatExact((item.payload as WaterfallStep).value, "eur", locale, currency),
                title,
              ]}
              contentStyle={TOOLTIP_STYLE}
            />
            <Bar dataKey="span" isAnimationActive={false}>
              {data.map((s) => (
                <Cell key={s.id} fill={fill(s)} fillOpacity={s.kind === "total" ? 1 : 0.75} />
              ))}
              <LabelList dataKey="display" position="top" fill="currentColor" fontSize={12} />
            </Bar>
          </BarChart>
        )}
      </Drawn>
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}

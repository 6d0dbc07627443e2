import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { RegionsView } from "~/.server/regions.server";
import type { Locale } from "~/i18n/locales";
import { formatExact, formatMetricValue } from "~/lib/format";
import { TOOLTIP_STYLE, usePalette } from "../charts/palette";

/** One small chart per region, all on the same scale, so that their margins compare at a glance. */
export function SmallMultiples({
  multiples,
  locale,
}: {
  multiples: RegionsView["multiples"];
  locale: Locale;
}) {
  const palette = usePalette();
  const values = multiples
    .flatMap((m) => m.points.map((p) => p.value))
    .filter((v): v is number => v !== null);
  // One scale for every region, in whole tens of percent, zero included.
  const domain: [number, number] = [
    Math.floor(Math.min(0, ...values) * 10) / 10,
    Math.ceil(Math.max(0.1, ...values) * 10) / 10,
  ];
  return (
    <div className="multiples">
      {multiples.map((m) => (
        <figure key={m.region} className="chart multiples__item">
          <figcaption className="multiples__title">{m.name}</figcaption>
          <LineChart
            responsive
            style={{ width: "100%", height: 180 }}
            data={m.points}
            margin={{ top: 8, right: 12, bottom: 4, left: 4 }}
            accessibilityLayer
          >
            <CartesianGrid stroke={palette.grid} vertical={false} />
            <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 11 }} minTickGap={24} />
            <YAxis
              domain={domain}
              width={52}
              tick={{ fill: "currentColor", fontSize: 11 }}
              tickFormatter={(v: number) => formatMetricValue(v, "ratio", locale)}
            />
            <ReferenceLine y={0} stroke="currentColor" />
            <Tooltip
              formatter={(v) => [typeof v === "number" ? formatExact(v, "ratio", locale) : "—", m.name]}
              contentStyle={TOOLTIP_STYLE}
            />
            <Line
              dataKey="value"
              stroke={palette.current}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          </LineChart>
        </figure>
      ))}
    </div>
  );
}

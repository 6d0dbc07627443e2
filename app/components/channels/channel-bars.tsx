import { Bar, BarChart, CartesianGrid, LabelList, XAxis, YAxis } from "recharts";
import type { ChannelFigures } from "~/.server/channels.server";
import type { Locale } from "~/i18n/locales";
import { formatMetricValue } from "~/lib/format";
import { usePalette } from "../charts/palette";

type RatioField = "takeRate" | "contributionPct" | "returnRate";

/**
 * One small bar chart per ratio, every channel of the country a bar named on its own axis and its value
 * written at its end: nothing relies on colour.
 */
export function ChannelBars({
  channels,
  names,
  fields,
  locale,
}: {
  channels: { channel: string; figures: ChannelFigures }[];
  names: Record<string, string>;
  fields: { field: RatioField; title: string }[];
  locale: Locale;
}) {
  const palette = usePalette();
  const height = 36 + channels.length * 34;
  return (
    <div className="multiples">
      {fields.map(({ field, title }) => {
        const data = channels.map((c) => ({ name: names[c.channel] ?? c.channel, value: c.figures[field] }));
        const max = Math.max(0.01, ...data.map((d) => Math.abs(d.value ?? 0)));
        const min = Math.min(0, ...data.map((d) => d.value ?? 0));
        return (
          <figure key={field} className="chart multiples__item">
            <figcaption className="multiples__title">{title}</figcaption>
            <BarChart
              responsive
              layout="vertical"
              style={{ width: "100%", height }}
              data={data}
              margin={{ top: 4, right: 56, bottom: 4, left: 4 }}
              accessibilityLayer
            >
              <CartesianGrid stroke={palette.grid} horizontal={false} />
              <XAxis type="number" hide domain={[min, max]} />
              <YAxis
                type="category"
                dataKey="name"
                width={124}
                tick={{ fill: "currentColor", fontSize: 12 }}
                tickLine={false}
              />
              <Bar dataKey="value" fill={palette.bar} isAnimationActive={false} barSize={18}>
                <LabelList
                  dataKey="value"
                  position="right"
                  fill="currentColor"
                  fontSize={12}
                  formatter={(v: unknown) =>
                    typeof v === "number" ? formatMetricValue(v, "ratio", locale) : "—"
                  }
                />
              </Bar>
            </BarChart>
          </figure>
        );
      })}
    </div>
  );
}

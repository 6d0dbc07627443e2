import type { ChannelFigures } from "~/.server/channels.server";
import type { Locale } from "~/i18n/locales";
import { formatExact, formatMetricValue } from "~/lib/format";
import { Bars } from "../charts/bars";

type RatioField = "takeRate" | "contributionPct" | "returnRate";

/** One small bar chart per ratio, every channel of the country a bar with its value written at its end. */
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
  return (
    <div className="multiples">
      {fields.map(({ field, title }) => (
        <div key={field} className="multiples__item">
          <p className="multiples__title">{title}</p>
          <Bars
            rows={channels.map((c) => ({ label: names[c.channel] ?? c.channel, value: c.figures[field] }))}
            format={(v) => formatExact(v, "ratio", locale)}
            labelFormat={(v) => formatMetricValue(v, "ratio", locale)}
            caption={title}
            labelWidth={124}
            barHeight={34}
          />
        </div>
      ))}
    </div>
  );
}

import type { RegionsView } from "~/.server/regions.server";
import type { Locale } from "~/i18n/locales";
import { formatExact, formatMetricValue } from "~/lib/format";
import { Lines } from "../charts/lines";
import { PALETTE } from "../charts/palette";

/** One small chart per region, all on the same scale, so that their margins compare at a glance. */
export function SmallMultiples({
  multiples,
  locale,
}: {
  multiples: RegionsView["multiples"];
  locale: Locale;
}) {
  const values = multiples
    .flatMap((m) => m.points.map((p) => p.value))
    .filter((v): v is number => v !== null);
  // One scale for every region, in whole tens of percent, zero included.
  const domain: [number, number] = [
    Math.floor(Math.min(0, ...values) * 10) / 10,
    Math.ceil(Math.max(0.1, ...values) * 10) / 10,
  ];
  const colour = { light: PALETTE.light.current, dark: PALETTE.dark.current };
  return (
    <div className="multiples">
      {multiples.map((m) => (
        <div key={m.region} className="multiples__item">
          <p className="multiples__title">{m.name}</p>
          <Lines
            rows={m.points}
            x="label"
            series={[{ key: "value", name: m.name, colour, dash: "" }]}
            format={(v) => formatExact(v, "ratio", locale)}
            tickFormat={(v) => formatMetricValue(v, "ratio", locale)}
            domain={domain}
            zeroLine
            height={180}
            caption={m.name}
            named={false}
            connectNulls
          />
        </div>
      ))}
    </div>
  );
}

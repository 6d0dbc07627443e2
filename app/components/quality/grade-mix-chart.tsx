import type { MixMonth } from "~/.server/quality.server";
import type { Locale } from "~/i18n/locales";
import { formatMetricValue, formatPercentDigits } from "~/lib/format";
import { GRADES, type Grade } from "~/metrics/quality";
import { type ChartRow, type LineSeries, Lines } from "../charts/lines";
import { THEMED } from "../charts/palette";

// A colour and a dash pattern per grade, each line's grade name at its end: colour is never the only cue.
// Premium (the newest, the one in question) is the thickest.
const STYLE: Record<Grade, Omit<LineSeries, "key" | "name">> = {
  premium: { colour: THEMED.premium, dash: "", width: 3 },
  excellent: { colour: THEMED.excellent, dash: "6 3" },
  very_good: { colour: THEMED.veryGood, dash: "2 3" },
  good: { colour: THEMED.good, dash: "10 4 2 4" },
};

const wholePct = (v: number, locale: Locale) => formatPercentDigits(v, locale, 0);

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
  const rows: ChartRow[] = mix.map((m) => ({
    x: monthLabels[m.month] ?? m.month,
    month: m.month,
    ...Object.fromEntries(GRADES.map((g) => [g, m.grades[g]?.share ?? null])),
  }));
  // From 0 to the largest share rounded up to a tenth, a tick every tenth.
  const values = rows.flatMap((r) =>
    GRADES.map((g) => r[g]).filter((v): v is number => typeof v === "number"),
  );
  const hi = Math.min(1, Math.ceil(Math.max(0.01, ...values) * 10) / 10);
  return (
    <Lines
      rows={rows}
      x="x"
      series={GRADES.map((g) => ({ key: g, name: gradeNames[g] ?? g, ...STYLE[g] }))}
      format={(v) => formatMetricValue(v, "ratio", locale)}
      tickFormat={(v) => wholePct(v, locale)}
      domain={[0, hi]}
      ticks={Array.from({ length: Math.round(hi * 10) + 1 }, (_, i) => i / 10)}
      height={320}
      caption={title}
    />
  );
}

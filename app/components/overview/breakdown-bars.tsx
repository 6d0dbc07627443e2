import type { Locale } from "~/i18n/locales";
import { formatCompact, formatExact } from "~/lib/format";
import type { Unit } from "~/metrics/catalogue";
import { Bars } from "../charts/bars";

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
  return (
    <Bars
      rows={rows.filter((r) => r.value !== null)}
      format={(v) => formatExact(v, unit, locale, currency)}
      labelFormat={(v) => formatCompact(v, unit, locale, currency)}
      axisFormat={(v) => formatCompact(v, unit, locale, currency)}
      caption={title}
      labelWidth={140}
      minHeight={160}
    />
  );
}

import type { ProfitabilityView } from "~/.server/profitability.server";
import type { Locale } from "~/i18n/locales";
import { formatCompact, formatExact, formatMetricValue } from "~/lib/format";
import { StackedBars } from "../charts/stacked-bars";

/** Headcount or operating costs per month, stacked by cost centre, each centre named beside the last month. */
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
  const unit = measure === "opex" ? "eur" : "count";
  return (
    <StackedBars
      rows={costs.months.map((m) => ({ label: m.label, month: m.month, ...m[measure] }))}
      x="label"
      series={costs.centres.map((centre) => ({ key: centre, name: names[centre] ?? centre }))}
      format={(v) =>
        unit === "eur" ? formatExact(v, unit, locale, currency) : formatMetricValue(v, unit, locale, currency)
      }
      tickFormat={(v) => formatCompact(v, unit, locale, currency)}
      caption={title}
    />
  );
}

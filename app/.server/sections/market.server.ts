// The market context page's sections: the table by country, each chart's figures month by month, and
// the countries without market data, each one SectionTable built from the page's view. The page shows
// these tables and the download route writes them, so they cannot disagree. Every figure column is a
// catalogue metric (its id is the CSV header).

import type { Locale } from "~/i18n/locales";
import { MARKET_MESSAGES } from "~/i18n/market";
import { monthEnd } from "~/lib/grammar";
import { CATALOGUE } from "~/metrics/catalogue";
import type { MARKET_SECTIONS } from "~/sections/market";
import { col, type SectionColumn, type SectionTable } from "~/sections/table";
import { MARKET_FIGURES, type MarketView } from "../market.server";

export type MarketSectionId = (typeof MARKET_SECTIONS)[number];

/** Every section of the market context page, from its view. */
export function marketTables(view: MarketView, locale: Locale): Record<MarketSectionId, SectionTable> {
  const t = MARKET_MESSAGES[locale];
  const range = { from: `${view.period.from}-01`, to: monthEnd(view.period.to) };
  const table = (columns: SectionTable["columns"], rows: SectionTable["rows"]): SectionTable => ({
    columns,
    rows,
    range,
    currency: "EUR",
  });
  /** A catalogue metric's column; a share reads with two decimals below 1%. */
  const metric = (id: keyof typeof CATALOGUE, label?: string): SectionColumn => ({
    ...col.metric(CATALOGUE[id], locale, id, label),
    ...(CATALOGUE[id].unit === "ratio" ? { fine: true } : {}),
  });
  const country = col.code("country", t.countryCol, view.countryNames);
  const months = (field: "secondHandShare" | "companyShare") =>
    view.months.flatMap((m, i) =>
      view.withData.map((c) => [
        `${m.month}-01`,
        c.country,
        c.months[i]?.[field] ?? null,
        c.months[i]?.devices ?? 0,
      ]),
    );
  return {
    "market-second-hand-share": table(
      [col.month("month", t.month), country, metric("second_hand_share"), metric("devices_sold", t.devices)],
      months("secondHandShare"),
    ),
    "market-company-share": table(
      [
        col.month("month", t.month),
        country,
        metric("company_second_hand_share"),
        metric("devices_sold", t.devices),
      ],
      months("companyShare"),
    ),
    "market-countries": table(
      [country, col.count("market_months", t.months), ...MARKET_FIGURES.map(([, id]) => metric(id))],
      view.withData.map((c) => [
        c.country,
        c.figures.months,
        ...MARKET_FIGURES.map(([key]) => c.figures[key]),
      ]),
    ),
    "market-without": table(
      [country, metric("devices_sold", t.devicesInPeriod)],
      view.without.map((c) => [c.country, c.devices]),
    ),
  };
}

// The price-display page's sections: each chart's figures and each table as one SectionTable, built from
// the page's view. The page shows these tables and the download route writes them, so they cannot
// disagree. `pricing-sellers` and `pricing-models` keep the columns of the downloads they replace.

import type { Locale } from "~/i18n/locales";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { PRICING_MESSAGES } from "~/i18n/pricing";
import { monthEnd } from "~/lib/grammar";
import { CATALOGUE } from "~/metrics/catalogue";
import type { PRICING_SECTIONS } from "~/sections/pricing";
import { col, type SectionColumn, type SectionTable } from "~/sections/table";
import { countryNames as displayNamesOf } from "../overview.server";
import type { PricingFigures, PricingRow, PricingView } from "../pricing.server";

export type PricingSectionId = (typeof PRICING_SECTIONS)[number];

/** The figures of every breakdown table: [column id (the downloads' since before the sections), metric]. */
const FIGURES: [string, keyof PricingFigures][] = [
  ["sales", "devices_sold"],
  ["priced_sales", "priced_sales"],
  ["inflated_sales", "inflated_sales"],
  ["inflated_share", "inflated_display_share"],
  ["claimed_saving_pct", "claimed_saving_pct"],
  ["actual_saving_pct", "actual_saving_pct"],
  ["overstatement", "displayed_price_overstatement"],
];

/** A numeric id, written as an integer (as the downloads always did), shown as it is. */
/** A source id: opaque text as the source issued it (`007` is not 7), written as text in every format. */
const id = (name: string, label: string): SectionColumn => col.code(name, label);

/** Every section of the price-display page, from its view. */
export function pricingTables(
  view: PricingView,
  locale: Locale,
  limits: Partial<Record<PricingSectionId, number>> = {},
): Record<PricingSectionId, SectionTable> {
  const t = PRICING_MESSAGES[locale];
  const c = t.sectionColumns;
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const regions = displayNamesOf(locale);
  // Each country named once: the sellers' list repeats a few codes thousands of times, and a name is an
  // Intl lookup (4 ms a visit of /pricing when asked per seller).
  const countryNames = (list: readonly (string | null)[]) =>
    Object.fromEntries(
      [...new Set(list)].flatMap((code) => (code ? [[code, regions.of(code) ?? code]] : [])),
    );
  const range = { from: `${view.from}-01`, to: monthEnd(view.to) };
  const table = (columns: SectionColumn[], rows: SectionTable["rows"], total?: number): SectionTable => ({
    columns,
    rows,
    range,
    currency: "EUR",
    ...(total === undefined || total === rows.length ? {} : { total }),
  });
  // The sellers and models as far as the caller reads them (every one for a download).
  const sellers = view.sellers.slice(0, limits["pricing-sellers"] ?? view.sellers.length);
  const models = view.models.slice(0, limits["pricing-models"] ?? view.models.length);
  const figureColumns = FIGURES.map(([id, metric]) =>
    col.metric(CATALOGUE[metric], locale, id, id === "sales" ? c.sales : undefined),
  );
  const figureCells = (r: PricingRow) => FIGURES.map(([, metric]) => r.figures[metric]);
  const threshold = col.count("threshold_pct", c.thresholdPct);
  const month = col.month("month", c.month);
  return {
    "pricing-inflated-share": table(
      [
        month,
        threshold,
        col.metric(CATALOGUE.priced_sales, locale),
        col.metric(CATALOGUE.inflated_sales, locale),
        col.metric(CATALOGUE.inflated_display_share, locale, "inflated_share"),
      ],
      view.months.map((m) => [
        `${m.month}-01`,
        view.params.threshold,
        m.figures.priced_sales,
        m.figures.inflated_sales,
        m.figures.inflated_display_share,
      ]),
    ),
    "pricing-savings": table(
      [
        month,
        col.metric(CATALOGUE.claimed_saving_pct, locale),
        col.metric(CATALOGUE.actual_saving_pct, locale),
        col.metric(CATALOGUE.displayed_price_overstatement, locale, "overstatement"),
      ],
      view.months.map((m) => [
        `${m.month}-01`,
        m.figures.claimed_saving_pct,
        m.figures.actual_saving_pct,
        m.figures.displayed_price_overstatement,
      ]),
    ),
    "pricing-countries": table(
      [col.code("country_code", t.columns.country, countryNames(view.countries)), ...figureColumns],
      view.byCountry.map((r) => [r.key, ...figureCells(r)]),
    ),
    "pricing-categories": table(
      [col.code("category", t.columns.category, codes), ...figureColumns],
      view.byCategory.map((r) => [r.key, ...figureCells(r)]),
    ),
    "pricing-sellers": table(
      [
        id("seller_id", c.sellerId),
        col.text("seller_name", t.columns.seller),
        col.code("seller_country", c.sellerCountry, countryNames(sellers.map((s) => s.country))),
        threshold,
        ...figureColumns,
      ],
      sellers.map((s) => [s.key, s.name, s.country, view.params.threshold, ...figureCells(s)]),
      view.sellerCount,
    ),
    "pricing-models": table(
      [
        id("product_id", c.productId),
        col.text("brand", t.columns.brand),
        col.text("model", t.columns.model),
        col.code("category", t.columns.category, codes),
        threshold,
        ...figureColumns,
      ],
      models.map((m) => [m.key, m.brand, m.model, m.category, view.params.threshold, ...figureCells(m)]),
      view.modelCount,
    ),
  };
}

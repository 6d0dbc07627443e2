// What each export holds: the views of the dashboard as typed tables. Every table is computed through
// the same code as its screen (filtersFromUrl → metricQuery → computeMetrics, or the page's loader), so
// an export cannot disagree with what the reader saw; the order-item ledger is the one view too large
// for that, and is read from mart_order_items in SQL (see ./stream.server.ts).

import type { Locale } from "~/i18n/locales";
import { type DateRange, isWholeMonths, type ResolvedFilters } from "~/lib/filters";
import { METRIC_IDS, METRICS, type MetricId } from "~/metrics/catalogue";
import type { Cell, ExportColumn } from "../../export/columns";
import {
  buckets,
  type Country,
  computeMetrics,
  type GroupBy,
  type MetricQuery,
  type MetricRow,
  periodEnd,
} from "../metrics/query.server";
import {
  currencyView,
  type Dimensions,
  filtersFromUrl,
  metricQuery,
  readDimensions,
} from "../overview.server";
import { loadPricing, PRICING_PARAMS, type PricingRow } from "../pricing.server";
import { loadProfitability, PNL_METRICS, PROFITABILITY_PARAMS } from "../profitability.server";
import { loadRolloutTable, metricValue, ROLLOUT_PARAMS } from "../rollout.server";
import type { Snapshot, Warehouse } from "../warehouse.server";

/** The views a reader can download, in the order the command line lists them. */
export const EXPORT_VIEWS = [
  "kpis",
  "trend",
  "breakdown",
  "categories",
  "region-trend",
  "pnl",
  "profitability",
  "cost-centres",
  "order-items",
  "pricing-sellers",
  "pricing-models",
  "rollout",
] as const;
export type ExportView = (typeof EXPORT_VIEWS)[number];

export function isExportView(view: string): view is ExportView {
  return (EXPORT_VIEWS as readonly string[]).includes(view);
}

/** One view's rows, small enough to hold (at most a few thousand rows). */
export interface ExportTable {
  view: ExportView;
  snapshot: Snapshot;
  /** The dates the table covers (the file name says them). */
  range: DateRange;
  columns: ExportColumn[];
  rows: Cell[][];
}

const text = (id: string, en: string, fr: string, locale: Locale): ExportColumn => ({
  id,
  label: locale === "fr-FR" ? fr : en,
  kind: "text",
});
const code = (id: string, en: string, fr: string, locale: Locale): ExportColumn => ({
  ...text(id, en, fr, locale),
  kind: "code",
});
const date = (id: string, en: string, fr: string, locale: Locale): ExportColumn => ({
  ...text(id, en, fr, locale),
  kind: "date",
});

/** A metric's column: counts as integers, money to the cent, per-unit amounts to 1/10,000, ratios as ratios. */
export function metricColumn(id: MetricId, locale: Locale): ExportColumn {
  const { unit, label } = METRICS[id];
  const base = { id, label: label[locale] };
  switch (unit) {
    case "count":
      return { ...base, kind: "integer" };
    case "ratio":
      return { ...base, kind: "ratio", scale: 6 };
    case "eur":
      return { ...base, kind: "decimal", scale: 2 };
    case "eur_unit":
    case "rate":
      return { ...base, kind: "decimal", scale: 4 };
  }
}

const metricColumns = (ids: readonly MetricId[], locale: Locale) => ids.map((id) => metricColumn(id, locale));

/** The currency every amount of a row is in (EUR unless one country is shown in its own). */
const currencyColumn = (locale: Locale) => code("currency", "Currency", "Devise", locale);

/** A metric table's columns: its keys, the rows' currency, then every metric of the glossary. */
const withMetrics = (keys: ExportColumn[], locale: Locale): ExportColumn[] => [
  ...keys,
  currencyColumn(locale),
  ...metricColumns(METRIC_IDS, locale),
];

export async function exportTable(
  warehouse: Warehouse,
  view: Exclude<ExportView, "order-items">,
  url: URL,
  locale: Locale,
): Promise<ExportTable | null> {
  if (view === "pricing-sellers" || view === "pricing-models")
    return pricingTable(warehouse, view, url, locale);
  if (view === "rollout") return rolloutTable(warehouse, url, locale);
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return null;
  if (view === "profitability" || view === "cost-centres")
    return profitabilityTable(warehouse, view, url, locale);
  const filters = filtersFromUrl(url, dims.result);
  const q = metricQuery(filters, dims.result);
  const money = currencyView(filters.params, q.countries, dims.result.countries).code;
  const result = await warehouse.withDb(async (db, snapshot) => {
    const run = (groupBy: GroupBy, query: MetricQuery = q) => computeMetrics(db, query, groupBy, METRIC_IDS);
    switch (view) {
      case "kpis":
        return { snapshot, table: kpis(await run({ kind: "total" }), q, money, locale) };
      case "trend":
        return {
          snapshot,
          table: trend(await run({ kind: "period", grain: filters.grain }), filters, money, locale),
        };
      case "breakdown":
        return {
          snapshot,
          table: breakdown(
            await run({ kind: "region" }),
            await run({ kind: "country" }),
            dims.result,
            money,
            locale,
          ),
        };
      case "categories":
        return { snapshot, table: categories(await run({ kind: "category" }), money, locale) };
      case "region-trend": {
        // The regions page's small multiples: each selected region's own series (distinct customers
        // counted within the region), at the filters' grain.
        const series: { region: string; rows: MetricRow[] }[] = [];
        const selected = dims.result.countries.filter(
          (c) => !q.countries || q.countries.includes(c.country_code),
        );
        for (const region of [...new Set(selected.map((c) => c.region))].sort())
          series.push({
            region,
            rows: await run(
              { kind: "period", grain: filters.grain },
              {
                ...q,
                comparison: null,
                countries: selected.filter((c) => c.region === region).map((c) => c.country_code),
              },
            ),
          });
        return { snapshot, table: regionTrend(series, filters, money, locale) };
      }
      case "pnl": {
        // Every country's months, one country at a time: exact distinct customers per country and month.
        const rows: { country: Country; rows: MetricRow[] }[] = [];
        const members = q.countries ?? dims.result.countries.map((c) => c.country_code);
        for (const country of dims.result.countries.filter((c) => members.includes(c.country_code)))
          rows.push({
            country,
            rows: await run(
              { kind: "period", grain: "month" },
              { ...q, comparison: null, countries: [country.country_code], localCurrency: null },
            ),
          });
        return { snapshot, table: pnl(rows, locale) };
      }
    }
  });
  if (result.state === "empty") return null;
  const { snapshot, table } = result.result;
  const range = view === "pnl" ? wholeMonths(filters.range) : filters.range;
  return { view, snapshot, range, ...table };
}

const metricCells = (values: Record<MetricId, number | null> | undefined): Cell[] =>
  METRIC_IDS.map((id) => values?.[id] ?? null);

function kpis(rows: MetricRow[], q: MetricQuery, money: string, locale: Locale) {
  const ranges: [string, DateRange | null][] = [
    ["current", q.current],
    ["comparison", q.comparison],
  ];
  return {
    columns: withMetrics(
      [
        text("series", "Series", "Série", locale),
        date("from", "From", "Du", locale),
        date("to", "To", "Au", locale),
      ],
      locale,
    ),
    rows: ranges
      .filter((r): r is [string, DateRange] => r[1] !== null)
      .map(([which, range]) => [
        which,
        range.from,
        range.to,
        money,
        ...metricCells(rows.find((r) => r.which === which)?.values ?? zeroValues()),
      ]),
  };
}

/** What a range with no row at all shows: zero for sums and counts, nothing for ratios. */
function zeroValues(): Record<MetricId, number | null> {
  const out = {} as Record<MetricId, number | null>;
  for (const id of METRIC_IDS) out[id] = METRICS[id].aggregation.kind === "ratio" ? null : 0;
  return out;
}

/**
 * Every period of the range (and of its comparison), as the trend chart lays them out: a period without
 * sales shows zero, a cumulative count carries on, a ratio without denominator is empty.
 */
function trend(rows: MetricRow[], filters: ResolvedFilters, money: string, locale: Locale) {
  const out: Cell[][] = [];
  const series: [string, DateRange | null][] = [
    ["current", filters.range],
    ["comparison", filters.comparison],
  ];
  for (const [which, range] of series) {
    if (!range) continue;
    let carried: Record<MetricId, number | null> | undefined;
    for (const b of buckets(range, filters.grain)) {
      const found = rows.find((r) => r.which === which && r.key === b.key)?.values;
      const values = found ?? zeroValues();
      if (!found && carried) values.cumulative_customers = carried.cumulative_customers;
      carried = values;
      out.push([which, b.from, b.to, b.whole ? "whole" : "partial", money, ...metricCells(values)]);
    }
  }
  return {
    columns: withMetrics(
      [
        text("series", "Series", "Série", locale),
        date("period_from", "Period from", "Période du", locale),
        date("period_to", "Period to", "Période au", locale),
        text("period_coverage", "Whole period or cut short", "Période entière ou tronquée", locale),
      ],
      locale,
    ),
    rows: out,
  };
}

function regionTrend(
  series: { region: string; rows: MetricRow[] }[],
  filters: ResolvedFilters,
  money: string,
  locale: Locale,
) {
  const out: Cell[][] = [];
  for (const { region, rows } of series) {
    const one = trend(rows, { ...filters, comparison: null }, money, locale);
    for (const row of one.rows) out.push([region, ...row.slice(1)]);
  }
  const { columns } = trend([], filters, money, locale);
  return { columns: [code("region", "Region", "Région", locale), ...columns.slice(1)], rows: out };
}

function breakdown(
  regions: MetricRow[],
  countries: MetricRow[],
  dims: Dimensions,
  money: string,
  locale: Locale,
) {
  const regionOf = new Map(dims.countries.map((c) => [c.country_code, c.region]));
  const out: Cell[][] = [];
  for (const which of ["current", "comparison"] as const)
    for (const r of regions.filter((x) => x.which === which).sort((a, b) => a.key.localeCompare(b.key))) {
      out.push([which, "region", r.key, null, money, ...metricCells(r.values)]);
      for (const c of countries
        .filter((x) => x.which === which && regionOf.get(x.key) === r.key)
        .sort((a, b) => a.key.localeCompare(b.key)))
        out.push([which, "country", r.key, c.key, money, ...metricCells(c.values)]);
    }
  return {
    columns: withMetrics(
      [
        text("series", "Series", "Série", locale),
        text("level", "Level", "Niveau", locale),
        code("region", "Region", "Région", locale),
        code("country_code", "Country", "Pays", locale),
      ],
      locale,
    ),
    rows: out,
  };
}

function categories(rows: MetricRow[], money: string, locale: Locale) {
  return {
    columns: withMetrics(
      [text("series", "Series", "Série", locale), code("category", "Category", "Catégorie", locale)],
      locale,
    ),
    rows: [...rows]
      .sort((a, b) => (a.which === b.which ? a.key.localeCompare(b.key) : a.which === "current" ? -1 : 1))
      .map((r) => [r.which, r.key, money, ...metricCells(r.values)]),
  };
}

/** The whole months a range covers (the ledger is monthly; a month cut short is widened to whole). */
function wholeMonths(range: DateRange): DateRange {
  return isWholeMonths(range)
    ? range
    : { from: `${range.from.slice(0, 7)}-01`, to: periodEnd(`${range.to.slice(0, 7)}-01`, "month") };
}

function pnl(byCountry: { country: Country; rows: MetricRow[] }[], locale: Locale) {
  const out: Cell[][] = [];
  for (const { country, rows } of byCountry)
    for (const r of rows.filter((x) => x.which === "current").sort((a, b) => a.key.localeCompare(b.key)))
      out.push([
        `${r.key.slice(0, 7)}-01`,
        country.country_code,
        country.region,
        "EUR",
        ...metricCells(r.values),
      ]);
  out.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
  return {
    columns: withMetrics(
      [
        date("month", "Month (first day)", "Mois (premier jour)", locale),
        code("country_code", "Country", "Pays", locale),
        code("region", "Region", "Région", locale),
      ],
      locale,
    ),
    rows: out,
  };
}

/** The profitability page's figures, from its own loader: the monthly series and the cost centres. */
async function profitabilityTable(
  warehouse: Warehouse,
  view: "profitability" | "cost-centres",
  url: URL,
  locale: Locale,
): Promise<ExportTable | null> {
  const loaded = await loadProfitability(warehouse, url, locale);
  if (loaded.state !== "ready") return null;
  const v = loaded.result;
  const money = v.currency.code;
  if (view === "profitability") {
    const months = v.months;
    return {
      view,
      snapshot: v.snapshot,
      range: {
        from: `${months[0]?.month ?? v.asOf}-01`,
        to: periodEnd(`${months.at(-1)?.month ?? v.asOf}-01`, "month"),
      },
      columns: [
        date("month", "Month (first day)", "Mois (premier jour)", locale),
        text("kind", "Actual or forecast", "Réel ou prévision", locale),
        currencyColumn(locale),
        ...metricColumns(PNL_METRICS, locale),
        {
          id: "ebitda_rolling_3_eur",
          label: locale === "fr-FR" ? "EBITDA sur 3 mois" : "EBITDA, rolling 3 months",
          kind: "decimal",
          scale: 2,
        },
        {
          id: "ebitda_rolling_12_eur",
          label: locale === "fr-FR" ? "EBITDA sur 12 mois" : "EBITDA, rolling 12 months",
          kind: "decimal",
          scale: 2,
        },
        {
          id: "ebitda_trend_eur",
          label: locale === "fr-FR" ? "Tendance de l’EBITDA" : "EBITDA trend",
          kind: "decimal",
          scale: 2,
        },
      ],
      rows: months.map((m) => [
        `${m.month}-01`,
        Number.isFinite(m.ebitda) ? "actual" : "forecast",
        money,
        ...PNL_METRICS.map((id) => m.values[id]),
        m.rolling3,
        m.rolling12,
        m.trend,
      ]),
    };
  }
  const first = v.costs.months[0]?.month ?? v.asOf;
  const rows: Cell[][] = [];
  for (const m of v.costs.months)
    for (const centre of v.costs.centres)
      rows.push([`${m.month}-01`, centre, money, m.headcount[centre] ?? 0, m.opex[centre] ?? 0]);
  return {
    view,
    snapshot: v.snapshot,
    range: { from: `${first}-01`, to: periodEnd(`${v.asOf}-01`, "month") },
    columns: [
      date("month", "Month (first day)", "Mois (premier jour)", locale),
      code("cost_center", "Cost centre", "Centre de coûts", locale),
      currencyColumn(locale),
      { id: "headcount", label: locale === "fr-FR" ? "Effectif" : "Headcount", kind: "integer" },
      metricColumn("opex_eur", locale),
    ],
    rows,
  };
}

/**
 * Every seller or every model of the price-display page's scope (the page shows the worst 20), worst
 * first, with the threshold the counts were taken at.
 */
async function pricingTable(
  warehouse: Warehouse,
  view: "pricing-sellers" | "pricing-models",
  url: URL,
  locale: Locale,
): Promise<ExportTable | null> {
  const loaded = await loadPricing(warehouse, url, "all");
  if (loaded.state !== "ready") return null;
  const v = loaded.result;
  const fr = locale === "fr-FR";
  const integer = (id: string, en: string, frLabel: string): ExportColumn => ({
    id,
    label: fr ? frLabel : en,
    kind: "integer",
  });
  const ratio = (id: string, en: string, frLabel: string): ExportColumn => ({
    id,
    label: fr ? frLabel : en,
    kind: "ratio",
    scale: 6,
  });
  const figures = [
    integer("threshold_pct", "Inflated when more than (%) above", "Gonflé au-delà de (%)"),
    integer("sales", "Sales", "Ventes"),
    integer("priced_sales", "Sales compared", "Ventes comparées"),
    integer("inflated_sales", "Inflated sales", "Ventes gonflées"),
    ratio("inflated_share", "Share inflated", "Part gonflée"),
    ratio("claimed_saving_pct", "Claimed saving", "Économie annoncée"),
    ratio("actual_saving_pct", "Actual saving", "Économie réelle"),
    ratio("overstatement", "Displayed vs market new price", "Prix neuf affiché / marché"),
  ];
  const values = (r: PricingRow): Cell[] => [
    v.params.threshold,
    r.figures.sales,
    r.figures.priced,
    r.figures.inflated,
    r.figures.inflatedShare,
    r.figures.claimedSaving,
    r.figures.actualSaving,
    r.figures.overstatement,
  ];
  const range = { from: `${v.from}-01`, to: periodEnd(`${v.to}-01`, "month") };
  if (view === "pricing-sellers")
    return {
      view,
      snapshot: loaded.snapshot,
      range,
      columns: [
        code("seller_id", "Seller id", "Identifiant vendeur", locale),
        text("seller_name", "Seller", "Vendeur", locale),
        code("seller_country", "Based in", "Basé en", locale),
        ...figures,
      ],
      rows: v.sellers.map((r) => [r.key, r.name, r.country, ...values(r)]),
    };
  return {
    view,
    snapshot: loaded.snapshot,
    range,
    columns: [
      code("product_id", "Product id", "Identifiant produit", locale),
      text("brand", "Brand", "Marque", locale),
      text("model", "Model", "Modèle", locale),
      code("category", "Category", "Catégorie", locale),
      ...figures,
    ],
    rows: v.models.map((r) => [r.key, r.brand, r.model, r.category, ...values(r)]),
  };
}

/** The rollout comparison's countries, month by month from launch, every metric and the population. */
async function rolloutTable(warehouse: Warehouse, url: URL, locale: Locale): Promise<ExportTable | null> {
  const loaded = await loadRolloutTable(warehouse, url);
  if (loaded.state !== "ready") return null;
  const { rows, population } = loaded.result;
  const fr = locale === "fr-FR";
  const months = rows.map((r) => r.month).sort();
  const column = (id: string, en: string, frLabel: string, kind: ExportColumn["kind"], scale?: number) => ({
    id,
    label: fr ? frLabel : en,
    kind,
    ...(scale === undefined ? {} : { scale }),
  });
  return {
    view: "rollout",
    snapshot: loaded.snapshot,
    range: {
      from: `${months[0] ?? "1970-01"}-01`,
      to: periodEnd(`${months.at(-1) ?? "1970-01"}-01`, "month"),
    },
    columns: [
      code("country_code", "Country", "Pays", locale),
      date("launched_on", "Launched", "Lancement", locale),
      date("month", "Month (first day)", "Mois (premier jour)", locale),
      column("months_since_launch", "Months since launch", "Mois depuis le lancement", "integer"),
      column("population", "Population", "Population", "integer"),
      metricColumn("devices_sold", locale),
      metricColumn("gmv_eur", locale),
      metricColumn("net_revenue_eur", locale),
      metricColumn("contribution_margin_eur", locale),
      metricColumn("active_customers", locale),
      column("returning_customers", "Returning customers", "Clients revenus", "integer"),
      metricColumn("new_customers", locale),
      metricColumn("cumulative_customers", locale),
      column("repeat_rate", "Repeat-purchase rate", "Taux de réachat", "ratio", 6),
      column("contribution_margin_pct", "Contribution margin %", "Marge de contribution (%)", "ratio", 6),
      metricColumn("take_rate", locale),
      column(
        "app_devices",
        "Devices ordered in the app",
        "Appareils commandés dans l’application",
        "integer",
      ),
    ],
    rows: rows.map((r) => [
      r.country_code,
      r.launched_on,
      `${r.month}-01`,
      r.months_since_launch,
      population.get(r.country_code) ?? null,
      r.devices_sold,
      r.gmv_eur,
      r.net_revenue_eur,
      r.contribution_margin_eur,
      r.active_customers,
      r.returning_customers,
      r.new_customers,
      r.cumulative_customers,
      metricValue(r, "repeat_rate"),
      metricValue(r, "contribution_margin_pct"),
      metricValue(r, "take_rate"),
      r.app_devices,
    ]),
  };
}

/** The parameters a view accepts besides the dashboard filters. */
export function extraParams(view: ExportView): readonly string[] {
  if (view === "rollout") return ROLLOUT_PARAMS;
  if (view === "pricing-sellers" || view === "pricing-models") return PRICING_PARAMS;
  return view === "profitability" || view === "cost-centres" ? PROFITABILITY_PARAMS : [];
}

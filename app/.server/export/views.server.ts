// What each export holds: the views of the dashboard as typed tables. Every table is computed through
// the same code as its screen (filtersFromUrl → metricQuery → computeMetrics, or the page's loader), so
// an export cannot disagree with what the reader saw; the order-item ledger is the one view too large
// for that, and is read from mart_order_items in SQL (see ./stream.server.ts).

import type { Locale } from "~/i18n/locales";
import { type DateRange, isWholeMonths, type ResolvedFilters } from "~/lib/filters";
import { emptyMetricValue, METRIC_IDS, METRICS, type MetricId } from "~/metrics/catalogue";
import { isSectionId, SECTION_IDS, type SectionId } from "~/sections/registry";
import type { Cell, ExportColumn } from "../../export/columns";
import { eventsIn } from "../events.server";
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
import { loadProfitability, PNL_METRICS, PROFITABILITY_PARAMS } from "../profitability.server";
import { sectionTable } from "../sections/registry.server";
import type { Snapshot, Warehouse } from "../warehouse.server";

/** The fixed views a reader can download, in the order the command line lists them. */
const FIXED_VIEWS = [
  "kpis",
  "trend",
  "breakdown",
  "categories",
  "region-trend",
  "pnl",
  "profitability",
  "cost-centres",
  "order-items",
  "events",
] as const;

/** Every download: the fixed views, then every page section (~/sections/registry). */
export const EXPORT_VIEWS: readonly ExportView[] = [...FIXED_VIEWS, ...SECTION_IDS];
export type ExportView = (typeof FIXED_VIEWS)[number] | SectionId;

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

/**
 * Where the operating costs put central costs (ADR 0019): `recorded` (in the headquarters) or
 * `allocated` (to every country by its share of net revenue), so a file says which figures it holds.
 */
const costBasisColumn = (locale: Locale) =>
  code(
    "cost_basis",
    "Central costs (recorded or allocated)",
    "Coûts centraux (enregistrés ou répartis)",
    locale,
  );

/** A metric table's columns: its keys, the rows' currency and cost basis, then every metric of the glossary. */
const withMetrics = (keys: ExportColumn[], locale: Locale): ExportColumn[] => [
  ...keys,
  currencyColumn(locale),
  costBasisColumn(locale),
  ...metricColumns(METRIC_IDS, locale),
];

export async function exportTable(
  warehouse: Warehouse,
  view: Exclude<ExportView, "order-items">,
  url: URL,
  locale: Locale,
): Promise<ExportTable | null> {
  if (isSectionId(view)) {
    const table = await sectionTable(warehouse, view, url, locale);
    return table && { view, ...table };
  }
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return null;
  if (view === "profitability" || view === "cost-centres")
    return profitabilityTable(warehouse, view, url, locale);
  const filters = filtersFromUrl(url, dims.result);
  const q = metricQuery(filters, dims.result);
  // The business events of the period, from the app state (never kept with the snapshot's tables: an
  // admin adds one at any time), the whole company's and the selected countries'.
  if (view === "events")
    return {
      view,
      snapshot: dims.snapshot,
      range: filters.range,
      ...(await eventsTable(filters.range, q.countries, locale)),
    };
  // Every row's currency and cost basis, the cells before its metrics.
  const money = [currencyView(filters.params, q.countries, dims.result.countries).code, filters.params.costs];
  // Kept per snapshot like the pages' views: a table is small, and the P&L by country (one query per
  // country) is seconds to compute, so the same download asked again must not recompute it.
  const key = JSON.stringify(["export", view, filters, locale]);
  const result = await warehouse.cached(key, async (db, snapshot) => {
    const run = (groupBy: GroupBy, query: MetricQuery = q) => computeMetrics(db, query, groupBy, METRIC_IDS);
    switch (view) {
      case "kpis":
        return {
          snapshot,
          table: kpis(await run({ kind: "total" }), q, money, locale, filters.comparisonBeforeData),
        };
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
        // The marts split by category hold euros only (local amounts exist by date and country): the
        // split is in EUR whatever the currency asked for, and its currency column says so.
        return {
          snapshot,
          table: categories(
            await run({ kind: "category" }, { ...q, localCurrency: null }),
            ["EUR", filters.params.costs],
            locale,
          ),
        };
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
        return { snapshot, table: pnl(rows, filters.params.costs, locale) };
      }
    }
  });
  if (result.state === "empty") return null;
  const { snapshot, table } = result.result;
  const range = view === "pnl" ? wholeMonths(filters.range) : filters.range;
  return { view, snapshot, range, ...table };
}

/** The business events of a range: the day, the country (empty: the whole company), the label in both languages. */
async function eventsTable(range: DateRange, countries: string[] | null, locale: Locale) {
  const events = await eventsIn(range, countries);
  return {
    columns: [
      date("day", "Day", "Jour", locale),
      code("country_code", "Country (empty: the whole company)", "Pays (vide : toute l’entreprise)", locale),
      text("label", "Event", "Événement", locale),
      text("label_en", "Event (English)", "Événement (anglais)", locale),
      text("label_fr", "Event (French)", "Événement (français)", locale),
    ],
    rows: events.map((e): Cell[] => [e.day, e.country, e.label[locale], e.label["en-GB"], e.label["fr-FR"]]),
  };
}

const metricCells = (values: Record<MetricId, number | null> | undefined): Cell[] =>
  METRIC_IDS.map((id) => values?.[id] ?? null);

function kpis(
  rows: MetricRow[],
  q: MetricQuery,
  money: readonly Cell[],
  locale: Locale,
  dropped: DateRange | null,
) {
  const ranges: [string, DateRange | null][] = [
    ["current", q.current],
    ["comparison", q.comparison],
  ];
  // A comparison dropped because it lies before the first order (all time vs. the years before launch)
  // keeps its row, named so and without figures: the file says why it has none (ADR 0018).
  const none: Cell[][] = dropped
    ? [["comparison_before_first_order", dropped.from, dropped.to, ...money, ...METRIC_IDS.map(() => null)]]
    : [];
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
        ...money,
        ...metricCells(rows.find((r) => r.which === which)?.values ?? zeroValues()),
      ])
      .concat(none),
  };
}

/** What a range with no row at all shows: zero for sums and counts, nothing for ratios. */
function zeroValues(): Record<MetricId, number | null> {
  const out = {} as Record<MetricId, number | null>;
  for (const id of METRIC_IDS) out[id] = emptyMetricValue(id);
  return out;
}

/**
 * Every period of the range (and of its comparison), as the trend chart lays them out: a period without
 * sales shows zero, a cumulative count carries on, a ratio without denominator is empty.
 */
function trend(rows: MetricRow[], filters: ResolvedFilters, money: readonly Cell[], locale: Locale) {
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
      out.push([which, b.from, b.to, b.whole ? "whole" : "partial", ...money, ...metricCells(values)]);
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
  money: readonly Cell[],
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
  money: readonly Cell[],
  locale: Locale,
) {
  const regionOf = new Map(dims.countries.map((c) => [c.country_code, c.region]));
  const out: Cell[][] = [];
  for (const which of ["current", "comparison"] as const)
    for (const r of regions.filter((x) => x.which === which).sort((a, b) => a.key.localeCompare(b.key))) {
      out.push([which, "region", r.key, null, ...money, ...metricCells(r.values)]);
      for (const c of countries
        .filter((x) => x.which === which && regionOf.get(x.key) === r.key)
        .sort((a, b) => a.key.localeCompare(b.key)))
        out.push([which, "country", r.key, c.key, ...money, ...metricCells(c.values)]);
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

function categories(rows: MetricRow[], money: readonly Cell[], locale: Locale) {
  return {
    columns: withMetrics(
      [text("series", "Series", "Série", locale), code("category", "Category", "Catégorie", locale)],
      locale,
    ),
    rows: [...rows]
      .sort((a, b) => (a.which === b.which ? a.key.localeCompare(b.key) : a.which === "current" ? -1 : 1))
      .map((r) => [r.which, r.key, ...money, ...metricCells(r.values)]),
  };
}

/** The whole months a range covers (the ledger is monthly; a month cut short is widened to whole). */
function wholeMonths(range: DateRange): DateRange {
  return isWholeMonths(range)
    ? range
    : { from: `${range.from.slice(0, 7)}-01`, to: periodEnd(`${range.to.slice(0, 7)}-01`, "month") };
}

function pnl(byCountry: { country: Country; rows: MetricRow[] }[], basis: string, locale: Locale) {
  const out: Cell[][] = [];
  // A country's months with no activity at all (before its launch) are left out, as they always were.
  for (const { country, rows } of byCountry)
    for (const r of rows
      .filter((x) => x.which === "current" && x.hasData)
      .sort((a, b) => a.key.localeCompare(b.key)))
      out.push([
        `${r.key.slice(0, 7)}-01`,
        country.country_code,
        country.region,
        "EUR",
        basis,
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
        costBasisColumn(locale),
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
        v.centralCosts?.basis ?? "recorded",
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

/** The parameters a view accepts besides the dashboard filters. */
export function extraParams(view: ExportView): readonly string[] {
  return view === "profitability" || view === "cost-centres" ? PROFITABILITY_PARAMS : [];
}

// Per-region and per-country margins: every country's GMV, net revenue, take rate, contribution margin
// and EBITDA (and their % of net revenue) with their change vs. the comparison period, grouped under
// their regions; and each region's contribution margin % by period, for small multiples. Every figure
// comes from the metric layer.

import { LOCALES, type Locale } from "~/i18n/locales";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { type CentralCostsView, REGIONS, type ResolvedFilters } from "~/lib/filters";
import { formatChange, formatMetricValue, formatPeriod } from "~/lib/format";
import { METRICS, type MetricId, REGION_METRICS, UNIT_METRICS } from "~/metrics/catalogue";
import { relativeChange } from "~/metrics/evaluate";
import { buckets, computeMetrics, type MetricRow } from "./metrics/query.server";
import {
  type CurrencyView,
  centralCostsView,
  countryNames,
  currencyView,
  type Dimensions,
  filtersFromUrl,
  metricQuery,
  readDimensions,
} from "./overview.server";
import { addWarmer, type Snapshot, type Warehouse } from "./warehouse.server";

export { REGION_METRICS as REGION_COLUMNS };

/** Below what a figure shows (0.05 pt, a cent per device, half a euro) a change reads as none. */
const SHOWN = { ratio: 0.0005, eur_unit: 0.005, rate: 0.005, eur: 0.5, count: 0.5 } as const;

const COLUMNS = [...new Set<MetricId>([...REGION_METRICS, ...UNIT_METRICS])];
type Column = (typeof REGION_METRICS)[number] | (typeof UNIT_METRICS)[number];

export interface MarginRow {
  key: string;
  name: string;
  cells: Record<Column, { display: string; change: string | null; good: boolean | null }>;
}

export interface RegionsView {
  snapshot: Snapshot;
  synthetic: boolean;
  filters: ResolvedFilters;
  /** The first day with data (a comparison before it is dropped, and the page says so). */
  firstDay: string | null;
  regions: (MarginRow & { countries: MarginRow[] })[];
  /** Unit economics by category (what a category can be split by; the rest is "—"). */
  categories: MarginRow[];
  /** Contribution margin % by period, one series per region, on one scale. */
  multiples: {
    region: string;
    name: string;
    points: { key: string; label: string; periodFrom: string; periodTo: string; value: number | null }[];
  }[];
  countries: { code: string; name: string; currency: string }[];
  currency: CurrencyView;
  centralCosts: CentralCostsView | null;
}

export async function loadRegions(warehouse: Warehouse, url: URL, locale: Locale) {
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return dims;
  const filters = filtersFromUrl(url, dims.result);
  const key = JSON.stringify(["regions", locale, filters]);
  const view = await warehouse.memo(key, () => buildView(warehouse, filters, dims.result, locale));
  if (view.state === "empty") return view;
  return { state: "ready" as const, snapshot: view.result.snapshot, result: view.result };
}

async function buildView(
  warehouse: Warehouse,
  filters: ResolvedFilters,
  dims: Dimensions,
  locale: Locale,
): Promise<RegionsView> {
  const q = metricQuery(filters, dims);
  const selected = new Set(
    dims.countries.filter((c) => !q.countries || q.countries.includes(c.country_code)).map((c) => c.region),
  );
  const regionsShown = REGIONS.filter((r) => selected.has(r));
  const result = await warehouse.withDb(async (db, snapshot) => {
    const memo = new Map<string, Promise<unknown>>();
    const countries = await computeMetrics(db, q, { kind: "country" }, COLUMNS, memo);
    const regions = await computeMetrics(db, q, { kind: "region" }, COLUMNS, memo);
    // A country's own currency has no split by category (its marts are by date and country): in local
    // currency the category table is left out, and the page says why.
    const categories = q.localCurrency ? [] : await computeMetrics(db, q, { kind: "category" }, UNIT_METRICS);
    const multiples: { region: string; rows: MetricRow[] }[] = [];
    for (const region of regionsShown) {
      const members = dims.countries
        .filter((c) => c.region === region && (!q.countries || q.countries.includes(c.country_code)))
        .map((c) => c.country_code);
      multiples.push({
        region,
        rows: await computeMetrics(
          db,
          { ...q, comparison: null, countries: members },
          { kind: "period", grain: filters.grain },
          ["contribution_margin_pct"],
        ),
      });
    }
    return { snapshot, countries, regions, multiples, categories };
  });
  if (result.state === "empty") throw new Error("the warehouse was unpublished");
  const { snapshot, countries, regions, multiples, categories } = result.result;

  const names = countryNames(locale);
  const regionNames = OVERVIEW_MESSAGES[locale].regions;
  const currency = currencyView(filters.params, q.countries, dims.countries);
  const regionOf = new Map(dims.countries.map((c) => [c.country_code, c.region]));
  const row = (rows: MetricRow[], r: MetricRow, name: string): MarginRow => {
    const before = rows.find((x) => x.which === "comparison" && x.key === r.key)?.values;
    const cells = {} as MarginRow["cells"];
    for (const id of COLUMNS as Column[]) {
      const now = r.values[id] ?? null;
      const then = before?.[id] ?? null;
      const unit = METRICS[id].unit;
      let change: string | null = null;
      let good: boolean | null = null;
      if (now !== null && then !== null) {
        const delta = now - then;
        change =
          unit === "ratio"
            ? formatChange(delta, "points", locale)
            : relativeChange(now, then) === null
              ? null
              : formatChange(relativeChange(now, then) as number, "percent", locale);
        good = Math.abs(delta) < SHOWN[unit] ? null : delta > 0 === (METRICS[id].better === "up");
      }
      cells[id] = {
        display: now === null ? "—" : formatMetricValue(now, unit, locale, currency.code),
        change,
        good,
      };
    }
    return { key: r.key, name, cells };
  };
  const current = (rows: MetricRow[]) => rows.filter((r) => r.which === "current");
  const byGmv = (a: MetricRow, b: MetricRow) => (b.values.gmv_eur ?? 0) - (a.values.gmv_eur ?? 0);
  const countryRows = current(countries).sort(byGmv);

  return {
    snapshot,
    synthetic: snapshot.synthetic || dims.synthetic,
    filters,
    firstDay: dims.data?.from ?? null,
    regions: current(regions)
      .sort(byGmv)
      .map((r) => ({
        ...row(regions, r, regionNames[r.key] ?? r.key),
        countries: countryRows
          .filter((c) => regionOf.get(c.key) === r.key)
          .map((c) => row(countries, c, names.of(c.key) ?? c.key)),
      })),
    categories: current(categories)
      .sort((a, b) => (b.values.devices_sold ?? 0) - (a.values.devices_sold ?? 0))
      .map((c) => row(categories, c, OVERVIEW_MESSAGES[locale].codes[c.key] ?? c.key)),
    multiples: multiples.map(({ region, rows }) => ({
      region,
      name: regionNames[region] ?? region,
      points: buckets(filters.range, filters.grain).map((b) => ({
        key: b.key,
        label: formatPeriod(b.key, filters.grain, locale),
        // The days it covers: business events in them are marked on the chart.
        periodFrom: b.from,
        periodTo: b.to,
        value:
          rows.find((r) => r.which === "current" && r.key === b.key)?.values.contribution_margin_pct ?? null,
      })),
    })),
    countries: dims.countries.map((c) => ({
      code: c.country_code,
      name: names.of(c.country_code) ?? c.country_code,
      currency: c.currency ?? "EUR",
    })),
    currency,
    centralCosts: centralCostsView(filters.params.costs, dims, locale),
  };
}

// The page as first opened (last 12 months, both locales), computed as soon as a snapshot is current.
addWarmer(async (warehouse) => {
  for (const locale of LOCALES) await loadRegions(warehouse, new URL("http://warm.local/regions"), locale);
});

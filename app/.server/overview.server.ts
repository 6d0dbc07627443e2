// The executive overview's data: filters from the URL → metric layer → numbers for cards, the trend
// chart and the breakdown, formatted in the reader's locale. Results are cached per snapshot and
// filter set (a snapshot never changes), so the Monday-morning page is computed once per snapshot.

import { sql } from "kysely";
import { canSeeMetric, type Role } from "~/auth/policy";
import { LOCALES, type Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { dayNumber } from "~/lib/days";
import { BadRequest } from "~/lib/errors";
import {
  type CentralCostsView,
  type CostBasis,
  type DataSpan,
  DEFAULT_PRESET,
  dataSpan,
  type FilterParams,
  type Grain,
  PRESETS,
  parseFilters,
  type ResolvedFilters,
  resolveFilters,
  restrictedDimensions,
} from "~/lib/filters";
import { formatChange, formatDate, formatMetricValue, labelIn } from "~/lib/format";
import {
  emptyMetricValue,
  isCumulative,
  METRIC_IDS,
  METRICS,
  type MetricId,
  metricAvailable,
  OVERVIEW_METRICS,
} from "~/metrics/catalogue";
import { relativeChange } from "~/metrics/evaluate";
import { Forbidden } from "./auth/access.server";
import { crossBorderIndex, residentCustomerDays } from "./metrics/customer-days.server";
import {
  buckets,
  type Country,
  computeMetrics,
  type Db,
  type GroupBy,
  localCurrencyBlocker,
  lookForCrossBorder,
  type MetricQuery,
  type MetricRow,
  periodEnd,
  periodStart,
} from "./metrics/query.server";
import { monthlyOf, residentDailySales, residentOf } from "./metrics/resident.server";
import {
  addPreparer,
  addWarmer,
  PREPARE_TIMEOUT_MS,
  type Snapshot,
  type Warehouse,
  WarehouseError,
} from "./warehouse.server";

const OVERVIEW_REGION_NAMES = {
  "en-GB": OVERVIEW_MESSAGES["en-GB"].regions,
  "fr-FR": OVERVIEW_MESSAGES["fr-FR"].regions,
};

export { BadRequest };

export interface Dimensions {
  countries: Country[];
  /** First and last day with a completed item, and the last whole one. */
  data: DataSpan | null;
  synthetic: boolean;
  /**
   * The country whose central cost centres serve every country (ADR 0019), or null when the snapshot
   * records none; `centralColumns` is false for snapshots published before central costs were kept apart.
   */
  headquarters: string | null;
  centralColumns: boolean;
}

/**
 * What a page says of its comparison, beside its range: "vs. <dates>" (and that it starts before the
 * first order, when it does), why there is none when it would lie before the first order, or nothing.
 */
export function comparisonDisplay(filters: ResolvedFilters, firstDay: string, locale: Locale): string | null {
  const messages = OVERVIEW_MESSAGES[locale];
  const first = formatDate(firstDay, locale);
  if (filters.comparison) {
    const versus = messages.versus(
      formatDate(filters.comparison.from, locale),
      formatDate(filters.comparison.to, locale),
    );
    return filters.comparisonStartsBeforeData
      ? `${versus} ${messages.comparisonStartsBeforeData(first)}`
      : versus;
  }
  const dropped = filters.comparisonBeforeData;
  return dropped
    ? messages.noComparisonBeforeData(formatDate(dropped.from, locale), formatDate(dropped.to, locale), first)
    : null;
}

/** Countries and the span of data of the current snapshot (held while it is current). */
export async function readDimensions(warehouse: Warehouse) {
  return warehouse.held("dimensions", dimensionsOf);
}

/** Countries and the span of data of the snapshot `db` reads (the current one, or an earlier one). */
export async function dimensionsOf(db: Db): Promise<Dimensions> {
  const countries = await db
    .selectFrom("marts.mart_countries")
    .select(["country_code", "region", "currency"])
    .orderBy("country_code")
    .execute();
  // Every column: snapshots published before `last_order_local` existed lack it.
  const headline = await db.selectFrom("marts.mart_headline").selectAll().executeTakeFirst();
  const data =
    headline?.first_order_date && headline.last_order_date
      ? dataSpan(headline.first_order_date, headline.last_order_date, headline.last_order_local ?? null)
      : null;
  const columns = await sql<{ n: number }>`select count(*)::integer as n from information_schema.columns
    where table_schema = 'marts' and table_name = 'mart_monthly_pnl' and column_name = 'central_allocated_eur'`.execute(
    db,
  );
  const centralColumns = (columns.rows[0]?.n ?? 0) > 0;
  const headquarters = centralColumns
    ? ((
        await db
          .selectFrom("marts.mart_monthly_opex")
          .select("country_code")
          .where("central", "=", true)
          .limit(1)
          .executeTakeFirst()
      )?.country_code ?? null)
    : null;
  return {
    countries,
    data,
    synthetic: Boolean(headline?.synthetic),
    headquarters,
    centralColumns,
  } satisfies Dimensions;
}

/** The countries a filter selects (a country must also lie in a selected region), or null for all. */
export function selectCountries(params: FilterParams, all: readonly Country[]): string[] | null {
  const known = new Set(all.map((c) => c.country_code));
  for (const code of params.country)
    if (!known.has(code))
      throw new BadRequest(`country: unknown country "${code}" (one of: ${[...known].join(", ")})`);
  if (!params.country.length && !params.region.length) return null;
  return all
    .filter((c) => !params.country.length || params.country.includes(c.country_code))
    .filter((c) => !params.region.length || (params.region as readonly string[]).includes(c.region))
    .map((c) => c.country_code);
}

/** The currency a page's money is shown in, and whether the local-currency option applies. */
export interface CurrencyView {
  /** ISO 4217 code of every amount on the page. */
  code: string;
  /** Amounts are one country's own, as recorded (not converted). */
  local: boolean;
  /** The one selected country's own currency when it is not EUR: what "local currency" would show. */
  offer: string | null;
  /** Local currency was asked for but cannot apply, and why. */
  refused: "one_country" | "slices" | null;
}

export function currencyView(
  params: FilterParams,
  countries: string[] | null,
  all: readonly Country[],
): CurrencyView {
  const single = countries?.length === 1 ? all.find((c) => c.country_code === countries[0]) : undefined;
  const own = single?.currency ?? null;
  const offer = own && own !== "EUR" ? own : null;
  if (params.currency !== "local") return { code: "EUR", local: false, offer, refused: null };
  const refused = localCurrencyBlocker({ countries, slices: slicesOf(params) });
  if (refused || !own) return { code: "EUR", local: false, offer, refused: refused ?? "one_country" };
  return { code: own, local: own !== "EUR", offer, refused: null };
}

function slicesOf(params: FilterParams): MetricQuery["slices"] {
  return { category: params.category, grade: params.grade, channel: params.channel, partner: params.partner };
}

export function metricQuery(filters: ResolvedFilters, dims: Dimensions): MetricQuery {
  const { params } = filters;
  const countries = selectCountries(params, dims.countries);
  const currency = currencyView(params, countries, dims.countries);
  return {
    current: filters.range,
    comparison: filters.comparison,
    countries,
    slices: slicesOf(params),
    allCountries: dims.countries,
    localCurrency: currency.local ? currency.code : null,
    costBasis: params.costs,
    centralColumns: dims.centralColumns,
  };
}

/** Parses and settles the URL's filters against the snapshot, or throws BadRequest saying what is wrong. */
export function filtersFromUrl(url: URL, dims: Dimensions): ResolvedFilters {
  const parsed = parseFilters(url.searchParams);
  if (!parsed.ok) throw parsed.error;
  if (!dims.data) throw new BadRequest("this snapshot holds no completed order yet");
  const resolved = resolveFilters(parsed.params, dims.data);
  if (!resolved.ok) throw resolved.error ?? new BadRequest(resolved.message);
  selectCountries(parsed.params, dims.countries);
  return resolved.filters;
}

interface OverviewNumbers {
  cards: MetricRow[];
  series: MetricRow[];
  countries: MetricRow[];
  regions: MetricRow[];
}

/** Every role's overview shares these numbers; what a role may not see is dropped from its view. */
async function overviewNumbers(warehouse: Warehouse, filters: ResolvedFilters, dims: Dimensions) {
  const q = metricQuery(filters, dims);
  const metrics = [...new Set<MetricId>([...OVERVIEW_METRICS, filters.params.metric])];
  const key = JSON.stringify([
    "overview",
    q.current,
    q.comparison,
    q.countries,
    q.slices,
    filters.grain,
    metrics,
    q.localCurrency,
  ]);
  return warehouse.cached(key, async (db) => {
    const memo = new Map<string, Promise<unknown>>();
    const run = (groupBy: GroupBy) => computeMetrics(db, q, groupBy, metrics, memo);
    const countries = await run({ kind: "country" });
    return {
      cards: await run({ kind: "total" }),
      series: await run({ kind: "period", grain: filters.grain }),
      countries,
      regions: await run({ kind: "region" }),
    } satisfies OverviewNumbers;
  });
}

export interface CardView {
  id: MetricId;
  label: string;
  description: string;
  value: number | null;
  display: string;
  comparison: number | null;
  comparisonDisplay: string | null;
  change: {
    absolute: string;
    percent: string | null;
    direction: "up" | "down" | "flat";
    good: boolean | null;
  } | null;
  /** The metric by period over the range, for the sparkline (null: no value). */
  spark: (number | null)[];
  unavailable: boolean;
}

export interface SeriesPoint {
  key: string;
  /**
   * The range cuts this period short (its figure covers fewer days than the others), or it holds the
   * day the extract stopped during: drawn apart and left out of the sparklines.
   */
  partial: boolean;
  /** Days of the period inside the range, and days of the whole period ("1 of 90"). */
  days: number;
  daysOf: number;
  /** The comparison period's bucket at the same position (its first day). */
  comparisonKey: string | null;
  current: number | null;
  comparison: number | null;
}

export interface BreakdownRow {
  key: string;
  name: string;
  /** Each table column's figure, formatted. */
  display: Partial<Record<MetricId, string>>;
  /** Change of the selected metric vs. the comparison period. */
  change: string | null;
}

export interface Breakdown {
  columns: MetricId[];
  sort: MetricId | "name";
  dir: "asc" | "desc";
  regions: (BreakdownRow & { countries: BreakdownRow[] })[];
  /** The selected metric per country, largest first, for the bar chart. */
  bars: { key: string; label: string; value: number }[];
}

/** The breakdown table's columns; the trend's metric joins them when it is not one of these. */
const TABLE_METRICS: MetricId[] = [
  "devices_sold",
  "gmv_eur",
  "net_revenue_eur",
  "take_rate",
  "contribution_margin_eur",
  "ebitda_eur",
  "active_customers",
  "new_customers",
];

export interface OverviewView {
  filters: ResolvedFilters;
  centralCosts: CentralCostsView | null;
  snapshot: Snapshot;
  synthetic: boolean;
  data: DataSpan;
  countries: { code: string; name: string; currency: string }[];
  restricted: string[];
  /** The metrics this viewer's role may see: the trend's choices (the others are never computed). */
  metrics: MetricId[];
  currency: CurrencyView;
  cards: CardView[];
  series: SeriesPoint[];
  breakdown: Breakdown;
}

const ROWS_BY_KEY = new WeakMap<MetricRow[], Map<string, MetricRow["values"]>>();

/** A period's (or country's) figures in the rows: the first row of that key (rows indexed once). */
function lookup(rows: MetricRow[], which: "current" | "comparison", key: string) {
  let index = ROWS_BY_KEY.get(rows);
  if (!index) {
    index = new Map();
    for (const r of rows) {
      const id = `${r.which}|${r.key}`;
      if (!index.has(id)) index.set(id, r.values);
    }
    ROWS_BY_KEY.set(rows, index);
  }
  return index.get(`${which}|${key}`);
}

/** Lays the period rows over every bucket of the range, so that empty periods show as zero. */
function seriesOf(
  rows: MetricRow[],
  metric: MetricId,
  filters: ResolvedFilters,
  data: DataSpan | null,
): SeriesPoint[] {
  const grain: Grain = filters.grain;
  const current = buckets(filters.range, grain);
  // The day the extract stopped during (after the last whole day), when the range reaches it.
  const cutDay = data?.through && filters.range.to >= data.to ? data.to : null;
  const daysIn = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;
  const previous = filters.comparison ? buckets(filters.comparison, grain) : [];
  const carry = isCumulative(metric);
  let lastCurrent: number | null = null;
  let lastPrevious: number | null = null;
  return current.map((b, i) => {
    const p = previous[i];
    let c = lookup(rows, "current", b.key)?.[metric] ?? (carry ? lastCurrent : zeroOf(metric));
    let v = p
      ? (lookup(rows, "comparison", p.key)?.[metric] ?? (carry ? lastPrevious : zeroOf(metric)))
      : null;
    if (c === undefined) c = null;
    if (v === undefined) v = null;
    lastCurrent = c;
    lastPrevious = v;
    const start = periodStart(b.from, grain);
    return {
      key: b.key,
      partial: !b.whole || (cutDay !== null && b.from <= cutDay && cutDay <= b.to),
      days: daysIn(b.from, b.to),
      daysOf: daysIn(start, periodEnd(start, grain)),
      comparisonKey: p?.key ?? null,
      current: c,
      comparison: v,
    };
  });
}

/** The sparkline leaves out periods the range cuts short, which would dip for no reason. */
function sparkOf(points: SeriesPoint[]): (number | null)[] {
  const whole = points.filter((p) => !p.partial);
  return (whole.length >= 2 ? whole : points).map((p) => p.current);
}

function zeroOf(metric: MetricId): number | null {
  // Ratios and per-unit figures have no value without their denominator.
  return emptyMetricValue(metric);
}

function changeOf(
  metric: MetricId,
  now: number | null,
  before: number | null,
  locale: Locale,
  currency = "EUR",
): CardView["change"] {
  if (now === null || before === null) return null;
  const delta = now - before;
  const unit = METRICS[metric].unit;
  // Below what the figure shows (0.05 pt, half a euro or a unit) a change reads as none.
  const shown = { ratio: 0.0005, eur_unit: 0.005, rate: 0.005, eur: 0.5, count: 0.5 }[unit];
  const direction = Math.abs(delta) < shown ? "flat" : delta > 0 ? "up" : "down";
  const good = direction === "flat" ? null : (direction === "up") === (METRICS[metric].better === "up");
  // A ratio's change is in percentage points; an amount's also as a percentage of the comparison value.
  const relative = unit === "ratio" ? null : relativeChange(now, before);
  const percent = relative === null ? null : formatChange(relative, "percent", locale);
  const absolute =
    unit === "ratio" ? formatChange(delta, "points", locale) : formatChange(delta, unit, locale, currency);
  return { absolute, percent, direction, good };
}

/**
 * The overview for a URL and locale: parsed, computed and formatted once per snapshot (later requests
 * for the same view get the same object), or a BadRequest saying what is wrong with the URL.
 */
export async function loadOverview(warehouse: Warehouse, url: URL, locale: Locale, role: Role) {
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return dims;
  const filters = filtersFromUrl(url, dims.result);
  const visible = visibleMetrics(role);
  for (const asked of [filters.params.metric, filters.params.sort])
    if (asked && isConfidential(asked, visible))
      throw new Forbidden(MESSAGES[locale].forbiddenFigure(METRICS[asked as MetricId].label[locale]));
  const key = JSON.stringify([locale, filters, visible.length]);
  const view = await warehouse.memo(key, () => buildView(warehouse, filters, dims.result, locale, visible));
  if (view.state === "empty") return view;
  // A view built on a snapshot replaced meanwhile is still one snapshot's figures, labelled as such.
  return { state: "ready" as const, snapshot: view.result.snapshot, result: view.result };
}

/** The metrics a role may see, in catalogue order. */
export function visibleMetrics(role: Role): MetricId[] {
  return METRIC_IDS.filter((m) => canSeeMetric(role, m));
}

const isConfidential = (asked: string, visible: readonly MetricId[]) =>
  (METRIC_IDS as readonly string[]).includes(asked) && !(visible as readonly string[]).includes(asked);

async function buildView(
  warehouse: Warehouse,
  filters: ResolvedFilters,
  dims: Dimensions,
  locale: Locale,
  visible: readonly MetricId[],
) {
  const numbers = await overviewNumbers(warehouse, filters, dims);
  if (numbers.state === "empty") throw new WarehouseError("the warehouse was unpublished");
  const { cards, series, countries, regions } = numbers.result;
  const restricted = restrictedDimensions(filters.params);
  const metric = filters.params.metric;
  const currency = currencyView(
    filters.params,
    selectCountries(filters.params, dims.countries),
    dims.countries,
  );
  const money = currency.code;

  const cardViews: CardView[] = OVERVIEW_METRICS.filter((id) => visible.includes(id)).map((id) => {
    const value =
      lookup(cards, "current", "total")?.[id] ?? (metricAvailable(id, restricted) ? zeroOf(id) : null);
    const comparison = filters.comparison
      ? (lookup(cards, "comparison", "total")?.[id] ?? (metricAvailable(id, restricted) ? zeroOf(id) : null))
      : null;
    return {
      id,
      label: labelIn(METRICS[id].label[locale], money, locale),
      description:
        currency.local && id === "gmv_eur"
          ? OVERVIEW_MESSAGES[locale].currencyRule.gmvLocal(money)
          : METRICS[id].description[locale],
      value,
      display: value === null ? "—" : formatMetricValue(value, METRICS[id].unit, locale, money),
      comparison,
      comparisonDisplay:
        comparison === null ? null : formatMetricValue(comparison, METRICS[id].unit, locale, money),
      change: filters.comparison ? changeOf(id, value, comparison, locale, money) : null,
      spark: sparkOf(seriesOf(series, id, filters, dims.data)),
      unavailable: !metricAvailable(id, restricted),
    };
  });

  const breakdown = breakdownOf(filters, regions, countries, dims.countries, locale, money, visible);
  const names = countryNames(locale);
  return {
    filters,
    snapshot: numbers.snapshot,
    synthetic: numbers.snapshot.synthetic || dims.synthetic,
    data: dims.data as DataSpan,
    countries: dims.countries.map((c) => ({
      code: c.country_code,
      name: names.of(c.country_code) ?? c.country_code,
      currency: c.currency ?? "EUR",
    })),
    restricted,
    metrics: [...visible],
    currency,
    centralCosts: centralCostsView(filters.params.costs, dims, locale, visible),
    cards: cardViews,
    series: seriesOf(series, metric, filters, dims.data),
    breakdown,
  } satisfies OverviewView;
}

/**
 * Where central costs count (ADR 0019), for a page that shows operating costs: the basis the filters
 * chose and the headquarters' name; null when the snapshot keeps no central costs apart or the reader
 * may not see operating costs.
 */
export function centralCostsView(
  basis: CostBasis,
  dims: Dimensions,
  locale: Locale,
  visible: readonly MetricId[] = METRIC_IDS,
): CentralCostsView | null {
  if (!dims.headquarters || !visible.includes("opex_eur")) return null;
  return {
    basis,
    headquarters: countryNames(locale).of(dims.headquarters) ?? dims.headquarters,
  };
}

const displayNames = new Map<Locale, Intl.DisplayNames>();

/** Country names in the reader's language, from the runtime's own ICU data. */
export function countryNames(locale: Locale): Intl.DisplayNames {
  let names = displayNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: "region" });
    displayNames.set(locale, names);
  }
  return names;
}

/** Regions with their countries, sorted on the server by the column the URL names. */
function breakdownOf(
  filters: ResolvedFilters,
  regions: MetricRow[],
  countries: MetricRow[],
  all: readonly Country[],
  locale: Locale,
  currency: string,
  visible: readonly MetricId[],
): Breakdown {
  const { metric, dir } = filters.params;
  const shown = TABLE_METRICS.filter((m) => visible.includes(m));
  const columns = shown.includes(metric) ? shown : [...shown, metric];
  const sort: MetricId | "name" =
    filters.params.sort === "name" || (columns as string[]).includes(filters.params.sort ?? "")
      ? (filters.params.sort as MetricId | "name")
      : metric;
  const names = countryNames(locale);
  const regionNames = OVERVIEW_REGION_NAMES[locale];
  const regionOf = new Map(all.map((c) => [c.country_code, c.region]));
  const row = (source: MetricRow[], r: MetricRow, name: string) => {
    const before = lookup(source, "comparison", r.key)?.[metric] ?? null;
    const now = r.values[metric] ?? null;
    const display: Partial<Record<MetricId, string>> = {};
    for (const id of columns) {
      const v = r.values[id] ?? null;
      display[id] = v === null ? "—" : formatMetricValue(v, METRICS[id].unit, locale, currency);
    }
    const change = changeOf(metric, now, before, locale, currency);
    return {
      key: r.key,
      name,
      display,
      change: change?.percent ?? change?.absolute ?? null,
      values: r.values,
    };
  };
  const order = <T extends { name: string; values: Record<MetricId, number | null> }>(rows: T[]): T[] =>
    rows.sort((a, b) => {
      const x = sort === "name" ? 0 : (a.values[sort] ?? Number.NEGATIVE_INFINITY);
      const y = sort === "name" ? 0 : (b.values[sort] ?? Number.NEGATIVE_INFINITY);
      const cmp = sort === "name" ? a.name.localeCompare(b.name, locale) : x - y;
      return dir === "asc" ? cmp : -cmp;
    });
  const current = (rows: MetricRow[]) => rows.filter((r) => r.which === "current");
  const countryRows = order(
    current(countries).map((r) => ({
      ...row(countries, r, names.of(r.key) ?? r.key),
      region: regionOf.get(r.key),
    })),
  );
  const strip = <T extends { values: unknown }>({ values: _, ...rest }: T) => rest;
  return {
    columns,
    sort,
    dir,
    regions: order(current(regions).map((r) => row(regions, r, regionNames[r.key] ?? r.key))).map((r) => ({
      ...strip(r),
      countries: countryRows.filter((c) => c.region === r.key).map(({ region: _, ...c }) => strip(c)),
    })),
    bars: countryRows
      .filter((c) => c.values[metric] !== null)
      .map((c) => ({ key: c.key, label: c.name, value: c.values[metric] as number }))
      .sort((a, b) => b.value - a.value),
  };
}

/** Roles whose overviews differ (executive and finance see the same figures). */
const WARM_ROLES: Role[] = ["finance", "product"];

/** The views an executive opens first: the default and each preset, in both locales. */
async function warmOverview(warehouse: Warehouse): Promise<void> {
  const queries = ["", ...PRESETS.filter((p) => p !== DEFAULT_PRESET).map((p) => `range=${p}`)];
  for (const query of queries)
    for (const locale of LOCALES)
      for (const role of WARM_ROLES)
        await loadOverview(warehouse, new URL(`http://warm.local/?${query}`), locale, role);
}

addWarmer(warmOverview);
// The customer-day counts after every other warmer: seconds at full scale, and no page waits for them
// (DuckDB answers until they are read), where the other warmers' marts are waited for.
addWarmer(
  (warehouse) =>
    warehouse
      .withDb(
        async (db) => {
          await lookForCrossBorder(db);
          await residentCustomerDays(db);
        },
        { timeoutMs: PREPARE_TIMEOUT_MS },
      )
      .then(() => undefined),
  { last: true },
);

// A new snapshot's resident marts are read before it is served in place of the current one (ADR 0030).
// (mart_daily_sales held whole is read with them; the customer-day counts after them, ADR 0031.)
addPreparer(async (db) => {
  const resident = await residentOf(db);
  // The daily tables summed by month (sumDaily's whole months): made here, not by a first request.
  const whole = resident && (await residentDailySales(db));
  for (const table of resident ? [resident.sales, resident.salesByCategory, whole] : [])
    if (table) monthlyOf(table);
  const days = await residentCustomerDays(db);
  if (days?.crossBorder) crossBorderIndex(days.crossBorder);
});

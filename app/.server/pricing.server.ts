// Price-display compliance (/pricing): for the sales of a period, the "new" price the product pages
// displayed against the market price of that model new on the order date, from the pricing marts (ADR
// 0011). Every threshold's count is a column, so the threshold is applied here, without a query: a view
// sums its threshold's column only (with the five other measures), cached per snapshot, period, countries,
// categories and threshold. Summing all nine thresholds' columns for every view, so that a change of
// threshold cost nothing, made each first visit sum 14 columns of up to 5.2M rows to show 6 (issue 19).
// The filters are the shared grammar's (~/lib/grammar); every figure is the catalogue's (figuresOf over
// the measures summed by sumMeasures): this module groups and ranks, it never divides or rounds.

import { sql } from "kysely";
import {
  type CountryChoice,
  type DataSpan,
  type MonthRange,
  monthEnd,
  type Region,
  readCategories,
  readChoice,
  readQuery,
  resolveCountries,
  resolveMonthRange,
} from "~/lib/grammar";
import { figuresOf } from "~/metrics/catalogue";
import { sumMeasures } from "~/metrics/evaluate";
import { isMeasureId, MEASURES, type MeasureId, type MeasureSums } from "~/metrics/measures";
import { DEFAULT_THRESHOLD, THRESHOLDS, type Threshold, TOP_ROWS } from "~/metrics/pricing";
import type { CATEGORIES } from "../../core/contract.ts";
import type { PriceDisplaySums } from "./db/schema";
import { type CubeSource, cubeIfRead, residentCube, sumByKey } from "./metrics/price-cubes.server";
import type { Db } from "./metrics/query.server";
import {
  type Aggregate,
  groupMart,
  residentMart,
  rowsBetween,
  rowsByKey,
  textColumn,
} from "./metrics/resident.server";
import { BadRequest, readDimensions } from "./overview.server";
import {
  addPreparer,
  addWarmer,
  PREPARE_TIMEOUT_MS,
  type Warehouse,
  WarehouseError,
} from "./warehouse.server";

export { THRESHOLDS, type Threshold };

/** The page's parameters, as the URL names them (its sections and downloads take the same). */
export const PRICING_PARAMS = ["range", "from", "to", "country", "region", "category", "threshold"] as const;

export interface PricingParams {
  /** As given in the URL, for the form. */
  country: string[];
  region: Region[];
  category: (typeof CATEGORIES)[number][];
  threshold: Threshold;
}

/** The figures every row of the page shows, by metric id (null where a denominator is zero). */
export const PRICING_FIGURES = [
  "devices_sold",
  "priced_sales",
  "unpriced_sales",
  "inflated_sales",
  "inflated_display_share",
  "claimed_saving_pct",
  "actual_saving_pct",
  "displayed_price_overstatement",
] as const;
export type PricingFigures = Record<(typeof PRICING_FIGURES)[number], number | null>;

/**
 * A mart row's sums, named as measures; of the thresholds' counts, only the view's threshold's is there
 * (read as the measure inflated_sales).
 */
type SumsRow = Omit<PriceDisplaySums, "sales" | "price_eur" | `inflated_over_${Threshold}_pct`> &
  Partial<Pick<PriceDisplaySums, `inflated_over_${Threshold}_pct`>> & {
    devices_sold: number;
    priced_gmv_eur: number;
  };

/** The marts' column of a threshold, read as the measure of inflated sales (no copy of each row). */
const atThreshold = (t: Threshold) => ({ [`inflated_over_${t}_pct`]: "inflated_sales" }) as const;

/** The marts' columns a view at `thresholds` sums, as measure name and column (ADR 0029's aggregates). */
function sumColumns(thresholds: readonly Threshold[]): readonly Aggregate[] {
  return [
    ["devices_sold", "sales"],
    ["priced_sales", "priced_sales"],
    ...thresholds.map((t) => [`inflated_over_${t}_pct`, `inflated_over_${t}_pct`]),
    ["priced_gmv_eur", "price_eur"],
    ["displayed_new_price_eur", "displayed_new_price_eur"],
    ["market_new_price_eur", "market_new_price_eur"],
  ].map(([as, column]) => ({ as: as as string, column: column as string, fn: "sum" as const }));
}

/** Every threshold's: what the models' monthly cube holds. */
const ALL_SUM_COLUMNS = sumColumns(THRESHOLDS);

/** The measure a summed column is read as: its own name, or inflated sales for a threshold's count. */
function measureOf(as: string): MeasureId {
  if (/^inflated_over_\d+_pct$/.test(as)) return "inflated_sales";
  if (isMeasureId(as)) return as;
  throw new Error(`no measure is summed as ${as}`);
}

/**
 * The same sums in DuckDB: money as the exact decimal sum, counts as BIGINT (HUGEINT sums are ten times
 * slower); which is which is the measure's kind, not the column's name.
 */
const sumsSql = (columns: readonly Aggregate[]) =>
  sql.join(
    columns.map(({ as, column }) =>
      MEASURES[measureOf(as)].kind === "money"
        ? sql`sum(${sql.ref(column)}) as ${sql.ref(as)}`
        : sql`cast(sum(${sql.ref(column)}) as bigint) as ${sql.ref(as)}`,
    ),
    sql`, `,
  );

interface Scope {
  from: string;
  to: string;
  country: string[];
  category: string[];
  threshold: Threshold;
}

function where(scope: Scope) {
  const parts = [sql`month between ${scope.from} and ${scope.to}`];
  if (scope.country.length) parts.push(sql`country_code in (${sql.join(scope.country)})`);
  if (scope.category.length) parts.push(sql`category in (${sql.join(scope.category)})`);
  return sql.join(parts, sql` and `);
}

export interface PricingRow {
  key: string;
  figures: PricingFigures;
}

export interface SellerRow extends PricingRow {
  name: string;
  /** The seller's home country. */
  country: string | null;
}

export interface ModelRow extends PricingRow {
  brand: string;
  model: string;
  category: string;
}

export interface PricingView {
  params: PricingParams;
  /** The period shown (whole months, YYYY-MM). */
  from: string;
  to: string;
  /** The first and last month with sales in the snapshot. */
  dataFrom: string;
  dataTo: string;
  /** The data's last month when the period shows it and it is not over (its last day with sales). */
  partialMonth: { month: string; lastDay: string } | null;
  /** Every country of the snapshot, for the form. */
  countries: string[];
  /** The countries the filters select (empty: all). */
  selected: string[];
  totals: PricingFigures;
  months: (PricingRow & { month: string })[];
  byCountry: PricingRow[];
  byCategory: PricingRow[];
  /** The sellers with sales in the scope, most inflated sales first: every one, or the worst as asked. */
  sellers: SellerRow[];
  /** How many sellers had sales in the scope. */
  sellerCount: number;
  /** The models with sales in the scope, most inflated sales first: every one, or the worst as asked. */
  models: ModelRow[];
  /** How many models had sales in the scope. */
  modelCount: number;
}

/** The figures `byOffence` ranks on. */
const RANKED_ON = ["inflated_sales", "inflated_display_share"] as const;
type Ranked = { key: string; figures: Pick<PricingFigures, (typeof RANKED_ON)[number]> };

/** Most inflated sales first, then the higher share, then the key: the worst offenders on top. */
export function byOffence(a: Ranked, b: Ranked): number {
  return (
    (b.figures.inflated_sales ?? 0) - (a.figures.inflated_sales ?? 0) ||
    (b.figures.inflated_display_share ?? -1) - (a.figures.inflated_display_share ?? -1) ||
    a.key.localeCompare(b.key)
  );
}

/** Each group's figures at a threshold: the rows summed by key, every figure from the catalogue. */
export function figuresBy<R extends SumsRow>(
  rows: readonly R[],
  key: (row: R) => string,
  threshold: Threshold,
): Map<string, PricingFigures> {
  const totals = sumMeasures(rows, key, atThreshold(threshold));
  return new Map(totals.keys().map((k) => [k, pricingFigures(totals.get(k))]));
}

/**
 * The worst `top` rows (every one when `top` is null), ranked on the two figures `byOffence` reads, each
 * with every figure of the page: the others are figured for the rows kept only (3,000 sellers and 2,000
 * models a scope; a page keeps 20 of each).
 */
function worst<R extends SumsRow, T>(
  rows: readonly R[],
  key: (row: R) => string,
  threshold: Threshold,
  top: number | null,
  describe: (row: R, key: string, figures: PricingFigures) => T,
): T[] {
  const totals = sumMeasures(rows, key, atThreshold(threshold));
  const ranked = rows.map((row) => {
    const k = key(row);
    return { row, key: k, figures: figuresOf(RANKED_ON, totals.get(k)) };
  });
  const kept = top === null ? ranked.sort(byOffence) : firstInOrder(ranked, top, byOffence);
  return kept.map(({ row, key: k }) => describe(row, k, pricingFigures(totals.get(k))));
}

/**
 * The first `k` items in `order`, in that order, as a stable sort would give them: one pass keeping the k
 * best so far (most items are compared once, with the k-th), not a sort of them all (3,000 sellers:
 * 0.35–0.6 ms against 0.02 ms for 20).
 */
export function firstInOrder<T>(items: readonly T[], k: number, order: (a: T, b: T) => number): T[] {
  const best: T[] = [];
  if (k <= 0) return best;
  for (const item of items) {
    if (best.length === k && order(item, best[k - 1] as T) >= 0) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && order(item, best[at - 1] as T) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

/** A group's figures from its measure sums. */
export const pricingFigures = (sums: MeasureSums): PricingFigures => figuresOf(PRICING_FIGURES, sums);

/** The page's parameters as given, or a ParamError saying what is wrong. */
export function readPricingParams(search: URLSearchParams) {
  const raw = readQuery(search, PRICING_PARAMS);
  const threshold = Number(
    readChoice("threshold", raw.threshold, THRESHOLDS.map(String), String(DEFAULT_THRESHOLD)),
  ) as Threshold;
  return { raw, threshold, category: readCategories(raw.category) };
}

/** The months with price displays on record (once per snapshot). */
async function coverage(warehouse: Warehouse) {
  return warehouse.held(JSON.stringify(["pricing-coverage"]), async (db) => {
    const range = await sql<{ first: string | null; last: string | null }>`
      select min(month) as first, max(month) as last from marts.mart_price_display_months`.execute(db);
    return { first: range.rows[0]?.first ?? null, last: range.rows[0]?.last ?? null };
  });
}

type MonthSums = SumsRow & { month: string; country_code: string; category: string };

/**
 * A scope's sums as the view shows them: its total, by month (in order), by country and by category.
 * From DuckDB each list holds the rows by month × country × category (the figures sum them by their key
 * anyway); from memory, the groups themselves.
 */
interface MonthGroups {
  total: MonthSums[];
  byMonth: MonthSums[];
  byCountry: MonthSums[];
  byCategory: MonthSums[];
}

/** A scope's sums by month, country and category: from memory where held (ADR 0029). */
async function monthSums(db: Db, snapshot: object, scope: Scope): Promise<MonthGroups> {
  const mart = await residentMart(db, snapshot, "mart_price_display_months");
  if (!mart) {
    const { rows } = await sql<MonthSums>`
      select month, country_code, category, ${sumsSql(sumColumns([scope.threshold]))}
      from marts.mart_price_display_months where ${where(scope)}
      group by all order by month`.execute(db);
    return { total: rows, byMonth: rows, byCountry: rows, byCategory: rows };
  }
  const month = textColumn(mart, "month");
  const country = textColumn(mart, "country_code");
  const category = textColumn(mart, "category");
  const countries = scope.country.length ? new Set(scope.country) : null;
  const categories = scope.category.length ? new Set(scope.category) : null;
  const keep = (r: number) =>
    (!countries || countries.has(country[r] as string)) &&
    (!categories || categories.has(category[r] as string));
  const rows = rowsBetween(mart, "month", scope.from, scope.to);
  const columns = sumColumns([scope.threshold]);
  // Each grouping summed from the mart's columns: no object per month × country × category to sum again.
  const grouped = (key: (r: number) => string) =>
    [...groupMart(mart, keep, key, columns, rows).values()].map(
      ({ row, values }) =>
        ({
          month: month[row],
          country_code: country[row],
          category: category[row],
          ...values,
        }) as MonthSums,
    );
  return {
    total: grouped(() => ""),
    byMonth: grouped((r) => month[r] as string).sort((a, b) =>
      a.month < b.month ? -1 : a.month > b.month ? 1 : 0,
    ),
    byCountry: grouped((r) => country[r] as string),
    byCategory: grouped((r) => category[r] as string),
  };
}

type SellerSums = SumsRow & { seller_id: string; name: string | null; home: string | null };
type ModelSums = SumsRow & {
  product_id: string;
  brand: string | null;
  model: string | null;
  category: string;
};

/** The price-display marts held as cubes (ADR 0032): by country, category, month and seller or model. */
export const SELLERS: CubeSource = { name: "mart_price_display_sellers", key: "seller_id" };
export const MODELS: CubeSource = { name: "mart_price_display_models", key: "product_id" };
/** The sellers' monthly totals (~3,000 rows a month, not ~50,000): one block, no country nor category. */
export const SELLER_MONTHS: CubeSource = {
  name: "mart_price_display_seller_months",
  key: "seller_id",
  relation: sql`select '' as country_code, '' as category, * from marts.mart_price_display_seller_months`,
};
/** A price-display mart by category, month and key, summed over countries (one block per category). */
function overCountries(mart: string, key: string, what: string): CubeSource {
  return {
    name: `${mart} ${what}`,
    key,
    relation: sql`select '' as country_code, category, month, ${sql.ref(key)}, ${sql.join(
      ALL_SUM_COLUMNS.map((c) => sql`sum(${sql.ref(c.column)}) as ${sql.ref(c.column)}`),
    )} from ${sql.table(`marts.${mart}`)} group by all`,
  };
}

/**
 * The sellers by category and month, summed over countries (1.1M rows at full scale, not 5.2M): what a
 * scope with categories and no country reads. All time for three categories read 2.1M rows of the
 * cube by country, 72–184 ms of the one JavaScript thread (the slowest first visit of the pages bench,
 * holding up the nine others behind it; issue 19); here 0.49M.
 */
export const SELLER_CATEGORIES = overCountries("mart_price_display_sellers", "seller_id", "by category");
/** The models summed by month (~67,000 rows at full scale, not ~594,000): by category, no country. */
export const MODEL_MONTHS = overCountries("mart_price_display_models", "product_id", "by month");

/**
 * A scope's sums by seller: unfiltered, from the sellers' monthly totals; with categories and no
 * country, from the sellers by category summed over countries; with a country, from
 * mart_price_display_sellers (5.2M rows). The last two read in the background (ADR 0031's rule) and
 * DuckDB's to sum until then. All held as cubes (ADR 0032).
 */
async function sellerSums(db: Db, snapshot: object, scope: Scope): Promise<SellerSums[]> {
  const unfiltered = !scope.country.length && !scope.category.length;
  const names = await residentMart(db, snapshot, "mart_sellers");
  const cube = !names
    ? null
    : unfiltered
      ? await residentCube(db, SELLER_MONTHS)
      : cubeIfRead(db, scope.country.length ? SELLERS : SELLER_CATEGORIES);
  if (names && cube) {
    const known = rowsByKey(names, "seller_id");
    const name = textColumn(names, "name");
    const home = textColumn(names, "country_code");
    return sumByKey(cube, scope, sumColumns([scope.threshold])).map(({ key: seller, values }) => {
      const at = known.get(seller);
      // The sums' own object, named: no copy of it per seller.
      const row = values as unknown as SellerSums;
      row.seller_id = seller;
      row.name = at === undefined ? null : (name[at] ?? null);
      row.home = at === undefined ? null : (home[at] ?? null);
      return row;
    });
  }
  // The same marts as the cubes'.
  const sellerTable = `marts.${(unfiltered ? SELLER_MONTHS : SELLERS).name}`;
  const { rows } = await sql<SellerSums>`
    select s.*, d.name, d.country_code as home
    from (select seller_id, ${sumsSql(sumColumns([scope.threshold]))} from ${sql.table(sellerTable)} where ${where(scope)} group by seller_id) s
    left join marts.mart_sellers d using (seller_id)`.execute(db);
  return rows;
}

/**
 * A scope's sums by model: without a country, from the models summed by month; with one, from
 * mart_price_display_models whole. Both held as cubes (ADR 0032); DuckDB's when they are not held.
 */
async function modelSums(db: Db, snapshot: object, scope: Scope): Promise<ModelSums[]> {
  const cube = await residentCube(db, scope.country.length ? MODELS : MODEL_MONTHS);
  const products = cube && (await residentMart(db, snapshot, "mart_products"));
  if (!cube || !products) {
    const { rows } = await sql<ModelSums>`
      select m.*, p.brand, p.model
      from (
        select product_id, any_value(category) as category, ${sumsSql(sumColumns([scope.threshold]))}
        from marts.mart_price_display_models where ${where(scope)} group by product_id
      ) m
      left join marts.mart_products p using (product_id)`.execute(db);
    return rows;
  }
  const known = rowsByKey(products, "product_id");
  const brand = textColumn(products, "brand");
  const model = textColumn(products, "model");
  return sumByKey(cube, scope, sumColumns([scope.threshold])).map(({ key: product, category, values }) => {
    const at = known.get(product);
    const row = values as unknown as ModelSums;
    row.product_id = product;
    row.category = category;
    row.brand = at === undefined ? null : (brand[at] ?? null);
    row.model = at === undefined ? null : (model[at] ?? null);
    return row;
  });
}

/** The sums of a scope at its threshold: by month × country × category, by seller, by model. */
async function scopeSums(warehouse: Warehouse, scope: Scope) {
  // Not kept: the view made of them is (its key is the same scope), and 3,000 sellers' and 2,000 models'
  // sums kept beside it were ~0.6 MB of JSON a scope for the collector to copy and promote (ADR 0040).
  return warehouse.withDb(async (db, snapshot) => {
    const months = await monthSums(db, snapshot, scope);
    const sellers = await sellerSums(db, snapshot, scope);
    const models = await modelSums(db, snapshot, scope);
    return { months, sellers, models };
  });
}

/**
 * The compliance view of a URL, or a ParamError for bad parameters, months without data or unknown
 * countries. The sellers and models are every one (a download's rows), or the worst `rows` of each (the
 * page's tables). A view is kept for the next request: the page's used to keep every seller's and
 * model's figures, shown to nobody (~0.6 MB of JSON a scope, copied by the collector; ADR 0040).
 */
export async function loadPricing(warehouse: Warehouse, url: URL, rows = Number.POSITIVE_INFINITY) {
  const { raw, threshold, category } = readPricingParams(url.searchParams);
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return dims;
  const cover = await coverage(warehouse);
  if (cover.state === "empty") return cover;
  const { first, last } = cover.result;
  const { countries: known, data } = dims.result;
  if (!data || first === null || last === null) throw new BadRequest("this snapshot holds no sale yet");
  const choice: CountryChoice = resolveCountries(raw, known);
  // Months bounded by the price displays on record; by default the last 12 whole months.
  const span: DataSpan = { from: `${first}-01`, to: data.to.startsWith(last) ? data.to : monthEnd(last) };
  const range: MonthRange = resolveMonthRange(raw, span);
  const partial = span.to === monthEnd(last) ? null : last;
  const selected = choice.countries ?? [];
  const scope = { from: range.from, to: range.to, country: selected, category, threshold };
  const params: PricingParams = { country: choice.country, region: choice.region, category, threshold };
  // The page's view, once per snapshot, scope and threshold: ranking 3,000 sellers and 2,000 models is
  // ~20 ms of JavaScript that a cached request should not redo.
  const top = Number.isFinite(rows) ? rows : null;
  return warehouse.memo(JSON.stringify(["pricing-view", scope, top]), async (): Promise<PricingView> => {
    const loaded = await scopeSums(warehouse, scope);
    if (loaded.state === "empty") throw new WarehouseError("the warehouse was unpublished");
    const { months, sellers, models } = loaded.result;
    const rowsOf = (map: Map<string, PricingFigures>): PricingRow[] =>
      [...map].map(([key, figures]) => ({ key, figures }));
    const none = pricingFigures({});
    return {
      params,
      from: range.from,
      to: range.to,
      dataFrom: first,
      dataTo: last,
      partialMonth:
        partial && partial >= range.from && partial <= range.to ? { month: partial, lastDay: data.to } : null,
      countries: known.map((c) => c.country_code),
      selected,
      totals: figuresBy(months.total, () => "total", threshold).get("total") ?? none,
      months: rowsOf(figuresBy(months.byMonth, (r) => r.month, threshold)).map((r) => ({
        ...r,
        month: r.key,
      })),
      byCountry: rowsOf(figuresBy(months.byCountry, (r) => r.country_code, threshold)).sort(byOffence),
      byCategory: rowsOf(figuresBy(months.byCategory, (r) => r.category, threshold)).sort(byOffence),
      sellers: worst(
        sellers,
        (r) => String(r.seller_id),
        threshold,
        top,
        (r, key, figures): SellerRow => ({ key, name: r.name ?? key, country: r.home, figures }),
      ),
      sellerCount: sellers.length,
      models: worst(
        models,
        (r) => String(r.product_id),
        threshold,
        top,
        (r, key, figures): ModelRow => ({
          key,
          brand: r.brand ?? "",
          model: r.model ?? key,
          category: r.category,
          figures,
        }),
      ),
      modelCount: models.length,
    };
  });
}

// The page as first opened (the last 12 whole months, every country, 5 %), computed as soon as a
// snapshot is current: the same view serves both locales (formatting happens in the route).
addWarmer(async (warehouse) => {
  await loadPricing(warehouse, new URL("http://warm.local/pricing"), TOP_ROWS);
  // The models by country too, which the default view does not read (a first visit with a country would
  // wait for them).
  await warehouse.withDb((db) => residentCube(db, MODELS));
});

// The price displays by seller (5.2M rows at full scale) and by seller and category after every other
// warmer: seconds, and no page waits for them (DuckDB sums a filtered scope's sellers until they are
// read; ADR 0031's rule).
addWarmer(
  (warehouse) =>
    warehouse
      .withDb(
        async (db) => {
          await residentCube(db, SELLER_CATEGORIES);
          await residentCube(db, SELLERS);
        },
        { timeoutMs: PREPARE_TIMEOUT_MS },
      )
      .then(() => undefined),
  { last: true },
);

// A new snapshot's marts held in memory are read before it is served (ADR 0030): the marts and the
// cubes by two preparers, which run at the same time on connections of their own.
addPreparer(async (db, snapshot) => {
  for (const table of ["mart_price_display_months", "mart_sellers", "mart_products"])
    await residentMart(db, snapshot, table);
});
addPreparer(async (db) => {
  for (const cube of [SELLER_MONTHS, MODELS, MODEL_MONTHS]) await residentCube(db, cube);
});

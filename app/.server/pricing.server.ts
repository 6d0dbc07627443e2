// Price-display compliance (issue 6's /pricing, data side): for the sales of a period, the "new" price the
// product pages displayed against the market price of that model new on the order date, from the pricing
// marts (ADR 0011). Every threshold's count is a column, so the threshold is applied here, without a query:
// the rows are cached per snapshot and period/country/category, and a change of threshold costs nothing.

import { sql } from "kysely";
import { z } from "zod";
import { monthsBack, unfinishedMonth } from "~/lib/months";
import {
  DEFAULT_THRESHOLD,
  isThreshold,
  type PricingFigures,
  type PricingSums,
  pricingFigures,
  THRESHOLDS,
  type Threshold,
  TOP_ROWS,
} from "~/metrics/pricing";
import { CATEGORIES } from "../../pipelines/contract.ts";
import type { Database, PriceDisplaySums } from "./db/schema";
import { BadRequest } from "./overview.server";
import { addWarmer, type Snapshot, type Warehouse, WarehouseError } from "./warehouse.server";

export { THRESHOLDS, type Threshold };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const month = z.string().regex(MONTH, "must be a month written YYYY-MM");
const list = <T extends string>(name: string, check: (v: string) => boolean, hint: string) =>
  z
    .string()
    .max(400, "is too long (at most 400 characters)")
    .transform((v, ctx) => {
      const items = [...new Set(v.split(",").filter((x) => x !== ""))];
      const bad = items.find((x) => !check(x));
      if (bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `"${bad.slice(0, 40)}" is not a ${name} (${hint})` });
        return z.NEVER;
      }
      return items as T[];
    });

const pricingSchema = z
  .strictObject({
    from: month.optional(),
    to: month.optional(),
    country: list<string>("country code", (v) => /^[A-Z]{2}$/.test(v), "two capital letters").optional(),
    category: list<(typeof CATEGORIES)[number]>(
      "category",
      (v) => (CATEGORIES as readonly string[]).includes(v),
      `one of ${CATEGORIES.join(", ")}`,
    ).optional(),
    threshold: z
      .string()
      .regex(/^\d{1,2}$/, `must be one of ${THRESHOLDS.join(", ")}`)
      .transform(Number)
      .refine(isThreshold, `must be one of ${THRESHOLDS.join(", ")}`)
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (Boolean(v.from) !== Boolean(v.to))
      ctx.addIssue({ code: "custom", message: "from and to go together" });
    else if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: "custom", message: "from is after to" });
  });

/** The page's parameters as given (lists may repeat, one value per ticked box of the form). */
export interface PricingParams {
  from?: string;
  to?: string;
  country: string[];
  category: string[];
  threshold: Threshold;
}

/** The parameters the page and its downloads accept besides the overview's filters. */
export const PRICING_PARAMS = ["from", "to", "threshold"] as const;

const LISTS = ["country", "category"];

export function parsePricingParams(search: URLSearchParams): PricingParams {
  const raw: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key === "lang" || key.startsWith("_") || value === "") continue;
    if (LISTS.includes(key) && key in raw) raw[key] = `${raw[key]},${value}`;
    else if (key in raw) throw new BadRequest(`the ${key} parameter was given more than once`);
    else raw[key] = value;
  }
  const parsed = pricingSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === "unrecognized_keys")
      throw new BadRequest(`unknown parameter ${issue.keys.map((k) => `"${k.slice(0, 40)}"`).join(", ")}`);
    throw new BadRequest(`${issue?.path.join(".") || "parameters"}: ${issue?.message ?? "not valid"}`);
  }
  const p = parsed.data;
  return {
    from: p.from,
    to: p.to,
    country: (p.country ?? []).sort(),
    category: (p.category ?? []).sort(),
    threshold: p.threshold ?? DEFAULT_THRESHOLD,
  };
}

const COUNT_COLUMNS = ["sales", "priced_sales", ...THRESHOLDS.map((t) => `inflated_over_${t}_pct`)] as const;
const MONEY_COLUMNS = ["price_eur", "displayed_new_price_eur", "market_new_price_eur"] as const;

type SumsRow = PriceDisplaySums;

function sumsOf(row: SumsRow): PricingSums {
  return {
    sales: row.sales,
    priced: row.priced_sales,
    price: row.price_eur,
    displayed: row.displayed_new_price_eur,
    market: row.market_new_price_eur,
    inflated: Object.fromEntries(
      THRESHOLDS.map((t) => [t, row[`inflated_over_${t}_pct` as const]]),
    ) as Record<Threshold, number>,
  };
}

export function emptySums(): PricingSums {
  return {
    sales: 0,
    priced: 0,
    price: 0,
    displayed: 0,
    market: 0,
    inflated: Object.fromEntries(THRESHOLDS.map((t) => [t, 0])) as Record<Threshold, number>,
  };
}

export function addSums(into: PricingSums, s: PricingSums): PricingSums {
  into.sales += s.sales;
  into.priced += s.priced;
  into.price += s.price;
  into.displayed += s.displayed;
  into.market += s.market;
  for (const t of THRESHOLDS) into.inflated[t] += s.inflated[t];
  return into;
}

/** Sums of every count and money column, in SQL (counts as BIGINT: HUGEINT sums are ten times slower). */
const SUMS = sql.join(
  [
    ...COUNT_COLUMNS.map((c) => sql`cast(sum(${sql.ref(c)}) as bigint) as ${sql.ref(c)}`),
    ...MONEY_COLUMNS.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`),
  ],
  sql`, `,
);

interface Scope {
  from: string;
  to: string;
  country: string[];
  category: string[];
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
  /** Every country with sales, for the form. */
  countries: string[];
  totals: PricingFigures;
  months: (PricingRow & { month: string })[];
  byCountry: PricingRow[];
  byCategory: PricingRow[];
  /** The sellers with sales in the scope, most inflated sales first: the worst TOP_ROWS, or all. */
  sellers: SellerRow[];
  /** The models with sales in the scope, most inflated sales first: the worst TOP_ROWS, or all. */
  models: ModelRow[];
  /** How many sellers and models had sales in the scope (the downloads list them all). */
  sellerCount: number;
  modelCount: number;
}

/** Most inflated sales first, then the higher share, then the key: the worst offenders on top. */
export function byOffence(a: PricingRow, b: PricingRow): number {
  return (
    b.figures.inflated - a.figures.inflated ||
    (b.figures.inflatedShare ?? -1) - (a.figures.inflatedShare ?? -1) ||
    a.key.localeCompare(b.key)
  );
}

/** The months on record and the countries sold in: once per snapshot. */
async function coverage(warehouse: Warehouse) {
  return warehouse.cached(JSON.stringify(["pricing-coverage"]), async (db) => {
    const range = await sql<{ first: string | null; last: string | null }>`
      select min(month) as first, max(month) as last from marts.mart_price_display_months`.execute(db);
    const headline = await db.selectFrom("marts.mart_headline").select("last_order_date").executeTakeFirst();
    const countries = await db
      .selectFrom("marts.mart_countries")
      .select("country_code")
      .orderBy("country_code")
      .execute();
    return {
      first: range.rows[0]?.first ?? null,
      last: range.rows[0]?.last ?? null,
      lastDay: headline?.last_order_date ?? null,
      countries: countries.map((c) => c.country_code),
    };
  });
}

type SumsTable = keyof Pick<
  Database,
  | "marts.mart_price_display_months"
  | "marts.mart_price_display_sellers"
  | "marts.mart_price_display_seller_months"
  | "marts.mart_price_display_models"
>;

/** The sums of a scope, for every threshold at once: by month × country × category, by seller, by model. */
async function scopeSums(warehouse: Warehouse, scope: Scope) {
  return warehouse.cached(JSON.stringify(["pricing", scope]), async (db) => {
    const months = await sql<SumsRow & { month: string; country_code: string; category: string }>`
      select month, country_code, category, ${SUMS}
      from marts.mart_price_display_months where ${where(scope)}
      group by all order by month`.execute(db);
    // An unfiltered scope reads the sellers' monthly totals (~3,000 rows a month, not ~50,000).
    const sellerTable: SumsTable =
      scope.country.length || scope.category.length
        ? "marts.mart_price_display_sellers"
        : "marts.mart_price_display_seller_months";
    const sellers = await sql<SumsRow & { seller_id: string; name: string | null; home: string | null }>`
      select s.*, d.name, d.country_code as home
      from (select seller_id, ${SUMS} from ${sql.table(sellerTable)} where ${where(scope)} group by seller_id) s
      left join marts.mart_sellers d using (seller_id)`.execute(db);
    const models = await sql<
      SumsRow & { product_id: string; brand: string | null; model: string | null; category: string }
    >`
      select m.*, p.brand, p.model
      from (
        select product_id, any_value(category) as category, ${SUMS}
        from marts.mart_price_display_models where ${where(scope)} group by product_id
      ) m
      left join marts.mart_products p using (product_id)`.execute(db);
    return { months: months.rows, sellers: sellers.rows, models: models.rows };
  });
}

function grouped<T>(rows: readonly T[], keyOf: (row: T) => string, sumsOf: (row: T) => PricingSums) {
  const out = new Map<string, PricingSums>();
  for (const row of rows) {
    const key = keyOf(row);
    const into = out.get(key) ?? emptySums();
    out.set(key, addSums(into, sumsOf(row)));
  }
  return out;
}

/** The compliance view of a URL, or a BadRequest for bad parameters or countries never sold in. */
export async function loadPricing(
  warehouse: Warehouse,
  url: URL,
  /** The page shows the worst TOP_ROWS sellers and models; a download lists them all. */
  rows: "top" | "all" = "top",
): Promise<{ state: "empty" } | { state: "ready"; snapshot: Snapshot; result: PricingView }> {
  const params = parsePricingParams(url.searchParams);
  const cover = await coverage(warehouse);
  if (cover.state === "empty") return cover;
  const { first, last, lastDay, countries } = cover.result;
  const unknown = params.country.filter((c) => !countries.includes(c));
  if (unknown.length) throw new BadRequest(`country: no sales recorded for ${unknown.join(", ")}`);
  if (first === null || last === null) return { state: "empty" as const };
  // By default the last 12 whole months on record: a month with only its first days would read as a
  // collapse (YYYY-MM strings compare as months).
  const partial = unfinishedMonth(lastDay) === last ? last : null;
  const lastWhole = partial && partial > first ? monthsBack(partial, 2) : last;
  const to = params.to ?? lastWhole;
  const from = params.from ?? [monthsBack(lastWhole, 12), first].sort().at(-1) ?? first;
  const scope = { from, to, country: params.country, category: params.category };
  // The page's view, once per snapshot, scope and threshold: ranking 3,000 sellers and 2,000 models is
  // ~20 ms of JavaScript that a cached request should not redo (and only the top rows are kept). A
  // download's full lists are ranked afresh from the cached sums.
  const compute = async (): Promise<PricingView> => {
    const loaded = await scopeSums(warehouse, scope);
    if (loaded.state === "empty") throw new WarehouseError("the warehouse was unpublished");
    const { months, sellers, models } = loaded.result;
    const t = params.threshold;
    const rowsOf = (map: Map<string, PricingSums>): PricingRow[] =>
      [...map].map(([key, sums]) => ({ key, figures: pricingFigures(sums, t) }));
    const total = [...grouped(months, () => "total", sumsOf).values()][0] ?? emptySums();
    const keep = <T>(list: T[]) => (rows === "all" ? list : list.slice(0, TOP_ROWS));
    const rankedSellers = sellers
      .map((r) => ({
        key: String(r.seller_id),
        name: r.name ?? String(r.seller_id),
        country: r.home,
        figures: pricingFigures(sumsOf(r), t),
      }))
      .sort(byOffence);
    const rankedModels = models
      .map((r) => ({
        key: String(r.product_id),
        brand: r.brand ?? "",
        model: r.model ?? String(r.product_id),
        category: r.category,
        figures: pricingFigures(sumsOf(r), t),
      }))
      .sort(byOffence);
    return {
      params,
      from,
      to,
      dataFrom: first,
      dataTo: last,
      partialMonth:
        partial && partial >= from && partial <= to ? { month: partial, lastDay: lastDay as string } : null,
      countries,
      totals: pricingFigures(total, t),
      months: rowsOf(grouped(months, (r) => r.month, sumsOf)).map((r) => ({ ...r, month: r.key })),
      byCountry: rowsOf(grouped(months, (r) => r.country_code, sumsOf)).sort(byOffence),
      byCategory: rowsOf(grouped(months, (r) => r.category, sumsOf)).sort(byOffence),
      sellers: keep(rankedSellers),
      models: keep(rankedModels),
      sellerCount: rankedSellers.length,
      modelCount: rankedModels.length,
    };
  };
  if (rows === "all") {
    const snapshot = await warehouse.status();
    if (snapshot.state === "empty") return snapshot;
    return { state: "ready", snapshot: snapshot.snapshot, result: await compute() };
  }
  return warehouse.memo(JSON.stringify(["pricing-view", scope, params]), compute);
}

// The page as first opened (the last 12 whole months, every country, 5 %), computed as soon as a
// snapshot is current: the same view serves both locales (formatting happens in the route).
addWarmer(async (warehouse) => {
  await loadPricing(warehouse, new URL("http://warm.local/pricing"));
});

// The metric layer's one query path: every card, chart, table and export asks computeMetrics for metric
// ids over a date range (and its comparison range), grouped by nothing, by period, by country or by
// region. Each metric's rule lives in ~/metrics/catalogue (what it means, how it aggregates); this file
// is the only place that turns those rules into SQL over the marts (ADR 0006).

import { differenceInCalendarDays } from "date-fns";
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { dayNumber, isoDay } from "~/lib/days";
import { type CostBasis, type DateRange, formatDay, type Grain, parseDay, periodEnd } from "~/lib/filters";
import { memoIn } from "~/lib/memo";
import { type Dimension, figureOf, METRICS, type MetricId, metricAvailable } from "~/metrics/catalogue";
import { MeasureTotals } from "~/metrics/evaluate";
import type { MeasureId } from "~/metrics/measures";
import { snapshotOf, sqlDate } from "../db/duckdb-dialect";
import type { Database } from "../db/schema";
import {
  type CustomerDays,
  countedTwice as countedTwiceInMemory,
  customerDaysIfRead,
  nextWithin,
  previousBefore,
} from "./customer-days.server";
import {
  type DailyTable,
  dateKey,
  monthlyOf,
  type PnlRow,
  residentDailySales,
  residentOf,
  type ScopedCounts,
  sumDaily,
  sumScoped,
} from "./resident.server";

export type Db = Kysely<Database>;

export interface Country {
  country_code: string;
  region: string;
  /** Its own currency (ISO 4217). */
  currency?: string;
}

export interface MetricQuery {
  current: DateRange;
  comparison: DateRange | null;
  /** The countries selected (by country and region filters), or null for all. */
  countries: string[] | null;
  /** Category, grade, channel and partner filters (empty = all). */
  slices: { category: string[]; grade: string[]; channel: string[]; partner: string[] };
  /** Every country of the snapshot, with its region. */
  allCountries: readonly Country[];
  /**
   * Money in a single country's own currency (its ISO code) instead of EUR: amounts as recorded, from the
   * *_local columns of the marts. Only for one country and no category, grade, channel or partner filter
   * (callers check with `localCurrencyApplies`); null or absent: EUR.
   */
  localCurrency?: string | null;
  /** Central costs where recorded (default), or allocated to every country by net revenue (ADR 0019). */
  costBasis?: CostBasis;
  /** False for snapshots published before central costs were kept apart: none is central then. */
  centralColumns?: boolean;
}

/** Why local currency cannot apply to a query (null when it can): one country, country totals only. */
export function localCurrencyBlocker(
  q: Pick<MetricQuery, "countries" | "slices">,
): "one_country" | "slices" | null {
  if (q.countries === null || q.countries.length !== 1) return "one_country";
  if (Object.values(q.slices).some((values) => values.length > 0)) return "slices";
  return null;
}

export type GroupBy =
  | { kind: "total" }
  | { kind: "period"; grain: Grain }
  | { kind: "country" }
  | { kind: "region" }
  /** By product category: sales metrics only (what a category can be split by); one scan for all. */
  | { kind: "category" };

export type Which = "current" | "comparison";

/** One group's values; null where the metric cannot honour the filters or has no denominator. */
export interface MetricRow {
  which: Which;
  key: string;
  values: Record<MetricId, number | null>;
  /** Whether any mart row fell in the group (a period before a country's first sale has none). */
  hasData: boolean;
}

const iso = formatDay;

/** The start of the period of `grain` holding `day`. */
export function periodStart(day: string, grain: Grain): string {
  const d = parseDay(day);
  switch (grain) {
    case "day":
      return day;
    case "week": {
      const back = (d.getDay() + 6) % 7;
      return iso(new Date(d.getFullYear(), d.getMonth(), d.getDate() - back));
    }
    case "month":
      return `${day.slice(0, 7)}-01`;
    case "quarter":
      return `${day.slice(0, 4)}-${String(Math.floor(d.getMonth() / 3) * 3 + 1).padStart(2, "0")}-01`;
    case "year":
      return `${day.slice(0, 4)}-01-01`;
  }
}

export interface Bucket {
  /** Key of the bucket: its first day inside the range. */
  key: string;
  from: string;
  to: string;
  /** Whether the bucket is a whole period of the grain (not clipped by the range). */
  whole: boolean;
}

/** The last ranges' buckets: a request asks for the same ones several times (costs, customers, groups). */
const bucketsKnown = new Map<string, readonly Bucket[]>();

/** The periods of a grain covering a range, the first and last clipped to it (shared: not to be changed). */
export function buckets(range: DateRange, grain: Grain): readonly Bucket[] {
  const id = `${range.from}|${range.to}|${grain}`;
  let found = bucketsKnown.get(id);
  if (!found) {
    found = Object.freeze(bucketsOf(range, grain));
    if (bucketsKnown.size >= 256) bucketsKnown.delete(bucketsKnown.keys().next().value as string);
    bucketsKnown.set(id, found);
  }
  return found;
}

function bucketsOf(range: DateRange, grain: Grain): Bucket[] {
  const out: Bucket[] = [];
  let start = periodStart(range.from, grain);
  while (start <= range.to) {
    const end = periodEnd(start, grain);
    // ISO dates compare as text.
    const [, from] = [start, range.from].sort() as [string, string];
    const [to] = [end, range.to].sort() as [string, string];
    out.push({ key: from, from, to, whole: from === start && to === end });
    start = iso(new Date(parseDay(end).getTime() + 36 * 3600 * 1000));
  }
  return out;
}

/** DuckDB's date_trunc unit for a grain (weeks start on Monday, as ISO weeks do). */
const TRUNC: Record<Grain, string> = {
  day: "day",
  week: "week",
  month: "month",
  quarter: "quarter",
  year: "year",
};

function dateIn(column: string, range: DateRange): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} between ${sqlDate(range.from)} and ${sqlDate(range.to)}`;
}

/** The group key of a row dated by `dateColumn`: the bucket's first day inside the range, a country, a region. */
function keyOf(
  groupBy: GroupBy,
  range: DateRange,
  dateColumn: string,
  regionColumn = "region",
): RawBuilder<string> {
  switch (groupBy.kind) {
    case "total":
      return sql<string>`'total'`;
    case "country":
      return sql<string>`country_code`;
    case "region":
      return sql<string>`${sql.ref(regionColumn)}`;
    case "category":
      return sql<string>`category`;
    case "period":
      return sql<string>`strftime(greatest(date_trunc(${sql.lit(TRUNC[groupBy.grain])}, ${sql.ref(dateColumn)})::date, ${sqlDate(range.from)}), '%Y-%m-%d')`;
  }
}

function countryFilter(countries: string[] | null, column = "country_code"): RawBuilder<SqlBool> {
  if (countries === null) return sql<SqlBool>`true`;
  if (countries.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(countries)})`;
}

function sliceFilter(slices: MetricQuery["slices"]): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [];
  for (const [column, values] of Object.entries(slices))
    if (values.length) parts.push(sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`true`;
}

function ranges(q: MetricQuery): [Which, DateRange][] {
  return q.comparison
    ? [
        ["current", q.current],
        ["comparison", q.comparison],
      ]
    : [["current", q.current]];
}

/** The sales measures (mart_daily_sales and mart_daily_country_sales), as one group's sums. */
const SALES_MEASURES = [
  "devices_sold",
  "gmv_eur",
  "commission_eur",
  "commission_refunded_eur",
  "payment_fees_eur",
  "return_costs_eur",
  "returned_items",
] as const satisfies readonly MeasureId[];

type SalesSums = { which: Which; key: string } & Record<(typeof SALES_MEASURES)[number], number>;

function checkLocal(q: MetricQuery): boolean {
  if (!q.localCurrency) return false;
  const blocker = localCurrencyBlocker(q);
  if (blocker) throw new Error(`local currency asked for a query it cannot apply to (${blocker})`);
  return true;
}

/** Where each sales measure is read: its column, in EUR or in the country's own currency. */
function salesColumn(measure: (typeof SALES_MEASURES)[number], local: boolean): string {
  return measure === "devices_sold" || measure === "returned_items"
    ? measure
    : `${measure.slice(0, -"_eur".length)}${local ? "_local" : "_eur"}`;
}

/**
 * The start of the period of `grain` holding `day`, remembered per grain (a snapshot has a few thousand
 * days): a map per grain rather than one keyed by `grain|day`, no key text made a call (hot loops ask it
 * per row).
 */
const periodStarts = new Map<Grain, Map<string, string>>();
function periodStartOf(day: string, grain: Grain): string {
  return memoIn(periodStarts, grain, day, () => periodStart(day, grain));
}

/**
 * The same by day number (days since 1970-01-01, as the resident customer-days hold them), remembered per
 * grain: countedTwice asks it of every day and country it meets, and made each day's date text (a Date,
 * its ISO string, the memo's key) once a call, thousands of times a call over eight years.
 */
const periodStartsByDay = new Map<Grain, Map<string, string>>();
function periodStartOfDay(day: number, grain: Grain): string {
  return memoIn(periodStartsByDay, grain, String(day), () => periodStart(isoDay(day), grain));
}

/** A row's group key, as keyOf's SQL gives it, for the resident marts (rows by date and country). */
function residentKey(
  groupBy: GroupBy,
  range: DateRange,
  table?: DailyTable,
): (date: string, country: string, row: number) => string {
  switch (groupBy.kind) {
    case "category": {
      const categories = table?.slices?.category;
      if (!categories) throw new Error("grouped by category over a table without categories");
      const { values, codes } = categories;
      // A NULL category (none is expected) stays null: DuckDB's NULL group.
      return (_, __, row) => values[codes[row] as number] as string;
    }
    case "total":
      return dateKey(() => "total");
    case "country":
      return (_, country) => country;
    case "period": {
      const grain = groupBy.grain;
      return dateKey((date: string) => {
        const start = periodStartOf(date, grain);
        // ISO dates compare as text (Math.max would not).
        // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
        return start < range.from ? range.from : start;
      });
    }
    default:
      throw new Error(`the resident marts are not grouped by ${groupBy.kind}`);
  }
}

async function salesSums(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<SalesSums[]> {
  const sliced = groupBy.kind === "category" || Object.values(q.slices).some((values) => values.length > 0);
  // Money columns: EUR, or the country's own currency (the *_local columns, by date and country only).
  const local = checkLocal(q);
  // In EUR, by date and country: unsliced, the daily country sales held in memory serve; by category or
  // sliced by category alone, the daily sales by category (234,000 rows at full scale); sliced by grade,
  // channel or partner, mart_daily_sales whole (930,000). No query either way.
  const byCategoryOnly =
    sliced && q.slices.grade.length + q.slices.channel.length + q.slices.partner.length === 0;
  const table =
    groupBy.kind === "region" || (sliced && local)
      ? null
      : !sliced
        ? ((await residentOf(db))?.sales ?? null)
        : byCategoryOnly
          ? ((await residentOf(db))?.salesByCategory ?? null)
          : await residentDailySales(db);
  if (table) {
    const countries = q.countries === null ? null : new Set(q.countries);
    const columns = SALES_MEASURES.map((m) => salesColumn(m, local));
    // A key that no day within a month changes (not a day's or a week's): whole months from the table
    // summed by month.
    const byMonth =
      groupBy.kind !== "period" ||
      groupBy.grain === "month" ||
      groupBy.grain === "quarter" ||
      groupBy.grain === "year"
        ? monthlyOf(table)
        : null;
    return ranges(q).flatMap(([which, range]) =>
      [
        ...sumDaily(
          table,
          range,
          countries,
          residentKey(groupBy, range, table),
          columns,
          undefined,
          sliced ? q.slices : null,
          byMonth ? { table: byMonth, keyOf: residentKey(groupBy, range, byMonth) } : undefined,
        ),
      ].map(([key, sums]) => {
        const row = { which, key: key as string } as SalesSums;
        SALES_MEASURES.forEach((m, i) => {
          row[m] = sums[columns[i] as string] as number;
        });
        return row;
      }),
    );
  }
  const money = (column: string) => sql.ref(`s.${column}${local ? "_local" : "_eur"}`);
  const parts = ranges(q).map(([which, range]) => {
    const select = [
      sql<Which>`${sql.lit(which)}`.as("which"),
      keyOf(groupBy, range, "s.reporting_date", sliced ? "c.region" : "s.region").as("key"),
      sql<number>`sum(s.devices_sold)`.as("devices_sold"),
      sql<number>`sum(${money("gmv")})`.as("gmv_eur"),
      sql<number>`sum(${money("commission")})`.as("commission_eur"),
      sql<number>`sum(${money("commission_refunded")})`.as("commission_refunded_eur"),
      sql<number>`sum(${money("payment_fees")})`.as("payment_fees_eur"),
      sql<number>`sum(${money("return_costs")})`.as("return_costs_eur"),
      sql<number>`sum(s.returned_items)`.as("returned_items"),
    ];
    if (!sliced)
      // Without category, grade, channel or partner filters the daily country totals (20× fewer rows) serve.
      return db
        .selectFrom("marts.mart_daily_country_sales as s")
        .select(select)
        .where(dateIn("s.reporting_date", range))
        .where(countryFilter(q.countries, "s.country_code"))
        .groupBy(sql`1, 2`);
    let query = db
      .selectFrom("marts.mart_daily_sales as s")
      .select(select)
      .where(dateIn("s.reporting_date", range))
      .where(countryFilter(q.countries, "s.country_code"))
      .where(sliceFilter(q.slices))
      .groupBy(sql`1, 2`);
    if (groupBy.kind === "region")
      query = query.innerJoin("marts.mart_countries as c", "c.country_code", "s.country_code");
    return query;
  });
  let union = parts[0] as (typeof parts)[number];
  for (const part of parts.slice(1)) union = union.unionAll(part);
  return (await union.execute()) as SalesSums[];
}

interface CostSums {
  which: Which;
  key: string;
  marketing_eur: number;
  opex_eur: number;
  central_costs_eur: number;
}

// ISO dates compare as text (Math.max and Math.min would not).
const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/** The last day of a month 'YYYY-MM', remembered (costSums asks for it per month row and range). */
const monthEnds = new Map<string, string>();
function monthEndOf(month: string): string {
  let end = monthEnds.get(month);
  if (end === undefined) {
    end = periodEnd(`${month}-01`, "month");
    if (monthEnds.size > 10_000) monthEnds.clear();
    monthEnds.set(month, end);
  }
  return end;
}

/** The index of the first of `pieces` (in date order) that ends on or after `day`. */
function firstEndingFrom(pieces: readonly { to: string }[], day: string): number {
  let lo = 0;
  let hi = pieces.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((pieces[mid] as { to: string }).to < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Money as whole 1/10,000 €: sums and shares of 4-decimal amounts stay exact integers below 2^53. */
const units = (eur: number) => Math.round(eur * 10_000);

/**
 * Marketing and operating costs are monthly: a range takes each month's amount in proportion to the
 * days of the month it covers (a whole month takes it exactly), per country and month before any sum
 * and rounded to 1/10,000 €, so a region is the sum of its countries to the cent. The month rows are
 * few (months × countries); the shares are worked out here in whole units.
 */
async function costSums(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<CostSums[]> {
  const out: CostSums[] = [];
  const local = checkLocal(q);
  for (const [which, range] of ranges(q)) {
    // Allocated, a country's operating costs are its own plus its share of the central costs.
    const opex = local ? sql<number>`opex_local` : sql<number>`opex_eur`;
    const old = q.centralColumns === false;
    const recorded = old
      ? sql<number>`0`
      : local
        ? sql<number>`central_costs_local`
        : sql<number>`central_costs_eur`;
    const allocated = old
      ? sql<number>`0`
      : local
        ? sql<number>`central_allocated_local`
        : sql<number>`central_allocated_eur`;
    const resident = await residentOf(db);
    const months = resident
      ? residentMonths(resident.pnl, range, q, local)
      : await db
          .selectFrom("marts.mart_monthly_pnl")
          .select([
            "month",
            "country_code",
            "region",
            (local ? sql<number>`marketing_local` : sql<number>`marketing_eur`).as("marketing_eur"),
            (q.costBasis === "allocated" ? sql<number>`${opex} - ${recorded} + ${allocated}` : opex).as(
              "opex_eur",
            ),
            (q.costBasis === "allocated" ? allocated : recorded).as("central_costs_eur"),
          ])
          .where("month", ">=", range.from.slice(0, 7))
          .where("month", "<=", range.to.slice(0, 7))
          .where(countryFilter(q.countries))
          .execute();
    const pieces: readonly { key: string; from: string; to: string }[] =
      groupBy.kind === "period" ? buckets(range, groupBy.grain) : [{ key: "total", ...range }];
    const sums = new Map<string, { marketing: number; opex: number; central: number }>();
    for (const m of months) {
      const first = `${m.month}-01`;
      const last = monthEndOf(m.month);
      const monthDays = Number(last.slice(8, 10));
      // The pieces are in date order and do not overlap: only those from the first ending in the month on.
      for (let p = firstEndingFrom(pieces, first); p < pieces.length; p++) {
        const piece = pieces[p] as (typeof pieces)[number];
        if (piece.from > last) break;
        // ISO dates compare as text: the overlap of the piece and the month.
        const from = later(piece.from, first);
        const to = earlier(piece.to, last);
        if (from > to) continue;
        const days = Number(to.slice(8, 10)) - Number(from.slice(8, 10)) + 1;
        const share = (eur: number) =>
          days === monthDays ? units(eur) : Math.round((units(eur) * days) / monthDays);
        const key =
          groupBy.kind === "period"
            ? piece.key
            : groupBy.kind === "country"
              ? m.country_code
              : groupBy.kind === "region"
                ? m.region
                : "total";
        const sum = sums.get(key) ?? { marketing: 0, opex: 0, central: 0 };
        sum.marketing += share(m.marketing_eur);
        sum.opex += share(m.opex_eur);
        sum.central += share(m.central_costs_eur);
        sums.set(key, sum);
      }
    }
    for (const [key, sum] of sums)
      out.push({
        which,
        key,
        marketing_eur: sum.marketing / 10_000,
        opex_eur: sum.opex / 10_000,
        central_costs_eur: sum.central / 10_000,
      });
  }
  return out;
}

/** The P&L months costSums reads, from the resident marts: as its query selects them. */
function residentMonths(pnl: readonly PnlRow[], range: DateRange, q: MetricQuery, local: boolean) {
  const from = range.from.slice(0, 7);
  const to = range.to.slice(0, 7);
  const countries = q.countries === null ? null : new Set(q.countries);
  const suffix = local ? "_local" : "_eur";
  const old = q.centralColumns === false;
  return pnl
    .filter((m) => m.month >= from && m.month <= to && (!countries || countries.has(m.country_code)))
    .map((m) => {
      // NULL as SQL has it: any null operand makes the result null (costSums counts it as 0).
      const opex = m[`opex${suffix}`] ?? null;
      const recorded = old ? 0 : (m[`central_costs${suffix}`] ?? null);
      const allocated = old ? 0 : (m[`central_allocated${suffix}`] ?? null);
      return {
        month: m.month,
        country_code: m.country_code,
        region: m.region,
        marketing_eur: (m[`marketing${suffix}`] ?? null) as number,
        opex_eur: (q.costBasis === "allocated"
          ? opex === null || recorded === null || allocated === null
            ? null
            : opex - recorded + allocated
          : opex) as number,
        central_costs_eur: (q.costBasis === "allocated" ? allocated : recorded) as number,
      };
    });
}

interface CustomerSums {
  which: Which;
  key: string | null;
  new_in_range: number;
  to_end: number;
}

/** New customers in the range, and everyone up to its end (cumulative), from one scan of a small mart. */
async function customerSums(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<CustomerSums[]> {
  const resident = groupBy.kind !== "region" ? await residentOf(db) : null;
  if (resident) {
    const countries = q.countries === null ? null : new Set(q.countries);
    return ranges(q).flatMap(([which, range]) => {
      const key = residentKey(groupBy, range);
      // Grouped by period, the days before the range are one group of their own (key null).
      const keyOf =
        groupBy.kind === "period"
          ? dateKey((date: string, country: string, row: number) =>
              date < range.from ? null : key(date, country, row),
            )
          : key;
      const sums = sumDaily(resident.newCustomers, { to: range.to }, countries, keyOf, ["new_customers"], {
        day: range.from,
        columns: ["new_customers"],
      });
      return [...sums].map(([k, s]) => ({
        which,
        key: k,
        new_in_range: s["since:new_customers"] as number,
        to_end: s.new_customers as number,
      }));
    });
  }
  const parts = ranges(q).map(([which, range]) =>
    db
      .selectFrom("marts.mart_daily_new_customers")
      .select([
        sql<Which>`${sql.lit(which)}`.as("which"),
        (groupBy.kind === "period"
          ? sql<
              string | null
            >`case when reporting_date < ${sqlDate(range.from)} then null else ${keyOf(groupBy, range, "reporting_date")} end`
          : keyOf(groupBy, range, "reporting_date")
        ).as("key"),
        sql<number>`coalesce(sum(new_customers) filter (where reporting_date >= ${sqlDate(range.from)}), 0)`.as(
          "new_in_range",
        ),
        sql<number>`sum(new_customers)`.as("to_end"),
      ])
      .where(sql<SqlBool>`reporting_date <= ${sqlDate(range.to)}`)
      .where(countryFilter(q.countries))
      .groupBy(sql`1, 2`),
  );
  let union = parts[0] as (typeof parts)[number];
  for (const part of parts.slice(1)) union = union.unionAll(part);
  return (await union.execute()) as CustomerSums[];
}

// ---- Active customers: distinct, so never summed across periods or (in general) across countries.

type Scope =
  | { kind: "all" }
  | { kind: "region"; region: string }
  | { kind: "country"; country: string }
  /** Any other set of countries: counted with DISTINCT (exact, slower). */
  | { kind: "set"; countries: string[] };

const PREVIOUS_DATE = {
  all: "previous_date_anywhere",
  region: "previous_date_in_region",
  country: "previous_date",
};

/** Which precomputed scope answers a country selection exactly. */
export function scopeOf(countries: string[] | null, allCountries: readonly Country[]): Scope {
  if (countries === null) return { kind: "all" };
  if (countries.length === 1) return { kind: "country", country: countries[0] as string };
  const selected = new Set(countries);
  const regions = new Set(allCountries.filter((c) => selected.has(c.country_code)).map((c) => c.region));
  if (regions.size === 1) {
    const [region] = regions as Set<string> & { size: 1 };
    const members = allCountries.filter((c) => c.region === region);
    if (members.length === selected.size && members.every((c) => selected.has(c.country_code)))
      return { kind: "region", region: region as string };
  }
  return { kind: "set", countries };
}

function scopeFilter(scope: Scope, table: "days" | "precomputed"): RawBuilder<SqlBool> {
  const scopeColumn =
    table === "precomputed"
      ? sql`scope = ${sql.lit(scope.kind === "set" ? "country" : scope.kind)} and `
      : sql``;
  switch (scope.kind) {
    case "all":
      return sql<SqlBool>`${scopeColumn}true`;
    case "region":
      return sql<SqlBool>`${scopeColumn}region = ${scope.region}`;
    case "country":
      return sql<SqlBool>`${scopeColumn}country_code = ${scope.country}`;
    case "set":
      return sql<SqlBool>`${scopeColumn}country_code in (${sql.join(scope.countries)})`;
  }
}

/** The precomputed marts' scope column for a selection (a set of countries reads the countries' rows). */
const scopeColumnOf = (scope: Scope): Exclude<Scope["kind"], "set"> =>
  scope.kind === "set" ? "country" : scope.kind;

/** The rows of a resident scoped mart that scopeFilter keeps: its scope column, then the selection. */
function scopedRows(t: ScopedCounts, scope: Scope, scopeColumn: Scope["kind"]): (row: number) => boolean {
  const geography: (row: number) => boolean =
    scope.kind === "all"
      ? () => true
      : scope.kind === "region"
        ? (r) => t.region[r] === scope.region
        : scope.kind === "country"
          ? (r) => t.country[r] === scope.country
          : (
              (set) => (r: number) =>
                set.has(t.country[r] as string)
            )(new Set(scope.countries));
  return (r) => t.scope[r] === scopeColumn && geography(r);
}

type Key = "total" | "country" | "region";

const NEXT_DATE = { all: "next_date_anywhere", region: "next_date_in_region", country: "next_date" };

/**
 * The scope whose previous/next dates count each customer once per group: a breakdown by country counts
 * each country in its own right, a breakdown by region each region; a total counts in the filter's scope.
 */
function rowScope(scope: Scope, key: Key): Scope["kind"] {
  if (key === "country" || scope.kind === "country") return "country";
  if (key === "region") return "region";
  return scope.kind;
}

function keyColumn(key: Key): RawBuilder<string> {
  return key === "total"
    ? sql<string>`'total'`
    : key === "country"
      ? sql<string>`country_code`
      : sql<string>`region`;
}

/**
 * Exact distinct customers by DISTINCT over every customer-day: only for a snapshot published before
 * mart_cross_border_customer_days existed.
 */
async function distinctActive(
  db: Db,
  range: DateRange,
  scope: Scope,
  key: RawBuilder<string>,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ key: string; n: number }>`
    select ${key} as key, count(distinct customer_id) as n
    from marts.mart_customer_days
    where reporting_date between ${sqlDate(range.from)} and ${sqlDate(range.to)} and ${scopeFilter(scope, "days")}
    group by 1`.execute(db);
  return new Map(rows.map((r) => [r.key, r.n]));
}

/** Per snapshot (its cached list of countries stands for it): whether it holds the cross-border mart. */
const crossBorderKnown = new WeakMap<object, Promise<boolean>>();

/** Whether the snapshot holds the cross-border customer-days (snapshots before it fall back to DISTINCT). */
function hasCrossBorder(db: Db, snapshotKey: object): Promise<boolean> {
  let known = crossBorderKnown.get(snapshotKey);
  if (!known) {
    known = sql<{ n: number }>`
      select count(*) as n from duckdb_tables()
      where schema_name = 'marts' and table_name = 'mart_cross_border_customer_days'`
      .execute(db)
      .then(({ rows }) => Number(rows[0]?.n ?? 0) > 0);
    crossBorderKnown.set(snapshotKey, known);
    // A failed look is not remembered: the next request looks again.
    known.catch(() => crossBorderKnown.delete(snapshotKey));
  }
  return known;
}

/**
 * Looks whether the unit of work's snapshot holds the cross-border mart, once: the overview's warmer does
 * (the first selection of several countries paid the look, ~70 ms under load).
 */
export async function lookForCrossBorder(db: Db): Promise<void> {
  const snapshotKey = snapshotOf(db);
  if (snapshotKey) await hasCrossBorder(db, snapshotKey);
}

/** What countedTwice groups by: the total, the region, or the periods of a grain from the range's start. */
type TwiceKey = "total" | "region" | { grain: Grain };

/**
 * What a sum of per-country counts counts more than once, per key: each cross-border customer active in
 * several of the countries within the range (pairs of customer and country, less customers). From the
 * resident customer-days where held (ADR 0031), else asked of DuckDB.
 */
async function countedTwice(
  db: Db,
  range: DateRange,
  countries: readonly string[],
  key: TwiceKey,
): Promise<Map<string, number>> {
  const t = customerDaysIfRead(db);
  if (t) {
    const keyOf =
      key === "total"
        ? () => "total"
        : key === "region"
          ? (_: number, c: number) => t.regions[c] as string
          : (day: number) => {
              const start = periodStartOfDay(day, key.grain);
              // The first period starts with the range (keyOf's greatest()); ISO dates compare as text.
              // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
              return start > range.from ? start : range.from;
            };
    const counts = countedTwiceInMemory(t, [dayNumber(range.from), dayNumber(range.to)], countries, keyOf);
    if (counts) return counts;
  }
  const column =
    key === "total" || key === "region"
      ? keyColumn(key)
      : keyOf({ kind: "period", grain: key.grain }, range, "reporting_date");
  const { rows } = await sql<{ key: string; n: number }>`
    select key, count(*) - count(distinct customer_id) as n from (
      select distinct ${column} as key, customer_id, country_code
      from marts.mart_cross_border_customer_days
      where reporting_date between ${sqlDate(range.from)} and ${sqlDate(range.to)}
        and country_code in (${sql.join([...countries])})
    ) group by 1`.execute(db);
  return new Map(rows.map((r) => [r.key, r.n]));
}

/**
 * Distinct customers active in [from, to] over a set of countries that no precomputed scope covers,
 * exact and without DISTINCT over every customer-day: each country's own count, summed per group
 * (`groupOf` a country: 'total', or its region), less the cross-border customers counted twice.
 */
async function acrossCountries(
  db: Db,
  snapshotKey: object,
  range: DateRange,
  scope: Extract<Scope, { kind: "set" }>,
  key: "total" | "region",
  groupOf: (country: string) => string,
  crossBorder: boolean,
): Promise<Map<string, number>> {
  if (!crossBorder) return distinctActive(db, range, scope, keyColumn(key));
  const out = new Map<string, number>();
  for (const [country, n] of await activeOverRange(db, snapshotKey, range, scope, "country")) {
    const group = groupOf(country);
    out.set(group, (out.get(group) ?? 0) + n);
  }
  for (const [group, n] of await countedTwice(db, range, scope.countries, key))
    out.set(group, (out.get(group) ?? 0) - n);
  return out;
}

const nextDay = (d: string) => iso(new Date(parseDay(d).getTime() + 36 * 3600 * 1000));
const previousDay = (d: string) => iso(new Date(parseDay(d).getTime() - 12 * 3600 * 1000));

type Kinds = Record<"all" | "region" | "country", number>;

/** One country's counts in the end pieces of a range, in each scope's terms (previous/next date in it). */
interface EdgeRow {
  country: string;
  region: string;
  /** Customer-days whose previous active date in the scope is before the range: first in the range. */
  first: Kinds;
  /** Of those in the leading piece, the ones active again in the whole months (counted there too). */
  overlap: Kinds;
}

/** Per snapshot (its list of countries stands for it): the end pieces' counts, by range and scope. */
const edgesKnown = new WeakMap<object, Map<string, Promise<EdgeRow[]>>>();
const EDGES_KEPT = 512;

/**
 * The end pieces of a range, counted once for every way a page asks (ADR 0020): per country, the first
 * days and overlaps in the country's, the region's and the company's terms. A total, a breakdown by
 * country and one by region of the same range then share them; a region's count is the sum of its
 * countries' (each customer-day belongs to one country, and "first in the region" is a property of the
 * day). From the resident customer-day counts where held (ADR 0031), else in one DuckDB statement. Kept
 * per snapshot; concurrent requests for the same pieces share one answer.
 */
function edgeCounts(
  db: Db,
  snapshotKey: object,
  range: DateRange,
  scope: Scope,
  edges: DateRange[],
  whole: Whole | null,
): Promise<EdgeRow[]> {
  let known = edgesKnown.get(snapshotKey);
  if (!known) {
    known = new Map();
    edgesKnown.set(snapshotKey, known);
  }
  const id = JSON.stringify([range, scope, edges, whole]);
  const found = known.get(id);
  if (found) return found;
  const t = customerDaysIfRead(db);
  const promise = t
    ? Promise.resolve(edgesInMemory(t, range, scope, edges, whole))
    : edgesInDuckDB(db, range, scope, edges, whole);
  known.set(id, promise);
  // A failure is not remembered; the oldest pieces go first.
  promise.catch(() => known.delete(id));
  while (known.size > EDGES_KEPT) known.delete(known.keys().next().value as string);
  return promise;
}

type Whole = { firstWhole: string; lastWhole: string };
const KINDS = ["country", "region", "all"] as const;
const zeroKinds = (): Kinds => ({ country: 0, region: 0, all: 0 });

/** The countries a scope selects, as indexes into the resident counts' countries. */
function countriesIn(t: CustomerDays, scope: Scope): number[] {
  const out: number[] = [];
  const set = scope.kind === "set" ? new Set(scope.countries) : null;
  t.countries.forEach((country, c) => {
    const keep =
      scope.kind === "all" ||
      (scope.kind === "region" && t.regions[c] === scope.region) ||
      (scope.kind === "country" && country === scope.country) ||
      set?.has(country) === true;
    if (keep) out.push(c);
  });
  return out;
}

/**
 * The end pieces from the resident counts (ADR 0031): a piece's first days are its rows whose previous
 * date is before the range; the overlaps, the leading piece's rows whose next date is in the whole months.
 */
function edgesInMemory(
  t: CustomerDays,
  range: DateRange,
  scope: Scope,
  edges: DateRange[],
  whole: Whole | null,
): EdgeRow[] {
  const days = (r: DateRange): [number, number] => [dayNumber(r.from), dayNumber(r.to)];
  const from = dayNumber(range.from);
  const leading = whole ? edges.find((e) => e.to < whole.firstWhole) : undefined;
  const wholeDays: [number, number] | null = whole
    ? [dayNumber(whole.firstWhole), dayNumber(whole.lastWhole)]
    : null;
  const out: EdgeRow[] = [];
  for (const c of countriesIn(t, scope)) {
    // A country without a row in the pieces has no row here (as DuckDB's GROUP BY gives none).
    if (!edges.some((e) => previousBefore(t, "country", c, days(e), Number.MAX_SAFE_INTEGER) > 0)) continue;
    const row: EdgeRow = {
      country: t.countries[c] as string,
      region: t.regions[c] as string,
      first: zeroKinds(),
      overlap: zeroKinds(),
    };
    for (const k of KINDS) {
      row.first[k] = edges.reduce((n, e) => n + previousBefore(t, k, c, days(e), from), 0);
      if (leading && wholeDays) row.overlap[k] = nextWithin(t, k, c, days(leading), wholeDays);
    }
    out.push(row);
  }
  return out;
}

/** The end pieces in one DuckDB statement over mart_customer_days (no resident counts). */
async function edgesInDuckDB(
  db: Db,
  range: DateRange,
  scope: Scope,
  edges: DateRange[],
  whole: Whole | null,
): Promise<EdgeRow[]> {
  // "Previous date before the range" as a count less the rows whose previous date is in it: a NULL fails
  // the comparison, so no OR per row (the FILTERs with ORs cost twice the scan). DuckDB's count_if is
  // NULL, not 0, over a group whose values are all NULL: hence the coalesce.
  const first = KINDS.map(
    (k) =>
      sql`count(*) - coalesce(count_if(${sql.ref(PREVIOUS_DATE[k])} >= ${sqlDate(range.from)}), 0) as ${sql.ref(`in_${k}`)}`,
  );
  // One scan per piece, glued with UNION ALL: an OR of two date ranges would defeat row-group pruning.
  const piece = (e: DateRange) => sql`
      select * from marts.mart_customer_days
      where reporting_date between ${sqlDate(e.from)} and ${sqlDate(e.to)} and ${scopeFilter(scope, "days")}`;
  const statements = [
    sql`select 'first' as part, country_code as country, any_value(region) as region, ${sql.join(first)}
      from (${sql.join(edges.map(piece), sql` union all `)})
      group by 2`,
  ];
  // The overlaps: only the leading piece's rows (they end before the whole months) can be active again
  // in them; scanned apart, so the trailing piece's rows are not tested for it.
  const leading = whole ? edges.find((e) => e.to < whole.firstWhole) : undefined;
  if (whole && leading)
    statements.push(sql`
      select 'overlap' as part, country_code as country, any_value(region) as region, ${sql.join(
        KINDS.map(
          (k) =>
            sql`coalesce(count_if(${sql.ref(NEXT_DATE[k])} between ${sqlDate(whole.firstWhole)} and ${sqlDate(whole.lastWhole)}), 0) as ${sql.ref(`in_${k}`)}`,
        ),
      )}
      from (${piece(leading)})
      group by 2`);
  const { rows } = await sql<
    Record<string, string | number>
  >`${sql.join(statements, sql` union all `)}`.execute(db);
  const byCountry = new Map<string, EdgeRow>();
  for (const r of rows) {
    const country = String(r.country);
    let row = byCountry.get(country);
    if (!row) {
      row = { country, region: String(r.region), first: zeroKinds(), overlap: zeroKinds() };
      byCountry.set(country, row);
    }
    const counts = r.part === "first" ? row.first : row.overlap;
    for (const k of KINDS) counts[k] = Number(r[`in_${k}`]);
  }
  return [...byCountry.values()];
}

/**
 * Distinct customers active in [from, to] per key, exact, without DISTINCT (ADR 0006). The range splits
 * into a partial month at each end and the whole months between. A customer counts at their first
 * active day in the range: in an end piece, a customer-day whose previous date is before `from`; in the
 * whole months, a customer-month whose previous active month is before them (mart_active_customer_months)
 * — less those already counted in the leading piece, found by their next date.
 */
async function activeOverRange(
  db: Db,
  snapshotKey: object,
  range: DateRange,
  scope: Scope,
  key: Key,
  /** Whether the snapshot holds mart_cross_border_customer_days (only a set of countries asks). */
  crossBorder = true,
): Promise<Map<string, number>> {
  const kind = rowScope(scope, key);
  if (kind === "set") {
    if (scope.kind !== "set") throw new Error("a set of countries without its countries");
    return acrossCountries(db, snapshotKey, range, scope, "total", () => "total", crossBorder);
  }
  const firstWhole = range.from.endsWith("-01") ? range.from : nextDay(periodEnd(range.from, "month"));
  const lastWhole =
    periodEnd(range.to, "month") === range.to ? range.to : previousDay(periodStart(range.to, "month"));
  const hasWhole = firstWhole <= lastWhole;
  const edges: DateRange[] = hasWhole
    ? [
        ...(range.from < firstWhole ? [{ from: range.from, to: previousDay(firstWhole) }] : []),
        ...(range.to > lastWhole ? [{ from: nextDay(lastWhole), to: range.to }] : []),
      ]
    : [range];
  const out = new Map<string, number>();
  const add = (k: string, n: number) => out.set(k, (out.get(k) ?? 0) + n);
  if (edges.length) {
    const rows = await edgeCounts(
      db,
      snapshotKey,
      range,
      scope,
      edges,
      hasWhole ? { firstWhole, lastWhole } : null,
    );
    for (const r of rows) {
      const k = key === "total" ? "total" : key === "country" ? r.country : r.region;
      add(k, r.first[kind] - r.overlap[kind]);
    }
  }
  const resident = hasWhole ? await residentOf(db) : null;
  if (resident) {
    const t = resident.activeMonths;
    const inScope = scopedRows(t, scope, key === "total" ? scopeColumnOf(scope) : kind);
    const counts = sumScoped(
      t,
      { from: firstWhole, to: lastWhole },
      (r) => inScope(r) && (t.previous[r] === null || (t.previous[r] as string) < firstWhole),
      key === "total"
        ? () => "total"
        : key === "country"
          ? (r) => String(t.country[r])
          : (r) => String(t.region[r]),
    );
    for (const [k, n] of counts) add(k, n);
  } else if (hasWhole) {
    const filter =
      key === "total"
        ? scopeFilter(scope, "precomputed")
        : sql<SqlBool>`scope = ${sql.lit(kind)} and ${scopeFilter(scope, "days")}`;
    const { rows } = await sql<{ key: string; n: number }>`
      select ${keyColumn(key)} as key, sum(customers) as n
      from marts.mart_active_customer_months
      where month between ${sqlDate(firstWhole)} and ${sqlDate(lastWhole)}
        and (previous_month is null or previous_month < ${sqlDate(firstWhole)}) and ${filter}
      group by 1`.execute(db);
    for (const r of rows) add(r.key, r.n);
  }
  return out;
}

/** Distinct customers per bucket of a grain over a range, exact, from the precomputed marts where whole. */
async function activeByPeriod(
  db: Db,
  snapshotKey: object,
  range: DateRange,
  scope: Scope,
  grain: Grain,
  crossBorder: boolean,
): Promise<Map<string, number>> {
  const all = buckets(range, grain);
  const out = new Map<string, number>();
  const periodKey = (r: DateRange) => keyOf({ kind: "period", grain }, r, "reporting_date");
  if (scope.kind === "set" && !crossBorder) {
    for (const [key, n] of await distinctActive(db, range, scope, periodKey(range))) out.set(key, n);
    return out;
  }
  const whole = all.filter((b) => b.whole);
  // Whole periods come from the precomputed marts; a period the range cuts short is counted on its own.
  const resident = whole.length ? await residentOf(db) : null;
  if (resident) {
    const span = { from: (whole[0] as Bucket).from, to: (whole[whole.length - 1] as Bucket).to };
    const inScope = (t: ScopedCounts) => scopedRows(t, scope, scopeColumnOf(scope));
    if (grain === "day" || grain === "week") {
      const t = grain === "day" ? resident.activeDays : resident.activeWeeks;
      for (const [key, n] of sumScoped(t, span, inScope(t), (r) => t.dates[r] as string)) out.set(key, n);
    } else {
      const t = resident.activeMonths;
      const keep = inScope(t);
      const startOf = (r: number) => periodStartOf(t.dates[r] as string, grain);
      const counts = sumScoped(
        t,
        span,
        (r) => keep(r) && (t.previous[r] === null || (t.previous[r] as string) < startOf(r)),
        startOf,
      );
      for (const [key, n] of counts) out.set(key, n);
    }
  } else if (whole.length) {
    const first = (whole[0] as Bucket).from;
    const last = (whole[whole.length - 1] as Bucket).to;
    if (grain === "day" || grain === "week") {
      const table = grain === "day" ? "marts.mart_active_customer_days" : "marts.mart_active_customer_weeks";
      const column = grain === "day" ? "reporting_date" : "week";
      const { rows } = await sql<{ key: string; n: number }>`
        select strftime(${sql.ref(column)}, '%Y-%m-%d') as key, sum(active_customers) as n
        from ${sql.table(table)}
        where ${sql.ref(column)} between ${sqlDate(first)} and ${sqlDate(last)} and ${scopeFilter(scope, "precomputed")}
        group by 1`.execute(db);
      for (const r of rows) out.set(r.key, r.n);
    } else {
      const start = sql`date_trunc(${sql.lit(TRUNC[grain])}, month)::date`;
      const { rows } = await sql<{ key: string; n: number }>`
        select strftime(${start}, '%Y-%m-%d') as key, sum(customers) as n
        from marts.mart_active_customer_months
        where month between ${sqlDate(first)} and ${sqlDate(last)}
          and (previous_month is null or previous_month < ${start}) and ${scopeFilter(scope, "precomputed")}
        group by 1`.execute(db);
      for (const r of rows) out.set(r.key, r.n);
    }
  }
  // A set of countries: the sums above count each country's customers; a cross-border customer active in
  // two of them within a period was counted twice.
  if (scope.kind === "set" && whole.length) {
    const span = { from: (whole[0] as Bucket).from, to: (whole[whole.length - 1] as Bucket).to };
    for (const [key, n] of await countedTwice(db, span, scope.countries, { grain }))
      out.set(key, (out.get(key) ?? 0) - n);
  }
  for (const b of all.filter((b) => !b.whole)) {
    const counts = await activeOverRange(db, snapshotKey, b, scope, "total", crossBorder);
    out.set(b.key, counts.get("total") ?? 0);
  }
  return out;
}

async function activeCustomers(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const scope = scopeOf(q.countries, q.allCountries);
  // What the per-snapshot memos are kept under: the open snapshot, else this query's list of countries.
  const snapshotKey = snapshotOf(db) ?? q.allCountries;
  const crossBorder = scope.kind === "set" && (await hasCrossBorder(db, snapshotKey));
  for (const [which, range] of ranges(q)) {
    let counts: Map<string, number>;
    if (groupBy.kind === "period")
      counts = await activeByPeriod(db, snapshotKey, range, scope, groupBy.grain, crossBorder);
    else if (groupBy.kind === "region" && scope.kind === "set") {
      // Part of a region selected: the selected countries' customers per region.
      const regionOf = new Map(q.allCountries.map((c) => [c.country_code, c.region]));
      counts = await acrossCountries(
        db,
        snapshotKey,
        range,
        scope,
        "region",
        (c) => regionOf.get(c) ?? "",
        crossBorder,
      );
    } else if (groupBy.kind === "category") throw new Error("customers are not split by category");
    else counts = await activeOverRange(db, snapshotKey, range, scope, groupBy.kind, crossBorder);
    for (const [key, n] of counts) out.set(`${which}|${key}`, n);
  }
  return out;
}

/** Which query answers each measure of the ledger metrics. */
const FETCHER_OF: Partial<Record<MeasureId, "sales" | "costs" | "customers" | "active">> = {
  ...Object.fromEntries(SALES_MEASURES.map((m) => [m, "sales"])),
  marketing_eur: "costs",
  opex_eur: "costs",
  central_costs_eur: "costs",
  new_customers: "customers",
  cumulative_customers: "customers",
  active_customers: "active",
};

/**
 * The values of `metrics` for each group of each range: the measures the catalogue says they need,
 * fetched from the marts, summed per group and derived by the catalogue's definitions. Grouped by
 * period, every period of each range has a row (nothing sold: zero; cumulative customers carry on);
 * grouped otherwise, groups with no data at all do not appear.
 */
export async function computeMetrics(
  db: Db,
  q: MetricQuery,
  groupBy: GroupBy,
  metrics: readonly MetricId[],
  /** Shared by the calls of one request: sums by country are fetched once and rolled up. */
  memo?: Map<string, Promise<unknown>>,
): Promise<MetricRow[]> {
  const restricted: Dimension[] = (["category", "grade", "channel", "partner"] as const).filter(
    (d) => q.slices[d].length > 0 || (d === "category" && groupBy.kind === "category"),
  );
  const wanted = new Set(metrics.filter((m) => metricAvailable(m, restricted)));
  const fetchers = new Set<string>();
  for (const m of wanted)
    for (const measure of METRICS[m].measures) {
      const fetcher = FETCHER_OF[measure];
      if (!fetcher) throw new Error(`no query of the ledger answers the measure ${measure} (metric ${m})`);
      fetchers.add(fetcher);
    }

  // Additive sums by country once per request; totals and regions are their sums (distinct counts aside).
  const geographic = groupBy.kind === "total" || groupBy.kind === "region";
  const source: GroupBy = geographic ? { kind: "country" } : groupBy;
  const regionOf = new Map(q.allCountries.map((c) => [c.country_code, c.region]));
  const groupOf = (key: string | null): string =>
    !geographic ? (key ?? "") : groupBy.kind === "total" ? "total" : (regionOf.get(key ?? "") ?? "");
  const once = <T>(name: string, fetch: () => Promise<T>): Promise<T> => {
    const key = `${name}|${source.kind === "period" ? source.grain : source.kind}|${q.localCurrency ?? "EUR"}|${q.costBasis ?? "recorded"}`;
    if (!memo) return fetch();
    let found = memo.get(key) as Promise<T> | undefined;
    if (!found) {
      found = fetch();
      memo.set(key, found);
    }
    return found;
  };
  // One after another: a request's queries share its connection, which must not run two at once.
  const sales = fetchers.has("sales") ? await once("sales", () => salesSums(db, q, source)) : [];
  const costs = fetchers.has("costs") ? await once("costs", () => costSums(db, q, source)) : [];
  const customers = fetchers.has("customers")
    ? await once("customers", () => customerSums(db, q, source))
    : [];
  const active = fetchers.has("active") ? await activeCustomers(db, q, groupBy) : new Map<string, number>();

  const totals = new MeasureTotals();
  const id = (which: Which, key: string) => `${which}|${key}`;
  for (const { which, key, ...sums } of sales) totals.add(id(which, groupOf(key)), sums);
  for (const r of costs)
    totals.add(id(r.which, groupOf(r.key)), {
      marketing_eur: r.marketing_eur,
      opex_eur: r.opex_eur,
      central_costs_eur: r.central_costs_eur,
    });
  for (const r of customers)
    if (r.key !== null) totals.add(id(r.which, groupOf(r.key)), { new_customers: r.new_in_range });
  for (const [k, n] of active) totals.add(k, { active_customers: n });

  // The groups: every period of each range when grouped by period, else those with data.
  const groups: { which: Which; key: string }[] = [];
  if (groupBy.kind === "period")
    for (const [which, range] of ranges(q))
      for (const b of buckets(range, groupBy.grain)) groups.push({ which, key: b.key });
  else
    for (const k of totals.keys()) {
      const [which, key] = k.split("|") as [Which, string];
      groups.push({ which, key });
    }

  // Cumulative customers: everyone before the range, then a running sum of new customers per period.
  const cumulative = new Map<string, number>();
  if (fetchers.has("customers")) {
    if (groupBy.kind === "period") {
      for (const which of ["current", "comparison"] as const) {
        let running = 0;
        const newIn = new Map<string, number>();
        for (const r of customers.filter((r) => r.which === which)) {
          if (r.key === null) running += r.to_end;
          else newIn.set(r.key, (newIn.get(r.key) ?? 0) + r.new_in_range);
        }
        for (const g of groups.filter((g) => g.which === which)) {
          running += newIn.get(g.key) ?? 0;
          cumulative.set(id(which, g.key), running);
        }
      }
    } else
      for (const r of customers) {
        const k = id(r.which, groupOf(r.key));
        cumulative.set(k, (cumulative.get(k) ?? 0) + r.to_end);
      }
  }

  return groups.map(({ which, key }) => {
    const sums = totals.get(id(which, key));
    const carried = cumulative.get(id(which, key));
    if (carried !== undefined) sums.cumulative_customers = carried;
    if (fetchers.has("active") && sums.active_customers === undefined) sums.active_customers = 0;
    const values = {} as Record<MetricId, number | null>;
    for (const m of metrics) values[m] = wanted.has(m) ? figureOf(m, sums) : null;
    return { which, key, values, hasData: totals.has(id(which, key)) };
  });
}

export interface CostCentreMonth {
  month: string;
  cost_center: string;
  headcount: number;
  opex_eur: number;
}

/**
 * Headcount and operating costs by month and cost centre for a set of countries (null: all), months
 * `from` to `to` ('YYYY-MM'). Summed over cost centres they are the P&L's opex_eur and headcount.
 * `local`: costs in the (single) country's own currency, in the opex_eur field.
 */
export async function costCentres(
  db: Db,
  countries: string[] | null,
  from: string,
  to: string,
  local = false,
  /** Whether the current snapshot's resident marts may answer (not for an earlier snapshot's figures). */
  fromResident = false,
): Promise<CostCentreMonth[]> {
  if (local && countries?.length !== 1) throw new Error("local currency needs exactly one country");
  const resident = fromResident ? await residentOf(db) : null;
  if (resident) {
    const selected = countries === null ? null : new Set(countries);
    const sums = new Map<string, CostCentreMonth>();
    // Rows in month and cost-centre order: the groups come out in the query's ORDER BY.
    for (const r of resident.opex) {
      if (r.month < from || r.month > to || (selected && !selected.has(r.country))) continue;
      const id = `${r.month}|${r.costCentre}`;
      const sum = sums.get(id) ?? { month: r.month, cost_center: r.costCentre, headcount: 0, opex_eur: 0 };
      sum.headcount += r.headcount;
      sum.opex_eur += local ? r.localUnits : r.eurUnits;
      sums.set(id, sum);
    }
    return [...sums.values()].map((s) => ({ ...s, opex_eur: s.opex_eur / 10_000 }));
  }
  return db
    .selectFrom("marts.mart_monthly_opex")
    .select([
      "month",
      "cost_center",
      sql<number>`sum(headcount)`.as("headcount"),
      (local ? sql<number>`sum(opex_local)` : sql<number>`sum(opex_eur)`).as("opex_eur"),
    ])
    .where("month", ">=", from)
    .where("month", "<=", to)
    .where(countryFilter(countries))
    .groupBy(["month", "cost_center"])
    .orderBy("month")
    .orderBy("cost_center")
    .execute();
}

/** Days in a range, both ends included. */
export function rangeDays(range: DateRange): number {
  return differenceInCalendarDays(parseDay(range.to), parseDay(range.from)) + 1;
}

export type { Expression };
/** The last day of a period (defined with the filters, browser-safe). */
export { METRICS, periodEnd };

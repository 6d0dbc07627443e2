// The metric layer's one query path: every card, chart, table and export asks computeMetrics for metric
// ids over a date range (and its comparison range), grouped by nothing, by period, by country or by
// region. Each metric's rule lives in ~/metrics/catalogue (what it means, how it aggregates); this file
// is the only place that turns those rules into SQL over the marts (ADR 0006).

import {
  differenceInCalendarDays,
  endOfMonth,
  endOfQuarter,
  endOfWeek,
  endOfYear,
  formatISO,
  parseISO,
} from "date-fns";
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { DateRange, Grain } from "~/lib/filters";
import { type Dimension, METRICS, type MetricId, metricAvailable } from "~/metrics/catalogue";
import { sqlDate } from "../db/duckdb-dialect";
import type { Database } from "../db/schema";

export type Db = Kysely<Database>;

export interface Country {
  country_code: string;
  region: string;
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
}

export type GroupBy =
  | { kind: "total" }
  | { kind: "period"; grain: Grain }
  | { kind: "country" }
  | { kind: "region" };

export type Which = "current" | "comparison";

/** One group's values; null where the metric cannot honour the filters or has no denominator. */
export interface MetricRow {
  which: Which;
  key: string;
  values: Record<MetricId, number | null>;
}

const iso = (d: Date) => formatISO(d, { representation: "date" });

/** The last day of the period of `grain` that starts on `start`. */
export function periodEnd(start: string, grain: Grain): string {
  const d = parseISO(start);
  switch (grain) {
    case "day":
      return start;
    case "week":
      return iso(endOfWeek(d, { weekStartsOn: 1 }));
    case "month":
      return iso(endOfMonth(d));
    case "quarter":
      return iso(endOfQuarter(d));
    case "year":
      return iso(endOfYear(d));
  }
}

/** The start of the period of `grain` holding `day`. */
export function periodStart(day: string, grain: Grain): string {
  const d = parseISO(day);
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

/** The periods of a grain covering a range, the first and last clipped to it. */
export function buckets(range: DateRange, grain: Grain): Bucket[] {
  const out: Bucket[] = [];
  let start = periodStart(range.from, grain);
  while (start <= range.to) {
    const end = periodEnd(start, grain);
    // ISO dates compare as text.
    const [, from] = [start, range.from].sort() as [string, string];
    const [to] = [end, range.to].sort() as [string, string];
    out.push({ key: from, from, to, whole: from === start && to === end });
    start = iso(new Date(parseISO(end).getTime() + 36 * 3600 * 1000));
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

interface SalesSums {
  which: Which;
  key: string;
  devices_sold: number;
  gmv_eur: number;
  net_revenue_eur: number;
  variable_costs_eur: number;
  returned_items: number;
}

async function salesSums(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<SalesSums[]> {
  const parts = ranges(q).map(([which, range]) => {
    let query = db
      .selectFrom("marts.mart_daily_sales as s")
      .select([
        sql<Which>`${sql.lit(which)}`.as("which"),
        keyOf(groupBy, range, "s.reporting_date", "c.region").as("key"),
        sql<number>`sum(s.devices_sold)`.as("devices_sold"),
        sql<number>`sum(s.gmv_eur)`.as("gmv_eur"),
        sql<number>`sum(s.commission_eur) - sum(s.commission_refunded_eur)`.as("net_revenue_eur"),
        sql<number>`sum(s.payment_fees_eur) + sum(s.return_costs_eur)`.as("variable_costs_eur"),
        sql<number>`sum(s.returned_items)`.as("returned_items"),
      ])
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
}

/**
 * Marketing and operating costs are monthly: a range takes each month's amount in proportion to the
 * days of the month it covers (a whole month takes it exactly), split by country before any sum, so a
 * region is the sum of its countries to the cent.
 */
async function costSums(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<CostSums[]> {
  const parts = ranges(q).map(([which, range]) => {
    const dayKey =
      groupBy.kind === "period"
        ? sql`strftime(greatest(date_trunc(${sql.lit(TRUNC[groupBy.grain])}, day)::date, ${sqlDate(range.from)}), '%Y-%m-%d')`
        : sql`'total'`;
    const key =
      groupBy.kind === "period"
        ? sql`d.key`
        : groupBy.kind === "country"
          ? sql`p.country_code`
          : groupBy.kind === "region"
            ? sql`p.region`
            : sql`'total'`;
    const share = (column: string) =>
      sql`sum(case when d.days = d.month_days then ${sql.ref(`p.${column}`)}
        else cast(round(${sql.ref(`p.${column}`)} * d.days / d.month_days, 4) as decimal(18, 4)) end)`;
    return sql<CostSums>`
      select ${sql.lit(which)} as which, ${key} as key,
        ${share("marketing_eur")} as marketing_eur, ${share("opex_eur")} as opex_eur
      from (
        select ${dayKey} as key, strftime(day, '%Y-%m') as month, count(*) as days,
          dayofmonth(last_day(min(day))) as month_days
        from (select cast(unnest(generate_series(${sqlDate(range.from)}, ${sqlDate(range.to)}, interval 1 day)) as date) as day)
        group by 1, 2
      ) d
      join marts.mart_monthly_pnl p on p.month = d.month
      where ${countryFilter(q.countries, "p.country_code")}
      group by 1, 2`;
  });
  const { rows } = await sql<CostSums>`${sql.join(parts, sql` union all `)}`.execute(db);
  return rows;
}

interface CustomerSums {
  which: Which;
  key: string | null;
  new_in_range: number;
  to_end: number;
}

/** New customers in the range, and everyone up to its end (cumulative), from one scan of a small mart. */
async function customerSums(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<CustomerSums[]> {
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

/** Distinct customers active in [from, to], per key (total, country or region), by a scan of the customer-days. */
async function scanActive(
  db: Db,
  range: DateRange,
  scope: Scope,
  key: "total" | "country" | "region",
): Promise<Map<string, number>> {
  const keyExpr = key === "total" ? sql`'total'` : key === "country" ? sql`country_code` : sql`region`;
  // Grouped by country, each country counts its own customers (previous date in that country).
  const prevScope =
    key === "country" || scope.kind === "country" ? "country" : key === "region" ? "region" : scope.kind;
  const count =
    prevScope === "set"
      ? sql`count(distinct customer_id)`
      : sql`count(*) filter (where ${sql.ref(PREVIOUS_DATE[prevScope])} is null or ${sql.ref(PREVIOUS_DATE[prevScope])} < ${sqlDate(range.from)})`;
  const { rows } = await sql<{ key: string; n: number }>`
    select ${keyExpr} as key, ${count} as n
    from marts.mart_customer_days
    where reporting_date between ${sqlDate(range.from)} and ${sqlDate(range.to)} and ${scopeFilter(scope, "days")}
    group by 1`.execute(db);
  return new Map(rows.map((r) => [r.key, r.n]));
}

/** Distinct customers per bucket of a grain over a range, exact, from the precomputed marts where whole. */
async function activeByPeriod(
  db: Db,
  range: DateRange,
  scope: Scope,
  grain: Grain,
): Promise<Map<string, number>> {
  const all = buckets(range, grain);
  const out = new Map<string, number>();
  const whole = scope.kind === "set" ? [] : all.filter((b) => b.whole);
  if (scope.kind === "set") {
    const { rows } = await sql<{ key: string; n: number }>`
      select ${keyOf({ kind: "period", grain }, range, "reporting_date")} as key, count(distinct customer_id) as n
      from marts.mart_customer_days
      where reporting_date between ${sqlDate(range.from)} and ${sqlDate(range.to)} and ${scopeFilter(scope, "days")}
      group by 1`.execute(db);
    for (const r of rows) out.set(r.key, r.n);
    return out;
  }
  if (whole.length) {
    const first = (whole[0] as Bucket).from;
    const last = (whole[whole.length - 1] as Bucket).to;
    if (grain === "day" || grain === "week") {
      const rows = await db
        .selectFrom("marts.mart_active_customer_periods")
        .select([
          sql<string>`strftime(period_start, '%Y-%m-%d')`.as("key"),
          sql<number>`sum(active_customers)`.as("n"),
        ])
        .where("grain", "=", grain)
        .where(sql<SqlBool>`period_start between ${sqlDate(first)} and ${sqlDate(last)}`)
        .where(scopeFilter(scope, "precomputed"))
        .groupBy(sql`1`)
        .execute();
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
  for (const b of all.filter((b) => !b.whole)) {
    const counts = await scanActive(db, b, scope, "total");
    out.set(b.key, counts.get("total") ?? 0);
  }
  return out;
}

/** Distinct customers over the whole range per key, from the monthly mart when the range is whole months. */
async function activeOverRange(
  db: Db,
  range: DateRange,
  scope: Scope,
  key: "total" | "country" | "region",
): Promise<Map<string, number>> {
  const wholeMonths = range.from.endsWith("-01") && periodEnd(range.to, "month") === range.to;
  // A breakdown counts each country (or region) in its own scope; the filter only picks which.
  const rowScope =
    key === "country" || scope.kind === "country" ? "country" : key === "region" ? "region" : scope.kind;
  if (!wholeMonths || rowScope === "set") return scanActive(db, range, scope, key);
  const keyExpr = key === "total" ? sql`'total'` : key === "country" ? sql`country_code` : sql`region`;
  const filter =
    key === "total"
      ? scopeFilter(scope, "precomputed")
      : sql<SqlBool>`scope = ${sql.lit(rowScope)} and ${scopeFilter(scope, "days")}`;
  const { rows } = await sql<{ key: string; n: number }>`
    select ${keyExpr} as key, sum(customers) as n
    from marts.mart_active_customer_months
    where month between ${sqlDate(range.from)} and ${sqlDate(range.to)}
      and (previous_month is null or previous_month < ${sqlDate(range.from)}) and ${filter}
    group by 1`.execute(db);
  return new Map(rows.map((r) => [r.key, r.n]));
}

async function activeCustomers(db: Db, q: MetricQuery, groupBy: GroupBy): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const scope = scopeOf(q.countries, q.allCountries);
  for (const [which, range] of ranges(q)) {
    let counts: Map<string, number>;
    if (groupBy.kind === "period") counts = await activeByPeriod(db, range, scope, groupBy.grain);
    else if (groupBy.kind === "region" && scope.kind === "set") {
      // Part of a region selected: count distinct customers of the selected countries per region.
      const { rows } = await sql<{ key: string; n: number }>`
        select region as key, count(distinct customer_id) as n from marts.mart_customer_days
        where reporting_date between ${sqlDate(range.from)} and ${sqlDate(range.to)} and ${scopeFilter(scope, "days")}
        group by 1`.execute(db);
      counts = new Map(rows.map((r) => [r.key, r.n]));
    } else counts = await activeOverRange(db, range, scope, groupBy.kind);
    for (const [key, n] of counts) out.set(`${which}|${key}`, n);
  }
  return out;
}

/** Rounds to 1/10,000 of a euro: sums of 4-decimal amounts, exact once rounded. */
const money = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The values of `metrics` for each group of each range. Groups with no data at all do not appear;
 * callers lay them over the list of periods or countries they show.
 */
export async function computeMetrics(
  db: Db,
  q: MetricQuery,
  groupBy: GroupBy,
  metrics: readonly MetricId[],
): Promise<MetricRow[]> {
  const restricted: Dimension[] = (["category", "grade", "channel", "partner"] as const).filter(
    (d) => q.slices[d].length > 0,
  );
  const wanted = new Set(metrics.filter((m) => metricAvailable(m, restricted)));
  const needs = (...ids: MetricId[]) => ids.some((id) => wanted.has(id));

  const sales = needs(
    "devices_sold",
    "gmv_eur",
    "net_revenue_eur",
    "take_rate",
    "variable_costs_eur",
    "contribution_margin_eur",
    "ebitda_eur",
    "return_rate",
  )
    ? await salesSums(db, q, groupBy)
    : [];
  const costs = needs("marketing_eur", "opex_eur", "contribution_margin_eur", "ebitda_eur")
    ? await costSums(db, q, groupBy)
    : [];
  const customers = needs("new_customers", "cumulative_customers") ? await customerSums(db, q, groupBy) : [];
  const active = needs("active_customers")
    ? await activeCustomers(db, q, groupBy)
    : new Map<string, number>();

  // Cumulative customers per period: everyone before the range, then a running sum of new customers.
  const cumulative = new Map<string, number>();
  if (groupBy.kind === "period") {
    for (const which of ["current", "comparison"] as const) {
      const rows = customers.filter((r) => r.which === which);
      let running = rows.filter((r) => r.key === null).reduce((a, r) => a + r.to_end, 0);
      for (const r of rows
        .filter((r) => r.key !== null)
        .sort((a, b) => String(a.key).localeCompare(String(b.key)))) {
        running += r.new_in_range;
        cumulative.set(`${which}|${r.key}`, running);
      }
    }
  } else for (const r of customers) cumulative.set(`${r.which}|${r.key}`, r.to_end);

  const keys = new Map<string, { which: Which; key: string }>();
  const note = (which: Which, key: string | null) => {
    if (key !== null) keys.set(`${which}|${key}`, { which, key });
  };
  for (const r of sales) note(r.which, r.key);
  for (const r of costs) note(r.which, r.key);
  for (const r of customers) note(r.which, r.key);
  for (const k of active.keys()) {
    const [which, key] = k.split("|") as [Which, string];
    note(which, key);
  }
  const salesBy = new Map(sales.map((r) => [`${r.which}|${r.key}`, r]));
  const costsBy = new Map(costs.map((r) => [`${r.which}|${r.key}`, r]));
  const newBy = new Map(
    customers.filter((r) => r.key !== null).map((r) => [`${r.which}|${r.key}`, r.new_in_range]),
  );

  const rows: MetricRow[] = [];
  for (const [id, { which, key }] of keys) {
    const s = salesBy.get(id);
    const c = costsBy.get(id);
    const net = s?.net_revenue_eur ?? 0;
    const variable = s?.variable_costs_eur ?? 0;
    const marketing = c?.marketing_eur ?? 0;
    const opex = c?.opex_eur ?? 0;
    const all: Record<MetricId, number | null> = {
      cumulative_customers: cumulative.get(id) ?? null,
      active_customers: active.get(id) ?? 0,
      new_customers: newBy.get(id) ?? 0,
      devices_sold: s?.devices_sold ?? 0,
      gmv_eur: money(s?.gmv_eur ?? 0),
      net_revenue_eur: money(net),
      take_rate: s && s.gmv_eur !== 0 ? net / s.gmv_eur : null,
      variable_costs_eur: money(variable),
      marketing_eur: money(marketing),
      contribution_margin_eur: money(net - variable - marketing),
      opex_eur: money(opex),
      ebitda_eur: money(net - variable - marketing - opex),
      return_rate: s && s.devices_sold !== 0 ? s.returned_items / s.devices_sold : null,
    };
    const values = {} as Record<MetricId, number | null>;
    for (const m of metrics) values[m] = wanted.has(m) ? all[m] : null;
    rows.push({ which, key, values });
  }
  return rows;
}

/** Days in a range, both ends included. */
export function rangeDays(range: DateRange): number {
  return differenceInCalendarDays(parseISO(range.to), parseISO(range.from)) + 1;
}

export type { Expression };
export { METRICS };

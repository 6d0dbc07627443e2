// The metric layer's small marts, held in memory per snapshot (ADR 0029): the daily sales by country, the
// daily new customers and the monthly P&L are a few tens of thousands of rows at full scale, and a page's
// first visit asked DuckDB for their sums three to nine times (a query each, 20–30 ms apiece when ten
// clients share two cores, for well under a millisecond of arithmetic). Read once per snapshot, their
// sums are worked out here, exactly: every decimal is kept as its whole number of 1/10,000 (an integer
// below 2^53, as are the sums), and divided by its scale once summed, which gives the same double as
// DuckDB's exact DECIMAL sum converted by the dialect. The metric layer (query.server.ts) sums the daily
// and scoped marts; the product pages read their own small marts through residentMart; the overview's
// warmer reads mart_daily_sales whole when the server starts.

import { type Kysely, type RawBuilder, sql } from "kysely";
import { isoDay } from "~/lib/days";
import type { DateRange } from "~/lib/filters";
import { monthEnd, shiftMonth } from "~/lib/grammar";
import { memoIn } from "~/lib/memo";
import { withRoom } from "~/lib/typed-arrays";
import { readVectors, snapshotOf } from "../db/duckdb-dialect";
import type { Db } from "./query.server";

/** A daily mart's rows, ordered by date: each column as numbers, decimals as whole units. */
export interface DailyTable {
  /** 'YYYY-MM-DD', ascending. */
  dates: string[];
  countries: string[];
  /** The slice dimensions the table keeps (the daily sales by category or by every slice), as codes. */
  slices?: Partial<Record<SliceDimension, SliceColumn>>;
  columns: Map<string, Float64Array>;
  /** A decimal column's scale (its values are units of 10^-scale); counts have none. */
  scales: Map<string, number>;
}

/** The dimensions of mart_daily_sales a query may slice by (MetricQuery's slices). */
export type SliceDimension = "category" | "grade" | "channel" | "partner";

/** A dimension of each row as a small code: `values[codes[row]]` (a few distinct values a dimension). */
export interface SliceColumn {
  /** A NULL (a return whose partner is unknown) is a value no filter keeps, as SQL's IN. */
  values: (string | null)[];
  codes: Uint8Array;
}

/** One month and country of mart_monthly_pnl: the columns the cost sums read, money in EUR or local. */
export type PnlRow = { month: string; country_code: string; region: string } & Record<string, number | null>;

/**
 * A precomputed distinct-customer mart (ADR 0006), ordered by its date: per scope ('all', 'region',
 * 'country'), date (day, week or month), country and region (null beyond the scope), previous month.
 */
export interface ScopedCounts {
  dates: string[];
  scope: string[];
  country: (string | null)[];
  region: (string | null)[];
  /** The customers' previous active month in the scope (months only; null for the first). */
  previous: (string | null)[];
  counts: Float64Array;
}

/** One month, country and cost centre of mart_monthly_opex, costs in whole 1/10,000 (EUR and local). */
export interface OpexRow {
  month: string;
  country: string;
  costCentre: string;
  headcount: number;
  eurUnits: number;
  localUnits: number;
}

export interface Resident {
  opex: OpexRow[];
  sales: DailyTable;
  /** mart_daily_sales summed by date, country and category (EUR only): a category's sales, or by category. */
  salesByCategory: DailyTable;
  newCustomers: DailyTable;
  pnl: PnlRow[];
  activeMonths: ScopedCounts;
  activeWeeks: ScopedCounts;
  activeDays: ScopedCounts;
}

/**
 * One string for each distinct value read (a date, a country, a seller id…): the resident marts repeat
 * a few thousand values over ~800,000 rows, and each value read from DuckDB is a new string. Interned,
 * they are a few thousand heap objects instead of millions for the garbage collector to walk.
 */
const interned = new Map<string, string>();
function same<T extends string | null>(value: T): T {
  if (value === null) return value;
  const known = interned.get(value);
  if (known !== undefined) return known as T;
  // Bounded: the values are dimensions, not free text; past this, keep each as it comes.
  if (interned.size < 1_000_000) interned.set(value, value);
  return value;
}

/**
 * The distinct values of each expression over `from`, NULL first, in DuckDB's order (the order of the
 * `row_number() over (order by value nulls first)` codes the readers join on): one statement for every
 * column. A statement per column made readying a snapshot a chain of round trips, each waiting for the
 * JavaScript thread behind the requests of the snapshot being served.
 */
export async function distinctValues(
  db: Db,
  from: RawBuilder<unknown>,
  exprs: readonly RawBuilder<unknown>[],
): Promise<(string | null)[][]> {
  const out = exprs.map(() => [] as (string | null)[]);
  if (!exprs.length) return out;
  const { rows } = await sql<{ i: number; value: string | null }>`
    ${sql.join(
      exprs.map(
        (expr, i) =>
          sql`select * from (select distinct ${sql.lit(i)}::INTEGER as i, (${expr})::VARCHAR as value from ${from} as s)`,
      ),
      sql` union all `,
    )}
    order by i, value nulls first`.execute(db);
  for (const r of rows) out[Number(r.i)]?.push(r.value === null ? null : same(String(r.value)));
  return out;
}

/** What is held per open snapshot (the unit of work's Kysely instance names it), by name. */
const held = new WeakMap<object, Map<string, Promise<unknown>>>();
/** Each held read's value once it has settled (heldIfRead). */
const settled = new WeakMap<Promise<unknown>, unknown>();

/**
 * What `read` makes of the caller's open snapshot, once per snapshot and name; null when resident marts
 * are off, when the unit of work reads an earlier snapshot (opened for one call: it asks DuckDB), or when
 * the read failed (said once per snapshot: its pages are answered by DuckDB, correct and slower).
 */
export function heldPerSnapshot<T>(
  db: Db,
  name: string,
  read: () => Promise<T>,
  failed: string,
): Promise<T | null> {
  const snapshotKey = snapshotOf(db);
  if (!residentEnabled() || !snapshotKey) return Promise.resolve(null);
  return memoIn(held, snapshotKey, name, () => {
    const reading = read().catch((error: unknown) => {
      console.error(`backlight: ${failed} (${String(error)}); DuckDB answers their sums`);
      return null;
    });
    void reading.then((value) => settled.set(reading, value));
    return reading;
  }) as Promise<T | null>;
}

/** What heldPerSnapshot holds for the caller's snapshot under `name`, if asked already (nothing started). */
export function heldAlready<T>(db: Db, name: string): Promise<T | null> | undefined {
  const snapshotKey = snapshotOf(db);
  if (!residentEnabled() || !snapshotKey) return undefined;
  return held.get(snapshotKey)?.get(name) as Promise<T | null> | undefined;
}

/**
 * What heldPerSnapshot holds for the caller's snapshot under `name` if its read has finished, else null:
 * for reads that take seconds at full scale, which a request neither waits for nor starts (it would
 * outlive the request's unit of work; ADR 0031) — DuckDB answers meanwhile, exactly as well.
 */
export function heldIfRead<T>(db: Db, name: string): T | null {
  const reading = heldAlready<T>(db, name);
  return reading ? ((settled.get(reading) as T | null | undefined) ?? null) : null;
}

/** Off with BACKLIGHT_RESIDENT_MARTS=0: every sum is asked of DuckDB, as before (for comparison). */
export function residentEnabled(): boolean {
  return process.env.BACKLIGHT_RESIDENT_MARTS !== "0";
}

/**
 * The snapshot's resident marts, read on first use (through the caller's unit of work), or null when
 * they are off or could not be read (a snapshot without one of the marts, a NULL where a number is
 * expected): the caller then asks DuckDB as before, for as long as the snapshot is current.
 */
export function residentOf(db: Db): Promise<Resident | null> {
  return heldPerSnapshot(db, "resident", () => read(db), "the resident marts were not read");
}

async function read(db: Db): Promise<Resident> {
  const sales = await daily(db, "mart_daily_country_sales");
  const newCustomers = await daily(db, "mart_daily_new_customers");
  const pnl = await monthly(db);
  const activeMonths = await scoped(db, "mart_active_customer_months", "month", "customers", true);
  const activeWeeks = await scoped(db, "mart_active_customer_weeks", "week", "active_customers", false);
  const activeDays = await scoped(
    db,
    "mart_active_customer_days",
    "reporting_date",
    "active_customers",
    false,
  );
  const opex = await costCentres(db);
  // Summed here from mart_daily_sales held whole when it could be read (one read of the mart a snapshot).
  const whole = await residentDailySales(db);
  const salesByCategory = whole ? byCategoryFrom(whole) : await byCategory(db);
  return { sales, salesByCategory, newCustomers, pnl, activeMonths, activeWeeks, activeDays, opex };
}

async function costCentres(db: Db): Promise<OpexRow[]> {
  const scales = await numericColumns(db, "mart_monthly_opex");
  for (const c of ["opex_eur", "opex_local"])
    if (scales.find((s) => s.name === c)?.scale !== 4)
      throw new Error(`mart_monthly_opex.${c} is not in 1/10,000`);
  const { rows } = await sql<{
    month: string;
    country: string;
    centre: string;
    headcount: number | null;
    eur: number | null;
    local: number | null;
  }>`
    select month, country_code as country, cost_center as centre, headcount::BIGINT as headcount,
      (opex_eur * 10000)::BIGINT as eur, (opex_local * 10000)::BIGINT as local
    from marts.mart_monthly_opex order by month, cost_center`.execute(db);
  return rows.map((r) => {
    if (r.headcount === null || r.eur === null || r.local === null)
      throw new Error("marts.mart_monthly_opex holds a NULL");
    return {
      month: r.month,
      country: r.country,
      costCentre: r.centre,
      headcount: r.headcount,
      eurUnits: r.eur,
      localUnits: r.local,
    };
  });
}

async function scoped(
  db: Db,
  table: string,
  date: string,
  count: string,
  months: boolean,
): Promise<ScopedCounts> {
  const read = await columnsOf(
    db,
    sql`
    select strftime(${sql.ref(date)}, '%Y-%m-%d') as d, scope, country_code as country, region,
      ${months ? sql`strftime(previous_month, '%Y-%m-%d')` : sql`null::VARCHAR`} as previous,
      ${sql.ref(count)}::BIGINT::DOUBLE as n
    from ${sql.table(`marts.${table}`)}`,
    ["d"],
  );
  return {
    dates: texts(read, "d") as string[],
    scope: texts(read, "scope") as string[],
    country: texts(read, "country"),
    region: texts(read, "region"),
    previous: texts(read, "previous"),
    counts: wholeNumbers(read, "n", `marts.${table}.${count}`),
  };
}

/**
 * The sum of a scoped mart's counts over the rows dated in [from, to] that `keep` keeps, per the key
 * `keyOf` gives them: what `select key, sum(customers)… where … group by key` answers.
 */
export function sumScoped(
  table: ScopedCounts,
  range: DateRange,
  keep: (row: number) => boolean,
  keyOf: (row: number) => string,
): Map<string, number> {
  const out = new Map<string, number>();
  const end = lowerBound(table.dates, `${range.to}\u0000`);
  for (let r = lowerBound(table.dates, range.from); r < end; r++) {
    if (!keep(r)) continue;
    const key = keyOf(r);
    out.set(key, (out.get(key) ?? 0) + (table.counts[r] as number));
  }
  return out;
}

/** A table's numeric columns and their scale (decimals; null for integers). */
/** A mart's numeric columns, in order, with a decimal's scale (null for an integer). */
async function numericColumns(db: Db, table: string): Promise<{ name: string; scale: number | null }[]> {
  const marts =
    (await heldPerSnapshot(db, "mart columns", () => martColumns(db), "the marts' columns were not read")) ??
    (await martColumns(db));
  return marts.get(table) ?? [];
}

/** Every mart's numeric columns, read in one statement per snapshot (not one per mart read). */
async function martColumns(db: Db): Promise<Map<string, { name: string; scale: number | null }[]>> {
  const { rows } = await sql<{ table: string; name: string; type: string; scale: number | null }>`
    select table_name as "table", column_name as name, data_type as type, numeric_scale as scale
    from duckdb_columns() where schema_name = 'marts' order by table_name, column_index`.execute(db);
  const out = new Map<string, { name: string; scale: number | null }[]>();
  for (const r of rows) {
    if (!/^(DECIMAL|BIGINT|HUGEINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER)/.test(r.type)) continue;
    const columns = out.get(r.table) ?? [];
    columns.push({ name: r.name, scale: r.type.startsWith("DECIMAL") ? Number(r.scale) : null });
    out.set(r.table, columns);
  }
  return out;
}

/**
 * A daily mart read whole, ordered by date and country: decimals as their whole units (the value times
 * 10^scale, an exact integer), or null when it lacks a country column or holds a NULL number.
 */
async function daily(db: Db, table: "mart_daily_country_sales" | "mart_daily_new_customers") {
  const numeric = await numericColumns(db, table);
  if (!numeric.length) throw new Error(`marts.${table} has no numeric column`);
  const select = numeric.map((c) =>
    c.scale === null
      ? sql`${sql.ref(c.name)}::BIGINT::DOUBLE as ${sql.ref(c.name)}`
      : sql`(${sql.ref(c.name)} * ${sql.lit(10 ** c.scale)})::BIGINT::DOUBLE as ${sql.ref(c.name)}`,
  );
  const read = await columnsOf(
    db,
    sql`
    select strftime(reporting_date, '%Y-%m-%d') as reporting_date, country_code, ${sql.join(select)}
    from ${sql.table(`marts.${table}`)}`,
    ["reporting_date", "country_code"],
  );
  return toDailyTable(read, numeric, table);
}

/** Rows read by date and country into a DailyTable (a NULL number: an error, DuckDB answers instead). */
function toDailyTable(
  read: Map<string, ArrayLike<unknown>>,
  numeric: { name: string; scale: number | null }[],
  table: string,
): DailyTable {
  const scales = new Map<string, number>();
  for (const c of numeric) if (c.scale) scales.set(c.name, c.scale);
  return {
    dates: texts(read, "reporting_date") as string[],
    countries: texts(read, "country_code") as string[],
    columns: new Map(numeric.map((c) => [c.name, wholeNumbers(read, c.name, `marts.${table}.${c.name}`)])),
    scales,
  };
}

/** A query's result as columns (straight from DuckDB's vectors: no row objects). */
/**
 * A query's columns, ordered by `orderBy` (output columns; the query itself has no ORDER BY), read as
 * typed arrays (readVectors): each text column as codes into its distinct values, read first and
 * interned; each number (DOUBLE) as a Float64Array — a NULL number fails the read. Rows of JS values
 * (the node API's column reader) took the JavaScript thread in one block per mart.
 */
async function columnsOf(
  db: Db,
  query: RawBuilder<unknown>,
  orderBy: readonly string[],
): Promise<Map<string, ArrayLike<unknown>>> {
  const { rows: described } = await sql<{ column_name: string; column_type: string }>`
    describe ${query}`.execute(db);
  const text = described.filter((c) => c.column_type === "VARCHAR").map((c) => c.column_name);
  const numbers = described.filter((c) => c.column_type === "DOUBLE").map((c) => c.column_name);
  const other = described.find((c) => c.column_type !== "VARCHAR" && c.column_type !== "DOUBLE");
  if (other)
    throw new Error(`columnsOf: ${other.column_name} is ${other.column_type}, not VARCHAR or DOUBLE`);
  const dictionaries = await distinctValues(
    db,
    sql`(${query})`,
    text.map((name) => sql.ref(name)),
  );
  const codeType = (n: number) => sql.raw(n <= 256 ? "UTINYINT" : n <= 65_536 ? "USMALLINT" : "UINTEGER");
  const { rows: length, columns } = await readVectors(
    db as unknown as Kysely<unknown>,
    sql`with q as (${query})${sql.join(
      text.map(
        (name, i) => sql`, ${sql.ref(`__d${i}`)} as (
          select value as ${sql.ref(`__v${i}`)},
            (row_number() over (order by value nulls first) - 1)::${codeType((dictionaries[i] as unknown[]).length)} as ${sql.ref(`__k${i}`)}
          from (select distinct ${sql.ref(name)} as value from q))`,
      ),
      sql``,
    )}
    select ${sql.join([
      ...text.map((_, i) => sql.ref(`__k${i}`)),
      ...numbers.map((name) => sql`q.${sql.ref(name)} as ${sql.ref(name)}`),
    ])}
    from q ${sql.join(
      text.map(
        (name, i) =>
          sql`join ${sql.ref(`__d${i}`)} on q.${sql.ref(name)} is not distinct from ${sql.ref(`__v${i}`)}`,
      ),
      sql` `,
    )}
    order by ${sql.join(orderBy.map((name) => sql`q.${sql.ref(name)}`))}`,
  );
  const out = new Map<string, ArrayLike<unknown>>();
  text.forEach((name, i) => {
    const dictionary = dictionaries[i] as (string | null)[];
    const keys = columns.get(`__k${i}`) as Uint8Array;
    const values = new Array<string | null>(length);
    for (let r = 0; r < length; r++) values[r] = dictionary[keys[r] as number] ?? null;
    out.set(name, values);
  });
  for (const name of numbers) out.set(name, columns.get(name) as Float64Array);
  return out;
}

/** A text column read (interned: one string per distinct value). */
function texts(read: Map<string, ArrayLike<unknown>>, name: string): (string | null)[] {
  const values = read.get(name);
  if (!values) throw new Error(`no column ${name} read`);
  return Array.from(values, (v) => (v === null || v === undefined ? null : same(String(v))));
}

/**
 * A numeric column read as whole units (DOUBLE in SQL: exact below 2^53), or an error for a NULL or a
 * value past 2^53 (none is expected: DuckDB then answers this snapshot, as before).
 */
function wholeNumbers(read: Map<string, ArrayLike<unknown>>, name: string, what: string): Float64Array {
  const values = read.get(name);
  if (!values) throw new Error(`no column ${name} read`);
  const out = new Float64Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new Error(`${what} holds ${String(v)}`);
    out[r] = v;
  }
  return out;
}

/**
 * mart_daily_sales (930,000 rows at full scale) summed over grade, channel and partner: 234,000 rows by
 * date, country and category. Each sum is DuckDB's exact DECIMAL sum, read in whole units like the others.
 * Only when mart_daily_sales could not be held whole (byCategoryFrom sums that instead).
 */
async function byCategory(db: Db): Promise<DailyTable> {
  const numeric = (await numericColumns(db, "mart_daily_sales")).filter(
    (c) => !["reporting_date", "country_code", "category", "grade", "channel", "partner"].includes(c.name),
  );
  if (!numeric.length) throw new Error("marts.mart_daily_sales has no numeric column");
  const select = numeric.map((c) =>
    c.scale === null
      ? sql`sum(${sql.ref(c.name)})::BIGINT::DOUBLE as ${sql.ref(c.name)}`
      : sql`(sum(${sql.ref(c.name)}) * ${sql.lit(10 ** c.scale)})::BIGINT::DOUBLE as ${sql.ref(c.name)}`,
  );
  const read = await columnsOf(
    db,
    sql`
    select strftime(reporting_date, '%Y-%m-%d') as reporting_date, country_code, category, ${sql.join(select)}
    from marts.mart_daily_sales group by reporting_date, country_code, category`,
    ["reporting_date", "country_code", "category"],
  );
  const table = toDailyTable(read, numeric, "mart_daily_sales");
  table.slices = { category: sliceColumn(read, "category") };
  return table;
}

/**
 * The daily sales by date, country and category, summed from mart_daily_sales held whole: what
 * `byCategory` asks DuckDB for, the same whole units (integer sums are exact in any order), in the
 * same order (date, country, then category in the order DuckDB sorted the category codes).
 */
function byCategoryFrom(daily: DailyTable): DailyTable {
  const category = daily.slices?.category;
  if (!category) throw new Error("mart_daily_sales held without its categories");
  const names = [...daily.columns.keys()];
  const inputs = names.map((n) => daily.columns.get(n) as Float64Array);
  const dates: string[] = [];
  const countries: string[] = [];
  const codes: number[] = [];
  const sums: number[][] = names.map(() => []);
  // Per run of one date and country: each category's output row (-1: none yet).
  const rowOf = new Int32Array(256).fill(-1);
  let start = 0;
  while (start < daily.dates.length) {
    const date = daily.dates[start] as string;
    const country = daily.countries[start] as string;
    let end = start;
    while (end < daily.dates.length && daily.dates[end] === date && daily.countries[end] === country) end++;
    const seen: number[] = [];
    for (let r = start; r < end; r++) {
      const code = category.codes[r] as number;
      if (rowOf[code] === -1) {
        rowOf[code] = 0;
        seen.push(code);
      }
    }
    seen.sort((a, b) => a - b);
    for (const code of seen) {
      rowOf[code] = codes.length;
      dates.push(date);
      countries.push(country);
      codes.push(code);
      for (const column of sums) column.push(0);
    }
    for (let r = start; r < end; r++) {
      const row = rowOf[category.codes[r] as number] as number;
      for (let c = 0; c < inputs.length; c++) {
        const column = sums[c] as number[];
        column[row] = (column[row] as number) + ((inputs[c] as Float64Array)[r] as number);
      }
    }
    for (const code of seen) rowOf[code] = -1;
    start = end;
  }
  return {
    dates,
    countries,
    columns: new Map(names.map((n, c) => [n, Float64Array.from(sums[c] as number[])])),
    scales: daily.scales,
    slices: { category: { values: category.values, codes: Uint8Array.from(codes) } },
  };
}

/** A text column read as codes into its distinct values (at most 256 of them, or an error). */
function sliceColumn(read: Map<string, ArrayLike<unknown>>, name: string): SliceColumn {
  const values: (string | null)[] = [];
  const index = new Map<string | null, number>();
  const column = texts(read, name);
  const codes = new Uint8Array(column.length);
  for (let r = 0; r < column.length; r++) {
    const v = column[r] ?? null;
    let code = index.get(v);
    if (code === undefined) {
      code = values.length;
      if (code > 255) throw new Error(`mart_daily_sales.${name} has more than 256 values`);
      values.push(v);
      index.set(v, code);
    }
    codes[r] = code;
  }
  return { values, codes };
}

const SLICES: readonly SliceDimension[] = ["category", "grade", "channel", "partner"];

/**
 * mart_daily_sales whole, in memory (~930,000 rows at full scale: its EUR sums as whole units, ~60 MB; its
 * dimensions as one byte each): a query sliced by grade, channel or partner sums it here instead of
 * scanning it in DuckDB (a quarter of a first visit's DuckDB time on the overview), and the sales by
 * category are summed from it (byCategoryFrom). Read once per snapshot, with the other resident marts;
 * null when resident marts are off or it could not be read (DuckDB answers, as before).
 */
export function residentDailySales(db: Db): Promise<DailyTable | null> {
  return heldPerSnapshot(db, "mart_daily_sales", () => readDailySales(db), "mart_daily_sales was not read");
}

async function readDailySales(db: Db): Promise<DailyTable> {
  const numeric = (await numericColumns(db, "mart_daily_sales")).filter(
    (c) => !c.name.endsWith("_local") && !["reporting_date", "country_code", ...SLICES].includes(c.name),
  );
  if (!numeric.length) throw new Error("marts.mart_daily_sales has no numeric column");
  const dimensions = ["country_code", ...SLICES];
  // Each dimension's distinct values in a fixed order (NULL first), and each row's as its rank: numbers
  // only cross from DuckDB, as typed arrays (readVectors), and the few values once.
  const distinct = (d: string) =>
    sql`select ${sql.ref(d)} as value from (select distinct ${sql.ref(d)} from marts.mart_daily_sales) order by 1 nulls first`;
  const read = await distinctValues(
    db,
    sql`marts.mart_daily_sales`,
    dimensions.map((d) => sql.ref(d)),
  );
  const dictionaries = new Map<string, (string | null)[]>();
  dimensions.forEach((d, i) => {
    const values = read[i] as (string | null)[];
    if (values.length > 256) throw new Error(`mart_daily_sales.${d} has more than 256 values`);
    dictionaries.set(d, values);
  });
  const codes = dimensions.map(
    (d) =>
      sql`${sql.ref(`d_${d}`)} as (select value, (row_number() over (order by value nulls first) - 1)::UTINYINT as code from (${distinct(d)}))`,
  );
  const select = numeric.map((c) =>
    c.scale === null
      ? sql`s.${sql.ref(c.name)}::BIGINT::DOUBLE as ${sql.ref(c.name)}`
      : sql`(s.${sql.ref(c.name)} * ${sql.lit(10 ** c.scale)})::BIGINT::DOUBLE as ${sql.ref(c.name)}`,
  );
  const { rows, columns } = await readVectors(
    db as unknown as Kysely<unknown>,
    sql`
    with ${sql.join(codes)}
    select (s.reporting_date - DATE '1970-01-01')::INTEGER as day,
      ${sql.join(dimensions.map((d) => sql`${sql.ref(`d_${d}.code`)} as ${sql.ref(d)}`))},
      ${sql.join(select)}
    from marts.mart_daily_sales s
    ${sql.join(
      dimensions.map(
        (d) =>
          sql`join ${sql.ref(`d_${d}`)} on s.${sql.ref(d)} is not distinct from ${sql.ref(`d_${d}.value`)}`,
      ),
      sql` `,
    )}
    order by s.reporting_date, s.country_code`,
  );
  const column = (name: string) => columns.get(name) as Float64Array;
  const days = columns.get("day") as Int32Array;
  const dayNames = new Map<number, string>();
  const dates = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const day = days[r] as number;
    let name = dayNames.get(day);
    if (name === undefined) {
      name = same(isoDay(day));
      dayNames.set(day, name);
    }
    dates[r] = name;
  }
  const sliceOf = (d: string): SliceColumn => ({
    values: dictionaries.get(d) as (string | null)[],
    codes: columns.get(d) as Uint8Array,
  });
  const countryCodes = sliceOf("country_code");
  const countries = Array.from(countryCodes.codes, (code) => {
    const country = countryCodes.values[code];
    if (country === null || country === undefined)
      throw new Error("mart_daily_sales.country_code holds a NULL");
    return country;
  });
  const scales = new Map<string, number>();
  for (const c of numeric) {
    if (c.scale) scales.set(c.name, c.scale);
    const values = column(c.name);
    for (let r = 0; r < rows; r++)
      if (!Number.isSafeInteger(values[r])) throw new Error(`mart_daily_sales.${c.name} holds ${values[r]}`);
  }
  return {
    dates,
    countries,
    columns: new Map(numeric.map((c) => [c.name, column(c.name)])),
    scales,
    slices: Object.fromEntries(SLICES.map((d) => [d, sliceOf(d)])),
  };
}

async function monthly(db: Db): Promise<PnlRow[]> {
  // Every column: snapshots published before central costs were kept apart lack theirs (read as 0).
  const { rows } = await sql<Record<string, unknown>>`select * from marts.mart_monthly_pnl`.execute(db);
  const out: PnlRow[] = [];
  for (const r of rows) {
    const row: PnlRow = {
      month: String(r.month),
      country_code: String(r.country_code),
      region: String(r.region),
    } as PnlRow;
    for (const column of [
      "marketing_eur",
      "marketing_local",
      "opex_eur",
      "opex_local",
      "central_costs_eur",
      "central_costs_local",
      "central_allocated_eur",
      "central_allocated_local",
    ]) {
      const value = r[column];
      // NULL stays null, as the query's arithmetic would keep it (central costs in a currency with none).
      row[column] = value === undefined ? 0 : value === null ? null : Number(value);
    }
    out.push(row);
  }
  return out;
}

/** The first index whose value is ≥ `value` (values ascending: dates as text, or row numbers). */
function lowerBound<T extends string | number>(values: ArrayLike<T>, value: T): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as T) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A key function that depends on the date alone (marked by `dateKey`): sumDaily calls it once a date. */
type DateKey = { byDate?: boolean };

/** Marks a key function as depending on a row's date alone. */
export function dateKey<F extends (date: string, country: string, row: number) => string | null>(f: F): F {
  (f as F & DateKey).byDate = true;
  return f;
}

/** A key function of sumDaily: a row's group (null: a group of its own). */
export type DailyKey = (date: string, country: string, row: number) => string | null;

/**
 * Sums of `columns` over the rows dated in [from, to] (from: the first row when absent) of the selected
 * countries (null: all), per the key `keyOf` gives a row (null: its own group), each a decimal divided
 * by its scale once summed. What `select key, sum(c)… where … group by key` answers, exactly.
 *
 * With `monthly` (the table summed by month, monthlyOf, and the same key over it: a key that no day
 * within a month changes), the range's whole months are read from it and only the days at its edges
 * from the table: eight years of days by country are ~100 monthly rows per country, not ~3,000 daily
 * ones. Sums are whole units either way (exact), so the two paths give the same doubles.
 */
export function sumDaily(
  table: DailyTable,
  range: { from?: string; to: string },
  countries: ReadonlySet<string> | null,
  keyOf: DailyKey,
  columns: readonly string[],
  /** Per group, the sum of these columns over the rows dated on or after this day only. */
  since?: { day: string; columns: readonly string[] },
  /** Only the rows of these values of each slice dimension (a dimension absent or empty: all). */
  slices?: Partial<Record<SliceDimension, readonly string[]>> | null,
  monthly?: { table: DailyTable; keyOf: DailyKey },
): Map<string | null, Record<string, number>> {
  const sums = new Map<string | null, Float64Array>();
  const width = columns.length + (since?.columns.length ?? 0);
  const scan = (t: DailyTable, key: DailyKey, start: number, end: number) =>
    scanDaily(t, key, start, end, sums, width, countries, columns, since, slices);
  const start = range.from === undefined ? 0 : lowerBound(table.dates, range.from);
  const end = lowerBound(table.dates, `${range.to}\u0000`);
  const whole = monthly && !since && range.from !== undefined ? wholeMonths(range.from, range.to) : null;
  if (monthly && whole) {
    const [first, after] = whole;
    scan(table, keyOf, start, lowerBound(table.dates, first));
    const m = monthly.table;
    scan(m, monthly.keyOf, lowerBound(m.dates, first), lowerBound(m.dates, after));
    scan(table, keyOf, Math.max(start, lowerBound(table.dates, after)), end);
  } else scan(table, keyOf, start, end);
  const out = new Map<string | null, Record<string, number>>();
  for (const [key, sum] of sums) {
    const record: Record<string, number> = {};
    columns.forEach((c, i) => {
      record[c] = scaled(table, c, sum[i] as number);
    });
    since?.columns.forEach((c, i) => {
      record[`since:${c}`] = scaled(table, c, sum[columns.length + i] as number);
    });
    out.set(key, record);
  }
  return out;
}

/** One stretch [start, end) of a table's rows added into `sums` (sumDaily's loop). */
function scanDaily(
  table: DailyTable,
  keyOf: DailyKey,
  start: number,
  end: number,
  sums: Map<string | null, Float64Array>,
  width: number,
  countries: ReadonlySet<string> | null,
  columns: readonly string[],
  since?: { day: string; columns: readonly string[] },
  slices?: Partial<Record<SliceDimension, readonly string[]>> | null,
): void {
  if (start >= end) return;
  // Each sliced dimension as its codes and a mask of the codes kept.
  const tests: { codes: Uint8Array; keep: Uint8Array }[] = [];
  for (const [dimension, values] of Object.entries(slices ?? {}) as [SliceDimension, readonly string[]][]) {
    if (!values.length) continue;
    const column = table.slices?.[dimension];
    if (!column) throw new Error(`a ${dimension} filter on a table without it`);
    const keep = new Uint8Array(256);
    column.values.forEach((v, code) => {
      if (v !== null && values.includes(v)) keep[code] = 1;
    });
    tests.push({ codes: column.codes, keep });
  }
  const wanted = columns.map((c) => {
    const values = table.columns.get(c);
    if (!values) throw new Error(`resident mart has no column ${c}`);
    return values;
  });
  const later = (since?.columns ?? []).map((c) => table.columns.get(c) as Float64Array);
  // Rows come by date: a key of the date alone (a period, the total) is worked out once per date, and
  // consecutive rows of one group skip the map.
  const byDate = (keyOf as DateKey).byDate === true;
  let lastDate: string | undefined;
  let dateKey: string | null = null;
  let lastKey: string | null | undefined;
  let sum: Float64Array | undefined;
  for (let r = start; r < end; r++) {
    const country = table.countries[r] as string;
    if (countries && !countries.has(country)) continue;
    let kept = true;
    for (const t of tests) if (!t.keep[t.codes[r] as number]) kept = false;
    if (!kept) continue;
    const date = table.dates[r] as string;
    let key: string | null;
    if (byDate) {
      if (date !== lastDate) {
        lastDate = date;
        dateKey = keyOf(date, country, r);
      }
      key = dateKey;
    } else key = keyOf(date, country, r);
    if (key !== lastKey || !sum) {
      lastKey = key;
      sum = sums.get(key);
      if (!sum) {
        sum = new Float64Array(width);
        sums.set(key, sum);
      }
    }
    for (let c = 0; c < wanted.length; c++)
      sum[c] = (sum[c] as number) + ((wanted[c] as Float64Array)[r] as number);
    if (since && date >= since.day)
      for (let c = 0; c < later.length; c++)
        sum[wanted.length + c] =
          (sum[wanted.length + c] as number) + ((later[c] as Float64Array)[r] as number);
  }
}

/**
 * The whole months of [from, to] as [their first day, the day after the last], or null when the range
 * holds no whole month.
 */
export function wholeMonths(from: string, to: string): [string, string] | null {
  const nextMonth = (day: string) => `${shiftMonth(day.slice(0, 7), 1)}-01`;
  const first = from.endsWith("-01") ? from : nextMonth(from);
  const after = to === monthEnd(to.slice(0, 7)) ? nextMonth(to) : `${to.slice(0, 7)}-01`;
  return first < after ? [first, after] : null;
}

const monthlies = new WeakMap<DailyTable, DailyTable>();

/**
 * A daily table summed by month, country and slice codes (each row dated on its month's first day,
 * months ascending), once per table: what sumDaily reads for a range's whole months. Sums of whole
 * units, exact; a NaN (none is expected) stays NaN in its month, as it would in a sum of the days.
 */
export function monthlyOf(table: DailyTable): DailyTable {
  const known = monthlies.get(table);
  if (known) return known;
  const dims = Object.entries(table.slices ?? {}) as [SliceDimension, SliceColumn][];
  const names = [...table.columns.keys()];
  const source = names.map((n) => table.columns.get(n) as Float64Array);
  const countryIndex = new Map<string, number>();
  const dates: string[] = [];
  const countries: string[] = [];
  const codes: number[][] = dims.map(() => []);
  const sums: number[][] = names.map(() => []);
  let month = "";
  let groups = new Map<number, number>();
  for (let r = 0; r < table.dates.length; r++) {
    const m = (table.dates[r] as string).slice(0, 7);
    if (m !== month) {
      month = m;
      groups = new Map();
    }
    const country = table.countries[r] as string;
    let c = countryIndex.get(country);
    if (c === undefined) {
      c = countryIndex.size;
      countryIndex.set(country, c);
    }
    // The country's index and each slice's code (< 256): one number per group within the month.
    let key = c;
    for (const [, column] of dims) key = key * 256 + (column.codes[r] as number);
    let g = groups.get(key);
    if (g === undefined) {
      g = dates.length;
      groups.set(key, g);
      dates.push(`${m}-01`);
      countries.push(country);
      dims.forEach(([, column], i) => {
        (codes[i] as number[]).push(column.codes[r] as number);
      });
      for (const s of sums) s.push(0);
    }
    for (let i = 0; i < source.length; i++) {
      const s = sums[i] as number[];
      s[g] = (s[g] as number) + ((source[i] as Float64Array)[r] as number);
    }
  }
  const out: DailyTable = {
    dates,
    countries,
    columns: new Map(names.map((n, i) => [n, Float64Array.from(sums[i] as number[])])),
    scales: table.scales,
  };
  if (table.slices)
    out.slices = Object.fromEntries(
      dims.map(([d, column], i) => [
        d,
        { values: column.values, codes: Uint8Array.from(codes[i] as number[]) },
      ]),
    );
  monthlies.set(table, out);
  return out;
}

function scaled(table: DailyTable, column: string, units: number): number {
  if (!Number.isSafeInteger(units)) throw new RangeError(`${column}: a sum beyond 2^53 units`);
  const scale = table.scales.get(column);
  return scale ? units / 10 ** scale : units;
}

// ---------------------------------------------------------------------------------------------------------
// Any small mart, read whole on first use (the product pages' monthly marts: quality, price displays)

/** A small mart's rows as read: text and dates as strings ('YYYY-MM-DD'), numbers as exact whole units. */
export interface MartRows {
  length: number;
  /** The column the rows are ordered by (its month or date), if it has one: rowsBetween reads it. */
  orderedBy: string | null;
  text: Map<string, (string | null)[]>;
  numbers: Map<string, Float64Array>;
  /** Per numeric column that holds a NULL, its NULL rows (1); absent: none. */
  nulls: Map<string, Uint8Array>;
  /** A decimal column's scale (its units are 10^-scale); integers have none. */
  scales: Map<string, number>;
}

/** Marts read whole this way, per snapshot and table (the largest is ~100,000 rows at full scale). */
const martsKnown = new WeakMap<object, Map<string, Promise<MartRows | null>>>();

/**
 * A small mart of the snapshot read whole into memory, once (through the caller's unit of work), or null
 * when resident marts are off or it could not be read (the caller then asks DuckDB, as before). Every
 * column is read: VARCHAR and DATE as strings, integers and decimals as whole units; a mart with another
 * type of column is left to DuckDB.
 */
export function residentMart(
  db: Db,
  snapshot: object,
  table: string,
  /** A relation derived from the marts, held under the name `table` (a mart summed coarser, say). */
  relation?: RawBuilder<unknown>,
): Promise<MartRows | null> {
  if (!residentEnabled()) return Promise.resolve(null);
  return memoIn(martsKnown, snapshot, table, () =>
    readMart(db, table, relation).catch((error: unknown) => {
      console.error(`backlight: marts.${table} was not held in memory (${String(error)}); DuckDB answers it`);
      return null;
    }),
  );
}

const indexes = new WeakMap<MartRows, Map<string, Map<string, number>>>();

/** A resident mart's first row for each value of a column (a dimension's rows by id), once per mart. */
export function rowsByKey(mart: MartRows, column: string): ReadonlyMap<string, number> {
  return memoIn(indexes, mart, column, () => {
    const out = new Map<string, number>();
    textColumn(mart, column).forEach((v, r) => {
      if (v !== null && !out.has(v)) out.set(v, r);
    });
    return out;
  });
}

async function readMart(db: Db, table: string, relation?: RawBuilder<unknown>): Promise<MartRows> {
  const from = relation ? sql`(${relation})` : sql.table(`marts.${table}`);
  const { rows: described } = await sql<{ column_name: string; column_type: string }>`
    describe select * from ${from}`.execute(db);
  if (!described.length) throw new Error(`no table marts.${table}`);
  const columns = described.map((c) => ({
    name: c.column_name,
    type: c.column_type,
    scale: /^DECIMAL\(\d+,(\d+)\)$/.exec(c.column_type)?.[1] ?? null,
  }));
  const kinds = columns.map((c) => {
    if (c.type === "VARCHAR") return { ...c, kind: "text" as const, expr: sql`${sql.ref(c.name)}` };
    if (c.type === "DATE")
      return { ...c, kind: "text" as const, expr: sql`strftime(${sql.ref(c.name)}, '%Y-%m-%d')` };
    // HUGEINT: a derived relation's sums of integers (exact once cast: a sum past 2^63 fails the read).
    if (/^(HUGEINT|BIGINT|INTEGER|SMALLINT|TINYINT|UINTEGER|USMALLINT|UTINYINT)$/.test(c.type))
      return { ...c, kind: "number" as const, scale: null, expr: sql`${sql.ref(c.name)}::BIGINT::DOUBLE` };
    if (c.type.startsWith("DECIMAL"))
      return {
        ...c,
        kind: "number" as const,
        expr: sql`(${sql.ref(c.name)} * ${sql.lit(10 ** Number(c.scale))})::BIGINT::DOUBLE`,
      };
    throw new Error(`marts.${table}.${c.name} is ${c.type}, not summed exactly here`);
  });
  const orderedBy = ["month", "reporting_date"].find((name) => kinds.some((c) => c.name === name)) ?? null;
  // Read as typed arrays (readVectors): each text column as codes into its distinct values (read once),
  // each number as a DOUBLE with a one-byte NULL flag. Rows of JS values took seconds of the JavaScript
  // thread for the larger marts, in one block; this way a few ms a chunk.
  const textKinds = kinds.filter((c) => c.kind === "text");
  const dictionaries = await distinctValues(
    db,
    from,
    textKinds.map((c) => c.expr),
  );
  const codeType = (n: number) => sql.raw(n <= 256 ? "UTINYINT" : n <= 65_536 ? "USMALLINT" : "UINTEGER");
  const codes = textKinds.map(
    (c, i) => sql`${sql.ref(`__d${i}`)} as (
      select value as ${sql.ref(`__v${i}`)},
        (row_number() over (order by value nulls first) - 1)::${codeType((dictionaries[i] as unknown[]).length)} as ${sql.ref(`__k${i}`)}
      from (select distinct ${c.expr} as value from ${from} as s))`,
  );
  const numberKinds = kinds.filter((c) => c.kind === "number");
  const selected = [
    ...textKinds.map((_, i) => sql`${sql.ref(`__k${i}`)} as ${sql.ref(`__k${i}`)}`),
    ...numberKinds.flatMap((c, i) => [
      sql`coalesce(${c.expr}, 0) as ${sql.ref(`__n${i}`)}`,
      sql`(${c.expr} is null)::UTINYINT as ${sql.ref(`__z${i}`)}`,
    ]),
  ];
  const { rows: length, columns: read } = await readVectors(
    db as unknown as Kysely<unknown>,
    sql`${codes.length ? sql`with ${sql.join(codes)}` : sql``}
    select ${sql.join(selected)}
    from ${from} as s
    ${sql.join(
      textKinds.map(
        (c, i) => sql`join ${sql.ref(`__d${i}`)} on ${c.expr} is not distinct from ${sql.ref(`__v${i}`)}`,
      ),
      sql` `,
    )}
    ${orderedBy ? sql`order by s.${sql.ref(orderedBy)}` : sql``}`,
  );
  const out: MartRows = {
    length,
    orderedBy,
    text: new Map(),
    numbers: new Map(),
    nulls: new Map(),
    scales: new Map(),
  };
  textKinds.forEach((c, i) => {
    const dictionary = dictionaries[i] as (string | null)[];
    const keys = read.get(`__k${i}`) as Uint8Array;
    const values = new Array<string | null>(length);
    for (let r = 0; r < length; r++) values[r] = dictionary[keys[r] as number] ?? null;
    out.text.set(c.name, values);
  });
  numberKinds.forEach((c, i) => {
    const values = read.get(`__n${i}`) as Float64Array;
    const flags = read.get(`__z${i}`) as Uint8Array;
    let nulls: Uint8Array | null = null;
    for (let r = 0; r < length; r++) {
      if (flags[r]) {
        nulls ??= new Uint8Array(length);
        nulls[r] = 1;
      } else if (!Number.isSafeInteger(values[r]))
        throw new Error(`marts.${table}.${c.name} holds ${values[r]}`);
    }
    out.numbers.set(c.name, values);
    if (nulls) out.nulls.set(c.name, nulls);
    if (c.scale) out.scales.set(c.name, Number(c.scale));
  });
  return out;
}

/** One aggregate of a group: SQL's sum, min or max over a numeric column, NULLs skipped as SQL skips them. */
export interface Aggregate {
  as: string;
  column: string;
  fn: "sum" | "min" | "max";
}

/**
 * What `select key, sum(a), min(b)… from mart where keep group by key` answers, exactly: per key (in the
 * order first met), its first row (to read the key's columns from) and each aggregate (null when every
 * value of the group is NULL, as in SQL; decimals divided by their scale once summed). `keyOf(r)` is
 * called right after `keep(r)` returned true, for the same row (a `keep` that makes the key may hand it
 * over).
 */
export function groupMart<K extends string | number = string>(
  mart: MartRows,
  keep: (row: number) => boolean,
  /** A group's key: text, or a number made from the row's codes (no string per row to build and hash). */
  keyOf: (row: number) => K,
  aggregates: readonly Aggregate[],
  /** Only the rows in [start, end) (rowsBetween), or only those listed (rowsWhere); all when absent. */
  rows?: [number, number] | Int32Array,
): Map<K, { row: number; values: Record<string, number | null> }> {
  const columns = aggregates.map((a) => {
    const values = mart.numbers.get(a.column);
    if (!values) throw new Error(`resident mart has no numeric column ${a.column}`);
    return { ...a, values, nulls: mart.nulls.get(a.column) };
  });
  // One array of sums for every group (a group's sums at index × width), grown by doubling: no typed
  // array per group (a small one each was an off-heap allocation per group: ~22,000 for /pricing's months).
  const width = columns.length;
  const index = new Map<K, number>();
  let rowOf = new Int32Array(64);
  let acc = new Float64Array(64 * width);
  let seen = new Uint8Array(64 * width);
  const list = rows instanceof Int32Array ? rows : null;
  const [first, end] = list ? [0, list.length] : ((rows as [number, number] | undefined) ?? [0, mart.length]);
  for (let i = first; i < end; i++) {
    const r = list ? (list[i] as number) : i;
    if (!keep(r)) continue;
    const key = keyOf(r);
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
      rowOf = withRoom(rowOf, g + 1);
      acc = withRoom(acc, (g + 1) * width);
      seen = withRoom(seen, (g + 1) * width);
      rowOf[g] = r;
    }
    const base = g * width;
    for (let c = 0; c < width; c++) {
      const column = columns[c] as (typeof columns)[number];
      if (column.nulls?.[r]) continue;
      const value = column.values[r] as number;
      const at = base + c;
      if (!seen[at]) {
        seen[at] = 1;
        acc[at] = value;
      } else {
        const before = acc[at] as number;
        acc[at] =
          column.fn === "sum"
            ? before + value
            : column.fn === "min"
              ? Math.min(before, value)
              : Math.max(before, value);
      }
    }
  }
  const out = new Map<K, { row: number; values: Record<string, number | null> }>();
  for (const [key, g] of index) {
    const values: Record<string, number | null> = {};
    columns.forEach((c, i) => {
      const at = g * width + i;
      if (!seen[at]) {
        values[c.as] = null;
        return;
      }
      const units = acc[at] as number;
      if (!Number.isSafeInteger(units)) throw new RangeError(`${c.column}: a sum beyond 2^53 units`);
      const scale = mart.scales.get(c.column);
      values[c.as] = scale ? units / 10 ** scale : units;
    });
    out.set(key, { row: rowOf[g] as number, values });
  }
  return out;
}

/**
 * The rows whose `column` (the one the mart is ordered by) lies in [from, to], as [start, end): a month
 * range reads its months, not the whole mart. Values compare as text ('YYYY-MM' or 'YYYY-MM-DD').
 */
export function rowsBetween(mart: MartRows, column: string, from: string, to: string): [number, number] {
  if (mart.orderedBy !== column) throw new Error(`resident mart is not ordered by ${column}`);
  const values = textColumn(mart, column) as string[];
  return [lowerBound(values, from), lowerBound(values, `${to}\u0000`)];
}

/** A text column as numbers: each row's index in `values` (the column's distinct texts, first met first). */
export interface CodedColumn {
  codes: Int32Array;
  values: (string | null)[];
  /** Each value's rows, ascending (rowsWhere's index). */
  rowsOf: Int32Array[];
}

const coded = new WeakMap<MartRows, Map<string, CodedColumn>>();

/**
 * A text column of a resident mart coded once per mart: a request keys its groups and tests its filters
 * on the codes (arithmetic, an array read) instead of a Map lookup of a string per row.
 */
export function codedColumn(mart: MartRows, column: string): CodedColumn {
  return memoIn(coded, mart, column, () => {
    const texts = textColumn(mart, column);
    const index = new Map<string | null, number>();
    const codes = new Int32Array(mart.length);
    const counts: number[] = [];
    for (let r = 0; r < mart.length; r++) {
      const text = texts[r] ?? null;
      let code = index.get(text);
      if (code === undefined) {
        code = index.size;
        index.set(text, code);
        counts.push(0);
      }
      codes[r] = code;
      counts[code] = (counts[code] as number) + 1;
    }
    const rowsOf = counts.map((n) => new Int32Array(n));
    const filled = new Int32Array(counts.length);
    for (let r = 0; r < mart.length; r++) {
      const code = codes[r] as number;
      (rowsOf[code] as Int32Array)[filled[code] as number] = r;
      filled[code] = (filled[code] as number) + 1;
    }
    return { codes, values: [...index.keys()], rowsOf };
  });
}

/**
 * The rows in [start, end) whose `column` is one of `wanted`, ascending: what `keep` would let through
 * of a range on that column alone, without visiting the others (two countries of eighteen read a ninth
 * of a month range's rows).
 */
export function rowsWhere(
  mart: MartRows,
  column: string,
  wanted: Iterable<string>,
  [start, end]: [number, number] = [0, mart.length],
): Int32Array {
  const { values, rowsOf } = codedColumn(mart, column);
  const parts: Int32Array[] = [];
  for (const value of new Set(wanted)) {
    const code = values.indexOf(value);
    if (code < 0) continue;
    const rows = rowsOf[code] as Int32Array;
    parts.push(rows.subarray(lowerBound(rows, start), lowerBound(rows, end)));
  }
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return parts.length > 1 ? out.sort() : out;
}

/** A text column of a resident mart (an error if it has none: a caller's typo, not a data problem). */
export function textColumn(mart: MartRows, column: string): (string | null)[] {
  const values = mart.text.get(column);
  if (!values) throw new Error(`resident mart has no text column ${column}`);
  return values;
}

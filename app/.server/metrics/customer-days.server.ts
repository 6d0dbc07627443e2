// The customer-days' previous and next active dates, held in memory per snapshot as counts (ADR 0031), so
// that the partial months of a range are counted without scanning mart_customer_days (27.5M rows at full
// scale): the overview's first visits spent most of their DuckDB time there.
//
// A customer counts in [a, b] at the first of their days in it: a row of mart_customer_days in [a, b]
// whose previous date (in the country, the region or anywhere) is before a (ADR 0006). The previous dates
// are kept exactly: rows sharing a country, a day and a previous date are one count (7.2M counts for
// 27.5M rows at full scale), each day's counts sorted by date and summed as they go, so "rows of these
// days whose previous date is before a" is a binary search a day. The next dates are asked only "within
// [first day of a month, last day of a month]" (the leading piece's customers seen again in the whole
// months): kept exactly within 63 days of the row, by their month's first day when later (1.9M counts).
// Customers active in several countries (~0.5% of the rows) have other dates in the region and anywhere:
// their rows are kept apart as corrections (the country's date taken off, the region's or company's on).

import { type Kysely, type RawBuilder, sql } from "kysely";
import { withRoom } from "~/lib/typed-arrays";
import { readVectors } from "../db/duckdb-dialect";
import type { Db } from "./query.server";
import { heldIfRead, heldPerSnapshot } from "./resident.server";

/** Next dates within this many days of the row are kept exactly; later ones by their month's first day. */
export const EXACT_DAYS = 63;
/** The key of "no previous date" (before every day) and of "no next date" (after every day). */
const NONE_BEFORE = -1;
const NONE_AFTER = 2_147_483_647;

export type Kind = "country" | "region" | "all";

/** Counts by country and day (days since 1970-01-01), each day's as a run of (key, count). */
interface Counts {
  /** Per country, per day from `first` to `last` (and one past): where its run starts in keys/counts. */
  start: Int32Array;
  keys: Int32Array;
  counts: Int32Array;
}

/** The previous dates: each day's keys in ascending order, `below[i]` the run's counts up to key i. */
interface Sorted {
  start: Int32Array;
  keys: Int32Array;
  below: Int32Array;
}

export interface CustomerDays {
  countries: readonly string[];
  /** Each country's region, by the index of the country. */
  regions: readonly string[];
  /** The first and last day (days since 1970-01-01) holding a row. */
  first: number;
  last: number;
  previous: Sorted;
  next: Counts;
  /** Corrections for customers active in several countries: the region's and the company's dates. */
  previousFix: Record<Exclude<Kind, "country">, Counts>;
  nextFix: Record<Exclude<Kind, "country">, Counts>;
  /** mart_cross_border_customer_days, ordered by customer and day; null for a snapshot without it. */
  crossBorder: { customer: Int32Array; day: Int32Array; country: Uint8Array } | null;
}

const COLUMNS = {
  previous: { country: "previous_date", region: "previous_date_in_region", all: "previous_date_anywhere" },
  next: { country: "next_date", region: "next_date_in_region", all: "next_date_anywhere" },
} as const;

type Side = keyof typeof COLUMNS;

/** A row's key for a previous date column (the date) or a next date column, as an INTEGER day number. */
function keyOf(side: Side, column: string): RawBuilder<number> {
  const date = sql.ref(column);
  if (side === "previous")
    return sql<number>`coalesce((${date} - DATE '1970-01-01')::INTEGER, ${sql.lit(NONE_BEFORE)})`;
  return sql<number>`coalesce((case when ${date} - reporting_date <= ${sql.lit(EXACT_DAYS)} then ${date}
    else date_trunc('month', ${date})::DATE end - DATE '1970-01-01')::INTEGER, ${sql.lit(NONE_AFTER)})`;
}

/**
 * The snapshot's customer-day counts, read on first use (through the caller's unit of work) and kept with
 * the other resident marts; null when resident marts are off or could not be read (DuckDB answers).
 */
const NAME = "mart_customer_days";

export function residentCustomerDays(db: Db): Promise<CustomerDays | null> {
  return heldPerSnapshot(db, NAME, () => readCustomerDays(db), "the customer-day counts were not read");
}

/**
 * The snapshot's customer-day counts if read already, else null (heldIfRead): reading them takes seconds
 * at full scale, and a request neither waits for them nor starts the read. They are read by the
 * overview's warmer when a server starts, and by its preparer before a new snapshot is served.
 */
export function customerDaysIfRead(db: Db): CustomerDays | null {
  return heldIfRead<CustomerDays>(db, NAME);
}

async function readCustomerDays(db: Db): Promise<CustomerDays> {
  // The countries and the days in one scan; each later read numbers the countries from this list (a
  // VALUES list) instead of scanning the 27.5M rows for their distinct codes again.
  const { rows } = await sql<{ country: string; region: string; first: number; last: number }>`
    select country_code as country, any_value(region) as region,
      (min(reporting_date) - DATE '1970-01-01')::INTEGER as first,
      (max(reporting_date) - DATE '1970-01-01')::INTEGER as last
    from marts.mart_customer_days group by 1 order by 1`.execute(db);
  if (rows.length > 255) throw new Error("mart_customer_days has more than 255 countries");
  const first = rows.length ? Math.min(...rows.map((r) => Number(r.first))) : 0;
  const last = rows.length ? Math.max(...rows.map((r) => Number(r.last))) : first - 1;
  const codes = rows.length
    ? sql`codes (country_code, code) as (select * from (values ${sql.join(
        rows.map((r, i) => sql`(${r.country}, ${sql.lit(i)}::UTINYINT)`),
      )}))`
    : sql`codes (country_code, code) as (select null::VARCHAR, 0::UTINYINT where false)`;
  const shape = { countries: rows.length, first, last };
  const read = async (relation: RawBuilder<unknown>): Promise<Counts> => {
    const { columns } = await readVectors(
      db as unknown as Kysely<unknown>,
      sql`with ${codes}
      select code as country, day, key, n from (${relation}) r join codes using (country_code)
      where n <> 0 order by code, day, key`,
    );
    return await toCounts(
      shape,
      columns.get("country") as Uint8Array,
      columns.get("day") as Int32Array,
      columns.get("key") as Int32Array,
      columns.get("n") as Int32Array,
    );
  };
  const day = sql`(reporting_date - DATE '1970-01-01')::INTEGER`;
  const counts = (side: Side) =>
    read(sql`select country_code, ${day} as day, ${keyOf(side, COLUMNS[side].country)} as key,
        count(*)::INTEGER as n
      from marts.mart_customer_days group by all`);
  // A customer active in several countries: the country's key off, the region's (or company's) on.
  const fix = (side: Side, kind: Exclude<Kind, "country">) =>
    read(sql`select country_code, day, key, sum(case which when 'off' then -1 else 1 end)::INTEGER as n from (
        select country_code, ${day} as day, ${keyOf(side, COLUMNS[side].country)} as off,
          ${keyOf(side, COLUMNS[side][kind])} as "on"
        from marts.mart_customer_days
        where ${sql.ref(COLUMNS[side].country)} is distinct from ${sql.ref(COLUMNS[side][kind])}
      ) unpivot (key for which in (off, "on"))
      group by country_code, day, key`);
  const crossBorderHeld = await sql<{ n: number }>`
    select count(*) as n from duckdb_tables()
    where schema_name = 'marts' and table_name = 'mart_cross_border_customer_days'`.execute(db);
  let crossBorder: CustomerDays["crossBorder"] = null;
  if (Number(crossBorderHeld.rows[0]?.n ?? 0) > 0) {
    // Customer keys are BIGINT: a key past 2^31 (over two billion customers) cannot be held this way.
    const { columns } = await readVectors(
      db as unknown as Kysely<unknown>,
      sql`with ${codes}
      select customer_id::INTEGER as customer, (reporting_date - DATE '1970-01-01')::INTEGER as day, code as country
      from marts.mart_cross_border_customer_days join codes using (country_code)
      order by customer_id, reporting_date`,
    );
    crossBorder = {
      customer: columns.get("customer") as Int32Array,
      day: columns.get("day") as Int32Array,
      country: columns.get("country") as Uint8Array,
    };
  }
  return {
    crossBorder,
    countries: rows.map((r) => r.country),
    regions: rows.map((r) => r.region),
    first,
    last,
    previous: await sorted(await counts("previous")),
    next: await counts("next"),
    previousFix: { region: await fix("previous", "region"), all: await fix("previous", "all") },
    nextFix: { region: await fix("next", "region"), all: await fix("next", "all") },
  };
}

/** Lets other requests run during long loops over millions of counts (a server readies them live). */
const pause = () => new Promise((done) => setImmediate(done));
const STEP = 1 << 20;

/** Rows ordered by country and day as runs: `start` per country and day. */
async function toCounts(
  shape: { countries: number; first: number; last: number },
  country: Uint8Array,
  day: Int32Array,
  keys: Int32Array,
  counts: Int32Array,
): Promise<Counts> {
  const width = shape.last - shape.first + 2;
  const start = new Int32Array(shape.countries * width + 1);
  // How many entries each (country, day) holds, then where each run starts.
  for (let r = 0; r < country.length; r++) {
    if ((r & (STEP - 1)) === STEP - 1) await pause();
    const d = (day[r] as number) - shape.first;
    if (d < 0 || d > shape.last - shape.first) throw new Error("a customer-day outside the mart's days");
    (start[(country[r] as number) * width + d + 1] as number)++;
  }
  for (let i = 1; i < start.length; i++) start[i] = (start[i] as number) + (start[i - 1] as number);
  return { start, keys, counts };
}

/** Counts sorted by key within each day's run (as read): the counts summed along each run. */
async function sorted(counts: Counts): Promise<Sorted> {
  const { start, keys } = counts;
  const below = counts.counts;
  for (let day = 0; day + 1 < start.length; day++) {
    if ((day & 0xffff) === 0xffff) await pause();
    for (let i = (start[day] as number) + 1; i < (start[day + 1] as number); i++)
      below[i] = (below[i] as number) + (below[i - 1] as number);
  }
  return { start, keys, below };
}

/** The entries of a country's days [from, to] (day numbers), clipped to the mart's days. */
function run(
  t: CustomerDays,
  counts: { start: Int32Array },
  country: number,
  from: number,
  to: number,
): [number, number] {
  const lo = Math.max(from, t.first);
  const hi = Math.min(to, t.last);
  if (lo > hi) return [0, 0];
  const width = t.last - t.first + 2;
  const base = country * width - t.first;
  return [counts.start[base + lo] as number, counts.start[base + hi + 1] as number];
}

function sumWhere(
  t: CustomerDays,
  counts: Counts,
  country: number,
  days: [number, number],
  keep: (key: number) => boolean,
): number {
  const [lo, hi] = run(t, counts, country, days[0], days[1]);
  let n = 0;
  for (let i = lo; i < hi; i++) if (keep(counts.keys[i] as number)) n += counts.counts[i] as number;
  return n;
}

/** A country's rows on days [from, to] whose previous date in the kind's terms is before `before`. */
export function previousBefore(
  t: CustomerDays,
  kind: Kind,
  country: number,
  days: [number, number],
  before: number,
): number {
  const { start, keys, below } = t.previous;
  const [lo, hi] = [Math.max(days[0], t.first), Math.min(days[1], t.last)];
  const base = country * (t.last - t.first + 2) - t.first;
  let n = 0;
  for (let day = lo; day <= hi; day++) {
    // The day's run [from, to): the last key before `before`, by binary search.
    const from = start[base + day] as number;
    let a = from;
    let b = start[base + day + 1] as number;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((keys[mid] as number) < before) a = mid + 1;
      else b = mid;
    }
    if (a > from) n += below[a - 1] as number;
  }
  const keep = (key: number) => key < before;
  if (kind !== "country") n += sumWhere(t, t.previousFix[kind], country, days, keep);
  return n;
}

/**
 * A country's rows on days [from, to] whose next date in the kind's terms is within `within` (day
 * numbers): exact when those are a month's first and last days, or within EXACT_DAYS days of the rows.
 */
export function nextWithin(
  t: CustomerDays,
  kind: Kind,
  country: number,
  days: [number, number],
  within: [number, number],
): number {
  const keep = (key: number) => key >= within[0] && key <= within[1];
  let n = sumWhere(t, t.next, country, days, keep);
  if (kind !== "country") n += sumWhere(t, t.nextFix[kind], country, days, keep);
  return n;
}

/** The cross-border rows' customers: each one's first row (and the end), and per country the customers with a row there. */
interface CrossBorderIndex {
  /** Customer i's rows are [starts[i], starts[i + 1]). */
  starts: Int32Array;
  /** Per country index, the customers (ascending i) with at least one row in it. */
  byCountry: Int32Array[];
}

const crossBorderIndexes = new WeakMap<object, CrossBorderIndex>();

/** The index of mart_cross_border_customer_days' rows (ordered by customer), once per snapshot. */
export function crossBorderIndex(rows: NonNullable<CustomerDays["crossBorder"]>): CrossBorderIndex {
  const known = crossBorderIndexes.get(rows);
  if (known) return known;
  const { customer, country } = rows;
  const starts: number[] = [];
  const lists: number[][] = [];
  const listed = new Int32Array(256).fill(-1);
  for (let r = 0; r < customer.length; r++) {
    if (r === 0 || customer[r] !== customer[r - 1]) starts.push(r);
    const i = starts.length - 1;
    const c = country[r] as number;
    if (listed[c] !== i) {
      listed[c] = i;
      let list = lists[c];
      if (!list) {
        list = [];
        lists[c] = list;
      }
      list.push(i);
    }
  }
  starts.push(customer.length);
  const index = {
    starts: Int32Array.from(starts),
    byCountry: Array.from({ length: 256 }, (_, c) => Int32Array.from(lists[c] ?? [])),
  };
  crossBorderIndexes.set(rows, index);
  return index;
}

/** Sets of countries whose candidates are kept per snapshot's index (the least recently asked goes first). */
const KEPT_CANDIDATE_SETS = 64;
const candidateSets = new WeakMap<CrossBorderIndex, Map<string, Int32Array>>();

/**
 * The cross-border customers (indexes into `starts`, ascending) with rows in two or more of the countries
 * whose `slotOf` is set: only they can be counted twice (two countries of eighteen: the customers active
 * in both, not every cross-border one). Kept per snapshot and set of countries: a page asks countedTwice
 * for the same countries six times (total, regions and periods, over the range and its comparison), and
 * finding them walked every selected country's customers each time (1.2 ms for France and Germany).
 */
function candidatesOf(index: CrossBorderIndex, slotOf: Int16Array): Int32Array {
  const selected: number[] = [];
  for (let c = 0; c < slotOf.length; c++) if ((slotOf[c] as number) >= 0) selected.push(c);
  const key = selected.join(",");
  let sets = candidateSets.get(index);
  if (!sets) {
    sets = new Map();
    candidateSets.set(index, sets);
  }
  const known = sets.get(key);
  if (known) {
    sets.delete(key);
    sets.set(key, known);
    return known;
  }
  const met = new Uint8Array(index.starts.length);
  const found: number[] = [];
  for (const c of selected)
    for (const i of index.byCountry[c] ?? []) if (++(met[i] as number) === 2) found.push(i);
  const candidates = Int32Array.from(found).sort();
  sets.set(key, candidates);
  if (sets.size > KEPT_CANDIDATE_SETS) sets.delete(sets.keys().next().value as string);
  return candidates;
}

/** The first index in [lo, hi) whose value is ≥ x, in an ascending run of `values`. */
function lowerBoundIn(values: Int32Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What a sum of per-country counts over `countries` counts more than once on days [from, to], per key
 * (`keyOf` a row's day and country index): each cross-border customer active in several of them, the
 * countries beyond the first — as `count(*) − count(DISTINCT customer)` over the distinct (key,
 * customer, country) of mart_cross_border_customer_days.
 */
export function countedTwice(
  t: CustomerDays,
  days: [number, number],
  countries: readonly string[],
  keyOf: (day: number, country: number) => string,
): Map<string, number> | null {
  const rows = t.crossBorder;
  if (!rows) return null;
  // Each selected country's slot: a bit in its key's mask (32 a word).
  const slotOf = new Int16Array(256).fill(-1);
  let selected = 0;
  for (const c of countries) {
    const i = t.countries.indexOf(c);
    if (i >= 0 && (slotOf[i] as number) < 0) slotOf[i] = selected++;
  }
  const out = new Map<string, number>();
  const [first, last] = days;
  if (selected === 0 || last < first) return out;
  const words = Math.ceil(selected / 32);
  // Keys as small integers, computed once per day and selected country met (keyOf builds a string).
  const keyIds = new Int32Array((last - first + 1) * selected).fill(-1);
  const names: string[] = [];
  const ids = new Map<string, number>();
  // Per key: the customer (index of their first row) it was last met for, and the countries under it.
  let stamp = new Int32Array(64).fill(-1);
  let mask = new Int32Array(64 * words);
  const counted: number[] = [];
  const touched: number[] = [];
  const flush = () => {
    for (const id of touched) {
      let n = 0;
      for (let w = 0; w < words; w++) for (let m = mask[id * words + w] as number; m; m &= m - 1) n++;
      if (n > 1) counted[id] = (counted[id] ?? 0) + n - 1;
    }
    touched.length = 0;
  };
  const { day, country } = rows;
  const index = crossBorderIndex(rows);
  const { starts } = index;
  for (const i of candidatesOf(index, slotOf)) {
    const owner = starts[i] as number;
    const end = starts[i + 1] as number;
    // A customer's rows are in day order: from their first day in the range to their last.
    for (let r = lowerBoundIn(day, first, owner, end); r < end; r++) {
      const d = day[r] as number;
      if (d > last) break;
      const slot = slotOf[country[r] as number] as number;
      if (slot < 0) continue;
      const at = (d - first) * selected + slot;
      let id = keyIds[at] as number;
      if (id < 0) {
        const name = keyOf(d, country[r] as number);
        id = ids.get(name) ?? -1;
        if (id < 0) {
          id = names.length;
          names.push(name);
          ids.set(name, id);
          stamp = withRoom(stamp, id + 1, stamp.length, -1);
          mask = withRoom(mask, (id + 1) * words);
        }
        keyIds[at] = id;
      }
      if (stamp[id] !== owner) {
        stamp[id] = owner;
        mask.fill(0, id * words, (id + 1) * words);
        touched.push(id);
      }
      const w = id * words + (slot >> 5);
      mask[w] = (mask[w] as number) | (1 << (slot & 31));
    }
    if (touched.length) flush();
  }
  if (touched.length) flush();
  counted.forEach((n, id) => {
    if (n) out.set(names[id] as string, n);
  });
  return out;
}

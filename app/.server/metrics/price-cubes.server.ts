// The price-display marts by month × country × category × seller (5.2M rows at full scale) or × model
// (594,000) held in memory per snapshot, so that /pricing filtered by country or category sums its sellers
// and models without DuckDB (the sellers' sums were the page's last statement: ~200 ms of DuckDB a first
// visit under load, issue 19) and without a JS value per row (the models' sums by text key took ~50 ms).
//
// Held as typed columns ordered by country, category and month (the mart's own storage order): a scope is
// a few (country, category) blocks, each a binary search away from its months, then a loop adding each
// row's numbers into its key's slot (seller or model). Codes replace the texts (countries, categories and
// months as indexes into their sorted values, keys into theirs); counts are held in the narrowest integer
// type their largest value fits, amounts as whole units of their decimal scale in doubles — 250 MiB for
// the sellers at full scale, read in the background after every other warmer (until read, DuckDB answers:
// ADR 0031's rule); the models' cube is small, read with the page's other marts.
//
// Each cube has a twin summed by calendar year (DuckDB's exact sums; same codes): a scope's whole years
// are read there and only the months around them from the months, so a country over five years adds
// ~6× fewer rows (the sellers: 862k rows a year-twin, 41 MiB, against 5.2M; ADR 0044).

import { type Kysely, type RawBuilder, sql } from "kysely";
import { readVectors } from "../db/duckdb-dialect";
import type { Db } from "./query.server";
import { type Aggregate, distinctValues, heldIfRead, heldPerSnapshot } from "./resident.server";

/**
 * A cube's source: a mart keyed by country_code, category, month and `key`, or a relation of that shape
 * derived from the marts (a mart without a country or a category gives a constant '' for it: one block).
 */
export interface CubeSource {
  name: string;
  key: string;
  relation?: RawBuilder<unknown>;
}

type Numbers = Float64Array | Int32Array | Uint16Array;

interface Measure {
  values: Numbers;
  /** Rows whose value is NULL (1); null when the column holds none. */
  nulls: Uint8Array | null;
  /** A decimal's scale (values are whole units of 10^-scale); null for integers. */
  scale: number | null;
}

export interface Cube {
  countries: readonly string[];
  categories: readonly string[];
  /** The months held ('YYYY-MM'), ascending: a row's month is an index into them. */
  months: readonly string[];
  /** The keys (sellers or models), ascending: a row's key is an index into them. */
  keys: readonly string[];
  /** Rows of country c and category g: [blocks[b], blocks[b + 1]) with b = c × categories + g. */
  blocks: Int32Array;
  month: Uint16Array;
  key: Uint16Array | Int32Array;
  measures: ReadonlyMap<string, Measure>;
  /**
   * The same rows summed by calendar year ('YYYY' in `months`; the same countries, categories and keys,
   * so the same indexes): a scope's whole years are read here, ~a tenth of the rows of their months.
   * Null when not held (a cube of years itself, or months not written 'YYYY-MM').
   */
  years: Cube | null;
}

/** The snapshot's cube of a source, read once (through the caller's unit of work). */
export function residentCube(db: Db, source: CubeSource): Promise<Cube | null> {
  return heldPerSnapshot(
    db,
    `${source.name} cube`,
    () => readCube(db, source),
    `${source.name} was not held as a cube`,
  );
}

/** The cube if read already, else null: for a read no request waits for nor starts (the sellers'). */
export function cubeIfRead(db: Db, source: CubeSource): Cube | null {
  return heldIfRead<Cube>(db, `${source.name} cube`);
}

const pause = () => new Promise((done) => setImmediate(done));

async function readCube(
  db: Db,
  { name, key: keyColumn, relation }: CubeSource,
  byYear = false,
): Promise<Cube> {
  const started = performance.now();
  const table = relation ? sql`(${relation})` : sql.table(`marts.${name}`);
  const KEYS = ["country_code", "category", "month", keyColumn] as const;
  const { rows: described } = await sql<{ column_name: string; column_type: string }>`
    describe select * from ${table}`.execute(db);
  const measureColumns = described.filter((c) => !(KEYS as readonly string[]).includes(c.column_name));
  for (const key of KEYS)
    if (!described.some((c) => c.column_name === key && c.column_type === "VARCHAR"))
      throw new Error(`${name}.${key} is not a VARCHAR column`);
  // Per measure: how many NULLs, and an integer's largest magnitude (its array type follows).
  const { rows: stats } = await sql<Record<string, number | string | null>>`
    select ${sql.join(
      measureColumns.flatMap((c, i) => [
        sql`count(*) filter (where ${sql.ref(c.column_name)} is null) as ${sql.ref(`n${i}`)}`,
        sql`min(${sql.ref(c.column_name)})::VARCHAR as ${sql.ref(`lo${i}`)}`,
        sql`max(${sql.ref(c.column_name)})::VARCHAR as ${sql.ref(`hi${i}`)}`,
      ]),
    )},
    count(*) filter (where ${sql.join(
      KEYS.map((k) => sql`${sql.ref(k)} is null`),
      sql` or `,
    )}) as null_keys
    from ${table}`.execute(db);
  const stat = stats[0] ?? {};
  if (Number(stat.null_keys ?? 0) > 0) throw new Error(`${name} has rows without a key`);
  const plan = measureColumns.map((c, i) => {
    const ref = sql.ref(c.column_name);
    const hasNulls = Number(stat[`n${i}`] ?? 0) > 0;
    const least = Number(stat[`lo${i}`] ?? 0);
    const largest = Math.max(Math.abs(least), Math.abs(Number(stat[`hi${i}`] ?? 0)));
    const decimal = /^DECIMAL\(\d+,(\d+)\)$/.exec(c.column_type);
    if (decimal) {
      const scale = Number(decimal[1]);
      if (largest * 10 ** scale > Number.MAX_SAFE_INTEGER)
        throw new Error(`${c.column_name}: beyond 2^53 units`);
      return {
        name: c.column_name,
        hasNulls,
        scale,
        expr: sql`coalesce(${ref} * ${sql.lit(10 ** scale)}, 0)::BIGINT::DOUBLE`,
      };
    }
    if (!/^(BIGINT|INTEGER|SMALLINT|TINYINT|UINTEGER|USMALLINT|UTINYINT|HUGEINT)$/.test(c.column_type))
      throw new Error(`${name}.${c.column_name} is ${c.column_type}, not summed exactly here`);
    const type = largest <= 65_535 && least >= 0 ? "USMALLINT" : largest < 2 ** 31 ? "INTEGER" : "DOUBLE";
    return {
      name: c.column_name,
      hasNulls,
      scale: null,
      expr: sql`coalesce(${ref}, 0)::${sql.raw(type === "DOUBLE" ? "BIGINT::DOUBLE" : type)}`,
    };
  });
  // Each key's values, sorted: a row holds their indexes (DuckDB's order, as its row_number below). No
  // key is NULL (checked above), so NULL's place in the order does not matter.
  const [countries = [], categories = [], months = [], keys = []] = (
    await distinctValues(
      db,
      table,
      ["country_code", "category", "month", keyColumn].map((key) => sql.ref(key)),
    )
  ).map((values) => values.map(String));
  if (countries.length > 255 || categories.length > 255 || months.length > 65_535)
    throw new Error(`${name} has more countries, categories or months than held this way`);
  const codes = (key: string, alias: string, type: string): RawBuilder<unknown> =>
    sql`${sql.ref(alias)} as (select v as ${sql.ref(key)},
      (row_number() over (order by v) - 1)::${sql.raw(type)} as ${sql.ref(`${alias}_k`)}
      from (select distinct ${sql.ref(key)} as v from ${table}))`;
  const { rows: length, columns } = await readVectors(
    db as unknown as Kysely<unknown>,
    sql`with ${codes("country_code", "c", "UTINYINT")}, ${codes("category", "g", "UTINYINT")},
      ${codes("month", "m", "USMALLINT")}, ${codes(keyColumn, "s", keys.length <= 65_536 ? "USMALLINT" : "INTEGER")}
    select c_k as country, g_k as category, m_k as month, s_k as key,
      ${sql.join(
        plan.flatMap((p, i) => [
          sql`${p.expr} as ${sql.ref(`v${i}`)}`,
          ...(p.hasNulls ? [sql`(${sql.ref(p.name)} is null)::UTINYINT as ${sql.ref(`z${i}`)}`] : []),
        ]),
      )}
    from ${table} join c using (country_code) join g using (category) join m using (month) join s using (${sql.ref(keyColumn)})
    order by c_k, g_k, m_k`,
  );
  // Where each (country, category) block starts: the rows come in that order.
  const country = columns.get("country") as Uint8Array;
  const category = columns.get("category") as Uint8Array;
  const blocks = new Int32Array(countries.length * categories.length + 1);
  for (let r = 0; r < length; r++)
    (blocks[(country[r] as number) * categories.length + (category[r] as number) + 1] as number)++;
  for (let b = 1; b < blocks.length; b++) blocks[b] = (blocks[b] as number) + (blocks[b - 1] as number);
  await pause();
  const measures = new Map<string, Measure>();
  plan.forEach((p, i) => {
    measures.set(p.name, {
      values: columns.get(`v${i}`) as Numbers,
      nulls: p.hasNulls ? (columns.get(`z${i}`) as Uint8Array) : null,
      scale: p.scale,
    });
  });
  const cube: Cube = {
    countries,
    categories,
    months,
    keys,
    blocks,
    month: columns.get("month") as Uint16Array,
    key: columns.get("key") as Uint16Array | Int32Array,
    measures,
    years: null,
  };
  const bytes = [cube.month, cube.key, blocks, ...[...measures.values()].flatMap((m) => [m.values, m.nulls])]
    .filter((a) => a !== null)
    .reduce((sum, a) => sum + (a as ArrayBufferView).byteLength, 0);
  console.info(
    `backlight: ${name} held as a cube in ${Math.round(performance.now() - started)} ms (${length} rows, ${Math.round(bytes / 2 ** 20)} MiB)`,
  );
  if (byYear || !months.every((m) => MONTH.test(m))) return cube;
  // Its years: DuckDB sums each measure exactly (a sum of NULLs only is NULL, as over the months).
  await pause();
  let years: Cube;
  try {
    years = await readCube(
      db,
      {
        name: `${name} by year`,
        key: keyColumn,
        relation: sql`select country_code, category, left(month, 4) as month, ${sql.ref(keyColumn)}, ${sql.join(
          measureColumns.map((c) => sql`sum(${sql.ref(c.column_name)}) as ${sql.ref(c.column_name)}`),
        )} from ${table} group by all`,
      },
      true,
    );
  } catch (error) {
    console.error(`backlight: ${name} was not held by year (${String(error)}); its months answer`);
    return cube;
  }
  // Its indexes are the months' only if it names the same countries, categories and keys (it must).
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  const sameScale = [...measures].every(([column, m]) => years.measures.get(column)?.scale === m.scale);
  if (
    same(years.countries, countries) &&
    same(years.categories, categories) &&
    same(years.keys, keys) &&
    sameScale
  )
    cube.years = years;
  else console.error(`backlight: ${name} by year does not name what its months name; its months answer`);
  return cube;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The first index in [lo, hi) whose value is ≥ x, in an ascending array. */
function lowerBound(
  values: ArrayLike<number | string>,
  x: number | string,
  lo = 0,
  hi = values.length,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number | string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows [first, end) of a cube's months (indexes into `months`): one of a scope's spans. */
interface Span {
  cube: Cube;
  first: number;
  end: number;
}

/**
 * Where a range of months ('YYYY-MM', both ends included) is read: its whole calendar years from the
 * cube of years, the months before and after them from the months' (all from the months' without one).
 */
export function spansOf(cube: Cube, from: string, to: string): Span[] {
  const months = (a: string, b: string): Span => ({
    cube,
    first: lowerBound(cube.months, a),
    end: lowerBound(cube.months, `${b}\u0000`),
  });
  const firstYear = Number(from.slice(0, 4)) + (from.endsWith("-01") ? 0 : 1);
  const lastYear = Number(to.slice(0, 4)) - (to.endsWith("-12") ? 0 : 1);
  const years = cube.years;
  if (!years || firstYear > lastYear) return [months(from, to)];
  return [
    months(from, `${firstYear - 1}-12`),
    {
      cube: years,
      first: lowerBound(years.months, String(firstYear)),
      end: lowerBound(years.months, `${lastYear}\u0000`),
    },
    months(`${lastYear + 1}-01`, to),
  ].filter((span) => span.end > span.first);
}

/**
 * sumByKey's accumulators, kept from call to call: a country's year of sellers is ~20,000 keys × six
 * measures, a megabyte of fresh typed arrays a call, memory outside V8's heap that only a full collection
 * gives back. Each full collection also drops the compiled code of the functions a request creates, so
 * the server compiled them again (ADR 0043). The call never waits, so one set serves every call.
 */
const scratch = { sums: new Float64Array(0), flags: new Uint8Array(0) };

/** Room for `keys` sums of `measures` measures and their flags, zeroed. */
function scratchFor(keys: number, measures: number): typeof scratch {
  if (scratch.sums.length < keys * measures) scratch.sums = new Float64Array(keys * measures);
  if (scratch.flags.length < keys * (measures + 1)) scratch.flags = new Uint8Array(keys * (measures + 1));
  scratch.sums.fill(0, 0, keys * measures);
  scratch.flags.fill(0, 0, keys * (measures + 1));
  return scratch;
}

/**
 * What `select key, any_value(category), sum(a)… from the mart where month between from and to [and
 * country_code in (…)] [and category in (…)] group by key` answers, exactly: per key (seller or model)
 * with a row in the scope, its category (of its first row met: a model has one) and each sum (null when
 * all its values are NULL, as in SQL; decimals divided by their scale).
 */
export function sumByKey(
  cube: Cube,
  scope: { from: string; to: string; country: readonly string[]; category: readonly string[] },
  aggregates: readonly Aggregate[],
): { key: string; category: string; values: Record<string, number | null> }[] {
  const pick = (held: readonly string[], asked: readonly string[]) =>
    asked.length ? asked.map((v) => held.indexOf(v)).filter((i) => i >= 0) : held.map((_, i) => i);
  const countries = pick(cube.countries, scope.country);
  const categories = pick(cube.categories, scope.category);
  const spans = spansOf(cube, scope.from, scope.to);
  const n = cube.keys.length;
  const room = scratchFor(n, aggregates.length);
  // Each key's category as its index + 1 (0: no row in the scope).
  const present = room.flags.subarray(0, n);
  const columns = aggregates.map((a, i) => {
    if (a.fn !== "sum") throw new Error(`sumByKey sums only (${a.as} is ${a.fn})`);
    // Each span's own arrays of the measure (the months' or the years').
    const measures = spans.map((span) => {
      const measure = span.cube.measures.get(a.column);
      if (!measure) throw new Error(`the cube has no column ${a.column}`);
      return measure;
    });
    // Its scale (the twin's is the same: checked when it was read).
    const measure = cube.measures.get(a.column);
    if (!measure) throw new Error(`the cube has no column ${a.column}`);
    const acc = room.sums.subarray(i * n, (i + 1) * n);
    const seen = measures.some((m) => m.nulls) ? room.flags.subarray((i + 1) * n, (i + 2) * n) : null;
    return { ...a, measure, measures, acc, seen };
  });
  // A loop, not spans.forEach: the additions below stay in sumByKey's own compiled code, not in a
  // closure made per call, whose code a full collection would drop (ADR 0043).
  for (const c of countries)
    for (const g of categories)
      for (let s = 0; s < spans.length; s++) {
        const { cube: held, first, end } = spans[s] as Span;
        const { key, month, blocks } = held;
        const b = c * held.categories.length + g;
        const lo = lowerBound(month, first, blocks[b] as number, blocks[b + 1] as number);
        const hi = lowerBound(month, end, lo, blocks[b + 1] as number);
        for (let r = lo; r < hi; r++) {
          const k = key[r] as number;
          if (!present[k]) present[k] = g + 1;
        }
        for (const { measures, acc, seen } of columns) {
          const { values, nulls } = measures[s] as Measure;
          if (!seen)
            for (let r = lo; r < hi; r++) {
              const k = key[r] as number;
              acc[k] = (acc[k] as number) + (values[r] as number);
            }
          else if (!nulls)
            // Another span of this measure holds NULLs: every key met here has a value.
            for (let r = lo; r < hi; r++) {
              const k = key[r] as number;
              acc[k] = (acc[k] as number) + (values[r] as number);
              seen[k] = 1;
            }
          else
            for (let r = lo; r < hi; r++) {
              if (nulls[r]) continue;
              const k = key[r] as number;
              acc[k] = (acc[k] as number) + (values[r] as number);
              seen[k] = 1;
            }
        }
      }
  const out: { key: string; category: string; values: Record<string, number | null> }[] = [];
  for (let k = 0; k < n; k++) {
    if (!present[k]) continue;
    const values: Record<string, number | null> = {};
    for (const { as, column, measure, acc, seen } of columns) {
      if (seen && !seen[k]) {
        values[as] = null;
        continue;
      }
      const units = acc[k] as number;
      if (!Number.isSafeInteger(units)) throw new RangeError(`${column}: a sum beyond 2^53 units`);
      values[as] = measure.scale ? units / 10 ** measure.scale : units;
    }
    const category = cube.categories[(present[k] as number) - 1] as string;
    out.push({ key: cube.keys[k] as string, category, values });
  }
  return out;
}

// Extract & validate: read one landing file, check every row against the contract, and split it
// into rows to load and rows to quarantine (with batch, file, line, the raw row and the reason).
//
// One reason per row, the first rule it breaks, in this order: missing_key, unparsable_value,
// unknown_code, out_of_range, negative_amount, duplicate_key, orphan_reference, missing_fx_rate.

import type { DuckDBConnection } from "@duckdb/node-api";
import { type ContractColumn, type ContractEntity, duckdbType, ID_MAX_LENGTH } from "../../core/contract.ts";
import { queryRows, sqlString } from "../../core/duckdb.ts";
import { sharedHashes } from "./shared-hashes.ts";

export class BatchRefused extends Error {}

/** Columns that reference another entity's key: a value that exists nowhere is an orphan. */
const REFERENCES: Record<string, Record<string, { table: string; column: string }>> = {
  order_items: {
    customer_id: { table: "raw.customers", column: "customer_id" },
    seller_id: { table: "raw.sellers", column: "seller_id" },
    product_id: { table: "raw.products", column: "product_id" },
  },
  returns: { order_item_id: { table: "raw.order_items", column: "order_item_id" } },
  new_prices: { product_id: { table: "raw.products", column: "product_id" } },
};

/** Columns holding a country code: an unknown country is an unknown code. */
const COUNTRY_COLUMNS = new Set(["country_code"]);

/** Inclusive ranges beyond "not negative". */
const RANGES: Record<string, [number, number]> = {
  battery_health_pct: [0, 100],
  headcount: [0, 1_000_000],
  market_units: [0, Number.MAX_SAFE_INTEGER],
  second_hand_units: [0, Number.MAX_SAFE_INTEGER],
};

/** The date on which an entity's money is converted to EUR (reporting time zone for timestamps). */
const FX_DATE: Record<string, string> = {
  order_items: "CAST(timezone(current_setting('TimeZone'), TRY_CAST(ordered_at AS TIMESTAMPTZ)) AS DATE)",
  returns: "CAST(timezone(current_setting('TimeZone'), TRY_CAST(returned_at AS TIMESTAMPTZ)) AS DATE)",
  marketing_spend: "last_day(TRY_CAST(month || '-01' AS DATE))",
  operating_costs: "last_day(TRY_CAST(month || '-01' AS DATE))",
};

const CSV_FORMAT: Partial<Record<ContractColumn["kind"], string>> = {
  integer: "^-?[0-9]+$",
  timestamp:
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$",
  date: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
  month: "^[0-9]{4}-(0[1-9]|1[0-2])$",
  money: "^-?[0-9]+(\\.[0-9]{1,4})?$",
  rate: "^[0-9]+(\\.[0-9]+)?$",
};

/** What reading a landing file found: its rows, and the columns the contract does not name (ignored). */
export interface LandingRead {
  rows: number;
  ignoredColumns: string[];
}

export interface FileStats {
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
}

const q = (column: string): string => `"${column.replaceAll('"', '""')}"`;

/**
 * Reads a landing file into temp table `src` (every column as it comes, plus `_line`).
 * CSV lines are physical lines (header = line 1, a quoted newline counts); Parquet lines are row numbers.
 */
export async function readLandingFile(
  conn: DuckDBConnection,
  entity: ContractEntity,
  file: string,
  label: string,
): Promise<LandingRead> {
  const isCsv = file.endsWith(".csv");
  let columns: string[];
  let extra: string[] = [];
  try {
    const relation = isCsv
      ? `read_csv(${sqlString(file)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', parallel = false, strict_mode = true, null_padding = false)`
      : `read_parquet(${sqlString(file)}, file_row_number = true)`;
    const described = await queryRows<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM ${relation}`);
    columns = described.map((d) => d.column_name).filter((c) => c !== "file_row_number");
    const expected = entity.columns.map((c) => c.name);
    const missing = expected.filter((c) => !columns.includes(c));
    // Columns may come in any order; a column the contract does not name is ignored (and reported).
    extra = columns.filter((c) => !expected.includes(c));
    if (missing.length > 0) {
      throw new BatchRefused(
        `${label}: refused, missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (the file has ${columns.join(", ")})`,
      );
    }
    const select = expected.map(q).join(", ");
    if (isCsv) {
      // Physical line of each record: header line + record index + newlines inside earlier quoted fields.
      const newlines = columns
        .map((c) => `coalesce(length(${q(c)}) - length(replace(${q(c)}, chr(10), '')), 0)`)
        .join(" + ");
      // CSV is materialised once (line numbers need a running sum); Parquet is read where it lies.
      await conn.run(`CREATE OR REPLACE TEMP TABLE src_csv AS
        SELECT * EXCLUDE (_nl, _idx), 1 + _idx + coalesce(sum(_nl) OVER (ORDER BY _idx ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS _line
        FROM (SELECT ${expected.map((c) => `nullif(${q(c)}, '') AS ${q(c)}`).join(", ")}, ${newlines} AS _nl, row_number() OVER () AS _idx FROM ${relation})`);
      await conn.run("CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM src_csv");
    } else {
      await conn.run(
        `CREATE OR REPLACE TEMP VIEW src AS SELECT ${select}, file_row_number + 1 AS _line FROM ${relation}`,
      );
    }
  } catch (error) {
    if (error instanceof BatchRefused) throw error;
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const kind = isCsv
      ? "an RFC 4180 CSV file (truncated or malformed?)"
      : "a Parquet file (truncated or corrupt?)";
    throw new BatchRefused(`${label}: cannot be read as ${kind}: ${message}`);
  }
  const [count] = await queryRows<{ n: number }>(conn, "SELECT count(*) AS n FROM src");
  if (!count || count.n === 0)
    throw new BatchRefused(`${label}: no rows (an empty or header-only file is refused)`);
  return { rows: count.n, ignoredColumns: extra };
}

function castExpression(column: ContractColumn): string {
  return `TRY_CAST(${q(column.name)} AS ${duckdbType(column.kind)})`;
}

/** CASE branches for one column, as (condition, rule, reason SQL). */
function columnChecks(
  entity: ContractEntity,
  column: ContractColumn,
  isCsv: boolean,
): [string, string, string][] {
  const c = q(column.name);
  const text = `CAST(${c} AS VARCHAR)`;
  const checks: [string, string, string][] = [];
  const pattern = isCsv ? CSV_FORMAT[column.kind] : undefined;
  const unparsable = [`(${c} IS NOT NULL AND ${castExpression(column)} IS NULL)`];
  if (pattern) unparsable.push(`(${c} IS NOT NULL AND NOT regexp_full_match(${text}, '${pattern}'))`);
  // Ids are opaque text, compared exactly: any characters, at most ID_MAX_LENGTH of them.
  if (column.kind === "id") unparsable.push(`(${c} IS NOT NULL AND length(${text}) > ${ID_MAX_LENGTH})`);
  if (column.kind === "month" && !isCsv)
    unparsable.push(`(${c} IS NOT NULL AND NOT regexp_full_match(${text}, '${CSV_FORMAT.month}'))`);
  if (column.kind !== "text" && column.kind !== "code") {
    checks.push([
      unparsable.join(" OR "),
      "unparsable_value",
      column.kind === "id"
        ? `'${column.name}: an id has at most ${ID_MAX_LENGTH} characters, got ' || length(${text})`
        : `'${column.name}: cannot read ' || ${sqlString(column.kind)} || ' from ''' || ${text} || ''''`,
    ]);
  }
  if (!column.nullable && !entity.key.includes(column.name)) {
    checks.push([`${c} IS NULL`, "missing_value", `'${column.name}: empty'`]);
  }
  if (column.codes) {
    checks.push([
      `${c} IS NOT NULL AND ${text} NOT IN (${column.codes.map(sqlString).join(", ")})`,
      "unknown_code",
      `'${column.name}: unknown code ''' || ${text} || ''''`,
    ]);
  }
  if (COUNTRY_COLUMNS.has(column.name) && entity.entity !== "countries") {
    checks.push([
      `${c} IS NOT NULL AND ${text} NOT IN (SELECT country_code FROM raw.countries)`,
      "unknown_code",
      `'${column.name}: unknown country ''' || ${text} || ''''`,
    ]);
  }
  return checks;
}

function rangeChecks(entity: ContractEntity): [string, string, string][] {
  const checks: [string, string, string][] = [];
  for (const column of entity.columns) {
    const cast = castExpression(column);
    const range = RANGES[column.name];
    if (range) {
      checks.push([
        `${cast} NOT BETWEEN ${range[0]} AND ${range[1]}`,
        "out_of_range",
        `'${column.name}: ' || ${cast} || ' is outside ${range[0]}–${range[1]}'`,
      ]);
    }
    if (column.kind === "rate")
      checks.push([`${cast} <= 0`, "out_of_range", `'${column.name}: must be > 0'`]);
    if (column.kind === "money")
      checks.push([`${cast} < 0`, "negative_amount", `'${column.name}: negative amount ' || ${cast}`]);
  }
  return checks;
}

/**
 * Validates `src` for one entity: creates temp tables `valid` (typed, loadable) and `rejected`
 * (quarantine rows). References are checked against the raw layer as loaded so far in this run.
 */
export async function validateSource(
  conn: DuckDBConnection,
  entity: ContractEntity,
  isCsv: boolean,
): Promise<void> {
  const keyMissing = entity.key.map((k) => `${q(k)} IS NULL`).join(" OR ");
  // Column checks grouped by rule, in the order of precedence (a stable sort keeps column order).
  const precedence = ["unparsable_value", "missing_value", "unknown_code"];
  const byColumn = entity.columns
    .flatMap((c) => columnChecks(entity, c, isCsv))
    .sort(([, a], [, b]) => precedence.indexOf(a) - precedence.indexOf(b));
  const branches: [string, string, string][] = [
    [keyMissing, "missing_key", `'key ${entity.key.join(", ")}: empty'`],
    ...byColumn,
    ...rangeChecks(entity),
    ["_duplicated", "duplicate_key", `'key ${entity.key.join(", ")}: appears more than once in this batch'`],
  ];
  // References: a LEFT JOIN to the referenced raw table on its key (unique there), so that DuckDB hashes
  // the smaller side: a daily batch's few thousand rows rather than the 30 million order items that
  // `NOT IN (SELECT … FROM raw.order_items)` hashed for every batch of returns.
  const references = Object.entries(REFERENCES[entity.entity] ?? {});
  const referenceJoins = references
    .map(
      ([column, ref], i) =>
        `LEFT JOIN (SELECT ${ref.column} AS _ref${i} FROM ${ref.table}) ref${i} ON ref${i}._ref${i} = CAST(src.${q(column)} AS VARCHAR)`,
    )
    .join(" ");
  for (const [i, [column]] of references.entries()) {
    branches.push([
      `${q(column)} IS NOT NULL AND _ref${i} IS NULL`,
      "orphan_reference",
      `'${column}: ' || ${q(column)} || ' exists nowhere'`,
    ]);
  }
  const fxDate = FX_DATE[entity.entity];
  if (fxDate) {
    branches.push([
      `currency <> 'EUR' AND (_first_rate IS NULL OR _first_rate > ${fxDate})`,
      "missing_fx_rate",
      `'currency ' || currency || ': no EUR rate on or before ' || strftime(${fxDate}, '%Y-%m-%d')`,
    ]);
  }
  const rule = `CASE ${branches.map(([cond, r]) => `WHEN ${cond} THEN '${r}'`).join(" ")} END`;
  const reason = `CASE ${branches.map(([cond, , why]) => `WHEN ${cond} THEN ${why}`).join(" ")} END`;
  const firstRate = fxDate
    ? `LEFT JOIN (SELECT currency AS _c, min(rate_date) AS _first_rate FROM raw.fx_rates GROUP BY 1) fx ON fx._c = src.currency`
    : "";
  const onKeys = entity.key.map((k, i) => `d._k${i} = src.${q(k)}`).join(" AND ");
  // Keys appearing more than once: only those whose hash another row shares are grouped (shared-hashes.ts).
  const keyList = entity.key.map(q).join(", ");
  const keyPresent = entity.key.map((k) => `${q(k)} IS NOT NULL`).join(" AND ");
  const raw = entity.columns.map((c) => `${sqlString(c.name)}: CAST(${q(c.name)} AS VARCHAR)`).join(", ");
  // Only the rejected rows are materialised (with the reason, computed for them alone); the valid
  // rows stay a view over the file, so tens of millions of rows are never copied into memory.
  await conn.run(`CREATE OR REPLACE TEMP TABLE rejected AS
    WITH duplicated AS (
      SELECT ${entity.key.map((k, i) => `${q(k)} AS _k${i}`).join(", ")}, true AS _duplicated FROM src
      WHERE ${keyPresent} AND hash(${keyList}) IN (${sharedHashes(keyList, "src", keyPresent)})
      GROUP BY ALL HAVING count(*) > 1
    ), ruled AS (
      SELECT src.*, coalesce(d._duplicated, false) AS _duplicated ${fxDate ? ", fx._first_rate" : ""}${references.map((_, i) => `, _ref${i}`).join("")}, ${rule} AS _rule
      FROM src LEFT JOIN duplicated d ON ${onKeys} ${firstRate} ${referenceJoins}
    )
    SELECT _line AS line, _rule AS rule, coalesce(${reason}, _rule) AS reason, to_json({${raw}})::VARCHAR AS raw_row
    FROM ruled WHERE _rule IS NOT NULL`);
  const typed = entity.columns.map((c) => `${castExpression(c)} AS ${q(c.name)}`).join(", ");
  await conn.run(
    `CREATE OR REPLACE TEMP VIEW valid AS SELECT ${typed}, _line FROM src WHERE _line NOT IN (SELECT line FROM rejected)`,
  );
}

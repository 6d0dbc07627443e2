// The CSV rules of csv.ts as DuckDB SQL expressions, for exports too large to encode cell by cell in
// JS (30M rows): DuckDB builds each CSV record, JS only concatenates chunks and writes them out. The
// output is byte-identical to csvRow (without the CRLF) for the same values; csv-sql.test.ts checks that
// on the hostile fixture, in every dialect, against a real DuckDB. See csv.ts for the rules themselves.
//
// Expected DuckDB types of the column expressions (the caller casts if needed):
// - text, code: VARCHAR.
// - integer: any integer type (TINYINT..UHUGEINT). Not DOUBLE: a DOUBLE would print as "1e+21".
// - decimal, ratio: DECIMAL(p,s), DOUBLE, FLOAT or an integer type (see decimalSql for how each rounds
//   exactly like csv.ts). Values of 10^(38-scale) or more raise a conversion error.
// - date: DATE. timestamp: TIMESTAMPTZ, rendered in UTC with milliseconds (sub-millisecond digits
//   truncated), whatever the session TimeZone. A naive TIMESTAMP is taken as UTC.
//
// Each expression is repeated several times in the generated SQL: pass column references (or compute
// expensive expressions in a subquery) rather than large expressions. NULL gives an empty field.
//
// Assembling a file (measured with 13 columns, 5M rows, 2 cores; the line itself costs ~2.6M rows/s):
// - ordered chunks for a streamed response, ~1.1M rows/s end to end:
//     SELECT string_agg(line, chr(13) || chr(10) ORDER BY k) || chr(13) || chr(10) AS chunk
//     FROM (SELECT k, <csvLineSql> AS line FROM …) GROUP BY k // 16384 ORDER BY k // 16384
//   (k a dense row key: ~2 MB chunks; JS receives a few hundred strings, not millions);
// - or COPY (SELECT <csvLineSql> FROM …) TO '<tmp>' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '',
//   NEW_LINE '\r\n'), which writes the lines verbatim: ~2.2M rows/s, ~1.2M rows/s with an ORDER BY.
// Prepend csvHeader (csv.ts) for the BOM and header rows either way.
//
// Speed (2 cores, DuckDB 1.5): plain string functions (contains, ends_with, ord) are faster than regular
// expressions, ICU time-zone conversion is slow, and casts from VARCHAR to DECIMAL(38,s) are ~50x slower
// than to DECIMAL(18,s); the expressions below are built around those measurements. Two more, found on
// the order-item ledger with text ids (5 ids a line, 30M lines): a text field first tries a cheap test
// for values that need nothing (most ids and names) and runs the checks only for the others;
// and no IN list of more than 5 constants appears in an expression, because DuckDB's in_clause optimizer
// turns one into a join that runs for every row, outside the CASE that guards it (with a 10-entry IN in
// the checks, the guarded branch cost as much as running the checks on every value: 1.9 s instead of 1.0).

import { DUCKDB_INTEGER_TYPES } from "../../core/duckdb-types.ts";
import { assertColumns, type CsvDialect, type ExportColumn, scaleOf } from "./columns.ts";
import { dialectOf } from "./csv.ts";

export interface SqlColumn {
  column: ExportColumn;
  /** A DuckDB expression of the type listed in the file header, usually a column reference. */
  expr: string;
}

/** A SQL string literal. */
function lit(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Code points of the first characters that start a formula: FORMULA_START in csv.ts. */
const FORMULA_START = [0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d, 0xff1d, 0xff0b, 0xff0d, 0xff20];
/** Blanks a spreadsheet skips before a formula (FORMULA_START in csv.ts allows them first). */
const LEADING_BLANKS = "concat(' ', chr(9), chr(13), chr(10), chr(160), chr(12288))";
/** RE2 twin of EXCEL_MISREAD_CODE in csv.ts. */
const EXCEL_MISREAD_CODE =
  "[0-9\uFF10-\uFF19]|^#|^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Vv][Rr][Aa][Ii]|[Ff][Aa][Uu][Xx])$";

/** The characters that make a field quoted in `dialect`, as SQL literals: its separator, quote, line breaks. */
function specialsOf(dialect: CsvDialect): string[] {
  return [...(dialect === "csv-excel-fr" ? ["';'"] : []), "','", `'"'`, "chr(10)", "chr(13)"];
}

/**
 * A BOOLEAN expression, true when `dialect` writes the text or code value as it is: a first character
 * that is an ASCII letter or digit (no formula, no blank), no separator, quote or line break, no blank
 * at the end. Plain string functions, cheaper than a regular expression. null for a code in an Excel
 * dialect (a code holding a digit, or TRUE/FALSE…, is marked there: no shortcut).
 */
export function plainTextSql(expr: string, code: boolean, dialect: CsvDialect): string | null {
  if (code && dialect !== "csv") return null;
  const e = `(${expr})`;
  return [
    `(ord(${e}) BETWEEN 48 AND 57 OR ord(${e}) BETWEEN 65 AND 90 OR ord(${e}) BETWEEN 97 AND 122)`,
    ...specialsOf(dialect).map((c) => `NOT contains(${e}, ${c})`),
    `NOT ends_with(${e}, ' ')`,
  ].join(" AND ");
}

/**
 * A text or code field: "" for the empty string, quoted when needed, prefixed with ' when the value
 * starts a formula (or is a code Excel would misread, in the Excel dialects), else the value itself.
 */
function textSql(expr: string, code: boolean, dialect: CsvDialect): string {
  const e = `(${expr})`;
  const quote = [
    ...specialsOf(dialect).map((c) => `contains(${e}, ${c})`),
    `ord(${e}) = 32`,
    `ends_with(${e}, ' ')`,
  ].join(" OR ");
  // list_contains, not IN: DuckDB rewrites an IN list of more than a few constants into a join, which
  // runs for every row, outside the CASE that should only evaluate this for the rows that get here.
  let mark = `(ord(${e}) IN (9, 13) OR list_contains([${FORMULA_START.join(", ")}], ord(ltrim(${e}, ${LEADING_BLANKS}))))`;
  // A leading ASCII digit settles the common case (postcodes, ids) before the regular expression:
  // DuckDB evaluates OR lazily, row by row.
  if (code && dialect !== "csv")
    mark = `(ord(${e}) BETWEEN 48 AND 57 OR ${mark} OR regexp_matches(${e}, ${lit(EXCEL_MISREAD_CODE)}))`;
  const checked =
    `CASE WHEN ${e} = '' THEN '""' ` +
    `WHEN ${quote} THEN ` +
    `concat('"', CASE WHEN ${mark} THEN '''' ELSE '' END, replace(${e}, '"', '""'), '"') ` +
    `WHEN ${mark} THEN concat('''', ${e}) ` +
    `ELSE ${e} END`;
  // Most values (ids such as "ord_8f3k2" or a UUID, names without commas) need none of those checks:
  // a cheap test lets them through as they are, and only the others pay for the checks (DuckDB
  // evaluates a CASE branch only for the rows that reach it). A code in an Excel dialect is
  // marked when it holds a digit or is TRUE/FALSE…: no shortcut there.
  const plain = plainTextSql(expr, code, dialect);
  return plain ? `CASE WHEN ${plain} THEN ${e} ELSE ${checked} END` : checked;
}

const INTEGER_TYPES = DUCKDB_INTEGER_TYPES.map(lit);

/**
 * A decimal rounded half away from zero to `scale` decimals, as text with a "." (the csv.ts rule).
 * DECIMAL(18,s) is used whenever the value fits; the slow DECIMAL(38,s) cast only runs, lazily inside
 * COALESCE, for larger values. Per input type, chosen at bind time (typeof is constant-folded):
 * - DECIMAL and integers: a decimal-to-decimal cast, which rounds half away from zero exactly.
 * - DOUBLE, and FLOAT as the DOUBLE that JS would receive: csv.ts rounds the shortest round-trip
 *   decimal string of the double. A direct cast (which rounds the binary value) agrees with that except
 *   when x·10^s lies within an ulp of a .5 tie (1.005 is 1.00499999999999989… in binary), so the direct
 *   cast is taken only when |x·10^s| < 2^40 and x·10^s is more than 0.001 away from a tie; other values
 *   go through VARCHAR, whose digits are the same shortest round-trip digits as JS String(x).
 * - anything else: through VARCHAR.
 */
function decimalSql(expr: string, scale: number): string {
  const e = `(${expr})`;
  const exact = (value: string) =>
    `COALESCE(CAST(TRY_CAST(${value} AS DECIMAL(18, ${scale})) AS VARCHAR), ` +
    `CAST(CAST(${value} AS DECIMAL(38, ${scale})) AS VARCHAR))`;
  const double = `CAST(${e} AS DOUBLE)`;
  const shifted = `(abs(${double}) * 1e${scale})`;
  return (
    `CASE WHEN typeof(${e}) IN ('DOUBLE', 'FLOAT') THEN ` +
    `CASE WHEN ${shifted} < 1099511627776.0 AND abs(${shifted} - floor(${shifted}) - 0.5) > 0.001 ` +
    `THEN CAST(CAST(${double} AS DECIMAL(18, ${scale})) AS VARCHAR) ` +
    `ELSE ${exact(`CAST(${double} AS VARCHAR)`)} END ` +
    `WHEN typeof(${e}) LIKE 'DECIMAL%' OR typeof(${e}) IN (${INTEGER_TYPES.join(", ")}) THEN ${exact(e)} ` +
    `ELSE ${exact(`CAST(${e} AS VARCHAR)`)} END`
  );
}

/** One field as a VARCHAR expression; NULL (for a NULL value) becomes an empty field in csvLineSql. */
export function csvFieldSql(column: ExportColumn, expr: string, dialect: CsvDialect): string {
  const comma = dialectOf(dialect).decimalMark === ",";
  const mark = (sql: string) => (comma ? `replace(${sql}, '.', ',')` : sql);
  const scale = scaleOf(column);
  switch (column.kind) {
    case "text":
      return textSql(expr, false, dialect);
    case "code":
      return textSql(expr, true, dialect);
    case "integer":
      return `CAST((${expr}) AS VARCHAR)`;
    case "decimal":
    case "ratio":
      return mark(decimalSql(expr, scale));
    case "date":
      return `CAST(CAST((${expr}) AS DATE) AS VARCHAR)`;
    case "timestamp":
      // make_timestamp(epoch_us(…)) is the UTC wall clock without an ICU time-zone lookup (3x faster
      // than timezone('UTC', …)); %g is milliseconds, sub-millisecond digits truncated.
      return `strftime(make_timestamp(epoch_us(${expr})), '%Y-%m-%dT%H:%M:%S.%gZ')`;
    default:
      throw new RangeError(`column "${column.id}": unknown kind "${column.kind as string}"`);
  }
}

/**
 * A VARCHAR expression giving one CSV record in `dialect`, without its line terminator: join records
 * with chr(13) || chr(10) (string_agg) to build the body; csvHeader (csv.ts) gives the BOM and header rows.
 */
export function csvLineSql(columns: readonly SqlColumn[], dialect: CsvDialect): string {
  assertColumns(columns.map(({ column }) => column));
  const separator = lit(dialectOf(dialect).separator);
  const fields = columns.map(({ column, expr }) => csvFieldSql(column, expr, dialect));
  // concat() skips NULL arguments, which is exactly "NULL → empty field".
  return `concat(${fields.join(`, ${separator}, `)})`;
}

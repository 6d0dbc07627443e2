// CSV encoding of typed export rows, in JS, streaming. Finance analysts open these files in Excel
// (English and French locales), pandas, Polars or DuckDB, so the rules below are about bytes that every
// one of those reads back to the same values. csv-sql.ts builds the exact same bytes inside DuckDB for
// large exports; any rule changed here must change there too (csv-sql.test.ts checks byte equality).
//
// Dialects:
// - "csv": RFC 4180: "," separator, "." decimal mark, CRLF, UTF-8 without BOM. For pandas/Polars/DuckDB.
// - "csv-excel-en": as "csv" plus a UTF-8 BOM, so Excel decodes accents as UTF-8.
// - "csv-excel-fr": UTF-8 BOM, ";" separator, "," decimal mark, CRLF: what French Excel expects.
//
// Values (see columns.ts for the kinds):
// - Numbers are raw: no thousands separator, no currency, never exponent notation (1e21 is written as
//   1000000000000000000000, 1e-7 as 0.0000001 before rounding). Negative numbers keep their "-" and are
//   never neutralised. null is an empty field, for every kind.
// - decimal: exactly `scale` decimals, rounded half away from zero. A decimal string ("-123.4500") is
//   rounded digit by digit. A JS number is first turned into its shortest round-trip decimal string (what
//   String(x) prints: 1.005 → "1.005", not the binary 1.00499999999999989…), which is then rounded the
//   same way: 1.005 → "1.01", 0.1 + 0.2 → "0.30". Numbers are treated as the decimal they were written
//   as, which is what a reader of the screen expects. DuckDB's DOUBLE → VARCHAR gives the same shortest
//   digits, so csv-sql.ts rounds identically. (decimalText skips the string/BigInt work where the result
//   provably cannot differ; the tests compare both on ~500k values, ties and near-ties included.)
// - ratio: the same, with its own scale (default 6): 0.17 → "0.170000". Trailing zeros are kept: trimming
//   them costs a quarter of the SQL encoder's time (rtrim is slow in DuckDB) for a cosmetic gain, and a
//   fixed number of decimals is one rule for both numeric kinds.
// - integer: digits only (number must be integral; bigint and digit strings are accepted).
// - date "YYYY-MM-DD" and timestamp "YYYY-MM-DDTHH:mm:ss.sssZ" (UTC, milliseconds) are written as given;
//   anything else throws: it is a programming error upstream, never something to guess about.
//
// Text and code cells:
// 1. Formula-injection neutralisation (OWASP "CSV Injection"), in EVERY dialect, for text and code only
//    (never numeric kinds): a value whose first character is = + - @ TAB CR, or their full-width forms
//    ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20), is prefixed with a single quote ', so a spreadsheet
//    shows it as text instead of evaluating it. "-2+3" is written '-2+3. The prefix is not removed on
//    reading (a value that really starts with ' is indistinguishable): the accepted cost of the rule.
// 2. Code cells in the Excel dialects only: Excel's type detection ignores CSV quotes, so "00123" would
//    become 123, "1234567890123456789" 1.23457E+18 (digits lost), "1E5" 100000, "3-4" a date. We prefix
//    such codes with the same single quote as rule 1: one marker, one rule for the reader, and no
//    formula (="00123" would be one, and formulas are what rule 1 forbids). Which codes: those that
//    contain a digit (ASCII or full-width), equal TRUE/FALSE/VRAI/FAUX in any ASCII case (Excel booleans,
//    French too), or start with "#" (Excel error literals such as #N/A). A code with a digit that Excel
//    would have left alone ("FR-75") is marked too: over-marking is visible and harmless, under-marking
//    silently loses data. Limitation: depending on the Excel/LibreOffice version the ' may be shown in
//    the cell; it is still text, nothing is lost. The plain "csv" dialect writes codes verbatim (rule 1
//    and quoting only) because pandas/Polars/DuckDB readers are told the column types.
// 3. RFC 4180 quoting, applied last: the field is wrapped in "…" (inner " doubled) when the raw value
//    contains the separator, a comma (always: harmless in fr, safe), ", CR or LF, or begins or ends with
//    a space. The empty string is written "" so that it differs from null (an empty field): DuckDB reads
//    them back as '' and NULL.

import {
  assertColumns,
  type Cell,
  type ColumnKind,
  type CsvDialect,
  type ExportColumn,
  type ExportFormat,
  type ExportLocale,
  labelWithUnit,
  scaleOf,
} from "./columns.ts";

export type { CsvDialect } from "./columns.ts";

export interface CsvOptions {
  dialect: CsvDialect;
  /** Adds a second header row with human labels (breaks type inference in pandas/DuckDB: off by default). */
  labels?: boolean;
  /** Language of the label row; defaults to fr-FR for csv-excel-fr, en-GB otherwise. */
  locale?: ExportLocale;
}

export const BOM = "\uFEFF";
export const CRLF = "\r\n";

/** Target size of the chunks encodeCsv yields, in UTF-16 code units (≈ bytes for mostly-ASCII data). */
export const CHUNK_CHARS = 64 * 1024;

/** Separator, decimal mark and BOM of a dialect. */
export function dialectOf(dialect: CsvDialect): { separator: string; decimalMark: string; bom: string } {
  switch (dialect) {
    case "csv":
      return { separator: ",", decimalMark: ".", bom: "" };
    case "csv-excel-en":
      return { separator: ",", decimalMark: ".", bom: BOM };
    case "csv-excel-fr":
      return { separator: ";", decimalMark: ",", bom: BOM };
    default:
      throw new RangeError(`unknown CSV dialect "${dialect as string}"`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Text and code cells. Mirrored in csv-sql.ts (as code point lists, contains() calls and one RE2 pattern).

/**
 * First characters that make a spreadsheet evaluate a cell (rule 1), also after leading blanks
 * (spreadsheets skip them: `  =1+1` is a formula too).
 */
export const FORMULA_START = /^[ \t\r\n\u00A0\u3000]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Codes Excel would turn into something else than text (rule 2). */
export const EXCEL_MISREAD_CODE =
  /[0-9\uFF10-\uFF19]|^#|^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Vv][Rr][Aa][Ii]|[Ff][Aa][Uu][Xx])$/;
const NEEDS_QUOTES_COMMA = /[,"\r\n]|^ | $/;
const NEEDS_QUOTES_SEMICOLON = /[;,"\r\n]|^ | $/;

function encodeText(value: string, kind: ColumnKind, dialect: CsvDialect): string {
  if (value === "") return '""';
  const mark =
    FORMULA_START.test(value) || (kind === "code" && dialect !== "csv" && EXCEL_MISREAD_CODE.test(value));
  const needsQuotes = (dialect === "csv-excel-fr" ? NEEDS_QUOTES_SEMICOLON : NEEDS_QUOTES_COMMA).test(value);
  const text = mark ? `'${value}` : value;
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

// ---------------------------------------------------------------------------------------------------
// Numbers, as exact decimal strings.

const DECIMAL_STRING = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const EXPONENT_FORM = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/;

/**
 * The shortest decimal string that round-trips to `x` (ECMAScript Number::toString), without exponent:
 * 1e21 → "1000000000000000000000", 1e-7 → "0.0000001", -0 → "0". Throws on NaN and ±Infinity.
 */
export function plainNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const s = String(x === 0 ? 0 : x);
  const m = EXPONENT_FORM.exec(s);
  if (!m) return s;
  const [, sign, int = "", frac = "", exp = "0"] = m;
  const digits = int + frac;
  const point = int.length + Number(exp); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A decimal value as a signed integer count of 10^-scale units, rounded half away from zero on its
 * decimal digits (see the file header for numbers). Shared with the Arrow encoder (Decimal128).
 */
export function toUnscaled(value: number | bigint | string, scale: number): bigint {
  if (typeof value === "bigint") return value * 10n ** BigInt(scale);
  const text = typeof value === "number" ? plainNumber(value) : value;
  const m = DECIMAL_STRING.exec(text);
  if (!m) throw new RangeError(`not a decimal number: "${text}"`);
  const [, sign, int = "", frac = ""] = m;
  let unscaled = BigInt(int + frac.slice(0, scale).padEnd(scale, "0"));
  if (frac.length > scale && frac.charCodeAt(scale) >= 53 /* "5" */) unscaled += 1n;
  return sign === "-" ? -unscaled : unscaled;
}

/** "-12345" units at scale 2 → "-123.45"; always exactly `scale` decimals, never "-0.00". */
export function formatUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${int}.${digits.slice(digits.length - scale)}` : int;
  return negative ? `-${text}` : text;
}

const FAST_LIMIT = 2 ** 40;

/**
 * A decimal value as text with exactly `scale` decimals and a "." (the rule of the file header). Same
 * result as formatUnscaled(toUnscaled(value, scale), scale), with two fast paths that skip BigInt:
 * - a number whose x·10^scale is below 2^40 and more than 0.001 away from a .5 tie: toFixed rounds the
 *   binary value, which cannot round differently from its shortest decimal string so far from a tie;
 * - a decimal string whose first dropped digit is below 5: plain truncation.
 */
export function decimalText(value: number | bigint | string, scale: number): string {
  if (typeof value === "number" && Number.isFinite(value)) {
    const shifted = Math.abs(value) * 10 ** scale;
    if (shifted < FAST_LIMIT && Math.abs(shifted - Math.floor(shifted) - 0.5) > 0.001) {
      const text = value.toFixed(scale);
      return text.charCodeAt(0) === 45 /* - */ && Math.round(shifted) === 0 ? text.slice(1) : text;
    }
  } else if (typeof value === "string") {
    const m = DECIMAL_STRING.exec(value);
    const frac = m?.[3] ?? "";
    if (m && (frac.length <= scale || frac.charCodeAt(scale) < 53)) {
      const int = (m[2] as string).replace(/^0+(?=\d)/, "");
      const kept = frac.slice(0, scale).padEnd(scale, "0");
      const text = scale > 0 ? `${int}.${kept}` : int;
      const zero = int === "0" && !/[1-9]/.test(kept);
      return m[1] === "-" && !zero ? `-${text}` : text;
    }
  }
  return formatUnscaled(toUnscaled(value, scale), scale);
}

function integerText(value: Cell, id: string): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value).toString();
  if (typeof value === "string" && /^[+-]?\d+$/.test(value)) return BigInt(value).toString();
  throw new TypeError(`column "${id}": not an integer: ${describe(value)}`);
}

function numericValue(value: Cell, id: string): number | bigint | string {
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "string") return value;
  throw new TypeError(`column "${id}": not a number: ${describe(value)}`);
}

// ---------------------------------------------------------------------------------------------------
// Dates and timestamps.

// Hand-rolled rather than regular expressions: these run once per date/timestamp cell, and character
// code checks are several times faster.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written with ASCII digits in text[from..to), or -1 if any character is not a digit. */
export function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function isDayAt(text: string): boolean {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false; // "-"
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  if (month !== 2) return day <= (DAYS_IN_MONTH[month - 1] ?? 0);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (leap ? 29 : 28);
}

/** True when `text` is "YYYY-MM-DD" and a real calendar day. */
export function isIsoDate(text: string): boolean {
  return text.length === 10 && isDayAt(text);
}

/** True when `text` is exactly Date#toISOString's shape, "YYYY-MM-DDTHH:mm:ss.sssZ", on a real day. */
export function isIsoTimestamp(text: string): boolean {
  if (text.length !== 24 || !isDayAt(text)) return false;
  if (text[10] !== "T" || text[13] !== ":" || text[16] !== ":" || text[19] !== "." || text[23] !== "Z")
    return false;
  const hours = digitsAt(text, 11, 13);
  const minutes = digitsAt(text, 14, 16);
  const seconds = digitsAt(text, 17, 19);
  return (
    hours >= 0 &&
    hours <= 23 &&
    minutes >= 0 &&
    minutes <= 59 &&
    seconds >= 0 &&
    seconds <= 59 &&
    digitsAt(text, 20, 23) >= 0
  );
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
}

// ---------------------------------------------------------------------------------------------------
// Records.

type FieldEncoder = (value: Cell) => string;

function fieldEncoder(column: ExportColumn, dialect: CsvDialect): FieldEncoder {
  const { id, kind } = column;
  const scale = scaleOf(column);
  const comma = dialectOf(dialect).decimalMark === ",";
  const mark = (text: string) => (comma ? text.replace(".", ",") : text);
  switch (kind) {
    case "text":
    case "code":
      return (value) => {
        if (value === null) return "";
        if (typeof value !== "string")
          throw new TypeError(`column "${id}": not a string: ${describe(value)}`);
        return encodeText(value, kind, dialect);
      };
    case "integer":
      return (value) => (value === null ? "" : integerText(value, id));
    case "decimal":
    case "ratio":
      return (value) => (value === null ? "" : mark(decimalText(numericValue(value, id), scale)));
    case "date":
      return (value) => {
        if (value === null) return "";
        if (typeof value !== "string" || !isIsoDate(value))
          throw new TypeError(`column "${id}": not a date YYYY-MM-DD: ${describe(value)}`);
        return value;
      };
    case "timestamp":
      return (value) => {
        if (value === null) return "";
        if (typeof value !== "string" || !isIsoTimestamp(value))
          throw new TypeError(
            `column "${id}": not a UTC timestamp YYYY-MM-DDTHH:mm:ss.sssZ: ${describe(value)}`,
          );
        return value;
      };
    default:
      throw new RangeError(`column "${id}": unknown kind "${kind as string}"`);
  }
}

/** A function that encodes one record (with its CRLF); builds the per-column encoders once. */
export function csvRowEncoder(
  columns: readonly ExportColumn[],
  options: CsvOptions,
): (cells: readonly Cell[]) => string {
  assertColumns(columns);
  const { separator } = dialectOf(options.dialect);
  const encoders = columns.map((column) => fieldEncoder(column, options.dialect));
  const count = encoders.length;
  return (cells) => {
    if (cells.length !== count) throw new RangeError(`expected ${count} cells, got ${cells.length}`);
    let line = "";
    for (let i = 0; i < count; i++) {
      const encode = encoders[i] as FieldEncoder;
      line += i === 0 ? encode(cells[i] as Cell) : separator + encode(cells[i] as Cell);
    }
    return line + CRLF;
  };
}

/** One record, terminated by CRLF. */
export function csvRow(
  columns: readonly ExportColumn[],
  cells: readonly Cell[],
  options: CsvOptions,
): string {
  return csvRowEncoder(columns, options)(cells);
}

/** The start of the file: BOM (Excel dialects), the row of column ids, and the label row if asked for. */
export function csvHeader(columns: readonly ExportColumn[], options: CsvOptions): string {
  assertColumns(columns);
  const { separator, bom } = dialectOf(options.dialect);
  const ids = columns.map((column) => column.id).join(separator) + CRLF;
  if (!options.labels) return bom + ids;
  const locale = options.locale ?? (options.dialect === "csv-excel-fr" ? "fr-FR" : "en-GB");
  const labels = columns.map((column) => encodeText(labelWithUnit(column, locale), "text", options.dialect));
  return bom + ids + labels.join(separator) + CRLF;
}

function isSyncIterable<T>(value: AsyncIterable<T> | Iterable<T>): value is Iterable<T> {
  return typeof (value as Iterable<T>)[Symbol.iterator] === "function";
}

/**
 * The whole file as chunks of about CHUNK_CHARS (a chunk ends at a record boundary, so it can exceed
 * the target by one record), header first. Pulls rows only as chunks are consumed: never holds more
 * than one chunk. Errors name the 0-based data row they come from.
 */
export async function* encodeCsv(
  columns: readonly ExportColumn[],
  rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>,
  options: CsvOptions,
): AsyncGenerator<string> {
  const encode = csvRowEncoder(columns, options);
  let chunk = csvHeader(columns, options);
  let index = 0;
  const line = (cells: readonly Cell[]) => {
    try {
      return encode(cells);
    } catch (error) {
      throw new Error(`row ${index}: ${(error as Error).message}`, { cause: error });
    } finally {
      index++;
    }
  };
  if (isSyncIterable(rows)) {
    // No await per row: a plain loop is several times faster than for-await over a sync iterable.
    for (const cells of rows) {
      chunk += line(cells);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = "";
      }
    }
  } else {
    for await (const cells of rows) {
      chunk += line(cells);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = "";
      }
    }
  }
  if (chunk !== "") yield chunk;
}

// ---------------------------------------------------------------------------------------------------
// Download metadata.

/** The Content-Type of a download in `format`. */
export function contentType(format: ExportFormat): string {
  switch (format) {
    case "csv":
    case "csv-excel-en":
    case "csv-excel-fr":
      return "text/csv; charset=utf-8";
    case "xlsx":
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case "parquet":
      return "application/vnd.apache.parquet";
    case "arrow":
      return "application/vnd.apache.arrow.stream";
    default:
      throw new RangeError(`unknown export format "${format as string}"`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading back, for tests and round trips.

/**
 * Parses CSV text written in `dialect` into records of raw field strings (quotes removed, "" → ",
 * neutralisation prefixes kept). Accepts a leading BOM, CRLF or LF line ends, and newlines inside quoted
 * fields; a final line end does not add an empty record. Throws on a stray or unterminated quote.
 * Note that null and "" both come back as "": look at the bytes to tell them apart.
 */
export function parseCsv(text: string, dialect: CsvDialect): string[][] {
  const { separator } = dialectOf(dialect);
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = text.startsWith(BOM) ? 1 : 0;
  const n = text.length;
  if (i >= n) return records;
  for (;;) {
    // At the start of a field.
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new SyntaxError("unterminated quoted field");
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      let end = i;
      while (end < n && text[end] !== separator && text[end] !== "\r" && text[end] !== "\n") {
        if (text[end] === '"') throw new SyntaxError(`stray quote at offset ${end}`);
        end++;
      }
      field = text.slice(i, end);
      i = end;
    }
    record.push(field);
    field = "";
    if (i >= n) {
      records.push(record);
      return records;
    }
    const c = text[i];
    if (c === separator) {
      i++;
      continue;
    }
    if (c === "\r" && text[i + 1] === "\n") i += 2;
    else if (c === "\n") i++;
    else throw new SyntaxError(`unexpected ${JSON.stringify(c)} after a field at offset ${i}`);
    records.push(record);
    record = [];
    if (i >= n) return records;
  }
}

/**
 * A numeric field written in `dialect` as a JS number. Strict: only "-?digits[.digits]" (with "," in
 * csv-excel-fr) is accepted, so a thousands separator, an exponent or an empty field throws.
 */
export function readNumber(field: string, dialect: CsvDialect): number {
  const comma = dialectOf(dialect).decimalMark === ",";
  if (!(comma ? /^-?\d+(?:,\d+)?$/ : /^-?\d+(?:\.\d+)?$/).test(field))
    throw new SyntaxError(`not a ${dialect} number: ${JSON.stringify(field)}`);
  return Number(comma ? field.replace(",", ".") : field);
}

// The column model shared by every export format (CSV in JS, CSV built in DuckDB SQL, Arrow IPC).
// A route describes its export once, as typed columns, and each encoder turns those into bytes, so
// the formats cannot disagree about what a column is. Pure module: no I/O, no server-only imports.

/**
 * What a column holds, which decides how each format writes it:
 * - `text`: free text (names, labels); formula-injection neutralised in CSV.
 * - `code`: identifiers a spreadsheet would mangle ("00123", "1234567890123456789", "1E5", "3-4");
 *   always written as text, never as a number.
 * - `integer`: whole numbers (counts, ids used as numbers); JS number or bigint.
 * - `decimal`: exact amounts with `scale` decimals (default 2), e.g. euros to the cent.
 * - `ratio`: a ratio where 0.17 means 17 % (never pre-multiplied by 100), `scale` decimals (default 6).
 * - `date`: a calendar day, "YYYY-MM-DD".
 * - `timestamp`: an instant, ISO-8601 in UTC with milliseconds, "2024-03-01T10:00:00.000Z".
 */
export type ColumnKind = "text" | "code" | "integer" | "decimal" | "ratio" | "date" | "timestamp";

export interface ExportColumn {
  /** Machine name, written in the CSV header row and used as the Arrow field name: /^[a-z][a-z0-9_]*$/. */
  id: string;
  /** Human label, without unit; see labelWithUnit for what the label row shows. */
  label: string;
  kind: ColumnKind;
  /** Decimals written in CSV: exactly this many; default 2 for "decimal", 6 for "ratio". */
  scale?: number;
}

/**
 * One value. Per kind: text/code → string; integer → number (integral) | bigint | digit string;
 * decimal/ratio → number | bigint | exact decimal string like "-123.4500"; date → "YYYY-MM-DD";
 * timestamp → "YYYY-MM-DDTHH:mm:ss.sssZ" (what Date#toISOString gives). null is a missing value.
 */
export type Cell = string | number | bigint | null;

/** The CSV flavours: plain RFC 4180, and two tuned for Excel in English and French locales. */
export type CsvDialect = "csv" | "csv-excel-fr" | "csv-excel-en";

/** Every export format the dashboard can produce. */
export type ExportFormat = CsvDialect | "xlsx" | "parquet" | "arrow";

/** The locales labels are written in (same values as ~/i18n/locales, kept local to stay dependency-free). */
export type ExportLocale = "en-GB" | "fr-FR";

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  "csv",
  "csv-excel-fr",
  "csv-excel-en",
  "xlsx",
  "parquet",
  "arrow",
];

const COLUMN_ID = /^[a-z][a-z0-9_]*$/;
const MAX_SCALE = 18;

/** Decimals a decimal (default 2) or ratio (default 6) column is written with; 0 for other kinds. */
export function scaleOf(column: ExportColumn): number {
  if (column.kind !== "decimal" && column.kind !== "ratio") return 0;
  const scale = column.scale ?? (column.kind === "decimal" ? 2 : 6);
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE)
    throw new RangeError(`column "${column.id}": scale must be an integer 0..${MAX_SCALE}, got ${scale}`);
  return scale;
}

/**
 * Checks a column list before encoding: ids are safe identifiers (they are written unquoted in CSV
 * headers and inlined in SQL aliases) and unique, scales are valid. Throws on a programming error.
 */
export function assertColumns(columns: readonly ExportColumn[]): void {
  if (columns.length === 0) throw new RangeError("an export needs at least one column");
  const seen = new Set<string>();
  for (const column of columns) {
    if (!COLUMN_ID.test(column.id)) throw new RangeError(`column id must match ${COLUMN_ID}: "${column.id}"`);
    if (seen.has(column.id)) throw new RangeError(`duplicate column id "${column.id}"`);
    seen.add(column.id);
    scaleOf(column);
  }
}

/**
 * The label a reader sees in a CSV label row. Ratio columns say they hold ratios, not percentages,
 * because "0.17" under a "Margin" heading is easily read as 0.17 %. Callers give labels WITHOUT unit;
 * the encoders call this, so every format and locale says it the same way.
 */
export function labelWithUnit(column: ExportColumn, locale: ExportLocale): string {
  if (column.kind !== "ratio") return column.label;
  return locale === "fr-FR" ? `${column.label} (ratio : 0,17 = 17 %)` : `${column.label} (ratio: 0.17 = 17%)`;
}

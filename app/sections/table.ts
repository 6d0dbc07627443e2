// A section's table, once: the columns (typed as the export formats type them, plus the unit a reader
// sees) and the rows of raw values. The download writes the raw values; the page shows the same rows
// with each cell formatted here, on the server, in the reader's locale. So a table on screen and its
// file cannot disagree. Browser-safe.

import type { Cell, ColumnKind, ExportColumn } from "~/export/columns";
import type { Locale } from "~/i18n/locales";
import { formatChange, formatDate, formatExact, formatMetricValue, formatPeriod } from "~/lib/format";
import type { MetricDefinition, Unit } from "~/metrics/define";

export interface SectionColumn extends ExportColumn {
  /** How a reader sees the value (money, count, %): absent for text, codes and dates. */
  unit?: Unit;
  /** A month column holds a month's first day; the page shows "Mar 2024". */
  month?: boolean;
  /** The names a code column's values are shown by (grades, categories), in the reader's language. */
  names?: Record<string, string>;
  /** A share that may be small: shown to two decimals below 1% (it would otherwise read 0.0%). */
  fine?: boolean;
  /**
   * A column whose rows hold figures of different units (the "What changed" page: one row per metric):
   * each row's unit, read from the row (server-side only: the page receives the formatted text).
   */
  unitOf?: (row: readonly Cell[]) => Unit | undefined;
  /** Shown exact to the cent (and ratios to 0.01 %), as finance reconciles them. */
  exact?: boolean;
  /** A change: shown signed (+€1.50, −0.25 pt, +1). */
  signed?: boolean;
}

/** What a section gives both the page and its download. */
export interface SectionTable {
  columns: SectionColumn[];
  rows: Cell[][];
  /** The days the table covers (the file's name says them). */
  range: { from: string; to: string };
  /** The currency of every amount (EUR unless one country is shown in its own). */
  currency: string;
  /**
   * Rows in the whole table when `rows` holds only its first ones (a page asked its builder for no more
   * than it shows); absent when `rows` is the whole table, as a download always gets it.
   */
  total?: number;
}

/** Column builders: the id is the CSV header, the label is in the reader's language. */
export const col = {
  text: (id: string, label: string): SectionColumn => ({ id, label, kind: "text" }),
  /** Codes (grades, categories, ids) shown by their name in the reader's language where given. */
  code: (id: string, label: string, names?: Record<string, string>): SectionColumn => ({
    id,
    label,
    kind: "code",
    ...(names ? { names } : {}),
  }),
  month: (id: string, label: string): SectionColumn => ({ id, label, kind: "date", month: true }),
  count: (id: string, label: string): SectionColumn => ({ id, label, kind: "integer", unit: "count" }),
  /** A share (0.17 = 17 %) that is not a metric of its own: a part of a whole, from the metric layer. */
  share: (id: string, label: string): SectionColumn => ({
    id,
    label,
    kind: "ratio",
    scale: 6,
    unit: "ratio",
  }),
  /** A metric of the catalogue: its id, label and unit; money to the cent, ratios to 6 decimals. */
  metric: (def: MetricDefinition, locale: Locale, id: string = def.id, label?: string): SectionColumn => {
    const kind: ColumnKind = def.unit === "count" ? "integer" : def.unit === "ratio" ? "ratio" : "decimal";
    const scale = def.unit === "eur" ? 2 : def.unit === "ratio" ? 6 : def.unit === "count" ? undefined : 4;
    return {
      id,
      label: label ?? def.label[locale],
      kind,
      unit: def.unit,
      ...(scale === undefined ? {} : { scale }),
    };
  },
};

/**
 * Rows of a table in the server's HTML, whose text the page data carries. The table's region (DataTable)
 * shows about 14 rows at a time (32rem), and the browser draws the others up to ROWS_ON_SCREEN as soon as
 * the page is live. Rendering rows nobody sees yet was about a third of a first visit's render on the
 * longer pages (issue 19). 14, what the region shows, rather than 25: the bench's first visits rendered
 * in-process 12.1–13.1 ms instead of 12.8–14.1 (alternating runs).
 */
export const ROWS_IN_HTML = 14;

/** How a column's cells are written for a reader: what `display` reads of a SectionColumn. */
export type CellFormat = Pick<
  SectionColumn,
  "kind" | "unit" | "month" | "names" | "fine" | "exact" | "signed"
>;

/**
 * What the page receives: each cell's raw value (for sorting) and, for the rows the server's HTML holds,
 * its text in the reader's locale. The browser writes the other rows' text itself, from the columns'
 * formats and the same `display` (`cellTexts`), when it draws them: formatting and sending the text of
 * rows nobody may ever look at was a fifth to a third of a long table's page data (issue 19, ADR 0046).
 * A table no longer than that, or whose cells' units vary by row (`unitOf`, server-side only), has every
 * row's text and no formats (which would weigh more than the text they spare).
 */
export interface TableView {
  id: string;
  /** Rows in the table (the page may show only the first of them: the download has them all). */
  total: number;
  /** `format` when some rows come without their text (the browser writes it from the format). */
  columns: { id: string; label: string; numeric: boolean; format?: CellFormat }[];
  /** The currency of every amount, when the browser writes some rows' text. */
  currency?: string;
  rows: { values: (string | number | null)[]; text?: string[] }[];
}

function display(value: Cell, column: CellFormat, locale: Locale, currency: string): string {
  if (value === null) return "—";
  if (typeof value === "bigint") value = Number(value);
  if (column.fine && column.unit === "ratio" && typeof value === "number" && value > 0 && value < 0.01)
    return formatExact(value, "ratio", locale, currency);
  if (column.unit && typeof value === "number") {
    if (column.signed)
      return formatChange(
        value,
        column.unit === "ratio" ? "fine_points" : column.unit === "eur" ? "eur_unit" : column.unit,
        locale,
        currency,
      );
    if (column.exact) return formatExact(value, column.unit, locale, currency);
    return formatMetricValue(value, column.unit, locale, currency);
  }
  if (column.names && typeof value === "string") return column.names[value] ?? value;
  if (column.kind === "date" && typeof value === "string")
    return column.month ? formatPeriod(value, "month", locale) : formatDate(value, locale);
  return String(value);
}

const NUMERIC: readonly ColumnKind[] = ["integer", "decimal", "ratio"];

/** A table every row of which has its text (what `presentTable` gives without `texts`). */
export type WrittenTable = Omit<TableView, "rows"> & {
  rows: { values: (string | number | null)[]; text: string[] }[];
};

/**
 * A section's table as the page shows it: its first `limit` rows (all by default), the text of the first
 * `texts` of them (all by default; the browser writes the others' with `cellTexts`).
 */
export function presentTable(id: string, table: SectionTable, locale: Locale, limit?: number): WrittenTable;
export function presentTable(
  id: string,
  table: SectionTable,
  locale: Locale,
  limit: number,
  texts: number,
): TableView;
export function presentTable(
  id: string,
  table: SectionTable,
  locale: Locale,
  limit = Number.POSITIVE_INFINITY,
  texts = Number.POSITIVE_INFINITY,
): TableView {
  const shown = Math.min(limit, table.rows.length);
  const withText = shown <= texts || table.columns.some((c) => c.unitOf) ? shown : texts;
  const formats = withText < shown;
  return {
    id,
    total: table.total ?? table.rows.length,
    columns: table.columns.map((c) => ({
      id: c.id,
      label: c.label,
      numeric: NUMERIC.includes(c.kind),
      ...(formats ? { format: formatOf(c) } : {}),
    })),
    ...(formats ? { currency: table.currency } : {}),
    rows: table.rows.slice(0, limit).map((row, r) => {
      // The raw values, not rounded: the browser's text must be the server's, and a figure rounded twice
      // (to the file's decimals, then to the screen's) can differ from one rounded once.
      const values = row.map((v) => (typeof v === "bigint" ? Number(v) : v));
      if (r >= withText) return { values };
      return {
        values,
        text: row.map((v, i) => {
          const column = table.columns[i] as SectionColumn;
          const unit = column.unitOf?.(row);
          return display(v, unit ? { ...column, unit } : column, locale, table.currency);
        }),
      };
    }),
  };
}

/** The part of a column `display` reads, without what is undefined (page data is plain JSON). */
function formatOf(c: SectionColumn): CellFormat {
  const out: CellFormat = { kind: c.kind };
  if (c.unit !== undefined) out.unit = c.unit;
  if (c.month) out.month = true;
  if (c.names) out.names = c.names;
  if (c.fine) out.fine = true;
  if (c.exact) out.exact = true;
  if (c.signed) out.signed = true;
  return out;
}

const WRITTEN = new WeakMap<TableView["rows"][number], string[]>();

/** A row's cells as the reader sees them: the server's text, or written here once from the values. */
export function cellTexts(table: TableView, row: TableView["rows"][number], locale: Locale): string[] {
  if (row.text) return row.text;
  let text = WRITTEN.get(row);
  if (!text) {
    text = row.values.map((v, i) => {
      const column = table.columns[i];
      return column?.format ? display(v, column.format, locale, table.currency ?? "EUR") : String(v ?? "");
    });
    WRITTEN.set(row, text);
  }
  return text;
}

/** Compares two cells: numbers as numbers, nulls last, text in the reader's collation. */
export function compareCells(a: Cell, b: Cell, locale: Locale): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "string" && typeof b === "string") return a.localeCompare(b, locale);
  return Number(a) - Number(b);
}

/** The rows in the order of a column (the screen's sort), nulls last either way; stable. */
export function sortRows(
  rows: readonly Cell[][],
  index: number,
  dir: "asc" | "desc",
  locale: Locale,
): Cell[][] {
  const sign = dir === "asc" ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => {
      const a = x.row[index] ?? null;
      const b = y.row[index] ?? null;
      if (a === null || b === null) return compareCells(a, b, locale) || x.i - y.i;
      return sign * compareCells(a, b, locale) || x.i - y.i;
    })
    .map(({ row }) => row);
}

// Downloads as Excel workbooks (issue 21): real numbers, dates and instants with number formats (€
// amounts to their scale, ratios as percentages, dates as dates), the header row frozen and filterable,
// and a second sheet that says what the file holds (view, filters, period, snapshot, synthetic data or
// not, each column's id and meaning). Written with exceljs's streaming writer row by row, so memory stays
// flat however many rows there are; the sheet limit (1,048,576 rows with the header) is checked before
// the first byte by the callers, which refuse larger downloads and suggest CSV or Parquet.

import { once } from "node:events";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { Cell, ExportColumn, ExportLocale } from "../../export/columns";
import { scaleOf } from "../../export/columns";

/** Data rows a sheet can hold: Excel's 1,048,576 rows less the header. */
export const EXCEL_MAX_ROWS = 1_048_575;

/** The rows an XLSX download may have: Excel's limit, or fewer by BACKLIGHT_XLSX_MAX_ROWS (a policy, tests). */
export const XLSX_MAX_ROWS = Math.min(
  EXCEL_MAX_ROWS,
  Number(process.env.BACKLIGHT_XLSX_MAX_ROWS) || EXCEL_MAX_ROWS,
);

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** What the second sheet says about the file: label and value, in the reader's language. */
export type XlsxAbout = [label: string, value: string | number][];

const WORDS = {
  "en-GB": { data: "Data", about: "About", columns: "Columns", id: "Id", label: "Label", kind: "Kind" },
  "fr-FR": {
    data: "Données",
    about: "À propos",
    columns: "Colonnes",
    id: "Identifiant",
    label: "Libellé",
    kind: "Type",
  },
} as const;

/** Excel's number format for a column (the reader's Excel puts its own separators in). */
function numberFormat(column: ExportColumn): string | undefined {
  const decimals = (n: number) => (n > 0 ? `.${"0".repeat(n)}` : "");
  switch (column.kind) {
    case "integer":
      return "#,##0";
    case "decimal":
      return `#,##0${decimals(scaleOf(column))}`;
    case "ratio":
      // 0.17 shows as 17.00 %; the cell keeps every decimal.
      return "0.00%";
    case "date":
      return "yyyy-mm-dd";
    case "timestamp":
      return "yyyy-mm-dd hh:mm:ss";
    default:
      return undefined;
  }
}

/** A column's header in the workbook: its label, and "(%)" for a ratio, which shows as a percentage. */
export function xlsxLabel(column: ExportColumn): string {
  return column.kind === "ratio" ? `${column.label} (%)` : column.label;
}

/** A cell as Excel holds it: numbers as numbers, days and instants as dates (UTC), ids as text. */
function value(cell: Cell, column: ExportColumn): string | number | Date | null {
  if (cell === null) return null;
  switch (column.kind) {
    case "text":
    case "code":
      return String(cell);
    case "integer":
    case "decimal":
    case "ratio": {
      const n = Number(cell);
      if (!Number.isFinite(n)) return null;
      // Whole numbers beyond 2^53 would lose digits as a double: written as text instead.
      if (column.kind === "integer" && !Number.isSafeInteger(n)) return String(cell);
      return n;
    }
    // A day as "YYYY-MM-DD" or as days since 1970-01-01; an instant as ISO-8601 or epoch milliseconds
    // (how the ledger's rows come from DuckDB).
    case "date":
      return typeof cell === "number"
        ? new Date(cell * 86_400_000)
        : new Date(`${String(cell).slice(0, 10)}T00:00:00Z`);
    case "timestamp":
      return new Date(typeof cell === "number" ? cell : String(cell));
  }
}

/**
 * The workbook's bytes, as exceljs writes them: `rows` comes in batches (a table's rows at once, or the
 * ledger's chunks as DuckDB yields them), and the writer waits for the reader whenever the bytes not yet
 * read pass 1 MiB. Stopping the reader (a download closed half-way) stops the writer.
 */
export async function* encodeXlsx(
  columns: readonly ExportColumn[],
  rows: AsyncIterable<Cell[][]> | Iterable<Cell[][]>,
  options: { locale: ExportLocale; about: XlsxAbout; labelOf: (column: ExportColumn) => string },
): AsyncGenerator<Uint8Array> {
  const words = WORDS[options.locale];
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = "Backlight";
  let stopped = false;
  const writing = (async () => {
    const sheet = workbook.addWorksheet(words.data, {
      views: [{ state: "frozen", ySplit: 1 }],
    });
    sheet.columns = columns.map((column) => {
      const header = options.labelOf(column);
      const format = numberFormat(column);
      return {
        header,
        key: column.id,
        width: Math.min(40, Math.max(12, header.length + 2)),
        ...(format ? { style: { numFmt: format } } : {}),
      };
    });
    sheet.getRow(1).font = { bold: true };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    sheet.getRow(1).commit();
    for await (const batch of rows) {
      for (const row of batch)
        sheet.addRow(row.map((cell, i) => value(cell, columns[i] as ExportColumn))).commit();
      if (out.writableNeedDrain) await Promise.race([once(out, "drain"), once(out, "close")]);
      if (stopped) return;
    }
    sheet.commit();
    const about = workbook.addWorksheet(words.about);
    about.columns = [{ width: 28 }, { width: 60 }, { width: 24 }];
    for (const [label, text] of options.about) about.addRow([label, text]).commit();
    about.addRow([]).commit();
    const head = about.addRow([words.columns]);
    head.font = { bold: true };
    head.commit();
    const columnsHead = about.addRow([words.id, words.label, words.kind]);
    columnsHead.font = { bold: true };
    columnsHead.commit();
    for (const column of columns) about.addRow([column.id, options.labelOf(column), column.kind]).commit();
    about.commit();
    await workbook.commit();
  })();
  // A failure while writing ends the reader with that error.
  writing.catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  try {
    for await (const chunk of out) yield new Uint8Array(chunk as Buffer);
    await writing;
  } finally {
    stopped = true;
    if (!out.destroyed) out.destroy();
  }
}

// Exports as bytes: a view's table (./views.server.ts) or the order-item ledger, encoded as CSV (three
// dialects), an Arrow IPC stream or Parquet, and streamed. Nothing holds a whole large result: CSV
// lines of the ledger are built inside DuckDB (csv-sql) and sent chunk by chunk as DuckDB yields them;
// Arrow batches go out as they are built; Parquet, whose footer comes last, is written by DuckDB to the
// one directory it may write to and streamed from there. Used by the /export route and the CLI alike.

import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import { canSeeMetric, type Role } from "~/auth/policy";
import type { Locale } from "~/i18n/locales";
import { parseFilters, type ResolvedFilters } from "~/lib/filters";
import { isMetricId } from "~/metrics/catalogue";
import { isSectionId } from "~/sections/registry";
import { encodeArrow } from "../../export/arrow";
import type { Cell, CsvDialect, ExportColumn, ExportFormat } from "../../export/columns";
import { EXPORT_FORMATS } from "../../export/columns";
import { contentType, csvHeader, encodeCsv } from "../../export/csv";
import { csvFieldSql } from "../../export/csv-sql";
import { filenameFor, filtersSummary } from "../../export/file-name";
import type { BusinessEvent } from "../auth/state.server";
import { eventsIn } from "../events.server";
import { BadRequest, type Dimensions, filtersFromUrl, metricQuery, readDimensions } from "../overview.server";
import { exportDirectory, type Snapshot, type Warehouse, type WarehouseResult } from "../warehouse.server";
import { inScreenOrder } from "./screen-order.server";
import { type ExportTable, type ExportView, exportTable, extraParams, isExportView } from "./views.server";
import { encodeXlsx, XLSX_MAX_ROWS, type XlsxAbout } from "./xlsx.server";

/** Parameters of the download itself, not of the view. */
export const DOWNLOAD_PARAMS = ["format", "labels"] as const;

export interface ExportRequest {
  view: ExportView;
  format: ExportFormat;
  /** A second header row with labels in the reader's language (CSV only; the Excel files' default). */
  labels: boolean;
  /** The view's own URL: the dashboard's filters, without the download parameters. */
  url: URL;
  locale: Locale;
}

/** The view, format and filters of a download URL, or a BadRequest saying what is wrong. */
export function parseExportRequest(view: string, url: URL, locale: Locale): ExportRequest {
  if (!isExportView(view)) throw new NotFound(`no export named "${view.slice(0, 40)}"`);
  const format = url.searchParams.getAll("format");
  if (format.length > 1) throw new BadRequest("the format parameter was given more than once");
  const chosen = format[0] ?? "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(chosen))
    throw new BadRequest(`format: "${chosen.slice(0, 40)}" is not one of ${EXPORT_FORMATS.join(", ")}`);
  const labels = url.searchParams.get("labels");
  if (labels !== null && labels !== "1" && labels !== "0") throw new BadRequest("labels: must be 1 or 0");
  const rest = new URL(url);
  for (const name of DOWNLOAD_PARAMS) rest.searchParams.delete(name);
  // Excel files are read by people: they carry the labels unless asked not to (labels=0).
  const request: ExportRequest = {
    view,
    format: chosen as ExportFormat,
    labels: labels === null ? isExcel(chosen as ExportFormat) : labels === "1",
    url: rest,
    locale,
  };
  // A page section's parameters are its page's, checked by the page's grammar when it is computed.
  if (isSectionId(view)) return request;
  // Only the view's own parameters are accepted (filters are checked again when the view is computed).
  const parsed = parseFilters(rest.searchParams, extraParams(view));
  if (!parsed.ok) throw parsed.error;
  return request;
}

export class NotFound extends Error {
  override name = "NotFound";
}

/** A download ready to send: its name, type, snapshot and a body that produces bytes on demand. */
export interface Download {
  filename: string;
  contentType: string;
  snapshot: Snapshot;
  body: AsyncIterable<Uint8Array>;
  /** Data rows written, once the body has been read to its end (null before, or if it was cut). */
  rows: () => number | null;
}

/** Data rows, set by the producer when it has written its last one. */
interface RowCount {
  rows: number | null;
}

const encoder = new TextEncoder();

async function* bytes(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield encoder.encode(chunk);
}

const isCsv = (format: ExportFormat): format is CsvDialect => format.startsWith("csv");
const isExcel = (format: ExportFormat): boolean => format === "csv-excel-fr" || format === "csv-excel-en";

/**
 * The download for a request, or null when no warehouse is published. `role`: the figures that role may
 * not see are left out (columns and all); absent for the command line, which reads the files directly.
 */
export async function prepareDownload(
  warehouse: Warehouse,
  req: ExportRequest,
  role?: Role,
): Promise<Download | null> {
  if (req.view === "order-items") return orderItems(warehouse, req);
  const full = await exportTable(warehouse, req.view, req.url, req.locale);
  if (!full) return null;
  // Rows in the screen's order, as the sections' files are (the table on screen and its file agree).
  const table = inScreenOrder(role ? redactTable(full, role) : full, req.url.searchParams, req.locale);
  return {
    filename: filenameFor(
      table.view,
      filtersSummary(req.url.searchParams),
      table.range.from,
      table.range.to,
      req.format,
    ),
    contentType: contentType(req.format),
    snapshot: table.snapshot,
    // The workbook's second sheet lists the period's business events (the app state's, read first).
    body: encodeTable(warehouse, table, req, req.format === "xlsx" ? await eventsIn(table.range, null) : []),
    rows: () => table.rows.length,
  };
}

/**
 * The table without the metric columns the role may not see, nor the rows that name such a metric in
 * a `metric_id` column (tables with a row per metric: the "What changed" page's).
 */
export function redactTable(table: ExportTable, role: Role): ExportTable {
  const keep = table.columns.map((c) => !isMetricId(c.id) || canSeeMetric(role, c.id));
  const named = table.columns.findIndex((c) => c.id === "metric_id");
  const rowShown = (row: Cell[]) => {
    const metric = named < 0 ? null : row[named];
    return typeof metric !== "string" || !isMetricId(metric) || canSeeMetric(role, metric);
  };
  if (keep.every(Boolean) && table.rows.every(rowShown)) return table;
  return {
    ...table,
    columns: table.columns.filter((_, i) => keep[i]),
    rows: table.rows.filter(rowShown).map((row) => row.filter((_, i) => keep[i])),
  };
}

function encodeTable(
  warehouse: Warehouse,
  table: ExportTable,
  req: ExportRequest,
  events: readonly BusinessEvent[],
): AsyncIterable<Uint8Array> {
  const { format } = req;
  if (isCsv(format))
    return bytes(
      encodeCsv(table.columns, table.rows, { dialect: format, labels: req.labels, locale: req.locale }),
    );
  if (format === "arrow") return encodeArrow(table.columns, [table.rows], { locale: req.locale });
  if (format === "xlsx") {
    if (table.rows.length > XLSX_MAX_ROWS) throw new TooManyRowsForXlsx(table.rows.length);
    return encodeXlsx(table.columns, [table.rows], {
      locale: req.locale,
      count: table.rows.length,
      about: aboutSheet(req, table.view, table.range, table.snapshot, table.rows.length, events),
    });
  }
  return parquetOfTable(warehouse, table);
}

/** An XLSX download past the sheet's limit: refused before the first byte, with the formats that fit. */
export class TooManyRowsForXlsx extends BadRequest {
  constructor(readonly rows: number) {
    super(
      `this download has ${rows.toLocaleString("en-GB")} rows and an Excel sheet holds at most ${XLSX_MAX_ROWS.toLocaleString("en-GB")}: choose CSV or Parquet, or a shorter period`,
    );
  }
  override in(locale: Locale): string {
    if (locale !== "fr-FR") return this.message;
    const n = (v: number) => v.toLocaleString("fr-FR");
    return `ce téléchargement compte ${n(this.rows)} lignes et une feuille Excel en contient au plus ${n(XLSX_MAX_ROWS)} : choisissez CSV ou Parquet, ou une période plus courte`;
  }
}

/** The workbook's second sheet: what it holds, from where, and whether the data is synthetic. */
function aboutSheet(
  req: ExportRequest,
  view: string,
  range: { from: string; to: string },
  snapshot: Snapshot,
  rows: number,
  events: readonly BusinessEvent[],
): XlsxAbout {
  const fr = req.locale === "fr-FR";
  const query = new URLSearchParams(req.url.searchParams);
  query.delete("lang");
  const filters = query.toString().replaceAll("%2C", ",");
  return [
    [fr ? "Vue" : "View", view],
    [fr ? "Filtres" : "Filters", filters || (fr ? "aucun" : "none")],
    [fr ? "Période" : "Period", `${range.from} – ${range.to}`],
    [fr ? "Lignes" : "Rows", rows],
    [fr ? "Instantané" : "Snapshot", snapshot.id],
    [fr ? "Publié le" : "Published", snapshot.createdAt],
    [fr ? "Téléchargé le" : "Downloaded", new Date().toISOString()],
    [
      fr ? "Données" : "Data",
      snapshot.synthetic
        ? fr
          ? "Synthétiques : générées pour la démonstration, ce ne sont pas des chiffres réels"
          : "Synthetic: generated for the demo, not real figures"
        : fr
          ? "Réelles, issues des extraits chargés"
          : "Real, from the loaded extracts",
    ],
    // The business events of the period (issue 21), as the charts mark them.
    ...events.map((e): [string, string] => [
      `${fr ? "Événement" : "Event"} ${e.day}`,
      `${e.label[req.locale]}${e.country ? ` (${e.country})` : ""}`,
    ]),
  ];
}

// ---- Parquet: DuckDB's own writer, into the export directory, then streamed and removed.

/** DuckDB's type for a column kind: what Parquet readers (pandas, Polars, DuckDB) will see. */
function duckType(column: ExportColumn): string {
  switch (column.kind) {
    case "text":
    case "code":
      return "VARCHAR";
    case "integer":
      return "BIGINT";
    case "decimal":
      return `DECIMAL(18, ${column.scale ?? 2})`;
    case "ratio":
      return "DOUBLE";
    case "date":
      return "DATE";
    case "timestamp":
      return "TIMESTAMPTZ";
  }
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

function sqlValue(cell: Cell, column: ExportColumn): string {
  if (cell === null) return `CAST(NULL AS ${duckType(column)})`;
  if (typeof cell === "number" && !Number.isFinite(cell)) return `CAST(NULL AS ${duckType(column)})`;
  return `CAST(${literal(String(cell))} AS ${duckType(column)})`;
}

async function* streamFile(file: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }))
      yield new Uint8Array(chunk as Buffer);
  } finally {
    await rm(file, { force: true });
  }
}

async function* parquetOfTable(warehouse: Warehouse, table: ExportTable): AsyncGenerator<Uint8Array> {
  const file = join(exportDirectory(), `${randomUUID()}.parquet`);
  const names = table.columns.map((c) => `"${c.id}"`).join(", ");
  const select = table.rows.length
    ? `SELECT * FROM (VALUES ${table.rows
        .map(
          (row) => `(${row.map((cell, i) => sqlValue(cell, table.columns[i] as ExportColumn)).join(", ")})`,
        )
        .join(", ")}) AS t(${names})`
    : `SELECT ${table.columns.map((c) => `CAST(NULL AS ${duckType(c)}) AS "${c.id}"`).join(", ")} LIMIT 0`;
  const written = await warehouse.withExportConnection((conn) =>
    conn.run(`COPY (${select}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd)`),
  );
  if (written.state === "empty") throw new Error("the warehouse was unpublished");
  yield* streamFile(file);
}

// ---- The order-item ledger: every line of a filtered range, straight from mart_order_items.

/** The ledger's columns and the SQL expression of each (in mart_order_items). */
const ORDER_ITEM_COLUMNS: { column: Omit<ExportColumn, "label">; label: [string, string]; expr?: string }[] =
  [
    { column: { id: "order_item_id", kind: "code" }, label: ["Order item", "Article commandé"] },
    { column: { id: "order_id", kind: "code" }, label: ["Order", "Commande"] },
    { column: { id: "customer_id", kind: "code" }, label: ["Customer", "Client"] },
    { column: { id: "reporting_date", kind: "date" }, label: ["Reporting date", "Date de reporting"] },
    { column: { id: "ordered_at", kind: "timestamp" }, label: ["Ordered at (UTC)", "Commandé le (UTC)"] },
    { column: { id: "country_code", kind: "code" }, label: ["Country", "Pays"] },
    { column: { id: "region", kind: "code" }, label: ["Region", "Région"] },
    { column: { id: "seller_id", kind: "code" }, label: ["Seller", "Vendeur"] },
    { column: { id: "seller_name", kind: "text" }, label: ["Seller name", "Nom du vendeur"] },
    { column: { id: "product_id", kind: "code" }, label: ["Product", "Produit"] },
    { column: { id: "brand", kind: "text" }, label: ["Brand", "Marque"] },
    { column: { id: "model", kind: "text" }, label: ["Model", "Modèle"] },
    { column: { id: "category", kind: "code" }, label: ["Category", "Catégorie"] },
    { column: { id: "grade", kind: "code" }, label: ["Grade", "État"] },
    {
      column: { id: "battery_health_pct", kind: "integer" },
      label: ["Battery health %", "Santé batterie %"],
    },
    { column: { id: "channel", kind: "code" }, label: ["Channel", "Canal"] },
    { column: { id: "partner", kind: "code" }, label: ["Partner", "Partenaire"] },
    { column: { id: "status", kind: "code" }, label: ["Status", "Statut"] },
    { column: { id: "currency", kind: "code" }, label: ["Currency of the sale", "Devise de la vente"] },
    { column: { id: "eur_per_unit", kind: "decimal", scale: 10 }, label: ["EUR per unit", "EUR par unité"] },
    { column: { id: "price_eur", kind: "decimal", scale: 4 }, label: ["Price (EUR)", "Prix (EUR)"] },
    {
      column: { id: "displayed_new_price_eur", kind: "decimal", scale: 4 },
      label: ["Displayed new price (EUR)", "Prix neuf affiché (EUR)"],
    },
    {
      column: { id: "commission_eur", kind: "decimal", scale: 4 },
      label: ["Commission (EUR)", "Commission (EUR)"],
    },
    {
      column: { id: "payment_fee_eur", kind: "decimal", scale: 4 },
      label: ["Payment fee (EUR)", "Frais de paiement (EUR)"],
    },
  ];

export function orderItemColumns(locale: Locale): ExportColumn[] {
  return ORDER_ITEM_COLUMNS.map(({ column, label }) => ({
    ...column,
    label: locale === "fr-FR" ? label[1] : label[0],
  }));
}

/**
 * Columns whose values come from closed lists checked at load (the landing contract's codes): never a
 * separator, quote, line break, digit or formula start, so written as they are, without the checks a
 * free-text cell needs. Those checks are most of the cost of a line at 30M rows.
 */
const CLOSED_LIST_COLUMNS = new Set([
  "country_code",
  "region",
  "category",
  "grade",
  "channel",
  "partner",
  "status",
  "currency",
]);

/** One ledger line as a DuckDB expression: csv-sql's fields, closed-list codes as they are. */
function ledgerLineSql(columns: ExportColumn[], dialect: CsvDialect): string {
  const separator = dialect === "csv-excel-fr" ? "';'" : "','";
  const fields = columns.map((column) =>
    CLOSED_LIST_COLUMNS.has(column.id) ? `"${column.id}"` : csvFieldSql(column, `"${column.id}"`, dialect),
  );
  // concat() skips NULL arguments: NULL is an empty field.
  return `concat(${fields.join(`, ${separator}, `)})`;
}

/** The WHERE clause of a filtered ledger: dates, countries and slices, all checked before they get here. */
function ledgerWhere(filters: ResolvedFilters, dims: Dimensions): string {
  const q = metricQuery(filters, dims);
  const parts = [`reporting_date BETWEEN DATE ${literal(q.current.from)} AND DATE ${literal(q.current.to)}`];
  if (q.countries)
    parts.push(q.countries.length ? `country_code IN (${q.countries.map(literal).join(", ")})` : "false");
  for (const [column, values] of Object.entries(q.slices))
    if (values.length) parts.push(`${column} IN (${values.map(literal).join(", ")})`);
  return parts.join(" AND ");
}

/**
 * Cells for Arrow as numbers wherever the encoder takes them (per-cell text is what costs most): ids as
 * DOUBLE (all below 2^53), decimals as DOUBLE (a DECIMAL(18, s) of at most 15 significant digits comes
 * back as the double whose shortest form is that decimal; the encoder rounds it to its scale, exactly),
 * dates as days and instants as milliseconds since the epoch.
 */
function cellSql(column: ExportColumn): string {
  const c = `"${column.id}"`;
  switch (column.kind) {
    case "decimal":
    case "integer":
      return `CAST(${c} AS DOUBLE)`;
    case "date":
      return `CAST(${c} - DATE '1970-01-01' AS DOUBLE)`;
    case "timestamp":
      return `CAST(epoch_ms(${c}) AS DOUBLE)`;
    default:
      return c;
  }
}

/** Rows per Arrow record batch: DuckDB yields 2,048 at a time; larger batches read faster downstream. */
const ARROW_BATCH_ROWS = 65_536;
/** The workbook takes DuckDB's chunks nearly as they come: its slices are small, and memory stays flat. */
const XLSX_BATCH_ROWS = 4_096;

/** The ledger's order: by reporting date, then the instant of the order, then the item's id. */
const LEDGER_ORDER = "reporting_date, ordered_at, order_item_id";
/**
 * Lines per sorted run of days: at about 250 bytes each, sorted within the export instance's default
 * memory (BACKLIGHT_EXPORT_MEMORY, 256MB) with room to spare. BACKLIGHT_LEDGER_RUN_LINES sets it (with
 * more export memory, fewer and larger runs; the tests use tiny runs).
 */
const ledgerRunLines = (): number => Number(process.env.BACKLIGHT_LEDGER_RUN_LINES) || 200_000;

/**
 * The ledger's matching lines per run of consecutive reporting dates, in date order: runs of at most
 * ledgerRunLines() lines (a day with more is a run of its own). Each run is one query sorted in
 * memory and the runs go out one after another: lines in the ledger's order, streamed from the first
 * run on, where one ORDER BY over millions of lines would hold them all before the first byte (and
 * cost 4 times as long over a year at scale 1).
 */
async function ledgerRuns(
  warehouse: Warehouse,
  where: string,
): Promise<WarehouseResult<{ from: string; to: string; lines: number }[]>> {
  return warehouse.withExportConnection(async (conn) => {
    const days = (
      await conn.runAndReadAll(
        `SELECT reporting_date::VARCHAR AS d, count(*) AS n FROM marts.mart_order_items WHERE ${where} GROUP BY 1 ORDER BY 1`,
      )
    ).getRows();
    const most = ledgerRunLines();
    const runs: { from: string; to: string; lines: number }[] = [];
    for (const [day, n] of days) {
      const lines = Number(n);
      const last = runs.at(-1);
      if (last && last.lines + lines <= most) {
        last.to = String(day);
        last.lines += lines;
      } else runs.push({ from: String(day), to: String(day), lines });
    }
    return runs;
  });
}

async function orderItems(warehouse: Warehouse, req: ExportRequest): Promise<Download | null> {
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return null;
  const filters = filtersFromUrl(req.url, dims.result);
  const where = ledgerWhere(filters, dims.result);
  const columns = orderItemColumns(req.locale);
  const from = `FROM marts.mart_order_items WHERE ${where}`;
  const status = await warehouse.status();
  if (status.state === "empty") return null;
  const { format } = req;
  const count: RowCount = { rows: null };
  let body: AsyncIterable<Uint8Array>;
  // Excel and Arrow, encoded here in JS at a few hundred thousand rows a second, get the lines in the
  // ledger's order, one sorted query per run of days (see ledgerRuns): sorting costs them little. CSV and
  // Parquet, written by DuckDB at full speed, keep storage order (load order: by date for extracts
  // written by date): sorted, the CSV of every line at scale 1 took 114.7 s instead of 50 (ADR 0028).
  const runs = format === "xlsx" || format === "arrow" ? await ledgerRuns(warehouse, where) : null;
  if (runs?.state === "empty") return null;
  const inOrder = (select: string): string[] =>
    (runs?.result ?? []).map(
      (r) =>
        `${select} ${from} AND reporting_date BETWEEN DATE ${literal(r.from)} AND DATE ${literal(r.to)} ORDER BY ${LEDGER_ORDER}`,
    );
  if (isCsv(format)) {
    const line = ledgerLineSql(columns, format);
    const header = csvHeader(columns, { dialect: format, labels: req.labels, locale: req.locale });
    // DuckDB ends each line with LF: the CR before it makes the CRLF of RFC 4180.
    body = csvThroughFile(warehouse, `SELECT ${line} || chr(13) AS line ${from}`, header, count);
  } else if (format === "xlsx") {
    // The sheet's limit is checked before the first byte, on the runs' counts.
    const counted = (runs?.result ?? []).reduce((n, r) => n + r.lines, 0);
    if (counted > XLSX_MAX_ROWS) throw new TooManyRowsForXlsx(counted);
    // As the Arrow encoder takes them: numbers as DOUBLE, days and instants as numbers since the epoch.
    const select = inOrder(`SELECT ${columns.map((c) => `${cellSql(c)} AS "${c.id}"`).join(", ")}`);
    body = encodeXlsx(columns, streamRows(warehouse, select, columns.length, count, XLSX_BATCH_ROWS), {
      locale: req.locale,
      count: counted,
      about: aboutSheet(
        req,
        "order-items",
        filters.range,
        status.snapshot,
        counted,
        await eventsIn(filters.range, null),
      ),
    });
  } else if (format === "arrow") {
    const select = inOrder(`SELECT ${columns.map((c) => `${cellSql(c)} AS "${c.id}"`).join(", ")}`);
    body = encodeArrow(columns, streamRows(warehouse, select, columns.length, count), {
      locale: req.locale,
    });
  } else {
    const select = `SELECT ${columns.map((c) => `CAST("${c.id}" AS ${duckType(c)}) AS "${c.id}"`).join(", ")} ${from}`;
    body = parquetOfQuery(warehouse, select, count);
  }
  return {
    filename: filenameFor(
      "order-items",
      filtersSummary(req.url.searchParams),
      filters.range.from,
      filters.range.to,
      format,
    ),
    contentType: contentType(format),
    snapshot: status.snapshot,
    body,
    rows: () => count.rows,
  };
}

/**
 * The ledger's CSV, written by DuckDB itself (its own threads, in order) into a file in the export
 * directory that this process reads as it grows, 1 MiB at a time: the bytes never become JS strings
 * and neither side waits for the other, so DuckDB runs at full speed while the socket drains. Memory
 * stays flat whatever the row count (the file lives in the page cache and on disk, and is deleted at
 * the end). `first` (BOM, header rows) goes out before. A reader that goes away interrupts DuckDB.
 * (A named pipe, which would also hold DuckDB back for a slow reader, measured slower; see ADR 0009.)
 */
async function* csvThroughFile(
  warehouse: Warehouse,
  select: string,
  first: string,
  count: RowCount,
): AsyncGenerator<Uint8Array> {
  yield encoder.encode(first);
  const lease = await warehouse.leaseExport();
  if (lease.state === "empty") throw new Error("the warehouse was unpublished");
  try {
    count.rows = yield* copyThroughFile(lease.result.conn, select);
  } finally {
    lease.result.release();
  }
}

/** One query's CSV lines through a file (see csvThroughFile); returns how many lines it wrote. */
async function* copyThroughFile(conn: DuckDBConnection, select: string): AsyncGenerator<Uint8Array, number> {
  let rows = 0;
  const file = join(exportDirectory(), `${randomUUID()}.csv`);
  let settled = false;
  let failure: unknown = null;
  // One column, no quoting and a separator that never occurs: DuckDB writes each line as built.
  const copying = conn
    .run(
      `COPY (${select}) TO ${literal(file)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1F')`,
    )
    .then(
      (result) => {
        rows = Number(result.rowsChanged);
      },
      (error: unknown) => {
        failure = error;
      },
    )
    .finally(() => {
      settled = true;
    });
  let handle: FileHandle | undefined;
  try {
    let position = 0;
    for (;;) {
      if (!handle) {
        handle = await open(file, "r").catch(() => undefined);
        if (!handle) {
          if (settled) break;
          await sleep(5);
          continue;
        }
      }
      // Whether DuckDB was done before this read: then a short read is the true end of the file.
      const done = settled;
      // A new buffer per read: the socket holds on to a chunk until it is sent.
      const buffer = Buffer.allocUnsafe(1024 * 1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      } else if (done) break;
      else await sleep(5);
    }
    if (failure) throw failure;
  } finally {
    if (!settled) conn.interrupt();
    await copying;
    await handle?.close();
    await rm(file, { force: true });
  }
  return rows;
}

async function* streamRows(
  warehouse: Warehouse,
  /** One query, or several whose rows follow one another. */
  sql: string | readonly string[],
  width: number,
  count: RowCount,
  batchRows = ARROW_BATCH_ROWS,
): AsyncGenerator<Cell[][]> {
  yield* leased(warehouse, async function* (conn) {
    let rows = 0;
    let batch: Cell[][] = [];
    for (const query of typeof sql === "string" ? [sql] : sql) {
      const result = await conn.stream(query);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        rows += chunk.rowCount;
        const columns = Array.from({ length: width }, (_, i) => chunk.getColumnValues(i) as Cell[]);
        for (let r = 0; r < chunk.rowCount; r++) batch.push(columns.map((values) => values[r] ?? null));
        if (batch.length >= batchRows) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length) yield batch;
    count.rows = rows;
  });
}

async function* parquetOfQuery(
  warehouse: Warehouse,
  select: string,
  count: RowCount,
): AsyncGenerator<Uint8Array> {
  const file = join(exportDirectory(), `${randomUUID()}.parquet`);
  const written = await warehouse.withExportConnection(async (conn) => {
    const result = await conn.run(
      `COPY (${select}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
    );
    return Number(result.rowsChanged);
  });
  if (written.state === "empty") {
    await rm(file, { force: true });
    throw new Error("the warehouse was unpublished");
  }
  yield* streamFile(file);
  count.rows = written.result;
}

/**
 * A generator run on an export-lane connection: the lease is taken when the first value is asked for,
 * and given back when the generator ends, fails or is abandoned (a download closed half-way).
 */
async function* leased<T>(
  warehouse: Warehouse,
  produce: (conn: DuckDBConnection) => AsyncGenerator<T>,
): AsyncGenerator<T> {
  const lease = await warehouse.leaseExport();
  if (lease.state === "empty") throw new Error("the warehouse was unpublished");
  try {
    yield* produce(lease.result.conn);
  } finally {
    lease.result.release();
  }
}

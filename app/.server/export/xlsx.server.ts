// Downloads as Excel workbooks (issue 21): real numbers, dates and instants with number formats (amounts
// to their decimals, ratios as percentages, dates as dates), the header row frozen and filterable, and a
// second sheet that says what the file holds (view, filters, period, snapshot, synthetic or real, each
// column's id). The sheet limit (1,048,575 data rows) is checked by the callers before the first byte.
//
// Written here rather than with a library: an XLSX is a zip of a few XML files, and the one that grows
// (the data sheet) is written row by row, each slice compressed on libuv's threads and sent before the
// next is built, so memory stays flat and the JavaScript thread is never held for long (exceljs's
// streaming writer buffered the whole uncompressed sheet of a million rows: +1.3 GB, ADR 0020). The zip
// is streamed (sizes in data descriptors); its parts are the minimum Excel, LibreOffice and exceljs read.

import { promisify } from "node:util";
import { constants, crc32, deflateRaw } from "node:zlib";
import type { Cell, ExportColumn, ExportLocale } from "../../export/columns";
import { scaleOf } from "../../export/columns";

/** Data rows a sheet can hold: Excel's 1,048,576 rows less the header. */
export const EXCEL_MAX_ROWS = 1_048_575;

/** The rows an XLSX download may have: Excel's limit, or fewer by BACKLIGHT_XLSX_MAX_ROWS (a policy, tests). */
export const XLSX_MAX_ROWS = Math.min(
  EXCEL_MAX_ROWS,
  Number(process.env.BACKLIGHT_XLSX_MAX_ROWS) || EXCEL_MAX_ROWS,
);

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

/** A column's header in the workbook: its label, and "(%)" for a ratio, which shows as a percentage. */
export function xlsxLabel(column: ExportColumn): string {
  return column.kind === "ratio" ? `${column.label} (%)` : column.label;
}

/** Excel's number format for a column (the reader's Excel puts its own separators in). */
function numberFormat(column: ExportColumn): string | undefined {
  switch (column.kind) {
    case "integer":
      return "#,##0";
    case "decimal": {
      const scale = scaleOf(column);
      return scale > 0 ? `#,##0.${"0".repeat(scale)}` : "#,##0";
    }
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

// ---- XML

/** Text for XML: escaped, and without the characters XML 1.0 cannot hold (controls but tab and newlines). */
function xmlText(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"))
  );
}

/** The spreadsheet column letters of 1-based index n (1 → A, 27 → AA). */
function letters(n: number): string {
  let out = "";
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) out = String.fromCharCode(65 + ((i - 1) % 26)) + out;
  return out;
}

/** Days since 1899-12-30, Excel's serial for an instant in UTC. */
const serial = (ms: number) => ms / 86_400_000 + 25_569;

/** One cell's XML: a number with its style, an instant as a serial with a date style, text inline. */
function cellXml(cell: Cell, column: ExportColumn, ref: string, style: number): string {
  if (cell === null) return "";
  const s = style ? ` s="${style}"` : "";
  switch (column.kind) {
    case "integer":
    case "decimal":
    case "ratio": {
      const n = Number(cell);
      if (!Number.isFinite(n)) return "";
      // Whole numbers beyond 2^53 would lose digits as a double: written as text instead.
      if (column.kind === "integer" && !Number.isSafeInteger(n)) break;
      return `<c r="${ref}"${s}><v>${n}</v></c>`;
    }
    case "date": {
      // A day as "YYYY-MM-DD" or as days since 1970-01-01 (how the ledger's rows come from DuckDB).
      const ms =
        typeof cell === "number" ? cell * 86_400_000 : Date.parse(`${String(cell).slice(0, 10)}T00:00:00Z`);
      return Number.isFinite(ms) ? `<c r="${ref}"${s}><v>${serial(ms)}</v></c>` : "";
    }
    case "timestamp": {
      const ms = typeof cell === "number" ? cell : Date.parse(String(cell));
      return Number.isFinite(ms) ? `<c r="${ref}"${s}><v>${serial(ms)}</v></c>` : "";
    }
    default:
      break;
  }
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${xmlText(String(cell))}</t></is></c>`;
}

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

function textRow(r: number, values: (string | number)[], style = 0): string {
  const cells = values.map((v, i) => {
    const ref = `${letters(i + 1)}${r}`;
    const s = style ? ` s="${style}"` : "";
    return typeof v === "number"
      ? `<c r="${ref}"${s}><v>${v}</v></c>`
      : `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${xmlText(v)}</t></is></c>`;
  });
  return `<row r="${r}">${cells.join("")}</row>`;
}

// ---- Zip (streamed: sizes and CRC in a data descriptor after each file)

const deflateRawAsync = promisify(deflateRaw);
const SYNC = { level: 6, finishFlush: constants.Z_SYNC_FLUSH };

interface ZipEntry {
  name: Buffer;
  offset: number;
  crc: number;
  size: number;
  compressed: number;
}

class ZipWriter {
  readonly entries: ZipEntry[] = [];
  offset = 0;
  #current: ZipEntry | undefined;

  /** A file's local header: its sizes come after its data. */
  start(name: string): Buffer {
    const nameBytes = Buffer.from(name, "utf8");
    this.#current = { name: nameBytes, offset: this.offset, crc: 0, size: 0, compressed: 0 };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0
    header.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(DOS_TIME, 10);
    header.writeUInt16LE(nameBytes.length, 26);
    return this.#count(Buffer.concat([header, nameBytes]));
  }

  /** A slice of the current file, compressed (flushed to a byte boundary, not final). */
  async data(text: string): Promise<Buffer> {
    const entry = this.#entry();
    const raw = Buffer.from(text, "utf8");
    entry.crc = crc32(raw, entry.crc);
    entry.size += raw.length;
    const compressed = await deflateRawAsync(raw, SYNC);
    entry.compressed += compressed.length;
    return this.#count(compressed);
  }

  /** The end of the current file: a final empty block, then its CRC and sizes. */
  end(): Buffer {
    const entry = this.#entry();
    entry.compressed += FINAL_BLOCK.length;
    if (entry.size > 0xffffffff || this.offset > 0xfffffff0)
      throw new Error("this workbook would need ZIP64: too large for one download");
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc >>> 0, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    this.entries.push(entry);
    this.#current = undefined;
    return this.#count(Buffer.concat([FINAL_BLOCK, descriptor]));
  }

  /** The central directory and its end record. */
  finish(): Buffer {
    const start = this.offset;
    const records = this.entries.map((e) => {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(0x0808, 8);
      record.writeUInt16LE(8, 10);
      record.writeUInt32LE(DOS_TIME, 12);
      record.writeUInt32LE(e.crc >>> 0, 16);
      record.writeUInt32LE(e.compressed, 20);
      record.writeUInt32LE(e.size, 24);
      record.writeUInt16LE(e.name.length, 28);
      record.writeUInt32LE(e.offset, 42);
      return Buffer.concat([record, e.name]);
    });
    const directory = Buffer.concat(records);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    return this.#count(Buffer.concat([directory, end]));
  }

  #entry(): ZipEntry {
    if (!this.#current) throw new Error("no zip entry open");
    return this.#current;
  }

  #count(bytes: Buffer): Buffer {
    this.offset += bytes.length;
    return bytes;
  }
}

/** 1 January 2025, 00:00 in MS-DOS form: a fixed time, so the same figures give the same bytes. */
const DOS_TIME = ((2025 - 1980) << 25) | (1 << 21) | (1 << 16);
/** A final, empty block with fixed codes: it ends a deflate stream made of flushed pieces. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** Rows of the data sheet built and compressed per slice of this many rows. */
const SLICE_ROWS = 2_000;

/**
 * The workbook's bytes: `rows` comes in batches (a table's rows at once, or the ledger's chunks as DuckDB
 * yields them); `count` is the number of data rows (for the filter's range). Nothing is built ahead of
 * the reader: each slice of rows is compressed and handed over before the next is read.
 */
export async function* encodeXlsx(
  columns: readonly ExportColumn[],
  rows: AsyncIterable<Cell[][]> | Iterable<Cell[][]>,
  options: { locale: ExportLocale; about: XlsxAbout; count: number },
): AsyncGenerator<Uint8Array> {
  const words = WORDS[options.locale];
  const zip = new ZipWriter();
  // Styles: 0 default, 1 bold (headers), then one per distinct number format.
  const formats = [...new Set(columns.map(numberFormat).filter((f): f is string => f !== undefined))];
  const styleOf = columns.map((c) => {
    const f = numberFormat(c);
    return f === undefined ? 0 : 2 + formats.indexOf(f);
  });
  const refs = columns.map((_, i) => letters(i + 1));
  const lastColumn = letters(columns.length);
  const lastRow = options.count + 1;

  const small = async function* (name: string, xml: string): AsyncGenerator<Buffer> {
    yield zip.start(name);
    yield await zip.data(xml);
    yield zip.end();
  };

  yield* small(
    "[Content_Types].xml",
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  );
  yield* small(
    "_rels/.rels",
    `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  yield* small(
    "xl/workbook.xml",
    `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${RELS}"><bookViews><workbookView/></bookViews><sheets><sheet name="${xmlText(words.data)}" sheetId="1" r:id="rId1"/><sheet name="${xmlText(words.about)}" sheetId="2" r:id="rId2"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${xmlText(words.data)}'!$A$1:$${lastColumn}$${lastRow}</definedName></definedNames></workbook>`,
  );
  yield* small(
    "xl/_rels/workbook.xml.rels",
    `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RELS}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${RELS}/styles" Target="styles.xml"/></Relationships>`,
  );
  const xf = (numFmtId: number, fontId = 0) =>
    `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"${numFmtId ? ' applyNumberFormat="1"' : ""}${fontId ? ' applyFont="1"' : ""}/>`;
  yield* small(
    "xl/styles.xml",
    `${HEAD}<styleSheet xmlns="${MAIN}">${
      formats.length
        ? `<numFmts count="${formats.length}">${formats.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${xmlText(f)}"/>`).join("")}</numFmts>`
        : ""
    }<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${2 + formats.length}">${xf(0)}${xf(0, 1)}${formats.map((_, i) => xf(164 + i)).join("")}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
  );

  // The data sheet, slice by slice.
  yield zip.start("xl/worksheets/sheet1.xml");
  const widths = columns
    .map((c, i) => {
      const width = Math.min(40, Math.max(12, xlsxLabel(c).length + 2));
      return `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`;
    })
    .join("");
  yield await zip.data(
    `${HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${RELS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${widths}</cols><sheetData>${textRow(
      1,
      columns.map(xlsxLabel),
      1,
    )}`,
  );
  let r = 1;
  // One slice is compressed (on libuv's threads) while the next is built: at most two in memory.
  let pending: Promise<Buffer> | undefined;
  for await (const batch of rows)
    for (let from = 0; from < batch.length; from += SLICE_ROWS) {
      let xml = "";
      for (const row of batch.slice(from, from + SLICE_ROWS)) {
        r += 1;
        xml += `<row r="${r}">`;
        for (let i = 0; i < columns.length; i++)
          xml += cellXml(row[i] ?? null, columns[i] as ExportColumn, `${refs[i]}${r}`, styleOf[i] as number);
        xml += "</row>";
      }
      const next = zip.data(xml);
      if (pending) yield await pending;
      pending = next;
    }
  if (pending) yield await pending;
  yield await zip.data(`</sheetData><autoFilter ref="A1:${lastColumn}${Math.max(r, lastRow)}"/></worksheet>`);
  yield zip.end();

  // What the file holds.
  const about: string[] = [];
  let n = 0;
  for (const [label, value] of options.about) about.push(textRow(++n, [label, value]));
  n += 1;
  about.push(textRow(++n, [words.columns], 1));
  about.push(textRow(++n, [words.id, words.label, words.kind], 1));
  for (const column of columns) about.push(textRow(++n, [column.id, xlsxLabel(column), column.kind]));
  yield* small(
    "xl/worksheets/sheet2.xml",
    `${HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${RELS}"><cols><col min="1" max="1" width="28" customWidth="1"/><col min="2" max="2" width="60" customWidth="1"/><col min="3" max="3" width="24" customWidth="1"/></cols><sheetData>${about.join("")}</sheetData></worksheet>`,
  );
  yield zip.finish();
}

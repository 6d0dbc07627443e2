// Arrow IPC stream encoding of typed export rows, for analysts who load exports into pandas, Polars or
// DuckDB and want real column types instead of CSV text. Same column model as the CSV encoders.
//
// Types (field metadata also carries "backlight:kind" and "backlight:label", the label with its unit):
// - text, code → Utf8, verbatim: no formula-injection prefix, since an Arrow reader gets typed strings,
//   not spreadsheet cells (whoever turns them into a spreadsheet must neutralise them there).
// - integer → Int64 (a value outside the signed 64-bit range throws).
// - decimal → Decimal128(precision 38, scale): exact, no float anywhere. The unscaled 128-bit integers are
//   written straight into the buffer from the same decimal rounding as the CSV (toUnscaled in csv.ts,
//   or its BigInt-free fast path), so a CSV field and its Arrow value are the same decimal. apache-arrow
//   21 takes a decimal value only as raw 32-bit words (no number or string input), hence the direct
//   buffer. Precision 38 (not 18) so that every value the CSV accepts fits (1e21 € at scale 2 has 24
//   digits); readers see decimal128(38, scale) / DECIMAL(38,s).
// - ratio → Float64, unrounded (the double itself; `scale` only applies to CSV text).
// - date → Date32 (DateDay). timestamp → Timestamp(MILLISECOND, "UTC"), matching the CSV's precision.
//
// Framing: one schema message, one record batch per input batch (an empty input batch is skipped), the
// end-of-stream marker. Each yielded Uint8Array is one of those, so memory stays at one batch.
// Assumes a little-endian host (Arrow's byte order; every platform Node runs on in practice).

import {
  AsyncByteQueue,
  type Data,
  type DataType,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
} from "apache-arrow";
import {
  assertColumns,
  type Cell,
  type ExportColumn,
  type ExportLocale,
  labelWithUnit,
  scaleOf,
} from "./columns.ts";
import { digitsAt, isIsoDate, isIsoTimestamp, toUnscaled } from "./csv.ts";

export const DECIMAL_PRECISION = 38;
const DECIMAL_LIMIT = 10n ** BigInt(DECIMAL_PRECISION);
const DAY_MS = 86_400_000;
const FAST_LIMIT = 2 ** 40;
const WORD = 2 ** 32;

/**
 * Writes the integer `n` (|n| < 2^53) as `count` little-endian two's complement 32-bit words at
 * words[at]: what Int64 and Decimal128 buffers hold, without a BigInt per value.
 */
function setWords(words: Uint32Array, at: number, count: number, n: number): void {
  const low = ((n % WORD) + WORD) % WORD;
  words[at] = low;
  words[at + 1] = (n - low) / WORD; // the high word; a negative one wraps to its two's complement
  for (let k = 2; k < count; k++) words[at + k] = n < 0 ? 0xffffffff : 0;
}

/** setWords for a bigint of any size that fits in `count` words. */
function setBigWords(words: Uint32Array, at: number, count: number, n: bigint): void {
  for (let k = 0; k < count; k++) words[at + k] = Number(BigInt.asUintN(32, n >> BigInt(32 * k)));
}

/** Days since 1970-01-01 of a valid "YYYY-MM-DD" (proleptic Gregorian; Hinnant's days_from_civil). */
function epochDay(text: string): number {
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const year = digitsAt(text, 0, 4) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return (
    era * 146097 +
    yearOfEra * 365 +
    Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100) +
    dayOfYear -
    719468
  );
}

/** Milliseconds since the epoch of a valid "YYYY-MM-DDTHH:mm:ss.sssZ". */
function epochMs(text: string): number {
  const hours = digitsAt(text, 11, 13);
  const minutes = digitsAt(text, 14, 16);
  const seconds = digitsAt(text, 17, 19);
  return epochDay(text) * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000 + digitsAt(text, 20, 23);
}

/** The Arrow type of a column (see the file header). */
export function arrowType(column: ExportColumn): DataType {
  switch (column.kind) {
    case "text":
    case "code":
      return new Utf8();
    case "integer":
      return new Int64();
    case "decimal":
      return new Decimal(scaleOf(column), DECIMAL_PRECISION, 128);
    case "ratio":
      return new Float64();
    case "date":
      return new DateDay();
    case "timestamp":
      return new TimestampMillisecond("UTC");
    default:
      throw new RangeError(`column "${column.id}": unknown kind "${column.kind as string}"`);
  }
}

/** The schema of an export: one nullable field per column, named by id. */
export function arrowSchema(columns: readonly ExportColumn[], locale: ExportLocale = "en-GB"): Schema {
  assertColumns(columns);
  return new Schema(
    columns.map(
      (column) =>
        new Field(
          column.id,
          arrowType(column),
          true,
          new Map([
            ["backlight:kind", column.kind],
            ["backlight:label", labelWithUnit(column, locale)],
          ]),
        ),
    ),
  );
}

function fail(column: ExportColumn, row: number, message: string, value: Cell): never {
  const shown = typeof value === "string" ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
  throw new TypeError(`row ${row}, column "${column.id}": ${message}: ${shown}`);
}

/** Validity bitmap (bit set = value present) and null count of one column of a batch. */
function validity(
  rows: readonly (readonly Cell[])[],
  index: number,
): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(rows.length / 8));
  let nullCount = 0;
  rows.forEach((row, i) => {
    if (row[index] === null) nullCount++;
    else nullBitmap[i >> 3] = (nullBitmap[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return { nullBitmap, nullCount };
}

function int64(column: ExportColumn, row: number, value: Cell): bigint {
  let v: bigint | undefined;
  if (typeof value === "bigint") v = value;
  else if (typeof value === "number" && Number.isInteger(value)) v = BigInt(value);
  else if (typeof value === "string" && /^[+-]?\d+$/.test(value)) v = BigInt(value);
  if (v === undefined) fail(column, row, "not an integer", value);
  if (BigInt.asIntN(64, v) !== v) fail(column, row, "outside the Int64 range", value);
  return v;
}

const encoder = new TextEncoder();

/** The Arrow data of column `index` over one batch of rows. */
function columnData(
  column: ExportColumn,
  index: number,
  rows: readonly (readonly Cell[])[],
  first: number,
): Data {
  const type = arrowType(column);
  const length = rows.length;
  const { nullBitmap, nullCount } = validity(rows, index);
  const each = (set: (value: Exclude<Cell, null>, i: number) => void) => {
    for (let i = 0; i < length; i++) {
      const value = rows[i]?.[index] ?? null;
      if (value !== null) set(value, i);
    }
  };
  switch (column.kind) {
    case "text":
    case "code": {
      const valueOffsets = new Int32Array(length + 1);
      let chars = 0;
      each((value, i) => {
        if (typeof value !== "string") fail(column, first + i, "not a string", value);
        chars += value.length;
      });
      const buffer = new Uint8Array(chars * 3); // UTF-8 needs at most 3 bytes per UTF-16 code unit
      let end = 0;
      for (let i = 0; i < length; i++) {
        const value = rows[i]?.[index];
        if (typeof value === "string") end += encoder.encodeInto(value, buffer.subarray(end)).written;
        valueOffsets[i + 1] = end;
      }
      return makeData({
        type: type as Utf8,
        length,
        nullCount,
        nullBitmap,
        valueOffsets,
        data: buffer.slice(0, end),
      });
    }
    case "integer": {
      const words = new Uint32Array(length * 2);
      each((value, i) => {
        if (typeof value === "number" && Number.isSafeInteger(value)) setWords(words, 2 * i, 2, value);
        else setBigWords(words, 2 * i, 2, int64(column, first + i, value));
      });
      return makeData({
        type: type as Int64,
        length,
        nullCount,
        nullBitmap,
        data: new BigInt64Array(words.buffer),
      });
    }
    case "decimal": {
      const scale = scaleOf(column);
      const pow = 10 ** scale;
      const data = new Uint32Array(length * 4);
      each((value, i) => {
        if (typeof value === "number" && Number.isFinite(value)) {
          // Fast path, same reasoning as decimalText in csv.ts: far from a .5 tie, rounding the binary
          // value and rounding its shortest decimal string agree.
          const shifted = Math.abs(value) * pow;
          if (shifted < FAST_LIMIT && Math.abs(shifted - Math.floor(shifted) - 0.5) > 0.001) {
            const rounded = Math.round(shifted);
            setWords(data, 4 * i, 4, value < 0 ? -rounded : rounded);
            return;
          }
        }
        let unscaled: bigint;
        try {
          unscaled = toUnscaled(value, scale);
        } catch {
          fail(column, first + i, "not a decimal", value);
        }
        if (unscaled >= DECIMAL_LIMIT || unscaled <= -DECIMAL_LIMIT)
          fail(column, first + i, `more than ${DECIMAL_PRECISION} digits`, value);
        setBigWords(data, 4 * i, 4, unscaled);
      });
      return makeData({ type: type as Decimal, length, nullCount, nullBitmap, data });
    }
    case "ratio": {
      const data = new Float64Array(length);
      each((value, i) => {
        const x = Number(value);
        if (!Number.isFinite(x) || (typeof value === "string" && !/^[+-]?\d+(?:\.\d+)?$/.test(value)))
          fail(column, first + i, "not a finite number", value);
        data[i] = x;
      });
      return makeData({ type: type as Float64, length, nullCount, nullBitmap, data });
    }
    case "date": {
      const data = new Int32Array(length);
      each((value, i) => {
        // Days since 1970-01-01 as a number: what a large export passes (no text to parse per cell).
        if (typeof value === "number" && Number.isInteger(value)) data[i] = value;
        else if (typeof value !== "string" || !isIsoDate(value))
          fail(column, first + i, "not a date YYYY-MM-DD", value);
        else data[i] = epochDay(value);
      });
      return makeData({ type: type as DateDay, length, nullCount, nullBitmap, data });
    }
    case "timestamp": {
      const words = new Uint32Array(length * 2);
      each((value, i) => {
        // Milliseconds since the epoch as a number: what a large export passes.
        if (typeof value === "number" && Number.isSafeInteger(value)) setWords(words, 2 * i, 2, value);
        else if (typeof value !== "string" || !isIsoTimestamp(value))
          fail(column, first + i, "not a UTC timestamp YYYY-MM-DDTHH:mm:ss.sssZ", value);
        else setWords(words, 2 * i, 2, epochMs(value));
      });
      const data = new BigInt64Array(words.buffer);
      return makeData({ type: type as TimestampMillisecond, length, nullCount, nullBitmap, data });
    }
    default:
      throw new RangeError(`column "${column.id}": unknown kind "${column.kind as string}"`);
  }
}

/** One record batch from rows of cells (each row has one cell per column). */
export function recordBatch(
  schema: Schema,
  columns: readonly ExportColumn[],
  rows: readonly (readonly Cell[])[],
  first = 0,
): RecordBatch {
  rows.forEach((row, i) => {
    if (row.length !== columns.length)
      throw new RangeError(`row ${first + i}: expected ${columns.length} cells, got ${row.length}`);
  });
  const children = columns.map((column, index) => columnData(column, index, rows, first));
  const struct = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}

/** A byte sink for the writer that hands its bytes over synchronously instead of queueing them. */
class Collector extends AsyncByteQueue {
  private parts: Uint8Array[] = [];
  private size = 0;

  override write(value: Parameters<AsyncByteQueue["write"]>[0]): void {
    const bytes = value as Uint8Array;
    if (bytes.byteLength === 0) return;
    // No copy: these may be views of the batch's buffers, but take() copies them before anything changes.
    this.parts.push(bytes);
    this.size += bytes.byteLength;
  }

  /** Everything written since the last take, as one array (empty when nothing was written). */
  take(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    this.parts = [];
    this.size = 0;
    return out;
  }
}

function isSyncIterable<T>(value: AsyncIterable<T> | Iterable<T>): value is Iterable<T> {
  return typeof (value as Iterable<T>)[Symbol.iterator] === "function";
}

/**
 * The export as an Arrow IPC stream: yields the schema message, then one record batch per input batch,
 * then the end-of-stream marker. Readers: pyarrow.ipc.open_stream, polars.read_ipc_stream,
 * apache-arrow's tableFromIPC.
 */
export async function* encodeArrow(
  columns: readonly ExportColumn[],
  batches: AsyncIterable<readonly (readonly Cell[])[]> | Iterable<readonly (readonly Cell[])[]>,
  options: { locale?: ExportLocale } = {},
): AsyncGenerator<Uint8Array> {
  const schema = arrowSchema(columns, options.locale);
  const sink = new Collector();
  const writer = new RecordBatchStreamWriter({ autoDestroy: true });
  writer.reset(sink, schema); // writes the schema message
  yield sink.take();
  let first = 0;
  const source = isSyncIterable(batches) ? batches : null;
  const write = (rows: readonly (readonly Cell[])[]) => {
    if (rows.length === 0) return null;
    writer.write(recordBatch(schema, columns, rows, first));
    first += rows.length;
    return sink.take();
  };
  if (source) {
    for (const rows of source) {
      const bytes = write(rows);
      if (bytes) yield bytes;
    }
  } else {
    for await (const rows of batches) {
      const bytes = write(rows);
      if (bytes) yield bytes;
    }
  }
  writer.close(); // writes the end-of-stream marker
  yield sink.take();
}

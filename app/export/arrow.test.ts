import {
  DataType,
  type Decimal,
  type Field,
  type Timestamp,
  TimeUnit,
  Type,
  tableFromIPC,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowSchema, encodeArrow } from "./arrow.ts";
import type { Cell, ExportColumn } from "./columns.ts";
import { decimalText, formatUnscaled } from "./csv.ts";
import { COLUMNS, expected, ROWS } from "./test-fixture.ts";

/** The fixture, minus 1e21 as an integer (outside Int64: tested on its own below). */
const rows: (readonly Cell[])[] = ROWS.map((cells) =>
  cells.map((cell, c) => (c === 4 && cell === 1e21 ? 7n : cell)),
);

function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe("encodeArrow", () => {
  it("writes a schema, one record batch per input batch, and the end-of-stream marker", async () => {
    const batches = batchesOf(rows, 7);
    let pulled = 0;
    async function* source() {
      for (const batch of [...batches.slice(0, 1), [], ...batches.slice(1)]) {
        pulled++;
        yield batch;
      }
    }
    const stream = encodeArrow(COLUMNS, source());
    const first = await stream.next();
    expect(pulled).toBe(0); // the schema goes out before any row is read
    const chunks = [first.value as Uint8Array, ...(await collect(stream))];
    expect(chunks.length).toBe(1 + batches.length + 1); // the empty batch is skipped
    expect([...(chunks.at(-1) as Uint8Array)]).toEqual([255, 255, 255, 255, 0, 0, 0, 0]);

    const table = tableFromIPC(chunks);
    expect(table.numRows).toBe(rows.length);
    expect(table.batches.length).toBe(batches.length);
    expect(table.batches.map((b) => b.numRows)).toEqual(batches.map((b) => b.length));
  });

  it("types every column", async () => {
    const table = tableFromIPC(await collect(encodeArrow(COLUMNS, [rows])));
    const field = (name: string) => table.schema.fields.find((f) => f.name === name) as Field;
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      "label: Utf8",
      "code: Utf8",
      "amount: Decimal[38e+2]",
      "exact: Decimal[38e+2]",
      "units: Int64",
      "margin: Float64",
      "day: Date32<DAY>",
      "sold_at: Timestamp<MILLISECOND, UTC>",
    ]);
    const amount = field("amount").type as Decimal;
    expect([amount.typeId, amount.precision, amount.scale, amount.bitWidth]).toEqual([
      Type.Decimal,
      38,
      2,
      128,
    ]);
    expect(DataType.isInt(field("units").type) && field("units").type.bitWidth).toBe(64);
    const at = field("sold_at").type as Timestamp;
    expect([at.unit, at.timezone]).toEqual([TimeUnit.MILLISECOND, "UTC"]);
    expect(table.schema.fields.every((f) => f.nullable)).toBe(true);
    expect(field("margin").metadata.get("backlight:label")).toBe("Margin (ratio: 0.17 = 17%)");
    expect(field("code").metadata.get("backlight:kind")).toBe("code");
  });

  it("reads back every value exactly (decimals to the cent, text without CSV prefixes)", async () => {
    const table = tableFromIPC(await collect(encodeArrow(COLUMNS, batchesOf(rows, 5))));
    const column = (name: string) => {
      const vector = table.getChild(name);
      if (!vector) throw new Error(`no column ${name}`);
      return Array.from({ length: vector.length }, (_, i) => vector.get(i) as unknown);
    };
    const [labels, codes, amounts, exacts, units, margins, days, ats] = COLUMNS.map((c) => column(c.id)) as [
      unknown[],
      unknown[],
      unknown[],
      unknown[],
      unknown[],
      unknown[],
      unknown[],
      unknown[],
    ];
    const decimalText = (value: unknown) => (value === null ? "" : formatUnscaled(BigInt(String(value)), 2));
    rows.forEach((cells, i) => {
      expect(labels[i]).toBe(expected.text(i)); // Arrow is typed: no formula neutralisation
      expect(codes[i]).toBe(expected.code(i)[0]);
      expect(decimalText(amounts[i])).toBe(expected.amount(i));
      expect(decimalText(exacts[i])).toBe(expected.exact(i));
      expect(units[i]).toBe(cells[4] === null ? null : BigInt(cells[4] as number | bigint));
      expect(margins[i]).toBe(cells[5]);
      expect(days[i] === null ? null : new Date(days[i] as number).toISOString().slice(0, 10)).toBe(
        expected.day(i),
      );
      expect(ats[i] === null ? null : new Date(ats[i] as number).toISOString()).toBe(expected.at(i));
    });
    expect(labels).toContain('=HYPERLINK("http://x","y")');
    expect(labels).toContain("📱🔋");
    expect(units).toContain(9007199254740993n);
    expect(amounts.map(decimalText)).toContain("1.01");
  });

  it("writes numbers, days and instants exactly across their ranges (fast paths included)", async () => {
    const columns: ExportColumn[] = [
      { id: "amount", label: "Amount", kind: "decimal" },
      { id: "units", label: "Units", kind: "integer" },
      { id: "day", label: "Day", kind: "date" },
      { id: "at", label: "At", kind: "timestamp" },
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const input: Cell[][] = [];
    for (let i = 0; i < 20000; i++) {
      const magnitude = 10 ** Math.floor(random() * 24 - 8);
      const amount = i % 3 === 0 ? Math.round(random() * 2e6 - 1e6) / 1000 : (random() - 0.5) * magnitude;
      const units =
        i % 2 === 0 ? Math.round((random() - 0.5) * 2 ** 53) : BigInt(Math.round(random() * 1e6)) ** 3n;
      const ms = Math.round((random() - 0.3) * 1e13); // 1653 to 2287
      input.push([
        amount,
        i % 5 === 0 ? -units : units,
        new Date(ms).toISOString().slice(0, 10),
        new Date(ms).toISOString(),
      ]);
    }
    input.push([-42949672.96, -(2 ** 32), "1970-01-01", "1969-12-31T23:59:59.999Z"]);
    input.push([-0.001, -1, "2000-02-29", "2000-02-29T12:00:00.000Z"]);
    const table = tableFromIPC(await collect(encodeArrow(columns, batchesOf(input, 4096))));
    const get = (name: string, i: number) => table.getChild(name)?.get(i) as unknown;
    input.forEach(([amount, units, day, at], i) => {
      expect(formatUnscaled(BigInt(String(get("amount", i))), 2)).toBe(decimalText(amount as number, 2));
      expect(get("units", i)).toBe(BigInt(units as number | bigint));
      expect(get("day", i)).toBe(Date.parse(`${day}T00:00:00.000Z`));
      expect(get("at", i)).toBe(Date.parse(at as string));
    });
  });

  it("rejects values its types cannot hold", async () => {
    const one = (kind: ExportColumn["kind"]): ExportColumn[] => [{ id: "x", label: "X", kind }];
    const encode = (kind: ExportColumn["kind"], value: Cell) => collect(encodeArrow(one(kind), [[[value]]]));
    await expect(encode("integer", 1e21)).rejects.toThrow(/row 0, column "x": outside the Int64 range/);
    await expect(encode("integer", 1.5)).rejects.toThrow(/not an integer/);
    await expect(encode("decimal", "1e39")).rejects.toThrow(/not a decimal/);
    await expect(encode("decimal", 1e37)).rejects.toThrow(/more than 38 digits/);
    await expect(encode("text", 5)).rejects.toThrow(/not a string/);
    await expect(encode("date", "2024-02-30")).rejects.toThrow(/not a date/);
    await expect(encode("timestamp", "2024-03-01T10:00:00Z")).rejects.toThrow(/not a UTC timestamp/);
    await expect(encode("ratio", "abc")).rejects.toThrow(/not a finite number/);
    expect(() => arrowSchema([])).toThrow(/at least one column/);
  });

  it("encodes an empty export as a schema and the end-of-stream marker", async () => {
    const chunks = await collect(encodeArrow(COLUMNS, []));
    expect(chunks.length).toBe(2);
    const table = tableFromIPC(chunks);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(COLUMNS.map((c) => c.id));
  });
});

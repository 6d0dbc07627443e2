import { describe, expect, it } from "vitest";
import { type Cell, type CsvDialect, type ExportColumn, labelWithUnit } from "./columns.ts";
import {
  contentType,
  csvHeader,
  csvRow,
  decimalText,
  encodeCsv,
  formatUnscaled,
  parseCsv,
  plainNumber,
  readNumber,
  toUnscaled,
} from "./csv.ts";
import { COLUMNS, expected, ROWS } from "./test-fixture.ts";

const DIALECTS: readonly CsvDialect[] = ["csv", "csv-excel-fr", "csv-excel-en"];
const BOM = "\uFEFF";

/** The neutralisation rule, restated independently of csv.ts. */
function neutralised(value: string): string {
  return ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"].includes(value.charAt(0))
    ? `'${value}`
    : value;
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

async function fixtureFile(dialect: CsvDialect): Promise<string> {
  return (await collect(encodeCsv(COLUMNS, ROWS, { dialect }))).join("");
}

describe("CSV dialects on the hostile fixture", () => {
  it.each(DIALECTS)("%s: BOM, header, CRLF record ends", async (dialect) => {
    const text = await fixtureFile(dialect);
    const sep = dialect === "csv-excel-fr" ? ";" : ",";
    expect(text.startsWith(BOM)).toBe(dialect !== "csv");
    expect(
      text.startsWith(`${dialect === "csv" ? "" : BOM}label${sep}code${sep}amount${sep}exact${sep}`),
    ).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    // Every LF outside quoted fields is preceded by CR: records = header + rows.
    const records = parseCsv(text, dialect);
    expect(records.length).toBe(ROWS.length + 1);
    expect(records[0]).toEqual(COLUMNS.map((c) => c.id));
    for (const record of records) expect(record.length).toBe(COLUMNS.length);
  });

  it.each(DIALECTS)(
    "%s: text cells read back as the original plus exactly the rule's prefix",
    async (dialect) => {
      const records = parseCsv(await fixtureFile(dialect), dialect).slice(1);
      records.forEach((record, i) => {
        const original = expected.text(i);
        expect(record[0]).toBe(original === null ? "" : neutralised(original));
      });
      // Spot checks against literal expectations (not derived from any rule implementation).
      const labels = records.map((r) => r[0]);
      expect(labels).toContain(`'=HYPERLINK("http://x","y")`);
      expect(labels).toContain("'-2+3");
      expect(labels).toContain("'\tleading tab");
      expect(labels).toContain("'\rcr");
      expect(labels).toContain("'＝full-width");
      expect(labels).toContain("Éric Müller — ça coûte 12,50 €");
      expect(labels).toContain("📱🔋");
      expect(labels).toContain('he said "hi"');
      expect(labels).toContain("line1\nline2");
      expect(labels).toContain("x=1");
    },
  );

  it.each(DIALECTS)(
    "%s: code cells are kept as text, marked only where Excel would misread them",
    async (dialect) => {
      const records = parseCsv(await fixtureFile(dialect), dialect).slice(1);
      records.forEach((record, i) => {
        const [, plain, excel] = expected.code(i);
        expect(record[1]).toBe((dialect === "csv" ? plain : excel) ?? "");
      });
    },
  );

  it.each(DIALECTS)("%s: numbers are raw, exact to the cent, never neutralised", async (dialect) => {
    const comma = dialect === "csv-excel-fr";
    const records = parseCsv(await fixtureFile(dialect), dialect).slice(1);
    records.forEach((record, i) => {
      const cells = ROWS[i] as readonly Cell[];
      const checks: [string | undefined, string, Cell][] = [
        [record[2], expected.amount(i), cells[2] ?? null],
        [record[3], expected.exact(i), cells[3] ?? null],
        [record[4], expected.units(i), cells[4] ?? null],
        [record[5], expected.margin(i), cells[5] ?? null],
      ];
      for (const [field, text, original] of checks) {
        expect(field).toBe(comma ? text.replace(".", ",") : text);
        if (original === null) continue;
        const value = readNumber(field as string, dialect);
        expect(value).toBe(Number(text));
        if (typeof original === "number" && Math.abs(original) < 1e15)
          expect(Math.abs(value - original)).toBeLessThanOrEqual(0.005 + 1e-12);
      }
    });
    const amounts = records.map((r) => r[2]);
    expect(amounts).toContain(comma ? "-123,45" : "-123.45");
    expect(amounts).toContain(comma ? "1000000000000000000000,00" : "1000000000000000000000.00");
    expect(amounts).toContain(comma ? "1,01" : "1.01"); // 1.005, not 1.00 from its binary value
    expect(records.map((r) => r[4])).toContain("9007199254740993");
  });

  it.each(DIALECTS)("%s: dates and timestamps as given, null as an empty field", async (dialect) => {
    const records = parseCsv(await fixtureFile(dialect), dialect).slice(1);
    records.forEach((record, i) => {
      expect(record[6]).toBe(expected.day(i) ?? "");
      expect(record[7]).toBe(expected.at(i) ?? "");
    });
  });

  it("writes exactly these bytes", () => {
    const columns: ExportColumn[] = [
      { id: "name", label: "Name", kind: "text" },
      { id: "sku", label: "SKU", kind: "code" },
      { id: "revenue", label: "Revenue", kind: "decimal" },
      { id: "margin", label: "Margin", kind: "ratio" },
      { id: "units", label: "Units", kind: "integer" },
    ];
    const rows: Cell[][] = [
      ["=1+1", "00123", -1234.5, 0.17, 3],
      ["a;b", "FR", "12.345", null, 9007199254740993n],
      ["", null, 1e-7, 1e-7, -0],
    ];
    const file = (dialect: CsvDialect) =>
      csvHeader(columns, { dialect, labels: true }) +
      rows.map((r) => csvRow(columns, r, { dialect })).join("");
    expect(file("csv")).toBe(
      "name,sku,revenue,margin,units\r\nName,SKU,Revenue,Margin (ratio: 0.17 = 17%),Units\r\n" +
        '\'=1+1,00123,-1234.50,0.170000,3\r\na;b,FR,12.35,,9007199254740993\r\n"",,0.00,0.000000,0\r\n',
    );
    expect(file("csv-excel-en")).toBe(
      `${BOM}name,sku,revenue,margin,units\r\nName,SKU,Revenue,Margin (ratio: 0.17 = 17%),Units\r\n` +
        "'=1+1,'00123,-1234.50,0.170000,3\r\na;b,FR,12.35,,9007199254740993\r\n\"\",,0.00,0.000000,0\r\n",
    );
    expect(file("csv-excel-fr")).toBe(
      `${BOM}name;sku;revenue;margin;units\r\nName;SKU;Revenue;"Margin (ratio : 0,17 = 17 %)";Units\r\n` +
        '\'=1+1;\'00123;-1234,50;0,170000;3\r\n"a;b";FR;12,35;;9007199254740993\r\n"";;0,00;0,000000;0\r\n',
    );
  });

  it("quotes separators, quotes, CR, LF and edge spaces, after the prefix", () => {
    const columns: ExportColumn[] = [{ id: "t", label: "T", kind: "text" }];
    const field = (value: string, dialect: CsvDialect) => csvRow(columns, [value], { dialect }).slice(0, -2);
    expect(field("a,b", "csv")).toBe('"a,b"');
    expect(field("a;b", "csv")).toBe("a;b");
    expect(field("a;b", "csv-excel-fr")).toBe('"a;b"');
    expect(field("a,b", "csv-excel-fr")).toBe('"a,b"');
    expect(field('-"x"', "csv")).toBe(`"'-""x"""`);
    expect(field("\rcr", "csv")).toBe(`"'\rcr"`);
    expect(field("\tx", "csv")).toBe("'\tx");
    expect(field(" x", "csv")).toBe('" x"');
    expect(field("x ", "csv")).toBe('"x "');
    expect(field("", "csv")).toBe('""');
    expect(csvRow(columns, [null], { dialect: "csv" })).toBe("\r\n");
  });

  it("labels say ratios are ratios, in the reader's locale", () => {
    const ratio: ExportColumn = { id: "m", label: "Marge", kind: "ratio" };
    expect(labelWithUnit(ratio, "fr-FR")).toBe("Marge (ratio : 0,17 = 17 %)");
    expect(labelWithUnit(ratio, "en-GB")).toBe("Marge (ratio: 0.17 = 17%)");
    expect(labelWithUnit({ id: "a", label: "Amount", kind: "decimal" }, "fr-FR")).toBe("Amount");
    expect(csvHeader([ratio], { dialect: "csv", labels: true, locale: "fr-FR" })).toBe(
      'm\r\n"Marge (ratio : 0,17 = 17 %)"\r\n',
    );
    expect(csvHeader([{ ...ratio, label: "=cmd" }], { dialect: "csv", labels: true })).toBe(
      "m\r\n'=cmd (ratio: 0.17 = 17%)\r\n",
    );
  });
});

describe("decimal arithmetic", () => {
  it("writes numbers in plain digits", () => {
    expect(plainNumber(1e21)).toBe("1000000000000000000000");
    expect(plainNumber(1e-7)).toBe("0.0000001");
    expect(plainNumber(-2.5e-10)).toBe("-0.00000000025");
    expect(plainNumber(1.2345e25)).toBe("12345000000000000000000000");
    expect(plainNumber(-0)).toBe("0");
    expect(plainNumber(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(plainNumber(Number.MAX_VALUE)).toMatch(/^17976931348623157\d{292}$/);
    expect(plainNumber(5e-324)).toBe(`0.${"0".repeat(323)}5`);
    expect(() => plainNumber(Number.NaN)).toThrow(/finite/);
    expect(() => plainNumber(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it("rounds half away from zero on decimal digits", () => {
    const round = (value: number | bigint | string, scale: number) =>
      formatUnscaled(toUnscaled(value, scale), scale);
    expect(round(1.005, 2)).toBe("1.01");
    expect(round(-1.005, 2)).toBe("-1.01");
    expect(round(1.0049999, 2)).toBe("1.00");
    expect(round(0.125, 2)).toBe("0.13");
    expect(round(0.135, 2)).toBe("0.14");
    expect(round(2.675, 2)).toBe("2.68");
    expect(round(1.45, 1)).toBe("1.5");
    expect(round(-0.004, 2)).toBe("0.00");
    expect(round(-0.005, 2)).toBe("-0.01");
    expect(round(0.5, 0)).toBe("1");
    expect(round(-0.5, 0)).toBe("-1");
    expect(round("-123.4500", 2)).toBe("-123.45");
    expect(round("99.995", 2)).toBe("100.00");
    expect(round("+7", 2)).toBe("7.00");
    expect(round(12n, 2)).toBe("12.00");
    expect(round(9007199254740993n, 2)).toBe("9007199254740993.00");
    expect(round(1e21, 2)).toBe("1000000000000000000000.00");
    expect(() => toUnscaled("1e5", 2)).toThrow(/not a decimal/);
    expect(() => toUnscaled("1,5", 2)).toThrow(/not a decimal/);
    expect(() => toUnscaled(".5", 2)).toThrow(/not a decimal/);
  });

  it("takes fast paths that agree with the exact BigInt rounding", () => {
    const exact = (value: number | string, scale: number) => formatUnscaled(toUnscaled(value, scale), scale);
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values: number[] = [];
    for (let i = -20000; i <= 20000; i++) values.push(i / 1000, i / 1e7, i / 100 + 0.005 + (i % 7) * 1e-9);
    for (let i = 0; i < 50000; i++) values.push((random() - 0.5) * 10 ** Math.floor(random() * 30 - 12));
    for (const scale of [0, 2, 6]) {
      const bad = values.filter((x) => decimalText(x, scale) !== exact(x, scale));
      expect(bad.slice(0, 5)).toEqual([]);
      const strings = values.slice(0, 20000).map((x) => x.toFixed(4));
      expect(strings.filter((s) => decimalText(s, scale) !== exact(s, scale)).slice(0, 5)).toEqual([]);
    }
    expect(decimalText(-0.001, 2)).toBe("0.00");
    expect(decimalText("-0.0040", 2)).toBe("0.00");
    expect(decimalText("-000.5049", 2)).toBe("-0.50");
    expect(decimalText("+12", 0)).toBe("12");
  });

  it("reads numbers back strictly", () => {
    expect(readNumber("-123.45", "csv")).toBe(-123.45);
    expect(readNumber("-123,45", "csv-excel-fr")).toBe(-123.45);
    expect(readNumber("1000000000000000000000", "csv")).toBe(1e21);
    expect(() => readNumber("1e21", "csv")).toThrow();
    expect(() => readNumber("1 234,5", "csv-excel-fr")).toThrow();
    expect(() => readNumber("1,234.5", "csv")).toThrow();
    expect(() => readNumber("-123.45", "csv-excel-fr")).toThrow();
    expect(() => readNumber("'-1", "csv")).toThrow();
    expect(() => readNumber("", "csv")).toThrow();
  });
});

describe("programming errors throw", () => {
  const one = (kind: ExportColumn["kind"]): ExportColumn[] => [{ id: "x", label: "X", kind }];
  const row = (kind: ExportColumn["kind"], value: Cell) => () =>
    csvRow(one(kind), [value], { dialect: "csv" });

  it("rejects malformed values", () => {
    expect(row("timestamp", "2024-03-01T10:00:00.000Z")()).toBe("2024-03-01T10:00:00.000Z\r\n");
    for (const bad of [
      "2024-03-01T10:00:00Z",
      "2024-03-01 10:00:00.000Z",
      "2024-03-01T10:00:00.000+01:00",
      "2024-03-01T10:00:00.000",
      "2024-02-30T10:00:00.000Z",
      "2024-03-01T24:00:00.000Z",
    ])
      expect(row("timestamp", bad)).toThrow(/UTC timestamp/);
    expect(row("timestamp", 1709287200000)).toThrow(/UTC timestamp/);
    expect(row("date", "2024-02-30")).toThrow(/date/);
    expect(row("date", "2024-2-3")).toThrow(/date/);
    expect(row("date", "2023-02-29")).toThrow(/date/);
    expect(row("date", "2024-02-29")()).toBe("2024-02-29\r\n");
    expect(row("text", 12)).toThrow(/not a string/);
    expect(row("code", 123n)).toThrow(/not a string/);
    expect(row("integer", 1.5)).toThrow(/not an integer/);
    expect(row("integer", "1.0")).toThrow(/not an integer/);
    expect(row("decimal", Number.NaN)).toThrow(/finite/);
    expect(row("decimal", "1e5")).toThrow(/not a decimal/);
    expect(row("ratio", Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it("rejects bad column models and rows", () => {
    expect(() => csvRow(one("text"), ["a", "b"], { dialect: "csv" })).toThrow(/expected 1 cells, got 2/);
    expect(() => csvHeader([], { dialect: "csv" })).toThrow(/at least one column/);
    expect(() => csvHeader([{ id: "a b", label: "", kind: "text" }], { dialect: "csv" })).toThrow(
      /column id/,
    );
    expect(() => csvHeader([{ id: "=x", label: "", kind: "text" }], { dialect: "csv" })).toThrow(/column id/);
    const twice: ExportColumn[] = [...one("text"), ...one("code")];
    expect(() => csvHeader(twice, { dialect: "csv" })).toThrow(/duplicate/);
    expect(() =>
      csvHeader([{ id: "d", label: "", kind: "decimal", scale: 1.5 }], { dialect: "csv" }),
    ).toThrow(/scale/);
  });

  it("names the failing row when streaming", async () => {
    const rows: Cell[][] = [["ok"], [42]];
    await expect(collect(encodeCsv(one("text"), rows, { dialect: "csv" }))).rejects.toThrow(/^row 1: /);
  });
});

describe("encodeCsv streaming", () => {
  const columns: ExportColumn[] = [
    { id: "id", label: "Id", kind: "integer" },
    { id: "name", label: "Name", kind: "text" },
    { id: "amount", label: "Amount", kind: "decimal" },
  ];
  const TOTAL = 200_000;

  it("yields bounded chunks while pulling rows lazily", async () => {
    let produced = 0;
    async function* rows(): AsyncGenerator<Cell[]> {
      for (let i = 0; i < TOTAL; i++) {
        produced++;
        yield [i, `customer ${i}, Müller`, i / 100];
      }
    }
    let producedAtFirstChunk = -1;
    const sizes: number[] = [];
    const parts: string[] = [];
    for await (const chunk of encodeCsv(columns, rows(), { dialect: "csv-excel-fr" })) {
      if (producedAtFirstChunk < 0) producedAtFirstChunk = produced;
      sizes.push(Buffer.byteLength(chunk));
      parts.push(chunk);
    }
    expect(producedAtFirstChunk).toBeGreaterThan(0);
    expect(producedAtFirstChunk).toBeLessThan(TOTAL / 10);
    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(128 * 1024);
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThanOrEqual(64 * 1024);
    const text = parts.join("");
    expect(text.startsWith(`${BOM}id;name;amount\r\n0;"customer 0, Müller";0,00\r\n`)).toBe(true);
    expect(text.endsWith(`\r\n199999;"customer 199999, Müller";1999,99\r\n`)).toBe(true);
    expect(parseCsv(text, "csv-excel-fr").length).toBe(TOTAL + 1);
  });

  it("takes plain iterables too, and an empty input gives just the header", async () => {
    expect(await collect(encodeCsv(columns, [], { dialect: "csv" }))).toEqual(["id,name,amount\r\n"]);
    const chunks = await collect(encodeCsv(columns, [[1, "a", 2]], { dialect: "csv" }));
    expect(chunks).toEqual(["id,name,amount\r\n1,a,2.00\r\n"]);
  });
});

describe("parseCsv", () => {
  it("handles BOM, quotes, CRLF and newlines inside fields", () => {
    expect(parseCsv(`${BOM}a;"b;""c"""\r\n"x\r\ny";\r\n`, "csv-excel-fr")).toEqual([
      ["a", 'b;"c"'],
      ["x\r\ny", ""],
    ]);
    expect(parseCsv("a,b\nc,d", "csv")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv("", "csv")).toEqual([]);
    expect(() => parseCsv('a"b', "csv")).toThrow(/stray quote/);
    expect(() => parseCsv('"ab', "csv")).toThrow(/unterminated/);
    expect(() => parseCsv('"a"b', "csv")).toThrow(/unexpected/);
  });
});

describe("download metadata", () => {
  it("names content types", () => {
    expect(contentType("csv")).toBe("text/csv; charset=utf-8");
    expect(contentType("csv-excel-fr")).toBe("text/csv; charset=utf-8");
    expect(contentType("csv-excel-en")).toBe("text/csv; charset=utf-8");
    expect(contentType("parquet")).toBe("application/vnd.apache.parquet");
    expect(contentType("arrow")).toBe("application/vnd.apache.arrow.stream");
  });
});

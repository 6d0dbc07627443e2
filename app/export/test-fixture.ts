// The hostile fixture shared by the export tests: every value an export must survive (formula
// injection, quotes, separators, newlines, accents, emoji, codes Excel mangles, numbers that float or
// exponent notation get wrong), each with the text the CSV must hold for it. Test-only module.

import type { Cell, ExportColumn } from "./columns.ts";

export const COLUMNS: readonly ExportColumn[] = [
  { id: "label", label: "Label", kind: "text" },
  { id: "code", label: "Code", kind: "code" },
  { id: "amount", label: "Amount", kind: "decimal" }, // JS numbers (DOUBLE in SQL)
  { id: "exact", label: "Exact amount", kind: "decimal" }, // decimal strings (DECIMAL(18,4) in SQL)
  { id: "units", label: "Units", kind: "integer" },
  { id: "margin", label: "Margin", kind: "ratio" },
  { id: "day", label: "Day", kind: "date" },
  { id: "sold_at", label: "Sold at", kind: "timestamp" },
];

/** Text cells; the expected CSV content is the value, with ' prepended when it starts a formula. */
export const TEXTS: readonly (string | null)[] = [
  '=HYPERLINK("http://x","y")',
  "@SUM(A1)",
  "+1",
  "-2+3",
  "\tleading tab",
  "\rcr",
  "＝full-width",
  "＋1",
  "－1",
  "＠SUM(A1)",
  "Éric Müller — ça coûte 12,50 €",
  "📱🔋",
  'he said "hi"',
  "line1\nline2",
  "crlf\r\nin the middle",
  "a;b",
  "a,b",
  "",
  null,
  " padded ",
  "trailing ",
  "plain",
  "'already quoted",
  "00123",
  "x=1",
  "=\u0301combining accent",
  "👩‍💻 ZWJ emoji",
];

/** Code cells: value, field in the plain csv dialect, field in the Excel dialects (after parsing). */
export const CODES: readonly (readonly [string | null, string | null, string | null])[] = [
  ["00123", "00123", "'00123"],
  ["1234567890123456789", "1234567890123456789", "'1234567890123456789"],
  ["1E5", "1E5", "'1E5"],
  ["3-4", "3-4", "'3-4"],
  ["1/2", "1/2", "'1/2"],
  ["FR", "FR", "FR"],
  ["FR-75", "FR-75", "'FR-75"],
  ["true", "true", "'true"],
  ["FAUX", "FAUX", "'FAUX"],
  ["#N/A", "#N/A", "'#N/A"],
  ["-5", "'-5", "'-5"],
  ["=1+1", "'=1+1", "'=1+1"],
  ["０１２", "０１２", "'０１２"],
  ["a;b", "a;b", "a;b"],
  ["", "", ""],
  [null, null, null],
  [" 42", " 42", "' 42"],
  ["ABC", "ABC", "ABC"],
  // Source ids as real extracts give them (issue 16): written as they are in plain CSV.
  ["ord_8f3k2", "ord_8f3k2", "'ord_8f3k2"],
  [
    "8f14e45f-ceea-467f-a0e6-7d0b1c9a2b3c",
    "8f14e45f-ceea-467f-a0e6-7d0b1c9a2b3c",
    "'8f14e45f-ceea-467f-a0e6-7d0b1c9a2b3c",
  ],
  ["sku/a.b:c_d", "sku/a.b:c_d", "sku/a.b:c_d"],
];

/** Decimal (scale 2) cells given as JS numbers, and their CSV text with a "." decimal mark. */
export const AMOUNTS: readonly (readonly [number | null, string])[] = [
  [-123.45, "-123.45"],
  [0, "0.00"],
  [1e21, "1000000000000000000000.00"],
  [1e-7, "0.00"],
  [0.1 + 0.2, "0.30"],
  [1.005, "1.01"],
  [-1.005, "-1.01"],
  [2.675, "2.68"],
  [-0.001, "0.00"],
  [0.125, "0.13"],
  [-0, "0.00"],
  [1234567.891, "1234567.89"],
  [-0.005, "-0.01"],
  [null, ""],
];

/** Decimal (scale 2) cells given as exact decimal strings (as DuckDB DECIMAL(18,4) reads them). */
export const EXACT: readonly (readonly [string | null, string])[] = [
  ["-123.4500", "-123.45"],
  ["0.0050", "0.01"],
  ["-0.0050", "-0.01"],
  ["1.0049", "1.00"],
  ["99999999999999.9999", "100000000000000.00"],
  ["0.0000", "0.00"],
  [null, ""],
];

/** Integer cells and their CSV text. */
export const UNITS: readonly (readonly [number | bigint | null, string])[] = [
  [9007199254740993n, "9007199254740993"],
  [-42, "-42"],
  [0, "0"],
  [1e21, "1000000000000000000000"],
  [null, ""],
  [-9223372036854775808n, "-9223372036854775808"],
];

/** Ratio cells (scale 6) and their CSV text with a "." decimal mark. */
export const RATIOS: readonly (readonly [number | null, string])[] = [
  [0.17, "0.170000"],
  [-0.5, "-0.500000"],
  [1e-7, "0.000000"],
  [0.1234565, "0.123457"],
  [1 / 3, "0.333333"],
  [2, "2.000000"],
  [0, "0.000000"],
  [-1e-9, "0.000000"],
  [0.0000005, "0.000001"],
  [null, ""],
];

export const DAYS: readonly (string | null)[] = ["2024-12-31", "1999-01-01", "2024-02-29", null];

export const INSTANTS: readonly (string | null)[] = [
  "2024-03-01T10:00:00.000Z",
  "1970-01-01T00:00:00.000Z",
  "2024-12-31T23:59:59.999Z",
  "1969-12-31T23:59:59.999Z",
  null,
];

const LENGTH = Math.max(
  TEXTS.length,
  CODES.length,
  AMOUNTS.length,
  EXACT.length,
  UNITS.length,
  RATIOS.length,
);

function at<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

/** Row i takes value i (cyclically) of every list above, so each value appears at least once. */
export const ROWS: readonly (readonly Cell[])[] = Array.from({ length: LENGTH }, (_, i) => [
  at(TEXTS, i),
  at(CODES, i)[0],
  at(AMOUNTS, i)[0],
  at(EXACT, i)[0],
  at(UNITS, i)[0],
  at(RATIOS, i)[0],
  at(DAYS, i),
  at(INSTANTS, i),
]);

/** The index helpers tests use to find the expected values of row i. */
export const expected = {
  text: (i: number) => at(TEXTS, i),
  code: (i: number) => at(CODES, i),
  amount: (i: number) => at(AMOUNTS, i)[1],
  exact: (i: number) => at(EXACT, i)[1],
  units: (i: number) => at(UNITS, i)[1],
  margin: (i: number) => at(RATIOS, i)[1],
  day: (i: number) => at(DAYS, i),
  at: (i: number) => at(INSTANTS, i),
};

import { describe, expect, it } from "vitest";
import { LOCALES } from "~/i18n/locales";
import { CATALOGUE } from "~/metrics/catalogue";
import { cellTexts, col, presentTable, type SectionTable } from "./table";

// A table of every kind of column a section has: months, codes shown by name, counts, money, shares
// (small ones to two decimals), exact amounts, signed changes, missing values.
function table(locale: (typeof LOCALES)[number]): SectionTable {
  const columns = [
    col.month("month", "Month"),
    col.code("grade", "Grade", { excellent: "Excellent", good: "Good" }),
    col.text("name", "Name"),
    col.count("devices", "Devices"),
    col.metric(CATALOGUE.gmv_eur, locale),
    { ...col.share("share", "Share"), fine: true },
    { ...col.metric(CATALOGUE.net_revenue_eur, locale, "net_exact"), exact: true },
    { ...col.metric(CATALOGUE.take_rate, locale, "take_rate_change"), signed: true },
  ];
  const rows = Array.from({ length: 40 }, (_, i) => [
    `2024-${String(1 + (i % 12)).padStart(2, "0")}-01`,
    i % 3 === 0 ? "excellent" : i % 3 === 1 ? "good" : "unknown",
    `Seller ${i}`,
    i % 7 === 0 ? null : i * 1234,
    i % 5 === 0 ? null : i * 98765.4321 - 5000,
    i % 4 === 0 ? 0.0042 * i : (i * 0.173) % 1,
    i * 1000.005 - 7,
    (i - 20) / 1000,
  ]);
  return { columns, rows, range: { from: "2024-01-01", to: "2024-12-31" }, currency: "EUR" };
}

describe("a page's table", () => {
  for (const locale of LOCALES)
    it(`writes in the browser the text the server would have written (${locale})`, () => {
      const whole = presentTable("t", table(locale), locale);
      const sent = presentTable("t", table(locale), locale, Number.POSITIVE_INFINITY, 14);
      expect(sent.rows.filter((r) => r.text).length).toBe(14);
      // What the page data carries is plain JSON: the browser's copy is parsed from text.
      const received = JSON.parse(JSON.stringify(sent)) as typeof sent;
      received.rows.forEach((row, r) => {
        expect(cellTexts(received, row, locale), `row ${r}`).toEqual(whole.rows[r]?.text);
      });
      // The raw figures travel as they are: the text of a figure rounded once.
      expect(received.rows[3]?.values[4]).toBe(3 * 98765.4321 - 5000);
    });

  it("sends a table no longer than the HTML's rows as text, without formats", () => {
    const t = table("fr-FR");
    const sent = presentTable(
      "t",
      { ...t, rows: t.rows.slice(0, 14) },
      "fr-FR",
      Number.POSITIVE_INFINITY,
      14,
    );
    expect(sent.rows.every((r) => r.text)).toBe(true);
    expect(sent.columns.some((c) => c.format)).toBe(false);
    expect(sent.currency).toBeUndefined();
  });

  it("keeps every row's text when a column's unit is the row's", () => {
    const t = table("en-GB");
    const byRow = {
      ...t,
      columns: t.columns.map((c, i) => (i === 4 ? { ...c, unitOf: () => "count" as const } : c)),
    };
    const sent = presentTable("t", byRow, "en-GB", Number.POSITIVE_INFINITY, 14);
    expect(sent.rows.every((r) => r.text)).toBe(true);
  });
});

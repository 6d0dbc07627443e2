import { describe, expect, it } from "vitest";
import { formatMetricValue, formatPercentDigits, labelIn, wholeOf } from "./format";

describe("money in the currency the page shows", () => {
  it("formats amounts with the currency's own symbol and minor units", () => {
    expect(formatMetricValue(-1234.5, "eur", "en-GB", "GBP")).toBe("-£1,235");
    expect(formatMetricValue(1234.5, "eur_unit", "fr-FR", "JPY")).toBe("1\u202f235\u00a0¥");
    expect(formatMetricValue(12.345, "eur_unit", "en-GB")).toBe("€12.35");
  });

  it("puts the page's currency in labels that name euros", () => {
    expect(labelIn("New customers per €1k of marketing", "GBP", "en-GB")).toBe(
      "New customers per £1k of marketing",
    );
    expect(labelIn("Nouveaux clients pour 1 000 € de marketing", "SEK", "fr-FR")).toBe(
      "Nouveaux clients pour 1 000 kr de marketing",
    );
    expect(labelIn("New customers per €1k of marketing", "EUR", "en-GB")).toBe(
      "New customers per €1k of marketing",
    );
  });
});

describe("shares with the decimals asked", () => {
  it("write what Intl writes for those digits, each format kept apart by locale and digits", () => {
    expect(formatPercentDigits(0.0025, "en-GB", 2)).toBe("0.25%");
    expect(formatPercentDigits(0.0025, "fr-FR", 2)).toBe("0,25\u00a0%");
    // Not the format of another number of digits made earlier.
    expect(formatPercentDigits(0.0025, "en-GB", 0)).toBe("0%");
    expect(formatPercentDigits(0.125, "en-GB", 0, 1)).toBe("12.5%");
    expect(formatPercentDigits(0.12, "en-GB", 0, 1)).toBe("12%");
    for (const locale of ["en-GB", "fr-FR"] as const)
      for (const [min, max] of [
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 1],
      ] as const)
        for (const v of [-0.5, 0, 0.0004, 0.01234, 0.5, 1, 12.3456])
          expect(formatPercentDigits(v, locale, min, max)).toBe(
            new Intl.NumberFormat(locale, {
              style: "percent",
              minimumFractionDigits: min,
              maximumFractionDigits: max,
            }).format(v),
          );
  });
});

describe("rates", () => {
  it("show two decimals, and two significant digits when smaller than 0.1 (never 0.00 for a real figure)", () => {
    expect(formatMetricValue(12.345, "rate", "en-GB")).toBe("12.35");
    expect(formatMetricValue(0, "rate", "en-GB")).toBe("0.00");
    expect(formatMetricValue(0.00043, "rate", "en-GB")).toBe("0.00043");
    expect(formatMetricValue(0.0123, "rate", "fr-FR")).toBe("0,012");
  });
});

describe("whole amounts and counts, written without ICU", () => {
  it("read exactly as Intl writes them, in both locales and every currency, at any size and sign", () => {
    let seed = 7;
    const r = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = [
      0,
      -0,
      0.5,
      -0.5,
      1.5,
      -1.5,
      2.5,
      -2.5,
      0.49999999999999994,
      1e15 - 1,
      -(1e15 - 1),
      1e15,
      NaN,
    ];
    for (let i = 0; i < 4000; i++) {
      const magnitude = 10 ** Math.floor(r() * 15);
      const v = (r() - 0.5) * 2 * magnitude;
      values.push(v, Math.round(v), Math.trunc(v) + 0.5, Math.trunc(v) - 0.5);
    }
    for (const locale of ["en-GB", "fr-FR"] as const) {
      for (const currency of ["EUR", "GBP", "SEK", "DKK", "PLN", "CHF", "JPY", "USD", "AUD"]) {
        const intl = new Intl.NumberFormat(locale, {
          style: "currency",
          currency,
          currencyDisplay: "narrowSymbol",
          maximumFractionDigits: 0,
        });
        for (const v of values)
          expect(formatMetricValue(v, "eur", locale, currency), `${locale} ${currency} ${v}`).toBe(
            intl.format(v),
          );
      }
      const counts = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
      for (const v of values)
        expect(formatMetricValue(v, "count", locale), `${locale} ${v}`).toBe(counts.format(v));
    }
  });

  it("leave to ICU a format they cannot write: another grouping, two digits before a separator, decimals", () => {
    // The formats the pages use are written here, not by ICU (else the test above would prove nothing).
    expect(wholeOf(new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 }))).not.toBeNull();
    for (const locale of ["en-GB", "fr-FR"])
      for (const currency of ["EUR", "SEK", "JPY"])
        expect(
          wholeOf(
            new Intl.NumberFormat(locale, {
              style: "currency",
              currency,
              currencyDisplay: "narrowSymbol",
              maximumFractionDigits: 0,
            }),
          ),
          `${locale} ${currency}`,
        ).not.toBeNull();
    expect(wholeOf(new Intl.NumberFormat("en-IN", { maximumFractionDigits: 0 }))).toBeNull();
    expect(wholeOf(new Intl.NumberFormat("es-ES", { maximumFractionDigits: 0 }))).toBeNull();
    expect(wholeOf(new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 }))).toBeNull();
  });
});

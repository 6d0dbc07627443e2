import { describe, expect, it } from "vitest";
import { formatMetricValue, labelIn } from "./format";

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

describe("rates", () => {
  it("show two decimals, and two significant digits when smaller than 0.1 (never 0.00 for a real figure)", () => {
    expect(formatMetricValue(12.345, "rate", "en-GB")).toBe("12.35");
    expect(formatMetricValue(0, "rate", "en-GB")).toBe("0.00");
    expect(formatMetricValue(0.00043, "rate", "en-GB")).toBe("0.00043");
    expect(formatMetricValue(0.0123, "rate", "fr-FR")).toBe("0,012");
  });
});

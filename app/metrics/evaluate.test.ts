import { describe, expect, it } from "vitest";
import { emptyMetricValue, figureOf, figuresOf, isCumulative, METRIC_IDS, METRICS } from "./catalogue";
import { sumMeasures } from "./evaluate";
import { MEASURES } from "./measures";

describe("the metric layer's arithmetic", () => {
  it("sums money exactly to 1/10,000 and derives the glossary's figures from the sums", () => {
    // Three rows whose float sum is 0.30000000000000004 without whole units.
    const totals = sumMeasures(
      [
        { k: "FR", commission_eur: 0.1, commission_refunded_eur: 0, gmv_eur: 1.0001, devices_sold: 1 },
        { k: "FR", commission_eur: 0.2, commission_refunded_eur: 0.05, gmv_eur: 2, devices_sold: 2 },
        { k: "DE", commission_eur: 7, gmv_eur: 50, devices_sold: 1, returned_items: 1 },
      ],
      (r) => r.k,
    );
    const fr = totals.get("FR");
    expect(fr.commission_eur).toBe(0.3);
    expect(fr.gmv_eur).toBe(3.0001);
    // net = 0.3 − 0.05 = 0.25; take rate = 0.25 / 3.0001
    expect(figuresOf(["net_revenue_eur", "take_rate", "return_rate"], fr)).toEqual({
      net_revenue_eur: 0.25,
      take_rate: 0.25 / 3.0001,
      return_rate: 0,
    });
    // DE: one device sold and returned (return rate 1); no refunds row → 0.
    expect(figureOf("return_rate", totals.get("DE"))).toBe(1);
    expect(figureOf("net_revenue_eur", totals.get("DE"))).toBe(7);
    // Both countries: 0.3 + 7 commission, 0.05 refunded.
    expect(figureOf("net_revenue_eur", totals.combine(["FR", "DE"]))).toBe(7.25);
  });

  it("gives ratios no value without a denominator, and sums zero without rows", () => {
    expect(figureOf("take_rate", {})).toBeNull();
    expect(figureOf("gmv_eur", {})).toBe(0);
    expect(figureOf("contribution_margin_pct", { commission_eur: 0 })).toBeNull();
    expect(emptyMetricValue("devices_sold")).toBe(0);
    expect(emptyMetricValue("return_rate")).toBeNull();
    // A distinct count nobody counted is unknown, not zero.
    expect(emptyMetricValue("active_customers")).toBeNull();
  });

  it("derives contribution and EBITDA from the same money as net revenue", () => {
    const sums = {
      commission_eur: 100,
      commission_refunded_eur: 10,
      payment_fees_eur: 5.5,
      return_costs_eur: 4.5,
      marketing_eur: 30,
      opex_eur: 60,
      devices_sold: 4,
      new_customers: 3,
    };
    // net 90; variable 10; contribution 90 − 10 − 30 = 50; EBITDA 50 − 60 = −10.
    expect(
      figuresOf(
        [
          "net_revenue_eur",
          "variable_costs_eur",
          "contribution_margin_eur",
          "ebitda_eur",
          "contribution_margin_pct",
          "ebitda_margin_pct",
          "contribution_per_device",
          "new_customers_per_1k_marketing",
        ],
        sums,
      ),
    ).toEqual({
      net_revenue_eur: 90,
      variable_costs_eur: 10,
      contribution_margin_eur: 50,
      ebitda_eur: -10,
      contribution_margin_pct: 50 / 90,
      ebitda_margin_pct: -10 / 90,
      contribution_per_device: 12.5,
      new_customers_per_1k_marketing: 100,
    });
  });

  it("refuses to add up distinct customer counts", () => {
    expect(() =>
      sumMeasures(
        [
          { k: "2024-01", active_customers: 10 },
          { k: "2024-01", active_customers: 12 },
        ],
        (r) => r.k,
      ),
    ).toThrow(/distinct/);
  });

  it("declares only known measures, and every ledger metric reads at least one", () => {
    for (const id of METRIC_IDS) {
      expect(METRICS[id].measures.length).toBeGreaterThan(0);
      for (const m of METRICS[id].measures) expect(Object.keys(MEASURES)).toContain(m);
    }
    expect(METRIC_IDS.filter(isCumulative)).toEqual(["cumulative_customers"]);
  });
});

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

  it("keeps each group's sums apart however many measures its rows bring, and absent ones absent", () => {
    // Every measure of the glossary, one at a time, over 40 groups: the rows of sums widen as measures
    // come (the first groups were laid out for fewer), and no value moves to another group or measure.
    const ids = Object.keys(MEASURES) as (keyof typeof MEASURES)[];
    const totals = sumMeasures([] as { k: string }[], (r) => r.k);
    const expected = new Map<string, Record<string, number>>();
    ids.forEach((id, i) => {
      for (let g = 0; g < 40; g++) {
        if ((g + i) % 3 === 0) continue; // a third of the groups never get this measure
        const key = `g${g}`;
        const value = MEASURES[id].kind === "money" ? g + i / 10_000 : g * 100 + i;
        totals.add(key, { [id]: value, not_a_measure: 1 });
        if (MEASURES[id].additive) totals.add(key, { [id]: 1 });
        const want = expected.get(key) ?? {};
        const sum = MEASURES[id].additive ? value + 1 : value;
        // Money exact to 1/10,000, as the layer keeps it (2.0001, not 2.0000999999999998).
        want[id] = MEASURES[id].kind === "money" ? Math.round(sum * 10_000) / 10_000 : sum;
        expected.set(key, want);
      }
    });
    expect(totals.keys()).toEqual([...expected.keys()]);
    for (const [key, want] of expected) expect(totals.get(key)).toEqual(want);
    expect(totals.get("nobody")).toEqual({});
    // Combined: additive measures only, summed in units (money exact to 1/10,000).
    const both = totals.combine(["g1", "g2", "nobody"]);
    for (const id of ids) {
      const parts = ["g1", "g2"].map((k) => expected.get(k)?.[id]).filter((v) => v !== undefined);
      if (!MEASURES[id].additive || parts.length === 0) expect(both[id]).toBeUndefined();
      else
        expect(both[id]).toBeCloseTo(
          parts.reduce((a, b) => a + b, 0),
          10,
        );
    }
    // A field read as another measure through an alias, the plain field elsewhere unchanged.
    const alias = { inflated_over_5_pct: "inflated_sales" } as const;
    const aliased = sumMeasures([{ k: "a", inflated_over_5_pct: 3, inflated_sales: 4 }], (r) => r.k, alias);
    expect(aliased.get("a")).toEqual({ inflated_sales: 7 });
    expect(sumMeasures([{ k: "a", inflated_over_5_pct: 3 }], (r) => r.k).get("a")).toEqual({});
  });

  it("declares only known measures, and every ledger metric reads at least one", () => {
    for (const id of METRIC_IDS) {
      expect(METRICS[id].measures.length).toBeGreaterThan(0);
      for (const m of METRICS[id].measures) expect(Object.keys(MEASURES)).toContain(m);
    }
    expect(METRIC_IDS.filter(isCumulative)).toEqual(["cumulative_customers"]);
  });
});

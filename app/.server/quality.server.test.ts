import { describe, expect, it } from "vitest";
import type { Grade } from "~/metrics/quality";
import {
  batteryDistribution,
  byCodePoint,
  gradeFigures,
  gradeMix,
  type QualityRow,
  reasonCounts,
  type SellerMonth,
  worstFirst,
} from "./quality.server";

const NO_REASONS = { defect: 0, not_as_described: 0, battery: 0, changed_mind: 0, other: 0 };

function row(month: string, grade: Grade, devices: number, extra: Partial<QualityRow> = {}): QualityRow {
  return {
    month,
    grade,
    category: "smartphone",
    devices_sold: devices,
    gmv_eur: devices * 100,
    commission_eur: devices * 15,
    returned_items: 0,
    returns_received: 0,
    refunds_eur: 0,
    commission_refunded_eur: 0,
    return_costs_eur: 0,
    reasons: { ...NO_REASONS },
    ...extra,
  };
}

describe("the grades page's figures", () => {
  it("gives a grade's price, take rate, return rate and cost of returns, null where nothing was sold", () => {
    const figures = gradeFigures([
      row("2024-11", "premium", 4, {
        gmv_eur: 1000.1,
        commission_eur: 150.2,
        returned_items: 1,
        returns_received: 2,
        refunds_eur: 400,
        commission_refunded_eur: 60.1,
        return_costs_eur: 8.3,
      }),
      row("2024-12", "premium", 0, {
        gmv_eur: 0,
        commission_eur: 0,
        returns_received: 1,
        commission_refunded_eur: 10,
      }),
    ]);
    expect(figures).toEqual({
      devicesSold: 4,
      gmvEur: 1000.1,
      averagePriceEur: 250.025,
      netRevenueEur: 80.1,
      takeRate: 80.1 / 1000.1,
      returnedItems: 1,
      returnRate: 0.25,
      returnsReceived: 3,
      refundsEur: 400,
      commissionRefundedEur: 70.1,
      returnCostsEur: 8.3,
      marketplaceCostEur: 78.4,
      marketplaceCostPerDeviceEur: 19.6,
    });
    expect(gradeFigures([])).toMatchObject({ averagePriceEur: null, takeRate: null, returnRate: null });
  });

  it("shares each month's devices between grades, Premium only from its launch", () => {
    const mix = gradeMix(
      [
        row("2024-09", "excellent", 3),
        row("2024-09", "good", 1),
        row("2024-10", "premium", 1),
        row("2024-10", "good", 3),
      ],
      ["2024-09", "2024-10", "2024-11"],
      "2024-10",
    );
    expect(mix[0]).toEqual({
      month: "2024-09",
      devicesSold: 4,
      grades: {
        premium: null,
        excellent: { devices: 3, share: 0.75 },
        very_good: { devices: 0, share: 0 },
        good: { devices: 1, share: 0.25 },
      },
    });
    expect(mix[1]?.grades.premium).toEqual({ devices: 1, share: 0.25 });
    // A month without sales has no shares.
    expect(mix[2]?.grades.premium).toEqual({ devices: 0, share: null });
    expect(gradeMix([row("2024-09", "good", 1)], ["2024-09"], null)[0]?.grades.premium).toBeNull();
  });

  it("counts return reasons and their shares", () => {
    const counts = reasonCounts([
      row("2024-10", "good", 1, { reasons: { ...NO_REASONS, battery: 3, defect: 1 } }),
      row("2024-11", "good", 1, { reasons: { ...NO_REASONS, battery: 1 } }),
    ]);
    expect(counts).toEqual({
      counts: { ...NO_REASONS, battery: 4, defect: 1 },
      total: 5,
      shares: { defect: 0.2, not_as_described: 0, battery: 0.8, changed_mind: 0, other: 0 },
    });
    expect(reasonCounts([]).shares.battery).toBeNull();
  });

  it("spreads each grade over the same battery bands", () => {
    const d = batteryDistribution([
      { grade: "premium", battery_band: 90, devices_sold: 3 },
      { grade: "premium", battery_band: 80, devices_sold: 1 },
      { grade: "good", battery_band: 70, devices_sold: 2 },
    ]);
    expect(d.bands).toEqual([70, 80, 90]);
    expect(d.grades[0]).toEqual({
      grade: "premium",
      devices: 4,
      bands: [
        { band: 70, devices: 0, share: 0 },
        { band: 80, devices: 1, share: 0.25 },
        { band: 90, devices: 3, share: 0.75 },
      ],
    });
    expect(d.grades[1]?.bands.map((b) => b.share)).toEqual([null, null, null]);
  });

  it("lists the sellers worst first: most devices under 85%, then the highest share, the lowest battery", () => {
    const s = (
      sellerId: string,
      under: number,
      premium: number,
      lowest: number,
      month = "2024-11",
    ): SellerMonth => ({
      month,
      sellerId,
      sellerName: `Seller ${sellerId}`,
      premiumDevices: premium,
      devicesUnder85: under,
      share: under / premium,
      lowestBatteryPct: lowest,
    });
    const ranked = worstFirst([
      s("S-1", 1, 10, 80),
      s("S-2", 3, 100, 84),
      s("S-3", 1, 2, 83),
      s("S-4", 1, 2, 79),
      s("S-4", 1, 2, 79, "2024-10"),
    ]);
    expect(ranked.map((r) => `${r.sellerId} ${r.month}`)).toEqual([
      "S-2 2024-11",
      "S-4 2024-10",
      "S-4 2024-11",
      "S-3 2024-11",
      "S-1 2024-11",
    ]);
  });

  it("orders seller names as DuckDB orders text: by code point, a prefix first", () => {
    const names = ["Zoë", "Zoe", "Zo", "Ünal", "\u{1F600} smile", "\uFFFD replacement", "A", ""];
    // UTF-16 order (JavaScript's <) puts the emoji (a surrogate pair) before U+FFFD: code points do not.
    const sorted = [...names].sort(byCodePoint);
    expect(sorted).toEqual(["", "A", "Zo", "Zoe", "Zoë", "Ünal", "\uFFFD replacement", "\u{1F600} smile"]);
    expect(byCodePoint("Zoe", "Zoe")).toBe(0);
    expect(Math.sign(byCodePoint("Zo", "Zoe"))).toBe(-1);
  });
});

import { describe, expect, it } from "vitest";
import type { Grade } from "~/metrics/quality";
import {
  batteryDistribution,
  byCodePoint,
  gradeCategoryCells,
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

  it("sums its figures over grade × category cells exactly as over the months' rows", () => {
    // Cents and tenths of cents that binary floating point cannot hold, a NULL sum, every reason.
    const grades: Grade[] = ["premium", "excellent", "good", "fair"];
    const categories = ["smartphone", "laptop", "tablet"] as const;
    const rows: QualityRow[] = [];
    let seed = 7;
    const next = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed;
    };
    for (let m = 1; m <= 24; m++)
      for (const grade of grades)
        for (const category of categories) {
          if (next() % 5 === 0) continue;
          rows.push(
            row(
              `20${22 + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, "0")}`,
              grade,
              next() % 40,
              {
                category,
                gmv_eur: (next() % 1_000_000) / 100 + 0.1,
                commission_eur: (next() % 100_000) / 1_000,
                returned_items: next() % 4,
                returns_received: next() % 4,
                refunds_eur: (next() % 10_000) / 100 + 0.2,
                commission_refunded_eur: m === 3 ? (null as unknown as number) : (next() % 1_000) / 100,
                return_costs_eur: (next() % 5_000) / 1_000,
                reasons: {
                  defect: next() % 3,
                  not_as_described: next() % 2,
                  battery: next() % 2,
                  changed_mind: 1,
                  other: 0,
                },
              },
            ),
          );
        }
    const cells = gradeCategoryCells(rows);
    expect(cells.length).toBe(grades.length * categories.length);
    expect(gradeFigures(cells)).toEqual(gradeFigures(rows));
    expect(reasonCounts(cells)).toEqual(reasonCounts(rows));
    for (const grade of grades) {
      const mine = (xs: QualityRow[]) => xs.filter((r) => r.grade === grade);
      expect(gradeFigures(mine(cells))).toEqual(gradeFigures(mine(rows)));
      expect(reasonCounts(mine(cells))).toEqual(reasonCounts(mine(rows)));
      for (const category of categories) {
        const both = (xs: QualityRow[]) => mine(xs).filter((r) => r.category === category);
        expect(gradeFigures(both(cells))).toEqual(gradeFigures(both(rows)));
      }
    }
    // A measure no row holds stays absent: figures of nothing are null, not zero.
    const empty = gradeCategoryCells([row("2024-01", "good", 0, { gmv_eur: null as unknown as number })]);
    expect(empty[0]?.gmv_eur).toBeNull();
    expect(gradeFigures(empty)).toEqual(
      gradeFigures([row("2024-01", "good", 0, { gmv_eur: null as unknown as number })]),
    );
  });
});

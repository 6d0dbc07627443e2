// The grades page's marts and loader on the hand-written warehouse (quality-fixture.ts: the overview's
// batch, then Premium sales, battery readings and returns added by a second, incremental run). Every
// expected figure is worked out by hand in the comments.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequest } from "~/.server/overview.server";
import { loadQuality } from "~/.server/quality.server";
import { Warehouse } from "~/.server/warehouse.server";
import { buildQualityWarehouse } from "../helpers/quality-fixture";

const NO_REASONS = { defect: 0, not_as_described: 0, battery: 0, changed_mind: 0, other: 0 };

describe("the grades page's marts on the hand-written warehouse", () => {
  let root: string;
  let warehouse: Warehouse;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "backlight-quality-"));
    buildQualityWarehouse(join(root, "landing"), join(root, "data"));
    warehouse = new Warehouse({ dataDir: join(root, "data"), cacheEntries: 0 });
  });
  afterAll(() => {
    warehouse.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function rows(query: string) {
    const result = await warehouse.withConnection(async (conn) =>
      (await conn.runAndReadAll(query)).getRowObjectsJS(),
    );
    if (result.state !== "ready") throw new Error("no warehouse");
    return result.result.map((r) => ({ ...r }));
  }

  it("sums sales by order month, returns by order month and by return month, and reasons, per grade", async () => {
    // December's figures below come from the last run, which rebuilt the months from December on only.
    const runs = readFileSync(join(root, "data", "runs.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(runs.map((line) => JSON.parse(line).fullRebuild)).toEqual([true, true, false]);
    const got = await rows(
      `SELECT strftime(month, '%Y-%m') AS month, country_code AS c, category, grade,
         CAST(devices_sold AS INTEGER) AS devices, CAST(gmv_eur AS DOUBLE) AS gmv,
         CAST(commission_eur AS DOUBLE) AS commission, CAST(returned_items AS INTEGER) AS returned,
         CAST(returns_received AS INTEGER) AS received, CAST(refunds_eur AS DOUBLE) AS refunds,
         CAST(commission_refunded_eur AS DOUBLE) AS refunded, CAST(return_costs_eur AS DOUBLE) AS costs,
         CAST(returns_defect AS INTEGER) AS defect, CAST(returns_not_as_described AS INTEGER) AS not_as_described,
         CAST(returns_battery AS INTEGER) AS battery, CAST(returns_changed_mind AS INTEGER) AS changed_mind,
         CAST(returns_other AS INTEGER) AS other
       FROM marts.mart_quality_months ORDER BY month, c, category, grade`,
    );
    const row = (
      month: string,
      c: string,
      category: string,
      grade: string,
      sales: [number, number, number],
      returns: [number, number, number, number, number] = [0, 0, 0, 0, 0],
      reasons: Partial<typeof NO_REASONS> = {},
    ) => ({
      month,
      c,
      category,
      grade,
      devices: sales[0],
      gmv: sales[1],
      commission: sales[2],
      returned: returns[0],
      received: returns[1],
      refunds: returns[2],
      refunded: returns[3],
      costs: returns[4],
      ...NO_REASONS,
      ...reasons,
    });
    expect(got).toEqual([
      // October: i101 and i102, Premium's first month; i101 comes back in November but counts against
      // October's sales (its cohort) for the return rate.
      row("2024-10", "FR", "smartphone", "premium", [2, 500, 75], [1, 0, 0, 0, 0]),
      // November: the console i106 is sold and returned (changed mind) the same month.
      row("2024-11", "FR", "console", "excellent", [1, 400, 60], [1, 1, 400, 60, 8], { changed_mind: 1 }),
      row("2024-11", "FR", "smartphone", "excellent", [1, 100, 15]),
      // i101's return lands on 2 November, with its money and its reason: no Premium sale that month.
      row("2024-11", "FR", "smartphone", "premium", [0, 0, 0], [0, 1, 300, 45, 6], { battery: 1 }),
      // i2 is sold in November and returned on 3 December: the cohort here, the money there.
      row("2024-11", "FR", "smartphone", "very_good", [1, 200, 30], [1, 0, 0, 0, 0]),
      row("2024-11", "US", "laptop", "good", [1, 270, 40.5]),
      // December: i5 (i7 was cancelled); i4, i103 and i104 (150 + 250 + 100), i4 returned on 20 December.
      row("2024-12", "FR", "smartphone", "good", [1, 80, 12]),
      row("2024-12", "FR", "smartphone", "premium", [3, 500, 75], [1, 1, 150, 22.5, 3], {
        not_as_described: 1,
      }),
      row("2024-12", "FR", "smartphone", "very_good", [0, 0, 0], [0, 1, 200, 30, 4], { defect: 1 }),
      row("2024-12", "GB", "laptop", "excellent", [1, 120, 18]),
      row("2024-12", "US", "smartphone", "very_good", [1, 95, 14.25]),
      // The cancelled Premium laptop i107 leaves no row.
    ]);
  });

  it("counts battery readings in 5-point bands, and lists the Premium sellers under 85% with their sales", async () => {
    const bands = await rows(
      `SELECT strftime(month, '%Y-%m') AS month, country_code AS c, category, grade, battery_band AS band,
         CAST(devices_sold AS INTEGER) AS n
       FROM marts.mart_battery_months ORDER BY month, c, category, grade, band`,
    );
    expect(bands.map((b) => Object.values(b).join(" "))).toEqual([
      // i101 84 → band 80, i102 95 → 95. The console i106 has no battery.
      "2024-10 FR smartphone premium 80 1",
      "2024-10 FR smartphone premium 95 1",
      "2024-11 FR smartphone excellent 90 1", // i1 90
      "2024-11 FR smartphone very_good 85 1", // i2 88
      "2024-11 US laptop good 85 1", // i3 85
      "2024-12 FR smartphone good 80 1", // i5 81
      "2024-12 FR smartphone premium 75 1", // i103 78
      "2024-12 FR smartphone premium 80 1", // i104 83
      "2024-12 FR smartphone premium 90 1", // i4 92
      "2024-12 GB laptop excellent 90 1", // i6 90
      "2024-12 US smartphone very_good 85 1", // i8 87
    ]);
    const sellers = await rows(
      `SELECT strftime(month, '%Y-%m') AS month, CAST(seller_id AS INTEGER) AS id, seller_name AS name, country_code AS c, category,
         CAST(premium_devices AS INTEGER) AS premium, CAST(devices_under_85 AS INTEGER) AS under, lowest_battery_pct AS lowest
       FROM marts.mart_premium_seller_months ORDER BY month, id`,
    );
    expect(sellers).toEqual([
      {
        month: "2024-10",
        id: 22,
        name: "Flash Phones SAS",
        c: "FR",
        category: "smartphone",
        premium: 2,
        under: 1,
        lowest: 84,
      },
      // Seller 20 sold i4 (92) and i104 (83) in December; seller 22 i103 (78). i107 was cancelled.
      {
        month: "2024-12",
        id: 20,
        name: '=HYPERLINK("http://evil.example","clic")',
        c: "FR",
        category: "smartphone",
        premium: 2,
        under: 1,
        lowest: 83,
      },
      {
        month: "2024-12",
        id: 22,
        name: "Flash Phones SAS",
        c: "FR",
        category: "smartphone",
        premium: 1,
        under: 1,
        lowest: 78,
      },
    ]);
    // The same broken promises as the breaches mart, item by item.
    const breaches = await rows(
      "SELECT CAST(count(*) AS INTEGER) AS n FROM marts.mart_premium_battery_breaches",
    );
    expect(breaches).toEqual([{ n: 3 }]);
  });

  it("gives the page's figures by grade, the mix, reasons, battery and the compliance list", async () => {
    const view = async (query: string) => {
      const loaded = await loadQuality(warehouse, new URL(`http://t/quality?${query}`));
      if (loaded.state !== "ready") throw new Error("no warehouse");
      return loaded.result;
    };
    const v = await view("from=2024-10&to=2024-12");
    expect(v.premiumSince).toBe("2024-10");
    expect(v.available.months).toEqual(["2024-10", "2024-11", "2024-12"]);
    // Mix: October 2 Premium; November i1, i106 excellent, i2 very good, i3 good; December 3 Premium of 6.
    expect(
      v.mix.map((m) => [m.month, m.devicesSold, m.grades.premium?.share, m.grades.excellent?.share]),
    ).toEqual([
      ["2024-10", 2, 1, 0],
      ["2024-11", 4, 0, 0.5],
      ["2024-12", 6, 0.5, 1 / 6],
    ]);
    const premium = v.grades.find((g) => g.grade === "premium")?.figures;
    expect(premium).toEqual({
      devicesSold: 5,
      gmvEur: 1000,
      averagePriceEur: 200,
      // 150 of commission − 45 (i101) − 22.50 (i4) refunded
      netRevenueEur: 82.5,
      takeRate: 0.0825,
      returnedItems: 2,
      returnRate: 0.4,
      returnsReceived: 2,
      refundsEur: 450,
      commissionRefundedEur: 67.5,
      returnCostsEur: 9,
      // 67.50 + 9.00, over 5 devices
      marketplaceCostEur: 76.5,
      marketplaceCostPerDeviceEur: 15.3,
    });
    // Excellent: i1 100, i106 400, i6 120; commission 15 + 60 + 18 − 60 refunded.
    expect(v.grades.find((g) => g.grade === "excellent")?.figures).toMatchObject({
      devicesSold: 3,
      gmvEur: 620,
      netRevenueEur: 33,
      returnRate: 1 / 3,
      marketplaceCostEur: 68,
    });
    expect(v.total).toMatchObject({ devicesSold: 12, gmvEur: 2265, netRevenueEur: 182.25, returnedItems: 4 });
    expect(v.reasons.byGrade.map((g) => [g.grade, g.reasons.total, g.reasons.shares.battery])).toEqual([
      ["premium", 2, 0.5],
      ["excellent", 1, 0],
      ["very_good", 1, 0],
      ["good", 0, null],
    ]);
    expect(v.reasons.byCategory.map((c) => [c.category, c.reasons.counts])).toEqual([
      ["smartphone", { ...NO_REASONS, defect: 1, not_as_described: 1, battery: 1 }],
      ["console", { ...NO_REASONS, changed_mind: 1 }],
    ]);
    // Return rate by category × grade: smartphones 3 returned of 9 (Premium 2 of 5).
    expect(
      v.returnRates.map((r) => [r.category, r.all.returned, r.all.devices, r.grades.premium.rate]),
    ).toEqual([
      ["smartphone", 3, 9, 0.4],
      ["laptop", 0, 2, null],
      ["console", 1, 1, null],
    ]);
    expect(v.battery.bands).toEqual([75, 80, 85, 90, 95]);
    expect(v.battery.grades[0]?.bands.map((b) => b.devices)).toEqual([1, 2, 0, 1, 1]);
    // 3 of the 5 Premium devices under 85% (i101 84, i103 78, i104 83).
    expect(v.compliance).toMatchObject({
      premiumWithBattery: 5,
      under85: 3,
      share: 0.6,
      lowestBatteryPct: 78,
      sellers: 2,
    });
    // Worst first: one device each; seller 22's December is all of its Premium sales that month; then
    // the two half-shares, the lower battery (83) before 84.
    expect(v.compliance.list.map((s) => [s.month, s.sellerId, s.share, s.lowestBatteryPct])).toEqual([
      ["2024-12", "22", 1, 78],
      ["2024-12", "20", 0.5, 83],
      ["2024-10", "22", 0.5, 84],
    ]);
    expect(v.compliance.listTotal).toBe(3);

    // Filters: the United States alone has no Premium; laptops alone no returns.
    const us = await view("from=2024-10&to=2024-12&country=US");
    expect(us.total.devicesSold).toBe(2);
    expect(us.compliance).toMatchObject({ premiumWithBattery: 0, under85: 0, share: null, listTotal: 0 });
    const consoles = await view("from=2024-11&to=2024-11&category=console");
    expect(consoles.total).toMatchObject({ devicesSold: 1, returnRate: 1, refundsEur: 400 });
    expect(consoles.battery.bands).toEqual([]);

    // By default the last 12 whole months: the data ends on 28 December, so October and November.
    const byDefault = await view("");
    expect(byDefault.range).toEqual({ from: "2024-10", to: "2024-11" });

    for (const [query, message] of [
      ["from=2024-09", "from: no data in 2024-09 (the data runs from 2024-10 to 2024-12)"],
      ["from=2024-12&to=2024-10", "from: 2024-12 is after to (2024-10)"],
      ["country=DE", 'country: unknown country "DE" (one of: FR, GB, US)'],
    ] as const) {
      await expect(view(query), query).rejects.toThrow(BadRequest);
      await expect(view(query), query).rejects.toThrow(message);
    }
  });
});

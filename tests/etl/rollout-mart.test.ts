// The rollout mart on the hand-written warehouse: each country's months counted from its own launch
// (month 1 = the calendar month of launched_on), with customers, repeat buyers and app orders worked out
// by hand from overview-fixture.ts.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequest } from "~/.server/overview.server";
import { loadRollout } from "~/.server/rollout.server";
import { Warehouse } from "~/.server/warehouse.server";
import { buildOverviewWarehouse } from "../helpers/overview-fixture";

describe("mart_rollout_months on the hand-written warehouse", () => {
  let root: string;
  let warehouse: Warehouse;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "backlight-rollout-"));
    buildOverviewWarehouse(join(root, "landing"), join(root, "data"));
    warehouse = new Warehouse({ dataDir: join(root, "data"), cacheEntries: 0 });
  });
  afterAll(() => {
    warehouse.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("counts months from each country's launch and gives each month's customers, repeat buyers and app devices", async () => {
    const result = await warehouse.withConnection(async (conn) => {
      const reader = await conn.runAndReadAll(
        `SELECT country_code, strftime(month, '%Y-%m') AS month, months_since_launch,
           CAST(devices_sold AS INTEGER) AS devices_sold, CAST(gmv_eur AS DOUBLE) AS gmv,
           CAST(net_revenue_eur AS DOUBLE) AS net_revenue, CAST(contribution_margin_eur AS DOUBLE) AS contribution,
           CAST(active_customers AS INTEGER) AS active_customers,
           CAST(returning_customers AS INTEGER) AS returning_customers,
           CAST(new_customers AS INTEGER) AS new_customers,
           CAST(cumulative_customers AS INTEGER) AS cumulative_customers,
           CAST(app_devices AS INTEGER) AS app_devices
         FROM marts.mart_rollout_months ORDER BY country_code, month`,
      );
      return reader.getRowObjectsJS();
    });
    if (result.state !== "ready") throw new Error("no warehouse");
    const rows = result.result.map((r) => ({ ...r }));
    expect(rows).toEqual([
      // France launched 2014-11-03: November 2024 is its 121st month. Customers 1 and 2 buy in November;
      // in December customer 1 comes back (in the app) and customer 4 is new; item 7 is cancelled.
      // Net revenue: 22.50 + 12.00 − 30.00 refunded on 3 December; contribution: − fees 2.30 − the
      // return's 4.00 − 300 of marketing.
      {
        country_code: "FR",
        month: "2024-11",
        months_since_launch: 121,
        devices_sold: 2,
        gmv: 300,
        net_revenue: 45,
        contribution: -58,
        active_customers: 2,
        returning_customers: 0,
        new_customers: 2,
        cumulative_customers: 2,
        app_devices: 0,
      },
      {
        country_code: "FR",
        month: "2024-12",
        months_since_launch: 122,
        devices_sold: 2,
        gmv: 230,
        net_revenue: 4.5,
        contribution: -301.8,
        active_customers: 2,
        returning_customers: 1,
        new_customers: 1,
        cumulative_customers: 3,
        app_devices: 1,
      },
      // The United Kingdom launched 2020-01-20: December 2024 is month 60. £100 at 1.20; fee 1.20;
      // £50 of marketing at the month's last rate.
      {
        country_code: "GB",
        month: "2024-12",
        months_since_launch: 60,
        devices_sold: 1,
        gmv: 120,
        net_revenue: 18,
        contribution: -43.2,
        active_customers: 1,
        returning_customers: 0,
        new_customers: 1,
        cumulative_customers: 1,
        app_devices: 0,
      },
      // The United States launched 2018-05-02: November 2024 is month 79. Customer 3 buys in both months
      // ($300 at 0.90, then $100 at 0.95); marketing at each month's last rate (0.90, 0.96).
      {
        country_code: "US",
        month: "2024-11",
        months_since_launch: 79,
        devices_sold: 1,
        gmv: 270,
        net_revenue: 40.5,
        contribution: -7.2,
        active_customers: 1,
        returning_customers: 0,
        new_customers: 1,
        cumulative_customers: 1,
        app_devices: 0,
      },
      {
        country_code: "US",
        month: "2024-12",
        months_since_launch: 80,
        devices_sold: 1,
        gmv: 95,
        net_revenue: 14.25,
        contribution: -82.7,
        active_customers: 1,
        returning_customers: 1,
        new_customers: 0,
        cumulative_customers: 1,
        app_devices: 0,
      },
    ]);
  });

  it("gives each selected country's line by months since launch, the median of all countries, and milestones", async () => {
    const view = async (query: string) => {
      const loaded = await loadRollout(warehouse, new URL(`http://t/rollout?${query}`));
      if (loaded.state !== "ready") throw new Error("no warehouse");
      return loaded.result;
    };
    // Three countries in the fixture: the default (the five most recent launches) is all three, in
    // launch order.
    const devices = await view("");
    expect(devices.countries).toEqual(["FR", "US", "GB"]);
    expect(devices.series.map((s) => [s.country, s.points])).toEqual([
      [
        "FR",
        [
          { x: 121, y: 2 },
          { x: 122, y: 2 },
        ],
      ],
      [
        "US",
        [
          { x: 79, y: 1 },
          { x: 80, y: 1 },
        ],
      ],
      ["GB", [{ x: 60, y: 1 }]],
    ]);
    // No month of age has three countries in the fixture: no median line (it would be one country's).
    expect(devices.median).toEqual([]);
    // Repeat buyers: France's December has customer 1 back among 2; on the calendar axis.
    const repeat = await view("country=FR,US&metric=repeat_rate&axis=calendar");
    expect(repeat.series[0]?.points).toEqual([
      { x: "2024-11", y: 0 },
      { x: "2024-12", y: 0.5 },
    ]);
    expect(repeat.series[1]?.points).toEqual([
      { x: "2024-11", y: 0 },
      { x: "2024-12", y: 1 },
    ]);
    // The fixture starts ten years after France's launch: counts from launch are unknown, not zero.
    expect(devices.milestones[0]).toEqual({
      country: "FR",
      launchedOn: "2014-11-03",
      monthsToDevices: { 10000: null, 100000: null, 1000000: null },
      customersAt: { 12: null, 24: null },
      contributionPctAt: { 12: null, 24: null },
      breakEvenMonth: null,
      historyFromLaunch: false,
    });
    await expect(view("country=FR,DE")).rejects.toThrow(BadRequest);
    await expect(view("country=FR,DE")).rejects.toThrow('country: unknown country "DE" (one of: FR, GB, US)');
    // One country is compared with the median of all (issue 18); a region picks its countries.
    expect((await view("country=GB")).countries).toEqual(["GB"]);
    expect((await view("region=north_america")).countries).toEqual(["US"]);
    // Every app launched before the data starts: no marker, no before/after.
    expect(devices.series.map((s) => s.appX)).toEqual([null, null, null]);
    expect(devices.appShare).toEqual([]);
  });

  it("gives counts and amounts per 1,000 inhabitants, and ratios as they are", async () => {
    const view = async (query: string) => {
      const loaded = await loadRollout(warehouse, new URL(`http://t/rollout?${query}`));
      if (loaded.state !== "ready") throw new Error("no warehouse");
      return loaded.result;
    };
    // France: 68,170,000 inhabitants (mart_country_population); 2 devices in November, 2 in December;
    // GMV 300 then 230. The UK: 68,350,000; one device, 120 € of GMV, in December.
    const devices = await view("country=FR,GB&metric=devices_sold&basis=per_capita&axis=calendar");
    expect(devices.perCapita).toBe(true);
    expect(devices.series[0]?.points).toEqual([
      { x: "2024-11", y: 2 / 68_170 },
      { x: "2024-12", y: 2 / 68_170 },
    ]);
    expect(devices.series[1]?.points).toEqual([{ x: "2024-12", y: 1 / 68_350 }]);
    expect(devices.population).toEqual({ year: 2023, source: "World Bank WDI SP.POP.TOTL" });
    const gmv = await view("country=FR,GB&metric=gmv_eur&basis=per_capita&axis=calendar");
    expect(gmv.series[0]?.points.map((p) => p.y)).toEqual([300 / 68_170, 230 / 68_170]);
    // A ratio is the same per inhabitant.
    const take = await view("country=FR,GB&metric=take_rate&basis=per_capita&axis=calendar");
    const takeAbsolute = await view("country=FR,GB&metric=take_rate&axis=calendar");
    expect(take.perCapita).toBe(false);
    expect(take.series).toEqual(takeAbsolute.series);
  });
});

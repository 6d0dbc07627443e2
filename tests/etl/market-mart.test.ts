// The market mart and the /market loader on the hand-written warehouse (overview-fixture.ts and
// channels-fixture.ts): market_context for France (smartphones in November and December 2024, laptops
// in December) and the United States (smartphones in December), next to the company's devices.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMarket } from "~/.server/market.server";
import { BadRequest } from "~/.server/overview.server";
import { marketTables } from "~/.server/sections/market.server";
import { Warehouse } from "~/.server/warehouse.server";
import { presentTable } from "~/sections/table";
import { buildChannelsWarehouse } from "../helpers/channels-fixture";

describe("the market mart on the hand-written warehouse", () => {
  let root: string;
  let warehouse: Warehouse;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "backlight-market-"));
    buildChannelsWarehouse(join(root, "landing"), join(root, "data"));
    warehouse = new Warehouse({ dataDir: join(root, "data"), cacheEntries: 0 });
  });
  afterAll(() => {
    warehouse.close();
    rmSync(root, { recursive: true, force: true });
  });

  const view = async (query: string) => {
    const loaded = await loadMarket(warehouse, new URL(`http://t/market?${query}`), "en-GB");
    if (loaded.state !== "ready") throw new Error("no warehouse");
    return loaded.result;
  };

  it("puts the market's units beside the company's devices, month by month, where either exists", async () => {
    const result = await warehouse.withConnection(async (conn) =>
      (
        await conn.runAndReadAll(`SELECT strftime(month, '%Y-%m') AS month, country_code AS country, category,
            market_units AS market, second_hand_units AS second_hand, CAST(devices_sold AS INTEGER) AS devices
          FROM marts.mart_market_months WHERE month >= DATE '2024-11-01' ORDER BY ALL`)
      ).getRowObjectsJS(),
    );
    if (result.state !== "ready") throw new Error("no warehouse");
    expect(result.result.map((r) => ({ ...r }))).toEqual([
      // November: items 1, 2 and 104 are smartphones (product 10); the US laptop (item 3) and smartphone
      // (item 111) have no market row.
      { month: "2024-11", country: "FR", category: "smartphone", market: 1000, second_hand: 200, devices: 3 },
      { month: "2024-11", country: "US", category: "laptop", market: null, second_hand: null, devices: 1 },
      {
        month: "2024-11",
        country: "US",
        category: "smartphone",
        market: null,
        second_hand: null,
        devices: 1,
      },
      // December: market data for French laptops without a French laptop sold; items 4, 5, 105 and 106.
      { month: "2024-12", country: "FR", category: "laptop", market: 100, second_hand: 10, devices: 0 },
      { month: "2024-12", country: "FR", category: "smartphone", market: 1200, second_hand: 300, devices: 4 },
      { month: "2024-12", country: "GB", category: "laptop", market: null, second_hand: null, devices: 1 },
      { month: "2024-12", country: "US", category: "smartphone", market: 5000, second_hand: 400, devices: 1 },
    ]);
  });

  it("gives each country's second-hand share and the company's share of it, and lists those without data", async () => {
    // The data ends on 18 December: by default the months with smartphone market data up to November.
    const defaults = await view("");
    expect([defaults.category, defaults.period.from, defaults.period.to]).toEqual([
      "smartphone",
      "2024-11",
      "2024-11",
    ]);
    expect(defaults.withData.map((c) => [c.country, c.figures])).toEqual([
      [
        "FR",
        {
          months: 1,
          marketUnits: 1000,
          secondHandUnits: 200,
          secondHandShare: 0.2,
          devices: 3,
          companyShare: 0.015,
        },
      ],
    ]);
    expect(defaults.without).toEqual([{ country: "US", name: "United States", devices: 1 }]);

    // Both months: France 500 second-hand of 2,200; 7 devices. The United States only has December's
    // market data, so only December's device counts against it.
    const both = await view("from=2024-11&to=2024-12");
    const [fr, us] = both.withData;
    expect(fr?.figures).toEqual({
      months: 2,
      marketUnits: 2200,
      secondHandUnits: 500,
      secondHandShare: 500 / 2200,
      devices: 7,
      companyShare: 7 / 500,
    });
    // The section's table shows them as the page does (a share under 1% to two decimals).
    const byCountry = presentTable(
      "market-countries",
      marketTables(both, "en-GB")["market-countries"],
      "en-GB",
    );
    const col = (id: string) => byCountry.columns.findIndex((c) => c.id === id);
    const text = (code: string, id: string) =>
      byCountry.rows.find((r) => r.values[0] === code)?.text[col(id)];
    expect([text("FR", "second_hand_share"), text("FR", "company_second_hand_share")]).toEqual([
      "22.7%",
      "1.4%",
    ]);
    expect(text("US", "company_second_hand_share")).toBe("0.25%");
    expect(us?.figures).toMatchObject({ months: 1, secondHandUnits: 400, devices: 1, companyShare: 0.0025 });
    expect(us?.months.map((m) => [m.month, m.secondHandShare, m.companyShare])).toEqual([
      ["2024-11", null, null],
      ["2024-12", 0.08, 0.0025],
    ]);
    const monthly = presentTable(
      "market-second-hand-share",
      marketTables(both, "en-GB")["market-second-hand-share"],
      "en-GB",
    );
    expect(monthly.rows.filter((r) => r.values[1] === "US").map((r) => [r.values[0], r.text[2]])).toEqual([
      ["2024-11-01", "—"],
      ["2024-12-01", "8.0%"],
    ]);
    expect(both.without).toEqual([]);

    // Laptops: France has market data but sold none; the US and the UK sold laptops without market data.
    const laptops = await view("category=laptop&from=2024-11&to=2024-12");
    expect(
      laptops.withData.map((c) => [c.country, c.figures.secondHandShare, c.figures.companyShare]),
    ).toEqual([["FR", 0.1, 0]]);
    expect(laptops.without.map((c) => [c.country, c.devices])).toEqual([
      ["GB", 1],
      ["US", 1],
    ]);

    // One country: the UK sold no smartphone and has no market data.
    const uk = await view("country=GB&from=2024-11&to=2024-12");
    expect([uk.withData, uk.without]).toEqual([[], []]);

    await expect(view("country=DE")).rejects.toThrow(/^country: unknown country "DE" \(one of: /);
    // A region chooses its countries: North America is the United States here.
    const america = await view("region=north_america&from=2024-11&to=2024-12");
    expect(america.withData.map((c) => c.country)).toEqual(["US"]);
    // Months outside the data: a 400 that says the range (issue 17), before any figure is computed.
    await expect(view("to=9999-11")).rejects.toThrow(
      /^to: no data in 9999-11 \(the data runs from \d{4}-\d{2} to 2024-12\)$/,
    );
    await expect(view("category=phones")).rejects.toThrow(BadRequest);
    await expect(view("from=2024-12&to=2024-11")).rejects.toThrow("from: 2024-12 is after to (2024-11)");
  });
});

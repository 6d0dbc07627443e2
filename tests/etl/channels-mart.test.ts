// The channel marts and the /channels loader on the hand-written warehouse (overview-fixture.ts and
// channels-fixture.ts), every figure worked out by hand: partner shares, channels compared in a country,
// each customer's first channel and second purchase day, and repeat customers by first channel.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChannels } from "~/.server/channels.server";
import { BadRequest } from "~/.server/overview.server";
import { channelsTables } from "~/.server/sections/channels.server";
import { Warehouse } from "~/.server/warehouse.server";
import { presentTable } from "~/sections/table";
import { buildChannelsWarehouse } from "../helpers/channels-fixture";

describe("the channel marts on the hand-written warehouse", () => {
  let root: string;
  let warehouse: Warehouse;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "backlight-channels-"));
    buildChannelsWarehouse(join(root, "landing"), join(root, "data"));
    warehouse = new Warehouse({ dataDir: join(root, "data"), cacheEntries: 0 });
  });
  afterAll(() => {
    warehouse.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function rows(sql: string) {
    const result = await warehouse.withConnection(async (conn) =>
      (await conn.runAndReadAll(sql)).getRowObjectsJS(),
    );
    if (result.state !== "ready") throw new Error("no warehouse");
    return result.result.map((r) => ({ ...r }));
  }

  it("gives each customer the channel of their first item and their next day with a completed item", async () => {
    expect(
      // mart_customers holds the customer's surrogate key (ADR 0014): the source id is in the key map.
      await rows(`SELECT CAST(k.customer_id AS INTEGER) AS id, strftime(first_order_date, '%Y-%m-%d') AS first,
          first_order_country AS country, first_channel AS channel, first_partner AS partner,
          strftime(second_order_date, '%Y-%m-%d') AS second
        FROM marts.mart_customers m JOIN raw.customer_keys k ON k.customer_key = m.customer_id ORDER BY id`),
    ).toEqual([
      // Customer 1: web in November, back in the app on 5 December.
      { id: 1, first: "2024-11-10", country: "FR", channel: "web", partner: null, second: "2024-12-05" },
      // Customer 2's December item was cancelled: no second purchase.
      { id: 2, first: "2024-11-20", country: "FR", channel: "web", partner: null, second: null },
      // 15:00Z is 16:00 in Paris, the same day.
      { id: 3, first: "2024-11-15", country: "US", channel: "web", partner: null, second: "2024-12-18" },
      { id: 4, first: "2024-12-10", country: "FR", channel: "web", partner: null, second: null },
      { id: 5, first: "2024-12-12", country: "GB", channel: "web", partner: null, second: null },
      {
        id: 6,
        first: "2024-11-05",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        second: "2024-12-01",
      },
      {
        id: 7,
        first: "2024-12-12",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        second: null,
      },
      // Customer 8 only ever cancelled: not a customer. Customer 9's web item on the first day is not a
      // second purchase; 1 August is.
      {
        id: 9,
        first: "2023-06-10",
        country: "US",
        channel: "partner",
        partner: "verizon",
        second: "2023-08-01",
      },
      { id: 10, first: "2024-11-20", country: "US", channel: "partner", partner: "verizon", second: null },
      { id: 11, first: "2023-03-10", country: "FR", channel: "app", partner: null, second: "2023-12-01" },
      {
        id: 12,
        first: "2023-03-15",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        second: null,
      },
    ]);
  });

  it("counts each cohort's customers and those back within 90 and 365 days", async () => {
    expect(
      await rows(`SELECT strftime(month, '%Y-%m') AS month, country_code AS country, first_channel AS channel,
          first_partner AS partner, CAST(customers AS INTEGER) AS customers,
          CAST(repeat_90d AS INTEGER) AS r90, CAST(repeat_365d AS INTEGER) AS r365
        FROM marts.mart_repeat_cohorts ORDER BY ALL`),
    ).toEqual([
      // Customer 11: back after 266 days (10 March → 1 December 2023).
      { month: "2023-03", country: "FR", channel: "app", partner: null, customers: 1, r90: 0, r365: 1 },
      {
        month: "2023-03",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        customers: 1,
        r90: 0,
        r365: 0,
      },
      // Customer 9: back after 52 days.
      {
        month: "2023-06",
        country: "US",
        channel: "partner",
        partner: "verizon",
        customers: 1,
        r90: 1,
        r365: 1,
      },
      // Customer 6: back after 26 days.
      {
        month: "2024-11",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        customers: 1,
        r90: 1,
        r365: 1,
      },
      // Customers 1 (back after 25 days) and 2 (never).
      { month: "2024-11", country: "FR", channel: "web", partner: null, customers: 2, r90: 1, r365: 1 },
      {
        month: "2024-11",
        country: "US",
        channel: "partner",
        partner: "verizon",
        customers: 1,
        r90: 0,
        r365: 0,
      },
      // Customer 3: back after 33 days.
      { month: "2024-11", country: "US", channel: "web", partner: null, customers: 1, r90: 1, r365: 1 },
      {
        month: "2024-12",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        customers: 1,
        r90: 0,
        r365: 0,
      },
      { month: "2024-12", country: "FR", channel: "web", partner: null, customers: 1, r90: 0, r365: 0 },
      { month: "2024-12", country: "GB", channel: "web", partner: null, customers: 1, r90: 0, r365: 0 },
    ]);
  });

  it("sums sales by month, country and channel, money on the return's date and returns by order month", async () => {
    expect(
      await rows(`SELECT strftime(month, '%Y-%m') AS month, country_code AS country, channel, partner,
          CAST(devices_sold AS INTEGER) AS devices, CAST(gmv_eur AS DOUBLE) AS gmv,
          CAST(commission_eur AS DOUBLE) AS commission, CAST(commission_refunded_eur AS DOUBLE) AS refunded,
          CAST(payment_fees_eur AS DOUBLE) AS fees, CAST(return_costs_eur AS DOUBLE) AS return_costs,
          CAST(returned_items AS INTEGER) AS returned
        FROM marts.mart_channel_months WHERE country_code = 'FR' AND month >= DATE '2024-11-01' ORDER BY ALL`),
    ).toEqual([
      // Item 104, returned on 10 December: counted against November (its order), money in December.
      {
        month: "2024-11",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        devices: 1,
        gmv: 400,
        commission: 40,
        refunded: 0,
        fees: 4,
        return_costs: 0,
        returned: 1,
      },
      // Items 1 and 2; item 2 returned on 3 December.
      {
        month: "2024-11",
        country: "FR",
        channel: "web",
        partner: null,
        devices: 2,
        gmv: 300,
        commission: 45,
        refunded: 0,
        fees: 3,
        return_costs: 0,
        returned: 1,
      },
      {
        month: "2024-12",
        country: "FR",
        channel: "app",
        partner: null,
        devices: 1,
        gmv: 150,
        commission: 22.5,
        refunded: 0,
        fees: 1.5,
        return_costs: 0,
        returned: 0,
      },
      // Item 106 (107 was cancelled); item 104's return: 40 refunded, 6 of costs.
      {
        month: "2024-12",
        country: "FR",
        channel: "partner",
        partner: "bouygues_telecom",
        devices: 1,
        gmv: 250,
        commission: 25,
        refunded: 40,
        fees: 2.5,
        return_costs: 6,
        returned: 0,
      },
      // Items 5 and 105; item 2's return: 30 refunded, 4 of costs.
      {
        month: "2024-12",
        country: "FR",
        channel: "web",
        partner: null,
        devices: 2,
        gmv: 130,
        commission: 19.5,
        refunded: 30,
        fees: 1.3,
        return_costs: 4,
        returned: 0,
      },
    ]);
  });

  it("gives partner shares, channels compared and repeat rates for a period", async () => {
    const view = async (query: string) => {
      const loaded = await loadChannels(warehouse, new URL(`http://t/channels?${query}`), "en-GB");
      if (loaded.state !== "ready") throw new Error("no warehouse");
      return loaded.result;
    };
    const v = await view("from=2024-11&to=2024-12");
    // Partners and their countries, from the data: Bouygues Telecom first sold in March 2023.
    expect(v.partners.map((p) => [p.partner, p.country, p.sinceLabel])).toEqual([
      ["bouygues_telecom", "FR", "Mar 2023"],
      ["verizon", "US", "Jun 2023"],
    ]);
    const bouygues = v.partners[0];
    // France, November: 3 devices (1, 2, 104) for €700, Bouygues 1 for €400. December: 4 devices
    // (4, 5, 105, 106) for €530, Bouygues 1 for €250.
    expect(
      bouygues?.months.map((m) => [m.month, m.partnerDevices, m.countryDevices, m.partnerGmv, m.countryGmv]),
    ).toEqual([
      ["2024-11", 1, 3, 400, 700],
      ["2024-12", 1, 4, 250, 530],
    ]);
    expect(bouygues?.months[0]?.deviceShare).toBeCloseTo(1 / 3, 12);
    expect(bouygues?.months[1]?.gmvShare).toBeCloseTo(250 / 530, 12);
    expect(bouygues?.total).toMatchObject({
      partnerDevices: 2,
      countryDevices: 7,
      partnerGmv: 650,
      countryGmv: 1230,
    });
    expect(bouygues?.total.display).toMatchObject({ deviceShare: "28.6%", gmvShare: "52.8%" });
    // United States: $600 × 0.90 through Verizon of 540 + 270 in November; December's $100 × 0.95 on the web.
    expect(v.partners[1]?.total).toMatchObject({
      partnerDevices: 1,
      countryDevices: 3,
      partnerGmv: 540,
      countryGmv: 905,
    });

    // France's channels over the two months: Bouygues 650 of GMV, 65 of commission, 40 refunded →
    // net 25; fees 6.5 and return costs 6 → contribution 12.5; 1 of 2 devices returned.
    const france = v.comparison.find((c) => c.country === "FR");
    expect(france?.channels.map((c) => c.channel)).toEqual(["bouygues_telecom", "web", "app"]);
    expect(france?.channels[0]?.figures).toEqual({
      devices: 2,
      gmv: 650,
      netRevenue: 25,
      takeRate: 25 / 650,
      contribution: 12.5,
      contributionPct: 12.5 / 650,
      contributionPerDevice: 6.25,
      returnRate: 0.5,
      averagePrice: 325,
    });
    // Web: 100 + 200 + 80 + 50 = 430; commission 64.5 − 30 refunded = 34.5; − fees 4.3 − costs 4 = 26.2.
    expect(france?.channels[1]?.figures).toMatchObject({
      devices: 4,
      gmv: 430,
      netRevenue: 34.5,
      contribution: 26.2,
      returnRate: 0.25,
      averagePrice: 107.5,
    });
    // The section's table shows them as the page does: France's web row.
    const compare = presentTable("channels-compare", channelsTables(v, "en-GB")["channels-compare"], "en-GB");
    const col = (id: string) => compare.columns.findIndex((c) => c.id === id);
    const frWeb = compare.rows.find((r) => r.values[0] === "FR" && r.values[1] === "web");
    expect([
      frWeb?.text[col("take_rate")],
      frWeb?.text[col("contribution_before_marketing_pct_gmv")],
      frWeb?.text[col("average_price_eur")],
    ]).toEqual(["8.0%", "6.1%", "€107.50"]);
    // App: item 4 alone.
    expect(france?.channels[2]?.figures).toMatchObject({
      devices: 1,
      gmv: 150,
      netRevenue: 22.5,
      contribution: 21,
      returnRate: 0,
    });

    // The data ends on 18 December 2024: no first-order month of Nov–Dec 2024 is 90 days old; the
    // latest judged months are August 2024 (90 days) and November 2023 (365 days).
    expect(v.repeat.unjudged).toEqual([90, 365]);
    expect(v.repeat.latestJudged[90].month).toBe("2024-08");
    expect(v.repeat.latestJudged[365].month).toBe("2023-11");
    expect(v.repeat.earlier[365]).toMatchObject({ from: "2022-12", to: "2023-11" });
    // New customers of Nov–Dec 2024 by first channel: web 1, 2, 3, 4, 5; Bouygues 6, 7; Verizon 10.
    expect(v.repeat.rows.map((r) => [r.channel, r.customers, r.within[90].judged])).toEqual([
      ["web", 5, 0],
      ["bouygues_telecom", 2, 0],
      ["verizon", 1, 0],
    ]);

    // 2023's cohorts (the data starts in March) are old enough for both windows: by first channel, everywhere.
    const y2023 = await view("from=2023-03&to=2023-12");
    expect(y2023.repeat.unjudged).toEqual([]);
    expect(y2023.repeat.rows.map((r) => [r.channel, r.customers, r.within[90], r.within[365]])).toEqual([
      ["app", 1, { judged: 1, repeaters: 0, rate: 0 }, { judged: 1, repeaters: 1, rate: 1 }],
      ["bouygues_telecom", 1, { judged: 1, repeaters: 0, rate: 0 }, { judged: 1, repeaters: 0, rate: 0 }],
      ["verizon", 1, { judged: 1, repeaters: 1, rate: 1 }, { judged: 1, repeaters: 1, rate: 1 }],
    ]);
    // One country: France's 2023 cohorts only.
    const fr2023 = await view("from=2023-03&to=2023-12&country=FR");
    expect(fr2023.repeat.rows.map((r) => r.channel)).toEqual(["app", "bouygues_telecom"]);
    const byMonth = presentTable(
      "channels-repeat-months",
      channelsTables(fr2023, "en-GB")["channels-repeat-months"],
      "en-GB",
    );
    expect(
      byMonth.rows.filter((r) => r.values[0] === "2023-03-01").map((r) => [r.values[1], ...r.text.slice(2)]),
    ).toEqual([
      ["app", "1", "0.0%", "100.0%"],
      ["bouygues_telecom", "1", "0.0%", "0.0%"],
    ]);
    // A region chooses its countries: Europe's 2023 cohorts are France's.
    const europe = await view("from=2023-03&to=2023-12&region=europe");
    expect(europe.repeat.rows).toEqual(fr2023.repeat.rows);

    // The default period: the 12 whole months before 18 December 2024's month.
    const defaults = await view("");
    expect([defaults.period.from, defaults.period.to]).toEqual(["2023-12", "2024-11"]);

    await expect(view("country=XX")).rejects.toThrow(/^country: unknown country "XX" \(one of: /);
    await expect(view("from=2024-12&to=2024-11")).rejects.toThrow(BadRequest);
    // Months outside the data: a 400 that says the range (issue 17), before any mart is read.
    await expect(view("from=1000-02")).rejects.toThrow(
      /^from: no data in 1000-02 \(the data runs from \d{4}-\d{2} to 2024-12\)$/,
    );
    await expect(view("to=9999-11")).rejects.toThrow(/^to: no data in 9999-11/);
  });
});

// Price-display compliance on the hand-written warehouse (overview-fixture.ts): the pricing marts and the
// /pricing loader, every figure worked out by hand.
//
// Market new prices: the phone (10) 400.00 from 1 November, 362.00 from 1 December; the laptop (11) none
// before 1 December, then 400.00. Completed sales, displayed "new" price vs market, in EUR:
//   Nov  i1 FR phone  seller 20  price 100  displayed 400  market 400   +0 %     never inflated
//   Nov  i2 FR phone  seller 20  price 200  displayed 600  market 400   +50 %    inflated at every threshold
//   Nov  i3 US laptop seller 21  price 270  displayed 810  (no market price: unpriced)
//   Dec  i4 FR phone  seller 20  price 150  displayed 500  market 362   +38.1 %  every threshold
//   Dec  i5 FR phone  seller 20  price  80  displayed 300  market 362   −17.1 %  never
//   Dec  i6 GB laptop seller 20  price 120  displayed 480  market 400   +20 % exactly: over 1–15, not 20–30
//   Dec  i8 US phone  seller 21  price  95  displayed 380  market 362   +4.97 %: over 1–3, not 5
// (i3: 300 and 900 USD × 0.90; i6: 100 and 400 GBP × 1.20; i8: 100 and 400 USD × 0.95; i7 is cancelled.)

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequest } from "~/.server/overview.server";
import { loadPricing, readPricingParams } from "~/.server/pricing.server";
import { Warehouse } from "~/.server/warehouse.server";
import { buildOverviewWarehouse, HOSTILE_SELLERS } from "../helpers/overview-fixture";

const OVER = [1, 2, 3, 5, 10, 15, 20, 25, 30];
const over = (...counts: number[]) => Object.fromEntries(OVER.map((t, i) => [`over_${t}`, counts[i]]));

describe("price-display compliance on the hand-written warehouse", () => {
  let root: string;
  let warehouse: Warehouse;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "backlight-pricing-"));
    buildOverviewWarehouse(join(root, "landing"), join(root, "data"));
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

  const columns = `month, country_code, category, CAST(sales AS INTEGER) AS sales,
    CAST(priced_sales AS INTEGER) AS priced, CAST(price_eur AS DOUBLE) AS price,
    CAST(displayed_new_price_eur AS DOUBLE) AS displayed, CAST(market_new_price_eur AS DOUBLE) AS market,
    ${OVER.map((t) => `CAST(inflated_over_${t}_pct AS INTEGER) AS over_${t}`).join(", ")}`;

  it("compares each sale with the market new price valid on its order date, per seller and month", async () => {
    expect(
      await rows(
        `SELECT CAST(seller_id AS INTEGER) AS seller_id, ${columns} FROM marts.mart_price_display_sellers ORDER BY ALL`,
      ),
    ).toEqual([
      {
        seller_id: 20,
        month: "2024-11",
        country_code: "FR",
        category: "smartphone",
        ...{ sales: 2, priced: 2, price: 300, displayed: 1000, market: 800 },
        // i2 only: 600 > 400 × 1.30
        ...over(1, 1, 1, 1, 1, 1, 1, 1, 1),
      },
      {
        seller_id: 20,
        month: "2024-12",
        country_code: "FR",
        category: "smartphone",
        ...{ sales: 2, priced: 2, price: 230, displayed: 800, market: 724 },
        // i4 only (i5's displayed price is below the market's)
        ...over(1, 1, 1, 1, 1, 1, 1, 1, 1),
      },
      {
        seller_id: 20,
        month: "2024-12",
        country_code: "GB",
        category: "laptop",
        ...{ sales: 1, priced: 1, price: 120, displayed: 480, market: 400 },
        // exactly 20 % above: more than 15 %, not more than 20 %
        ...over(1, 1, 1, 1, 1, 1, 0, 0, 0),
      },
      {
        seller_id: 21,
        month: "2024-11",
        country_code: "US",
        category: "laptop",
        // no market price for the laptop before December: a sale, not a priced one
        ...{ sales: 1, priced: 0, price: 0, displayed: 0, market: 0 },
        ...over(0, 0, 0, 0, 0, 0, 0, 0, 0),
      },
      {
        seller_id: 21,
        month: "2024-12",
        country_code: "US",
        category: "smartphone",
        ...{ sales: 1, priced: 1, price: 95, displayed: 380, market: 362 },
        // 380 ÷ 362 = 1.0497: more than 3 %, not more than 5 %
        ...over(1, 1, 1, 0, 0, 0, 0, 0, 0),
      },
    ]);
  });

  it("sums the same sales by month × country × category, by seller and month, and by model", async () => {
    const months = await rows(`SELECT ${columns} FROM marts.mart_price_display_months ORDER BY ALL`);
    expect(months.map((r) => [r.month, r.country_code, r.category, r.sales, r.over_5])).toEqual([
      ["2024-11", "FR", "smartphone", 2, 1],
      ["2024-11", "US", "laptop", 1, 0],
      ["2024-12", "FR", "smartphone", 2, 1],
      ["2024-12", "GB", "laptop", 1, 1],
      ["2024-12", "US", "smartphone", 1, 0],
    ]);
    const sellers = await rows(
      `SELECT CAST(seller_id AS INTEGER) AS seller_id, month, CAST(sales AS INTEGER) AS sales, CAST(price_eur AS DOUBLE) AS price,
         CAST(inflated_over_5_pct AS INTEGER) AS over_5, CAST(inflated_over_20_pct AS INTEGER) AS over_20
       FROM marts.mart_price_display_seller_months ORDER BY ALL`,
    );
    expect(sellers).toEqual([
      { seller_id: 20, month: "2024-11", sales: 2, price: 300, over_5: 1, over_20: 1 },
      { seller_id: 20, month: "2024-12", sales: 3, price: 350, over_5: 2, over_20: 1 },
      { seller_id: 21, month: "2024-11", sales: 1, price: 0, over_5: 0, over_20: 0 },
      { seller_id: 21, month: "2024-12", sales: 1, price: 95, over_5: 0, over_20: 0 },
    ]);
    const models = await rows(
      `SELECT CAST(product_id AS INTEGER) AS product_id, ${columns} FROM marts.mart_price_display_models ORDER BY product_id, month, country_code`,
    );
    expect(models.map((r) => [r.product_id, r.month, r.country_code, r.sales, r.priced, r.over_3])).toEqual([
      [10, "2024-11", "FR", 2, 2, 1],
      [10, "2024-12", "FR", 2, 2, 1],
      [10, "2024-12", "US", 1, 1, 1],
      [11, "2024-11", "US", 1, 0, 0],
      [11, "2024-12", "GB", 1, 1, 1],
    ]);
  });

  async function view(query: string) {
    const loaded = await loadPricing(warehouse, new URL(`http://x/pricing${query}`));
    if (loaded.state !== "ready") throw new Error("no warehouse");
    return loaded.result;
  }

  it("gives December's compliance at the default 5 % threshold: the shares, savings and offenders", async () => {
    const v = await view("?from=2024-12&to=2024-12");
    // i4 and i6 are more than 5 % above; i5 and i8 are not. Σ price 445, displayed 1,660, market 1,486.
    expect(v.totals).toEqual({
      devices_sold: 4,
      priced_sales: 4,
      unpriced_sales: 0,
      inflated_sales: 2,
      inflated_display_share: 0.5,
      claimed_saving_pct: 1 - 445 / 1660,
      actual_saving_pct: 1 - 445 / 1486,
      displayed_price_overstatement: 1660 / 1486 - 1,
    });
    // Seller 20 sold i4, i5 and i6 (two inflated), seller 21 sold i8; names as loaded, never rewritten.
    expect(
      v.sellers.map((s) => [
        s.key,
        s.name,
        s.country,
        s.figures.inflated_sales,
        s.figures.inflated_display_share,
      ]),
    ).toEqual([
      ["20", HOSTILE_SELLERS[20], "FR", 2, 2 / 3],
      ["21", HOSTILE_SELLERS[21], "US", 0, 0],
    ]);
    // Worst first: as many inflated sales in France as in the UK, but the UK's one sale is all of its sales.
    expect(v.byCountry.map((c) => [c.key, c.figures.priced_sales, c.figures.inflated_sales])).toEqual([
      ["GB", 1, 1],
      ["FR", 2, 1],
      ["US", 1, 0],
    ]);
  });

  it("moves with the threshold: exactly 20 % above is not more than 20 %, 4.97 % is more than 3 %", async () => {
    expect((await view("?from=2024-12&to=2024-12&threshold=20")).totals.inflated_sales).toBe(1);
    expect((await view("?from=2024-12&to=2024-12&threshold=15")).totals.inflated_sales).toBe(2);
    expect((await view("?from=2024-12&to=2024-12&threshold=3")).totals.inflated_display_share).toBe(0.75);
  });

  it("defaults to the last 12 whole months, counts unpriced sales apart, and filters by country", async () => {
    // The data runs from 10 November to 18 December 2024: the default is the last 12 whole months,
    // here November alone; December, not over, is shown on request and flagged.
    const first = await view("");
    expect([first.from, first.to, first.dataFrom, first.dataTo]).toEqual([
      "2024-11",
      "2024-11",
      "2024-11",
      "2024-12",
    ]);
    expect([first.totals.devices_sold, first.partialMonth]).toEqual([3, null]);
    const v = await view("?from=2024-11&to=2024-12");
    expect(v.partialMonth).toEqual({ month: "2024-12", lastDay: "2024-12-18" });
    expect([
      v.totals.devices_sold,
      v.totals.priced_sales,
      v.totals.unpriced_sales,
      v.totals.inflated_sales,
    ]).toEqual([7, 6, 1, 3]);
    expect(v.months.map((m) => [m.month, m.figures.inflated_display_share])).toEqual([
      ["2024-11", 0.5],
      ["2024-12", 0.5],
    ]);
    // The phone: i1, i2, i4, i5, i8 (i2 and i4 inflated); the laptop: i3 (unpriced), i6.
    expect(
      v.models.map((m) => [m.key, m.model, m.category, m.figures.devices_sold, m.figures.inflated_sales]),
    ).toEqual([
      ["10", "iPhone 12 128 GB", "smartphone", 5, 2],
      ["11", "\tThinkPad T14", "laptop", 2, 1],
    ]);
    const us = await view("?from=2024-11&to=2024-12&country=US&category=smartphone,laptop");
    expect([us.totals.devices_sold, us.totals.priced_sales, us.totals.inflated_sales]).toEqual([2, 1, 0]);
    expect(us.sellers.map((s) => [s.key, s.figures.devices_sold])).toEqual([["21", 2]]);
    const laptops = await view("?category=laptop&threshold=15&to=2024-12&from=2024-11");
    expect(laptops.models.map((m) => [m.key, m.figures.inflated_sales])).toEqual([["11", 1]]);
    expect(laptops.sellers.map((s) => [s.key, s.figures.devices_sold, s.figures.inflated_sales])).toEqual([
      ["20", 1, 1],
      ["21", 1, 0],
    ]);
  });

  it("answers a bad parameter, a month without data or an unknown country with a sentence (400)", async () => {
    const bad = async (query: string) => {
      const error = await loadPricing(warehouse, new URL(`http://x/pricing${query}`)).catch((e) => e);
      expect(error, query).toBeInstanceOf(BadRequest);
      return (error as BadRequest).message;
    };
    expect(await bad("?country=DE")).toMatch(/^country: unknown country "DE" \(one of: /);
    expect(await bad("?threshold=7")).toBe(
      'threshold: unknown value "7" (one of: 1, 2, 3, 5, 10, 15, 20, 25, 30)',
    );
    expect(await bad("?from=2024-12&to=2024-11")).toBe("from: 2024-12 is after to (2024-11)");
    expect(await bad("?from=2024-13&to=2024-12")).toBe(
      'from: "2024-13" is not a month written YYYY-MM, e.g. 2024-10',
    );
    // Months are bounded by the data, and the sentence gives its range.
    expect(await bad("?from=2023-01&to=2024-12")).toBe(
      "from: no data in 2023-01 (the data runs from 2024-11 to 2024-12)",
    );
    expect(await bad("?category=phones")).toMatch(/^category: unknown value "phones" \(one of: /);
    expect(await bad("?country=fr")).toMatch(/^country: unknown country "fr"/);
    expect(await bad("?threshold=5&threshold=10")).toBe("threshold: was given more than once");
    expect(await bad("?grade=premium")).toMatch(/^grade: unknown parameter \(this page takes: /);
  });

  it("reads lists as one comma-separated value or one value per ticked box; from alone runs to the last month", async () => {
    const p = readPricingParams(new URLSearchParams("country=US&country=FR,GB&category=laptop&lang=fr"));
    expect(p.raw.country).toBe("US,FR,GB");
    expect([p.category, p.threshold]).toEqual([["laptop"], 5]);
    const v = await view("?country=US&country=FR,GB&category=laptop");
    expect(v.selected).toEqual(["FR", "GB", "US"]);
    const december = await view("?from=2024-12");
    expect([december.from, december.to]).toEqual(["2024-12", "2024-12"]);
  });
});

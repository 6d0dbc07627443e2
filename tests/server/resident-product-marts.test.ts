// The product pages' small marts held in memory (ADR 0029: quality's three monthly marts, the price
// displays by month) give the same views as DuckDB's sums: each page loaded for many filter sets once
// through the resident marts and once with them off, and compared whole (no tolerance: the same doubles).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cubeIfRead, residentCube } from "~/.server/metrics/price-cubes.server";
import { residentMart } from "~/.server/metrics/resident.server";
import {
  loadPricing,
  MODEL_MONTHS,
  MODELS,
  SELLER_CATEGORIES,
  SELLER_MONTHS,
  SELLERS,
} from "~/.server/pricing.server";
import { loadQuality, OVER_COUNTRIES } from "~/.server/quality.server";
import { Warehouse } from "~/.server/warehouse.server";
import { createDemoDataDir, removeDir } from "../helpers/fixture-warehouse";

const QUERIES = [
  "",
  "range=all_time",
  "from=2024-01&to=2024-12",
  "from=2023-11&to=2024-02&country=FR,DE",
  "from=2022-06&to=2024-06&region=europe",
  "from=2024-03&to=2024-03&country=IT",
  "from=2023-01&to=2024-12&category=smartphone,laptop",
  "range=all_time&category=tablet,audio,console",
  "from=2024-05&to=2024-09&country=ES&category=tablet",
  "from=2019-01&to=2024-12&country=US,FR",
];

describe("resident product marts: the same views as DuckDB", () => {
  let dataDir: string | undefined;
  let warehouse: Warehouse;

  beforeAll(async () => {
    dataDir = await createDemoDataDir();
    warehouse = new Warehouse({ dataDir, cacheEntries: 0 });
  });
  afterAll(async () => {
    delete process.env.BACKLIGHT_RESIDENT_MARTS;
    warehouse.close();
    await removeDir(dataDir);
  });

  /** A page's view (or its error message) with the resident marts on or off. */
  async function view<T>(load: () => Promise<{ state: string; result?: T }>, resident: boolean) {
    if (resident) delete process.env.BACKLIGHT_RESIDENT_MARTS;
    else process.env.BACKLIGHT_RESIDENT_MARTS = "0";
    try {
      const r = await load();
      if (r.state !== "ready") throw new Error("no warehouse");
      return r.result;
    } catch (error) {
      return { error: String(error) };
    }
  }

  it("holds the marts in memory (else the comparison below would compare DuckDB with itself)", async () => {
    delete process.env.BACKLIGHT_RESIDENT_MARTS;
    const r = await warehouse.withDb(async (db, snapshot) => ({
      quality: await residentMart(db, snapshot, "mart_quality_months"),
      battery: await residentMart(db, snapshot, "mart_battery_months"),
      sellers: await residentMart(db, snapshot, "mart_premium_seller_months"),
      // What /quality reads without a country filter: the same marts summed over countries.
      qualityOver: await residentMart(db, snapshot, OVER_COUNTRIES[0].name, OVER_COUNTRIES[0].relation),
      batteryOver: await residentMart(db, snapshot, OVER_COUNTRIES[1].name, OVER_COUNTRIES[1].relation),
      prices: await residentMart(db, snapshot, "mart_price_display_months"),
      models: await residentCube(db, MODELS),
      modelMonths: await residentCube(db, MODEL_MONTHS),
      sellerMonths: await residentCube(db, SELLER_MONTHS),
      sellerCategories: await residentCube(db, SELLER_CATEGORIES),
    }));
    if (r.state !== "ready") throw new Error("no warehouse");
    const { models, modelMonths, sellerMonths, sellerCategories, ...marts } = r.result;
    for (const mart of Object.values(marts)) expect(mart?.length).toBeGreaterThan(0);
    expect(marts.qualityOver?.length).toBeLessThan(marts.quality?.length ?? 0);
    expect(marts.batteryOver?.length).toBeLessThan(marts.battery?.length ?? 0);
    for (const cube of [models, modelMonths, sellerMonths, sellerCategories])
      expect(cube?.month.length).toBeGreaterThan(0);
    // One block each where the source has no country (and, for the sellers' months, no category).
    expect(sellerMonths?.blocks.length).toBe(2);
    expect(modelMonths?.countries).toEqual([""]);
    expect(sellerCategories?.countries).toEqual([""]);
    expect(sellerCategories?.categories.length).toBeGreaterThan(1);
  });

  it("holds the price displays by seller once read, and only then answers from them", async () => {
    delete process.env.BACKLIGHT_RESIDENT_MARTS;
    const r = await warehouse.withDb(async (db) => {
      const before = cubeIfRead(db, SELLERS);
      const cube = await residentCube(db, SELLERS);
      return { before, cube, after: cubeIfRead(db, SELLERS) };
    });
    if (r.state !== "ready") throw new Error("no warehouse");
    expect(r.result.before).toBeNull();
    const cube = r.result.cube;
    expect(cube?.keys.length).toBeGreaterThan(10);
    expect(cube?.countries.length).toBeGreaterThan(3);
    expect(cube?.blocks.at(-1)).toBe(cube?.month.length);
    expect(r.result.after).toBe(cube);
  });

  it.each(QUERIES)("quality?%s", async (query) => {
    const load = () => loadQuality(warehouse, new URL(`http://t/quality?${query}`));
    const resident = await view(load, true);
    const duckdb = await view(load, false);
    expect(resident).toEqual(duckdb);
    // Something to compare: the default and the wide views hold sales, broken promises among them.
    if (query === "range=all_time" || query === "") {
      const v = resident as { total: { devicesSold: number }; compliance: { listTotal: number } };
      expect(v.total.devicesSold).toBeGreaterThan(0);
      expect(v.compliance.listTotal).toBeGreaterThan(0);
    }
  });

  it.each(QUERIES.flatMap((q) => [q, `${q}&threshold=10`]))("pricing?%s", async (query) => {
    const load = () => loadPricing(warehouse, new URL(`http://t/pricing?${query}`));
    const resident = await view(load, true);
    const duckdb = await view(load, false);
    expect(resident).toEqual(duckdb);
    expect(resident).not.toHaveProperty("error");
  });
});

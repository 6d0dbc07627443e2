// The pipeline on generated data: every broken row quarantined with the reason the answer key gives,
// good rows loaded and reconciled, and daily batches applied one by one giving the same warehouse as
// one run over everything.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSnapshotReadOnly, queryRows } from "../../core/duckdb.ts";
import { runEtl } from "../../pipelines/etl/run.ts";
import { readPointer } from "../../pipelines/etl/snapshots.ts";
import type { DefectRecord } from "../../pipelines/generate/defects.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";

async function query<T = Record<string, unknown>>(dataDir: string, sql: string): Promise<T[]> {
  const pointer = await readPointer(dataDir);
  if (!pointer) throw new Error(`no snapshot in ${dataDir}`);
  const { instance, conn } = await openSnapshotReadOnly(join(dataDir, pointer.path));
  try {
    return await queryRows<T>(conn, sql);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Writes the rows of a query over landing files as a CSV landing file (header, comma, ISO dates). */
async function copyRows(select: string, file: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run(`COPY (${select}) TO '${file}' (HEADER, DELIMITER ',')`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Every table the models build (intermediate and marts), each hashed row by row in a fixed order: what
 * an incremental run must leave exactly as a full rebuild would.
 */
async function modelledFingerprint(dataDir: string): Promise<Record<string, string>> {
  const tables = await query<{ name: string }>(
    dataDir,
    "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema IN ('intermediate', 'marts') AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const [row] = await query<Record<string, string>>(
    dataDir,
    `SELECT ${tables.map((t) => `(SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM ${t.name} t) AS "${t.name}"`).join(", ")}`,
  );
  return row ?? {};
}

/** A fingerprint of the marts: every row of every mart, hashed in a fixed order. */
const MARTS_FINGERPRINT = `
  SELECT
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_daily_sales t) AS daily,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_monthly_pnl t) AS monthly,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_customers t) AS customers,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_customer_days t) AS customer_days,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_battery_daily t) AS battery,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_returns_daily t) AS returns,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_price_display_sellers t) AS price_display_sellers,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_price_display_seller_months t) AS price_display_seller_months,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_price_display_months t) AS price_display_months,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_price_display_models t) AS price_display_models,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_premium_battery_breaches t) AS breaches,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_daily_country_sales t) AS daily_country_sales,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_daily_new_customers t) AS daily_new_customers,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_active_customer_days t) AS active_customer_days,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_active_customer_weeks t) AS active_customer_weeks,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_active_customer_months t) AS active_customer_months,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_quality_months t) AS quality_months,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_battery_months t) AS battery_months,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_premium_seller_months t) AS premium_seller_months,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_repeat_cohorts t) AS repeat_cohorts,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_channel_months t) AS channel_months,
    (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM marts.mart_market_months t) AS market_months,
    (SELECT CAST(sum(gmv_eur) AS VARCHAR) FROM marts.mart_daily_sales) AS gmv_eur`;

const roots: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "backlight-etl-"));
  roots.push(dir);
  return dir;
};

afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  removeGenerated();
});

describe.each(["csv", "parquet"] as const)("defects in %s landing files", (format) => {
  let defects: DefectRecord[];
  let dirty: string;
  let clean: string;

  beforeAll(async () => {
    const broken = await generateTo({ scale: 0.003, format, seed: 5, defects: 0.002 });
    const good = await generateTo({ scale: 0.003, format, seed: 5, defects: 0 });
    defects = broken.summary.defects;
    dirty = join(tempDir(), "data");
    clean = join(tempDir(), "data");
    await runEtl({ landing: broken.dir, dataDir: dirty });
    await runEtl({ landing: good.dir, dataDir: clean });
  });

  it("quarantines every broken row, at its line, for the reason the answer key gives", async () => {
    const quarantined = await query<{
      file: string;
      line: number;
      rule: string;
      reason: string;
      raw_row: string;
    }>(dirty, "SELECT file, line, rule, reason, raw_row FROM meta.quarantine ORDER BY file, line");
    expect(quarantined.map((q) => `${q.file}:${q.line} ${q.rule}`)).toEqual(
      defects
        .map((d) => `${d.file}:${d.line} ${d.rule}`)
        .sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
    );
    for (const q of quarantined) {
      expect(q.reason.length).toBeGreaterThan(8);
      expect(() => JSON.parse(q.raw_row)).not.toThrow();
    }
  });

  it("counts rows read = loaded + quarantined for every entity and batch", async () => {
    const stats = await query<{ bad: number; read: number; quarantined: number }>(
      dirty,
      `SELECT count(*) FILTER (WHERE rows_read <> rows_loaded + rows_quarantined) AS bad, sum(rows_read) AS read,
         sum(rows_quarantined) AS quarantined FROM meta.load_stats`,
    );
    expect(stats[0]?.bad).toBe(0);
    expect(stats[0]?.quarantined).toBe(defects.length);
  });

  it("loads the good rows exactly as a clean landing would: same marts, same totals", async () => {
    const [a] = await query(dirty, MARTS_FINGERPRINT);
    const [b] = await query(clean, MARTS_FINGERPRINT);
    expect(a).toEqual(b);
    const tests = await query<{ failed: number }>(
      dirty,
      "SELECT count(*) FILTER (WHERE NOT passed) AS failed FROM meta.test_results",
    );
    expect(tests[0]?.failed).toBe(0);
  });
});

describe("quality and pricing marts", () => {
  it("agree with the sales mart and the raw items they summarise", async () => {
    const { dir } = await generateTo({ scale: 0.005, format: "parquet", seed: 3 });
    const dataDir = join(tempDir(), "data");
    await runEtl({ landing: dir, dataDir });
    const [check] = await query<Record<string, number | string>>(
      dataDir,
      `SELECT
        (SELECT sum(devices_sold) FROM marts.mart_battery_daily) AS battery_devices,
        (SELECT count(*) FROM raw.order_items WHERE status = 'completed' AND battery_health_pct IS NOT NULL) AS raw_battery_devices,
        (SELECT count(*) FROM marts.mart_premium_battery_breaches) AS breaches,
        (SELECT count(*) FROM raw.order_items WHERE status = 'completed' AND grade = 'premium' AND battery_health_pct < 85) AS raw_breaches,
        (SELECT sum(devices_sold) FROM marts.mart_battery_daily WHERE grade = 'premium' AND battery_band < 85) AS banded_breaches,
        (SELECT sum(returns_received) FROM marts.mart_returns_daily) AS returns,
        (SELECT sum(returns_received) FROM marts.mart_daily_sales) AS daily_returns,
        (SELECT CAST(sum(refunds_eur) AS VARCHAR) FROM marts.mart_returns_daily) AS refunds,
        (SELECT CAST(sum(refunds_eur) AS VARCHAR) FROM marts.mart_daily_sales) AS daily_refunds,
        (SELECT sum(sales) FROM marts.mart_price_display_sellers) AS priced_sales,
        (SELECT sum(devices_sold) FROM marts.mart_daily_sales) AS devices_sold,
        (SELECT sum(sales) FROM marts.mart_price_display_models) AS model_sales,
        (SELECT sum(priced_sales) FROM marts.mart_price_display_sellers) AS market_priced_sales,
        (SELECT CAST(sum(price_eur) AS VARCHAR) FROM marts.mart_price_display_sellers) AS priced_gmv,
        (SELECT CAST(sum(gmv_eur) AS VARCHAR) FROM marts.mart_daily_sales) AS gmv,
        (SELECT sum(inflated_over_5_pct) / sum(priced_sales) FROM marts.mart_price_display_months WHERE month < '2022-01')
          AS inflated_share_before_2022`,
    );
    expect(check?.battery_devices).toBe(check?.raw_battery_devices);
    expect(check?.breaches).toBe(check?.raw_breaches);
    expect(check?.breaches).toBeGreaterThan(0);
    expect(check?.banded_breaches).toBe(check?.breaches);
    expect(check?.returns).toBe(check?.daily_returns);
    expect(check?.refunds).toBe(check?.daily_refunds);
    expect(check?.priced_sales).toBe(check?.devices_sold);
    expect(check?.model_sales).toBe(check?.devices_sold);
    // The generator gives every model a market new price from before its first sale.
    expect(check?.market_priced_sales).toBe(check?.devices_sold);
    expect(check?.priced_gmv).toBe(check?.gmv);
    // The generator inflates the "new" price by 8–40 % on ~22% of listings before mid-2022.
    expect(Number(check?.inflated_share_before_2022)).toBeGreaterThan(0.15);
    expect(Number(check?.inflated_share_before_2022)).toBeLessThan(0.3);
  });
});

describe("daily batches on top of the history", () => {
  it("give the same warehouse as one run over every batch, re-modelling only the days they touch", async () => {
    const { dir } = await generateTo({ scale: 0.003, format: "parquet", seed: 9, daily: 4 });
    const batches = [
      "2024-12-27_history",
      "2024-12-28_daily",
      "2024-12-29_daily",
      "2024-12-30_daily",
      "2024-12-31_daily",
    ];
    const stepwise = tempDir();
    const landing = join(stepwise, "landing");
    const dataDir = join(stepwise, "data");
    const runs = [];
    for (const batch of batches) {
      cpSync(join(dir, batch), join(landing, batch), { recursive: true });
      runs.push(await runEtl({ landing, dataDir }));
    }
    expect(runs.map((r) => [r.status, r.fullRebuild])).toEqual([
      ["published", true],
      ["published", false],
      ["published", false],
      ["published", false],
      ["published", false],
    ]);
    // A last batch of descriptive changes, each of which moves figures of dates long published: the
    // category and brand of the most sold product, the names of the sellers with the most Premium
    // battery breaches, and a market "new" price valid from mid-history for the five most sold products.
    const before = await modelledFingerprint(dataDir);
    const fixes = join(landing, "2024-12-31_zz_corrections");
    mkdirSync(fixes, { recursive: true });
    const history = join(dir, "2024-12-27_history");
    const items = `read_parquet('${history}/order_items.parquet')`;
    // The changed product among others sent again unchanged, and every country sent again unchanged, as
    // full dimension extracts do: those change nothing and must not make the run a full rebuild.
    await copyRows(
      `WITH top AS (SELECT product_id FROM ${items} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
      SELECT product_id,
        CASE WHEN product_id IN (SELECT product_id FROM top) THEN (CASE WHEN category = 'smartphone' THEN 'tablet' ELSE 'smartphone' END) ELSE category END AS category,
        CASE WHEN product_id IN (SELECT product_id FROM top) THEN 'Renamed ' || brand ELSE brand END AS brand, model
      FROM read_parquet('${history}/products.parquet')
      WHERE product_id IN (SELECT product_id FROM top) OR product_id IN (SELECT product_id FROM read_parquet('${history}/products.parquet') ORDER BY 1 LIMIT 3)`,
      join(fixes, "products.csv"),
    );
    await copyRows(
      `SELECT * FROM read_parquet('${history}/countries.parquet')`,
      join(fixes, "countries.csv"),
    );
    await copyRows(
      `SELECT seller_id, name || ' (renamed)' AS name, country_code, joined_on FROM read_parquet('${history}/sellers.parquet')
      WHERE seller_id IN (SELECT seller_id FROM ${items} WHERE grade = 'premium' AND battery_health_pct < 85
        AND status = 'completed' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3)`,
      join(fixes, "sellers.csv"),
    );
    await copyRows(
      `SELECT product_id, DATE '2024-06-15' AS valid_from, 9999.5 AS new_price_eur
      FROM (SELECT product_id FROM ${items} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5)`,
      join(fixes, "new_prices.csv"),
    );
    const corrected = await runEtl({ landing, dataDir });
    expect(corrected.stats.map((s) => [s.entity, s.rows_loaded])).toEqual([
      ["countries", 18],
      ["products", 4],
      ["new_prices", 5],
      ["sellers", 3],
    ]);
    expect([corrected.status, corrected.fullRebuild]).toEqual(["published", false]);
    const after = await modelledFingerprint(dataDir);
    for (const moved of [
      "marts.mart_daily_sales",
      "marts.mart_premium_battery_breaches",
      "marts.mart_price_display_months",
    ])
      expect(after[moved], moved).not.toBe(before[moved]);

    const oneShot = join(tempDir(), "data");
    await runEtl({ landing, dataDir: oneShot });
    const [a] = await query(dataDir, MARTS_FINGERPRINT);
    const [b] = await query(oneShot, MARTS_FINGERPRINT);
    expect(a).toEqual(b);
    // Every modelled table, not only the marts above.
    expect(Object.keys(after).length).toBeGreaterThan(25);
    expect(after).toEqual(await modelledFingerprint(oneShot));
    const published = readFileSync(join(dataDir, "runs.jsonl"), "utf8").trim().split("\n");
    expect(published).toHaveLength(6);
  }, 240_000);
});

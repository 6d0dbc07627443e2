// Each event's reporting date is derived once, at load, and kept in raw beside its instant (ADR 0028):
// it must always be the local date of that instant in the warehouse's reporting time zone, including
// for a warehouse built before raw had the column (filled on its next run) and after the reporting
// zone changes (every row again, superseded versions included, and every model rebuilt).

import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openBatchDb } from "../../core/duckdb.ts";
import { runEtl } from "../../pipelines/etl/run.ts";
import { cleanUpEtl, queryMemory, querySnapshot, readPointerFile, tempDir } from "../helpers/etl.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";

const snapshotOf = (dataDir: string) => join(dataDir, readPointerFile(dataDir).path);

const EVENT_TABLES = [
  ["raw.order_items", "ordered_at"],
  ["raw.order_items__superseded", "ordered_at"],
  ["raw.returns", "returned_at"],
  ["raw.returns__superseded", "returned_at"],
] as const;

/** Per raw event table: rows, and rows whose reporting date is not the local date of their instant. */
async function reportingDates(dataDir: string, zone: string): Promise<Record<string, [number, number]>> {
  const out: Record<string, [number, number]> = {};
  for (const [table, instant] of EVENT_TABLES) {
    const [row] = await querySnapshot<{ n: number; wrong: number }>(
      snapshotOf(dataDir),
      `SELECT count(*) AS n, count(*) FILTER (WHERE reporting_date IS DISTINCT FROM
         CAST(timezone('${zone}', ${instant}) AS DATE)) AS wrong FROM ${table}`,
    );
    out[table] = [row?.n ?? 0, row?.wrong ?? 0];
  }
  return out;
}

/** Every mart's rows as sorted JSON lines. */
async function marts(dataDir: string): Promise<Record<string, string[]>> {
  const file = snapshotOf(dataDir);
  const tables = await querySnapshot<{ name: string }>(
    file,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1",
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await querySnapshot<{ j: string }>(
      file,
      `SELECT to_json(x)::VARCHAR AS j FROM marts.${name} x ORDER BY j`,
    );
    out[name] = rows.map((r) => r.j);
  }
  return out;
}

describe("reporting dates kept in raw", () => {
  afterAll(() => {
    cleanUpEtl();
    removeGenerated();
  });

  it("are filled in an older warehouse and all derived again when the reporting zone changes", async () => {
    const { dir } = await generateTo({ scale: 0.002, format: "csv", seed: 21, daily: 2 });
    const batches = ["2024-12-29_history", "2024-12-30_daily", "2024-12-31_daily"];
    const landing = join(tempDir("tz-landing"), "landing");
    const dataDir = join(tempDir("tz-data"), "data");
    for (const batch of batches.slice(0, 2))
      cpSync(join(dir, batch), join(landing, batch), { recursive: true });
    // A correction batch sends some items (status flipped) and returns again: their earlier versions
    // become superseded rows, which keep their reporting dates too.
    const fix = join(landing, "2024-12-29_zz_fix");
    mkdirSync(fix);
    const history = join(dir, batches[0] as string);
    await queryMemory(
      `COPY (SELECT * REPLACE (CASE WHEN status = 'completed' THEN 'cancelled' ELSE 'completed' END AS status)
        FROM read_csv('${history}/order_items.csv', all_varchar = true) LIMIT 20) TO '${fix}/order_items.csv' (HEADER)`,
      `COPY (SELECT * FROM read_csv('${history}/returns.csv', all_varchar = true) LIMIT 5) TO '${fix}/returns.csv' (HEADER)`,
    );
    // No spare copy: the snapshot is altered in place below, and the next run must start from it.
    const first = await runEtl({ landing, dataDir, spare: false });
    expect(first.status).toBe("published");
    const paris = await reportingDates(dataDir, "Europe/Paris");
    expect(paris["raw.order_items"]?.[0]).toBeGreaterThan(1000);
    expect(paris["raw.returns"]?.[0]).toBeGreaterThan(50);
    expect(paris["raw.order_items__superseded"]?.[0]).toBe(20);
    expect(paris["raw.returns__superseded"]?.[0]).toBe(5);
    for (const [table, [, wrong]] of Object.entries(paris)) expect(wrong, table).toBe(0);

    // A warehouse built before raw kept reporting dates: the same snapshot without the column.
    const { instance, conn } = await openBatchDb(snapshotOf(dataDir));
    try {
      for (const [table] of EVENT_TABLES) await conn.run(`ALTER TABLE ${table} DROP COLUMN reporting_date`);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }

    // Its next run, in another zone: every date derived in that zone, every model rebuilt, and the marts
    // those of one run over every batch in that zone from scratch.
    const zone = "America/New_York";
    cpSync(join(dir, batches[2] as string), join(landing, batches[2] as string), { recursive: true });
    const moved = await runEtl({ landing, dataDir, timeZone: zone });
    expect([moved.status, moved.fullRebuild]).toEqual(["published", true]);
    const newYork = await reportingDates(dataDir, zone);
    for (const [table, [n, wrong]] of Object.entries(newYork)) {
      expect(n, table).toBeGreaterThanOrEqual(paris[table]?.[0] ?? 0);
      expect(wrong, table).toBe(0);
    }
    // Some orders fall on another date in New York than in Paris (else the zone would not matter).
    const [shifted] = await querySnapshot<{ n: number }>(
      snapshotOf(dataDir),
      "SELECT count(*) AS n FROM raw.order_items WHERE reporting_date <> CAST(timezone('Europe/Paris', ordered_at) AS DATE)",
    );
    expect(shifted?.n).toBeGreaterThan(0);

    const oneShot = join(tempDir("tz-one-shot"), "data");
    expect((await runEtl({ landing, dataDir: oneShot, timeZone: zone })).status).toBe("published");
    expect(await marts(dataDir)).toEqual(await marts(oneShot));
  }, 240_000);
});

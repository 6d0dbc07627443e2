// Every request's work on the warehouse is bounded in time: a query that runs too long is interrupted
// and answered as WarehouseBusy (the pages and downloads turn it into 503 with Retry-After), a request
// that waits too long for a query slot gives up the same way, and the health check's probe runs outside
// the slots, so it answers while they are all taken. Real DuckDB, a real snapshot file.

import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Warehouse, WarehouseBusy } from "~/.server/warehouse.server";
import { makeTempDir, publishPointer, removeDir, writeSnapshot } from "../helpers/fixture-warehouse";

/** A query that would run for minutes. */
const ENDLESS = "SELECT count(*) FROM range(1000000000000) a WHERE hash(a.range) % 7 = 3";

describe("bounded warehouse work", () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await makeTempDir("bounded");
    await publishPointer(
      dataDir,
      await writeSnapshot(dataDir, "bounded-1", {
        customers: 1,
        devices_sold: 1,
        gmv_eur: 1,
        first_order_date: "2024-01-01",
        last_order_date: "2024-12-31",
        synthetic: true,
      }),
    );
  });

  afterEach(async () => {
    await removeDir(dataDir);
  });

  it("interrupts a query past its time limit: WarehouseBusy with a Retry-After, in about that time", async () => {
    const warehouse = new Warehouse({ dataDir, queryTimeoutMs: 300 });
    try {
      const started = performance.now();
      const error = await warehouse.withConnection((conn) => conn.run(ENDLESS)).catch((e: unknown) => e);
      const ms = performance.now() - started;
      expect(error).toBeInstanceOf(WarehouseBusy);
      expect((error as WarehouseBusy).retryAfterSeconds).toBeGreaterThan(0);
      expect(ms).toBeLessThan(5_000);
      // The next unit of work runs normally.
      const ok = await warehouse.withConnection(async (conn) =>
        (await conn.runAndReadAll("SELECT 42 AS x")).getRows(),
      );
      expect(ok.state === "ready" && Number(ok.result[0]?.[0])).toBe(42);
    } finally {
      warehouse.close();
    }
  });

  it("gives up waiting for a slot after the queue limit; the health probe does not wait at all", async () => {
    const warehouse = new Warehouse({ dataDir, concurrency: 1, queueTimeoutMs: 200, queryTimeoutMs: 3_000 });
    try {
      const holder = warehouse.withConnection((conn) => conn.run(ENDLESS)).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      const waiting = await warehouse.withConnection((conn) => conn.run("SELECT 1")).catch((e: unknown) => e);
      expect(waiting).toBeInstanceOf(WarehouseBusy);
      expect(performance.now() - started).toBeLessThan(2_000);
      const probeStarted = performance.now();
      const probe = await warehouse.probe();
      expect(probe.state).toBe("ready");
      expect(performance.now() - probeStarted).toBeLessThan(1_000);
      expect(await holder).toBeInstanceOf(WarehouseBusy);
    } finally {
      warehouse.close();
    }
  });

  it("through Kysely: a slot only once a query runs, bounded the same way, and given back", async () => {
    const warehouse = new Warehouse({ dataDir, concurrency: 1, queueTimeoutMs: 200, queryTimeoutMs: 1_000 });
    try {
      // The one slot is taken by a query that runs until it is interrupted.
      const holder = warehouse.withDb((db) => sql`${sql.raw(ENDLESS)}`.execute(db)).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // A unit of work that runs no query (the resident marts answered it) does not wait for a slot…
      const none = await warehouse.withDb(async (_, snapshot) => snapshot.id);
      expect(none.state === "ready" && none.result).toBe("bounded-1");
      // …one that runs a query gives up waiting after the queue limit.
      const waiting = await warehouse.withDb((db) => sql`select 1 as x`.execute(db)).catch((e: unknown) => e);
      expect(waiting).toBeInstanceOf(WarehouseBusy);
      // The holder is interrupted past its time limit, and gives its slot back.
      expect(await holder).toBeInstanceOf(WarehouseBusy);
      const after = await warehouse.withDb(
        async (db) => (await sql<{ x: number }>`select 42 as x`.execute(db)).rows,
      );
      expect(after.state === "ready" && after.result[0]?.x).toBe(42);
    } finally {
      warehouse.close();
    }
  });
});

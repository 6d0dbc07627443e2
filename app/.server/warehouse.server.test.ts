import { existsSync, rmSync } from "node:fs";
import { realpath, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type HeadlineRow,
  makeTempDir,
  openFiles,
  publishPointer,
  removeDir,
  writeSnapshot,
} from "../../tests/helpers/fixture-warehouse";
import {
  addPreparer,
  addWarmer,
  exportDirectory,
  NO_WAREHOUSE_MESSAGE,
  Warehouse,
  WarehouseError,
} from "./warehouse.server";

/** The headline row through Kysely and the DuckDB dialect: DATE as text, DECIMAL and BIGINT as numbers. */
/** A preparer that records each snapshot's headline customers as it reads them, then waits for letGo. */
function gatedPreparer() {
  let letGo: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  const readied: { id: string; customers: number }[] = [];
  const remove = addPreparer(async (db, snapshot) => {
    const row = await db.selectFrom("marts.mart_headline").select("customers").executeTakeFirstOrThrow();
    readied.push({ id: snapshot.id, customers: Number(row.customers) });
    await gate;
  });
  return { readied, letGo: () => letGo(), remove };
}

function readHeadline(warehouse: Warehouse) {
  return warehouse.withDb((db) =>
    db
      .selectFrom("marts.mart_headline")
      .select(["customers", "devices_sold", "gmv_eur", "first_order_date", "last_order_date", "synthetic"])
      .executeTakeFirstOrThrow(),
  );
}

const FIRST: HeadlineRow = {
  customers: 1_234,
  devices_sold: 2_345,
  gmv_eur: 345_678.9,
  first_order_date: "2014-11-03",
  last_order_date: "2024-12-31",
  synthetic: true,
};
const SECOND: HeadlineRow = { ...FIRST, customers: 5_678, devices_sold: 9_876 };

describe("Warehouse", () => {
  let dataDir: string;
  let clock: number;
  let warehouse: Warehouse;

  beforeEach(async () => {
    dataDir = await makeTempDir("warehouse");
    clock = 0;
    warehouse = new Warehouse({ dataDir, now: () => clock });
  });

  afterEach(async () => {
    warehouse.close();
    await removeDir(dataDir);
  });

  it("locks DuckDB down: no file outside the export directory, no setting changed", async () => {
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s1", FIRST));
    const attempts = await warehouse.withConnection(async (conn) => {
      const tries = [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY (SELECT 1) TO '/tmp/backlight-escape.csv'",
        "ATTACH '/tmp/backlight-escape.duckdb' AS x",
        "SET enable_external_access = true",
        "INSTALL httpfs",
      ];
      const refused: string[] = [];
      for (const q of tries)
        await conn.run(q).then(
          () => undefined,
          () => refused.push(q),
        );
      // The export directory is the one place a Parquet file may be written.
      await conn.run(`COPY (SELECT 42 AS n) TO '${exportDirectory()}/probe.parquet' (FORMAT parquet)`);
      return { tries, refused };
    });
    expect(attempts.state).toBe("ready");
    if (attempts.state === "ready") expect(attempts.result.refused).toEqual(attempts.result.tries);
    expect(existsSync(join(exportDirectory(), "probe.parquet"))).toBe(true);
    rmSync(join(exportDirectory(), "probe.parquet"));
  });

  it("is empty, with a way out, when nothing was published", async () => {
    expect(await warehouse.status()).toEqual({ state: "empty", message: NO_WAREHOUSE_MESSAGE });
    const missing = new Warehouse({ dataDir: join(dataDir, "does-not-exist") });
    expect(await readHeadline(missing)).toEqual({ state: "empty", message: NO_WAREHOUSE_MESSAGE });
  });

  it("reads the headline of the published snapshot through Kysely, BIGINTs as numbers", async () => {
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s1", FIRST));
    const result = await readHeadline(warehouse);
    expect(result).toMatchObject({ state: "ready", snapshot: { id: "s1", synthetic: true } });
    expect(result.state === "ready" ? result.result : undefined).toEqual({
      customers: 1_234,
      devices_sold: 2_345,
      gmv_eur: 345_678.9,
      first_order_date: "2014-11-03",
      last_order_date: "2024-12-31",
      synthetic: true,
    });
  });

  it("re-reads current.json at most once per second", async () => {
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s1", FIRST));
    expect(await warehouse.status()).toMatchObject({ snapshot: { id: "s1" } });
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s2", SECOND));
    clock = 999;
    expect(await warehouse.status()).toMatchObject({ snapshot: { id: "s1" } });
    clock = 1_000;
    expect(await warehouse.status()).toMatchObject({ snapshot: { id: "s2" } });
  });

  it("readies a new snapshot before serving it: the current one answers meanwhile, nobody goes back", async () => {
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s1", FIRST));
    expect(await warehouse.status()).toMatchObject({ snapshot: { id: "s1" } });
    // A preparer that reads the new snapshot, then waits to be let go.
    const { readied, letGo, remove } = gatedPreparer();
    try {
      await publishPointer(dataDir, await writeSnapshot(dataDir, "s2", SECOND));
      clock = 1_000;
      // s2 is being readied: s1 still answers, again after the pointer's TTL.
      expect(await readHeadline(warehouse)).toMatchObject({
        snapshot: { id: "s1" },
        result: { customers: 1_234 },
      });
      clock = 2_000;
      expect(await warehouse.status()).toMatchObject({ snapshot: { id: "s1" } });
      // A reader who saw s2 elsewhere (another replica) waits for it instead of going back to s1.
      let caughtUp = false;
      const atLeast = warehouse.atLeast("s2").then((s) => {
        caughtUp = true;
        return s;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(caughtUp).toBe(false);
      // A publish during the preparation does not start another: s2 is served first, then s3 readied.
      await publishPointer(dataDir, await writeSnapshot(dataDir, "s3", { ...SECOND, customers: 7_777 }));
      clock = 3_000;
      expect(await warehouse.status()).toMatchObject({ snapshot: { id: "s1" } });
      letGo();
      expect(await atLeast).toMatchObject({ snapshot: { id: "s2" } });
      expect(await readHeadline(warehouse)).toMatchObject({
        snapshot: { id: "s2" },
        result: { customers: 5_678 },
      });
      expect(await warehouse.atLeast("s3")).toMatchObject({ snapshot: { id: "s3" } });
      expect(readied).toEqual([
        { id: "s2", customers: 5_678 },
        { id: "s3", customers: 7_777 },
      ]);
    } finally {
      remove();
    }
  });

  it("readies the first snapshot it serves in the background, and is warm only once that is done", async () => {
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s1", FIRST));
    const { readied, letGo, remove } = gatedPreparer();
    // The server's warehouse (background reads), with the result cache off as in the uncached bench.
    const serving = new Warehouse({ dataDir, cacheEntries: 0, backgroundReads: true });
    try {
      // Served at once (nothing else to serve meanwhile), readied while served.
      expect(await readHeadline(serving)).toMatchObject({
        snapshot: { id: "s1" },
        result: { customers: 1_234 },
      });
      for (let i = 0; i < 100 && readied.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(readied).toEqual([{ id: "s1", customers: 1_234 }]);
      await new Promise((r) => setTimeout(r, 50));
      expect(serving.isWarm("s1")).toBe(false);
      letGo();
      for (let i = 0; i < 100 && !serving.isWarm("s1"); i++) await new Promise((r) => setTimeout(r, 10));
      expect(serving.isWarm("s1")).toBe(true);
      expect(readied).toHaveLength(1);
    } finally {
      remove();
      serving.close();
    }
  });

  it("runs the background reads with the result cache off in the server's warehouse, not in an export's", async () => {
    // A last warmer (a background read no request waits for, ADR 0031) records where it ran.
    const ran: Warehouse[] = [];
    addWarmer(
      async (w) => {
        ran.push(w);
      },
      { last: true },
    );
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s1", FIRST));
    const exporting = new Warehouse({ dataDir, cacheEntries: 0 });
    const serving = new Warehouse({ dataDir, cacheEntries: 0, backgroundReads: true });
    try {
      await exporting.status();
      await serving.status();
      for (let i = 0; i < 100 && !ran.includes(serving); i++) await new Promise((r) => setTimeout(r, 10));
      expect(ran).toContain(serving);
      expect(ran).not.toContain(exporting);
    } finally {
      exporting.close();
      serving.close();
    }
  });

  it("keeps a derived view per snapshot and key, and never files one made from an older snapshot", async () => {
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s1", FIRST));
    const s1 = await warehouse.status();
    if (s1.state !== "ready") throw new Error("no snapshot");
    let computed = 0;
    const view = (tag: string) => () => ({ tag, n: ++computed });
    const a = await warehouse.derived(s1.snapshot, "k", view("s1"));
    expect(await warehouse.derived(s1.snapshot, "k", view("s1"))).toBe(a);
    expect(await warehouse.derived(s1.snapshot, "other", view("s1"))).not.toBe(a);
    expect(computed).toBe(2);
    await publishPointer(dataDir, await writeSnapshot(dataDir, "s2", SECOND));
    clock = 1_000;
    // Rows read from s1 after s2 became current: computed for that request, kept for nobody.
    const stale = await warehouse.derived(s1.snapshot, "k", view("s1"));
    expect(stale).toEqual({ tag: "s1", n: 3 });
    const s2 = await warehouse.status();
    if (s2.state !== "ready") throw new Error("no snapshot");
    expect((await warehouse.derived(s2.snapshot, "k", view("s2"))).tag).toBe("s2");
    expect(computed).toBe(4);
  });

  it("lets a query finish on the snapshot it started on, then closes that snapshot", async () => {
    const first = await writeSnapshot(dataDir, "s1", FIRST);
    const firstFile = await realpath(join(dataDir, first.path));
    await publishPointer(dataDir, first);

    let finishSlowQuery: () => void = () => undefined;
    const slow = warehouse.withConnection(async (conn) => {
      await new Promise<void>((resolve) => {
        finishSlowQuery = resolve;
      });
      const reader = await conn.runAndReadAll("SELECT customers FROM marts.mart_headline");
      return Number(reader.getRowObjectsJS()[0]?.customers);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    await publishPointer(dataDir, await writeSnapshot(dataDir, "s2", SECOND));
    clock = 1_000;
    const fresh = await readHeadline(warehouse);
    expect(fresh).toMatchObject({ snapshot: { id: "s2" }, result: { customers: 5_678 } });
    if (process.platform === "linux") expect(await openFiles("self")).toContain(firstFile);

    finishSlowQuery();
    expect(await slow).toMatchObject({ snapshot: { id: "s1" }, result: 1_234 });
    if (process.platform === "linux") expect(await openFiles("self")).not.toContain(firstFile);
  });

  it("reports a malformed pointer as a WarehouseError naming no absolute path", async () => {
    await writeFile(join(dataDir, "current.json"), '{"id": "s1"}');
    const error = await warehouse.status().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(String(error)).toContain("current.json is not a valid snapshot pointer");
    expect(String(error)).not.toContain(dataDir);
  });

  it("reports a snapshot file that cannot be opened, and retries it later", async () => {
    await publishPointer(dataDir, {
      id: "gone",
      path: "snapshots/gone.duckdb",
      createdAt: new Date().toISOString(),
      synthetic: true,
    });
    await expect(readHeadline(warehouse)).rejects.toThrow("snapshot gone could not be opened");
    await writeSnapshot(dataDir, "gone", FIRST);
    expect(await readHeadline(warehouse)).toMatchObject({ state: "ready", result: { customers: 1_234 } });
  });
});

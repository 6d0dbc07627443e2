// The ETL pipeline under faults, with real processes and files: a run killed at any phase leaves the
// served snapshot untouched, a batch applied twice changes nothing, a changed batch is refused unless
// re-applied, a bad batch publishes nothing and says why in one line, and only one run goes at a time.

import { cpSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT } from "../../core/contract.ts";
import type { Phase } from "../../pipelines/etl/run.ts";
import {
  buildingLeftovers,
  cleanUpEtl,
  copyDataDir,
  isAlive,
  makeLanding,
  messageLines,
  parquetRows,
  pointerPath,
  queryMemory,
  querySnapshot,
  readPointerFile,
  runEtlCli,
  snapshotFiles,
  sqlPath,
  startEtl,
  tempDir,
  type WarehouseFingerprint,
  warehouseFingerprint,
} from "../helpers/etl.ts";
import { publishPointer, writeSnapshot } from "../helpers/fixture-warehouse.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";

const HISTORY = "2024-12-24_history";
const DAILY = [25, 26, 27, 28, 29, 30, 31].map((d) => `2024-12-${d}_daily`);
const ALL = [HISTORY, ...DAILY];
const FIRST_DAILY = "2024-12-25_daily";
const LAST_DAILY = "2024-12-31_daily";

let parquet: string; // generated landing, Parquet
let csv: string; // generated landing, CSV
/** Data dir with a snapshot published from the history batch only. */
let historyData: string;
let historyFingerprint: WarehouseFingerprint;
/** Data dir that applied the history batch, then the daily batches, without any fault. */
let cleanData: string;
let cleanFingerprint: WarehouseFingerprint;
/** Landing with every batch (read-only for the tests that share it). */
let fullLanding: string;

const read = (file: string): Buffer => readFileSync(file);
const runLog = (dataDir: string): string[] =>
  readFileSync(join(dataDir, "runs.jsonl"), "utf8").split("\n").filter(Boolean);

function expectPublished(result: { code: number | null; stdout: string; stderr: string }): string {
  expect(result.code, result.stderr).toBe(0);
  const match = /published snapshot (\S+)/.exec(result.stdout);
  expect(match, result.stdout).not.toBeNull();
  return match?.[1] ?? "";
}

beforeAll(async () => {
  parquet = (await generateTo({ scale: 0.002, format: "parquet" })).dir;
  csv = (await generateTo({ scale: 0.002, format: "csv" })).dir;

  const historyLanding = makeLanding(parquet, [HISTORY]);
  historyData = join(tempDir("history"), "data");
  expectPublished(await runEtlCli({ landing: historyLanding, dataDir: historyData }));
  historyFingerprint = await warehouseFingerprint(historyData);

  fullLanding = makeLanding(parquet, ALL);
  cleanData = copyDataDir(historyData);
  expectPublished(await runEtlCli({ landing: fullLanding, dataDir: cleanData }));
  cleanFingerprint = await warehouseFingerprint(cleanData);
});

afterAll(() => {
  cleanUpEtl();
  removeGenerated();
});

describe("a run killed part-way", () => {
  it("sanity: the daily batches change the fingerprint", () => {
    expect(cleanFingerprint.orderItems).toBeGreaterThan(historyFingerprint.orderItems);
    expect(cleanFingerprint.gmvEur).not.toBe(historyFingerprint.gmvEur);
  });

  it.each(["load", "model", "test", "publish"] as Phase[])(
    "killed at %s: the served snapshot is untouched, the stale lock is taken over, a re-run publishes the clean result",
    async (phase) => {
      const data = copyDataDir(historyData);
      const pointerBefore = read(pointerPath(data));
      const snapshotBefore = readPointerFile(data);
      const logBefore = runLog(data);
      expect(await warehouseFingerprint(data)).toEqual(historyFingerprint);

      const run = startEtl({ landing: fullLanding, dataDir: data, pauseAt: phase });
      await run.waitForStderr(new RegExp(`^paused at ${phase}$`, "m"));
      // The run holds the lock and has started a new snapshot file beside the served one.
      expect(readFileSync(join(data, "etl.lock"), "utf8").trim()).toBe(String(run.pid));
      expect(buildingLeftovers(data).filter((n) => n.endsWith(".duckdb"))).toHaveLength(1);
      run.child.kill("SIGKILL");
      const killed = await run.exited;
      expect(killed.signal).toBe("SIGKILL");

      // Nothing the server reads has changed.
      expect(read(pointerPath(data))).toEqual(pointerBefore);
      expect(existsSync(join(data, snapshotBefore.path))).toBe(true);
      expect(await warehouseFingerprint(data)).toEqual(historyFingerprint);
      expect(runLog(data)).toEqual(logBefore);
      // Leftovers: a lock holding a dead pid, an unfinished snapshot file.
      expect(readFileSync(join(data, "etl.lock"), "utf8").trim()).toBe(String(run.pid));
      expect(isAlive(run.pid)).toBe(false);
      expect(buildingLeftovers(data).length).toBeGreaterThanOrEqual(1);

      // The next run is not blocked by the stale lock, publishes, and cleans up.
      const rerun = await runEtlCli({ landing: fullLanding, dataDir: data });
      const id = expectPublished(rerun);
      const pointer = readPointerFile(data);
      expect(pointer.id).toBe(id);
      expect(pointer.id).not.toBe(snapshotBefore.id);
      expect(pointer.path).toBe(`snapshots/${id}.duckdb`);
      expect(await warehouseFingerprint(data)).toEqual(cleanFingerprint);
      expect(buildingLeftovers(data)).toEqual([]);
      expect(existsSync(join(data, "etl.lock"))).toBe(false);
      const last = JSON.parse(runLog(data).at(-1) ?? "{}") as { status?: string; batches?: string[] };
      expect(last.status).toBe("published");
      expect(last.batches).toEqual(DAILY);
    },
    240_000,
  );
});

describe("the same batches twice", () => {
  it("a second run on the same landing does nothing; a fresh data dir gets identical contents", async () => {
    const data = join(tempDir("twice"), "data");
    const id = expectPublished(await runEtlCli({ landing: fullLanding, dataDir: data }));
    const pointer = read(pointerPath(data));
    const files = snapshotFiles(data);
    const fingerprint = await warehouseFingerprint(data);

    const again = await runEtlCli({ landing: fullLanding, dataDir: data });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to do");
    expect(again.stdout).toContain(`(${ALL.length} skipped)`);
    expect(again.stdout).toContain(id);
    expect(read(pointerPath(data))).toEqual(pointer);
    expect(snapshotFiles(data)).toEqual(files);
    expect(await warehouseFingerprint(data)).toEqual(fingerprint);
    const last = JSON.parse(runLog(data).at(-1) ?? "{}") as { status?: string; skipped?: string[] };
    expect(last.status).toBe("nothing_to_do");
    expect(last.skipped).toEqual(ALL);

    const fresh = join(tempDir("twice-fresh"), "data");
    expectPublished(await runEtlCli({ landing: fullLanding, dataDir: fresh }));
    expect(await warehouseFingerprint(fresh)).toEqual(fingerprint);
    // All batches in one run (full rebuild) = history, then the daily batches (incremental).
    expect(fingerprint).toEqual(cleanFingerprint);
  }, 240_000);
});

describe("a data directory that is not a Backlight warehouse", () => {
  it("is refused in one line that says what to do, and left as it was", async () => {
    const data = tempDir("foreign");
    const pointer = await writeSnapshot(data, "foreign", {
      customers: 1,
      devices_sold: 1,
      gmv_eur: 1,
      first_order_date: "2024-01-01",
      last_order_date: "2024-01-01",
      synthetic: true,
    });
    await publishPointer(data, pointer);
    const before = read(pointerPath(data));
    const refused = await runEtlCli({ landing: makeLanding(parquet, ALL), dataDir: data });
    expect(refused.code).not.toBe(0);
    const lines = refused.stderr.trimEnd().split("\n");
    expect(lines, refused.stderr).toHaveLength(1);
    expect(lines[0]).toContain("has no batch registry");
    expect(lines[0]).toContain("use another --data-dir");
    expect(read(pointerPath(data))).toEqual(before);
  });
});

describe("a batch changed after it was applied", () => {
  it("is refused in one line naming the batch and --reapply; --reapply applies it", async () => {
    const data = copyDataDir(cleanData);
    const landing = makeLanding(parquet, ALL);
    const pointer = read(pointerPath(data));
    const files = snapshotFiles(data);
    // The last daily batch now holds the previous day's order items.
    cpSync(
      join(landing, "2024-12-30_daily", "order_items.parquet"),
      join(landing, LAST_DAILY, "order_items.parquet"),
    );

    const refused = await runEtlCli({ landing, dataDir: data });
    expect(refused.code).not.toBe(0);
    const lines = refused.stderr.trimEnd().split("\n");
    expect(lines, refused.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toContain(`batch ${LAST_DAILY}`);
    expect(lines[0]).toContain(`--reapply ${LAST_DAILY}`);
    expect(refused.stderr).not.toContain("\n    at ");
    expect(refused.stdout).toBe("");
    expect(read(pointerPath(data))).toEqual(pointer);
    expect(snapshotFiles(data)).toEqual(files);
    expect(await warehouseFingerprint(data)).toEqual(cleanFingerprint);

    const reapplied = await runEtlCli({ landing, dataDir: data, args: ["--reapply", LAST_DAILY] });
    const id = expectPublished(reapplied);
    const current = readPointerFile(data);
    expect(current.id).toBe(id);
    expect(read(pointerPath(data))).not.toEqual(pointer);
    // The batch's old order items are gone; the ones it holds now are attributed to it.
    const [rows] = await querySnapshot<{ n: number }>(
      join(data, current.path),
      `SELECT count(*) AS n FROM raw.order_items WHERE _batch_id = '${LAST_DAILY}'`,
    );
    expect(rows?.n).toBe(await parquetRows(join(landing, LAST_DAILY, "order_items.parquet")));
    const [keys] = await queryMemory<{ n: number }>(
      `SELECT count(DISTINCT order_item_id) AS n FROM read_parquet(${sqlPath(join(landing, "*", "order_items.parquet"))})`,
    );
    expect((await warehouseFingerprint(data)).orderItems).toBe(keys?.n);
    // Same contents as a fresh data dir applying the landing as it is now.
    const fresh = join(tempDir("changed-fresh"), "data");
    expectPublished(await runEtlCli({ landing, dataDir: fresh }));
    expect(await warehouseFingerprint(data)).toEqual(await warehouseFingerprint(fresh));

    // The re-applied batch is now recorded as it is: nothing more to do.
    const again = await runEtlCli({ landing, dataDir: data });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to do");
  }, 240_000);

  // Re-applying a batch removes every raw row it brought; a row that had replaced an earlier batch's
  // version must fall back to that version (kept in raw.<entity>__superseded), not vanish.
  it("--reapply of a batch that no longer overrides an earlier row keeps the earlier version", async () => {
    const data = copyDataDir(cleanData);
    const landing = makeLanding(parquet, ALL);
    const file = join(landing, LAST_DAILY, "order_items.parquet");
    const earlier = sqlPath(join(parquet, "2024-12-*", "order_items.parquet"));
    const source = sqlPath(join(parquet, LAST_DAILY, "order_items.parquet"));
    // Order items of the last batch that replace a version from an earlier batch (a status change).
    const overridden = await queryMemory<{ order_item_id: string; batch: string }>(
      `SELECT order_item_id, regexp_extract(filename, '(2024-12-[0-9]{2}_[a-z]+)', 1) AS batch
       FROM read_parquet(${earlier}, filename = true)
       WHERE filename NOT LIKE '%${LAST_DAILY}%' AND order_item_id IN (SELECT order_item_id FROM read_parquet(${source}))
       QUALIFY row_number() OVER (PARTITION BY order_item_id ORDER BY filename DESC) = 1`,
    );
    expect(overridden.length).toBeGreaterThan(0);
    // Ids are text (UUIDs): quoted as SQL strings.
    const ids = overridden.map((o) => `'${o.order_item_id}'`).join(", ");
    // The batch is re-delivered without those rows.
    await queryMemory(
      `COPY (SELECT * FROM read_parquet(${source}) WHERE order_item_id NOT IN (${ids})) TO ${sqlPath(file)} (FORMAT parquet)`,
    );
    expectPublished(await runEtlCli({ landing, dataDir: data, args: ["--reapply", LAST_DAILY] }));
    const fresh = join(tempDir("reapply-fresh"), "data");
    expectPublished(await runEtlCli({ landing, dataDir: fresh }));

    const kept = await querySnapshot<{ order_item_id: string; batch: string }>(
      join(data, readPointerFile(data).path),
      `SELECT order_item_id, _batch_id AS batch FROM raw.order_items WHERE order_item_id IN (${ids}) ORDER BY 1`,
    );
    expect(kept).toEqual([...overridden].sort((a, b) => (a.order_item_id < b.order_item_id ? -1 : 1)));
    expect(await warehouseFingerprint(data)).toEqual(await warehouseFingerprint(fresh));
  }, 240_000);
});

interface BadBatch {
  name: string;
  /** Writes the bad batch `FIRST_DAILY` into a landing folder. */
  write: (landing: string) => void;
  /** The file the message must name, if any. */
  file?: string;
}

const BAD_BATCHES: BadBatch[] = [
  {
    name: "an empty batch folder",
    write: (landing) => mkdirSync(join(landing, FIRST_DAILY)),
  },
  {
    name: "a header-only CSV",
    file: "order_items.csv",
    write: (landing) => {
      const entity = CONTRACT.find((e) => e.entity === "order_items");
      if (!entity) throw new Error("order_items is not in the contract");
      mkdirSync(join(landing, FIRST_DAILY));
      writeFileSync(
        join(landing, FIRST_DAILY, "order_items.csv"),
        `${entity.columns.map((c) => c.name).join(",")}\n`,
      );
    },
  },
  {
    name: "a CSV cut in the middle of a line",
    file: "order_items.csv",
    write: (landing) => {
      cpSync(join(csv, FIRST_DAILY), join(landing, FIRST_DAILY), { recursive: true });
      const file = join(landing, FIRST_DAILY, "order_items.csv");
      const text = readFileSync(file, "utf8");
      const lines = text.split("\n");
      const middle = Math.floor(lines.length / 2);
      const start = lines.slice(0, middle).join("\n").length + 1;
      const cut = start + Math.floor((lines[middle] ?? "").length / 2);
      expect(lines.length).toBeGreaterThan(4);
      writeFileSync(file, text.slice(0, cut));
    },
  },
  {
    name: "a Parquet file cut in half",
    file: "order_items.parquet",
    write: (landing) => {
      cpSync(join(parquet, FIRST_DAILY), join(landing, FIRST_DAILY), { recursive: true });
      const file = join(landing, FIRST_DAILY, "order_items.parquet");
      truncateSync(file, Math.floor(readFileSync(file).length / 2));
    },
  },
];

function expectOneLineRefusal(
  result: { code: number | null; stdout: string; stderr: string },
  bad: BadBatch,
): string {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stderr).not.toContain("\n    at ");
  expect(result.stdout).not.toContain("published snapshot");
  const lines = messageLines(result.stderr);
  expect(lines, result.stderr).toHaveLength(1);
  const message = lines[0] ?? "";
  expect(message).toMatch(/^error: /);
  expect(result.stderr.trimEnd().endsWith(message)).toBe(true);
  expect(message).toContain(`batch ${FIRST_DAILY}`);
  if (bad.file) expect(message).toContain(bad.file);
  return message;
}

describe("a bad batch publishes nothing and says why in one line", () => {
  it.each(BAD_BATCHES)("$name, on top of a published snapshot", async (bad) => {
    const data = copyDataDir(historyData);
    const landing = makeLanding(parquet, [HISTORY]);
    bad.write(landing);
    const pointer = read(pointerPath(data));
    const files = snapshotFiles(data);

    const result = await runEtlCli({ landing, dataDir: data });
    const message = expectOneLineRefusal(result, bad);
    expect(read(pointerPath(data))).toEqual(pointer);
    expect(snapshotFiles(data)).toEqual(files);
    expect(buildingLeftovers(data)).toEqual([]);
    expect(existsSync(join(data, "etl.lock"))).toBe(false);
    expect(await warehouseFingerprint(data)).toEqual(historyFingerprint);
    // The run log says why too.
    const last = JSON.parse(runLog(data).at(-1) ?? "{}") as { status?: string; error?: string };
    expect(last.status).toBe("failed");
    expect(`error: ${last.error}`).toBe(message);
  });

  it.each(BAD_BATCHES)("$name, after a good batch in the same run, into an empty data dir", async (bad) => {
    const data = join(tempDir("bad-fresh"), "data");
    const landing = makeLanding(parquet, [HISTORY]);
    bad.write(landing);

    const result = await runEtlCli({ landing, dataDir: data });
    expectOneLineRefusal(result, bad);
    expect(existsSync(pointerPath(data))).toBe(false);
    expect(snapshotFiles(data)).toEqual([]);
    expect(existsSync(join(data, "etl.lock"))).toBe(false);
  });
});

describe("only one run at a time", () => {
  it("a second run on the same data dir is refused while the first one runs", async () => {
    const data = copyDataDir(historyData);
    const pointer = read(pointerPath(data));
    const first = startEtl({ landing: fullLanding, dataDir: data, pauseAt: "load" });
    try {
      await first.waitForStderr(/^paused at load$/m);
      const second = await runEtlCli({ landing: fullLanding, dataDir: data });
      expect(second.code).not.toBe(0);
      expect(second.code).not.toBeNull();
      const lines = second.stderr.trimEnd().split("\n");
      expect(lines, second.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toContain("another pipeline run");
      expect(lines[0]).toContain(`pid ${first.pid}`);
      expect(second.stdout).toBe("");
      // The first run still runs and still holds its lock; nothing was published.
      expect(first.child.exitCode).toBeNull();
      expect(first.child.signalCode).toBeNull();
      expect(readFileSync(join(data, "etl.lock"), "utf8").trim()).toBe(String(first.pid));
      expect(read(pointerPath(data))).toEqual(pointer);
    } finally {
      first.child.kill("SIGKILL");
      await first.exited;
    }
  });
});

// What a daily run no longer pays for (ADR 0027), and that it stays exact: the copy of the current
// snapshot (a run that publishes leaves a spare copy of it, which the next run starts from) and the
// checksums of batches already applied (remembered per file while the file is untouched).

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanUpEtl,
  copyDataDir,
  makeLanding,
  messageLines,
  readPointerFile,
  runEtlCli,
  snapshotFiles,
  tempDir,
  type WarehouseFingerprint,
  warehouseFingerprint,
} from "../helpers/etl.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";
import { REPO_ROOT } from "../helpers/repo.ts";

const run = promisify(execFile);

let HISTORY: string;
let DAILY: string[];
let parquet: string;
/** A data dir with the history published (and its spare copy). */
let historyData: string;
/** The warehouse after the history then the daily batches, each run copying the snapshot itself. */
let copiedFingerprint: WarehouseFingerprint;

const spareOf = (dataDir: string): string[] => snapshotFiles(dataDir).filter((n) => n.startsWith(".spare-"));

beforeAll(async () => {
  parquet = (await generateTo({ scale: 0.002, format: "parquet", daily: 2 })).dir;
  [HISTORY, ...DAILY] = readdirSync(parquet).sort() as [string, ...string[]];
  expect(DAILY).toHaveLength(2);
  historyData = join(tempDir("spare-history"), "data");
  const first = await runEtlCli({ landing: makeLanding(parquet, [HISTORY]), dataDir: historyData });
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain("started from a new file");

  const copied = copyDataDir(historyData);
  for (const spare of spareOf(copied)) truncateSync(join(copied, "snapshots", spare), 0);
  const daily = await runEtlCli({ landing: makeLanding(parquet, [HISTORY, ...DAILY]), dataDir: copied });
  expect(daily.code, daily.stderr).toBe(0);
  // A spare whose size is not the snapshot's is not trusted: the run copied the snapshot itself.
  expect(daily.stdout).toContain("started from a copy of the current snapshot");
  copiedFingerprint = await warehouseFingerprint(copied);
}, 240_000);

afterAll(() => {
  cleanUpEtl();
  removeGenerated();
});

describe("the spare copy of the current snapshot", () => {
  it("is left by a run that publishes, taken by the next run, and gives the same warehouse", async () => {
    const data = copyDataDir(historyData);
    const before = readPointerFile(data);
    expect(spareOf(data)).toEqual([`.spare-${before.id}.duckdb`]);
    expect(statSync(join(data, "snapshots", `.spare-${before.id}.duckdb`)).size).toBe(
      statSync(join(data, before.path)).size,
    );

    const daily = await runEtlCli({ landing: makeLanding(parquet, [HISTORY, ...DAILY]), dataDir: data });
    expect(daily.code, daily.stderr).toBe(0);
    expect(daily.stdout).toContain("started from the previous run's spare copy");
    expect(daily.stdout).toMatch(/published snapshot \S+ after \d+\.\d s/);
    const after = readPointerFile(data);
    // The spare it took is gone; the new snapshot has its own, for the run after.
    expect(spareOf(data)).toEqual([`.spare-${after.id}.duckdb`]);
    expect(await warehouseFingerprint(data)).toEqual(copiedFingerprint);
    const log = JSON.parse(readFileSync(join(data, "runs.jsonl"), "utf8").trim().split("\n").at(-1) ?? "{}");
    expect(log.startedFrom).toBe("spare");
    expect(log.seconds.spare).toBeGreaterThanOrEqual(0);
    expect(log.secondsToPublish).toBeGreaterThan(0);
    // etl:status says it too.
    const status = await run(
      process.execPath,
      ["--import", "tsx", "pipelines/etl/status-cli.ts", "--data-dir", data],
      {
        cwd: REPO_ROOT,
      },
    );
    expect(status.stdout).toMatch(
      new RegExp(`${after.id} .*\\(current after \\d+\\.\\d s; from the spare copy; prepare`),
    );
    expect(status.stdout).toMatch(/^leftovers\s+none$/m);
  }, 120_000);

  it("is made again when the run that took it fails, and not at all with --no-spare", async () => {
    const data = copyDataDir(historyData);
    const current = readPointerFile(data);
    const landing = makeLanding(parquet, [HISTORY, ...DAILY]);
    // A daily batch whose order items file is cut in half: the run is refused at load.
    const items = join(landing, DAILY[0] as string, "order_items.parquet");
    truncateSync(items, Math.floor(statSync(items).size / 2));
    const refused = await runEtlCli({ landing, dataDir: data });
    expect(refused.code).not.toBe(0);
    expect(messageLines(refused.stderr)).toHaveLength(1);
    expect(readPointerFile(data).id).toBe(current.id);
    expect(spareOf(data)).toEqual([`.spare-${current.id}.duckdb`]);

    const without = await runEtlCli({
      landing: makeLanding(parquet, [HISTORY, ...DAILY]),
      dataDir: data,
      args: ["--no-spare"],
    });
    expect(without.code, without.stderr).toBe(0);
    expect(without.stdout).toContain("started from the previous run's spare copy");
    expect(spareOf(data)).toEqual([]);
    expect(await warehouseFingerprint(data)).toEqual(copiedFingerprint);
  }, 120_000);
});

describe("the checksums of applied batches", () => {
  it("are remembered per file, and a file changed in place is still refused", async () => {
    const data = copyDataDir(historyData);
    const landing = makeLanding(parquet, [HISTORY, ...DAILY]);
    const items = resolve(landing, DAILY[1] as string, "order_items.parquet");
    // A whole second, which utimes can set back exactly.
    utimesSync(items, 1_700_000_000, 1_700_000_000);
    const first = await runEtlCli({ landing, dataDir: data });
    expect(first.code, first.stderr).toBe(0);
    const cache = JSON.parse(readFileSync(join(data, "landing-checksums.json"), "utf8")) as Record<
      string,
      { sha256: string }
    >;
    const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
    expect(cache[items]?.sha256).toBe(sha(items));
    expect(Object.keys(cache).length).toBeGreaterThan(10);

    const again = await runEtlCli({ landing, dataDir: data });
    expect(again.stdout).toContain("nothing to do");

    // The same size, the same modification time, other bytes: only the change time tells.
    const original = statSync(items);
    const bytes = readFileSync(items);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(items, bytes);
    utimesSync(items, 1_700_000_000, 1_700_000_000);
    expect(statSync(items).size).toBe(original.size);
    expect(statSync(items).mtimeMs).toBe(original.mtimeMs);
    const refused = await runEtlCli({ landing, dataDir: data });
    expect(refused.code).not.toBe(0);
    expect(messageLines(refused.stderr).join("\n")).toContain(
      `batch ${DAILY[1]} has changed since it was applied; re-run with --reapply ${DAILY[1]}`,
    );
    expect(existsSync(join(data, "landing-checksums.json"))).toBe(true);
  }, 120_000);
});

// Issue 17, row 10: the ETL killed (kill -9) at several moments, then one clean run. The clean run must
// remove everything the killed ones left (tmp/<run id> folders, unfinished builds, pointer files never
// renamed into place, a snapshot renamed into place but never published, a half-made spare copy), must
// not count the unpublished snapshot among the kept ones (so no real older snapshot is pruned for it),
// and must not be refused by a lock whose holder was killed a moment ago. `etl:status` then shows
// nothing left over.

import { execFile } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSnapshotId } from "../../pipelines/etl/snapshots.ts";
import {
  cleanUpEtl,
  copyDataDir,
  makeLanding,
  readPointerFile,
  runEtlCli,
  startEtl,
  tempDir,
} from "../helpers/etl";
import { generateTo, removeGenerated } from "../helpers/generated";
import { REPO_ROOT } from "../helpers/repo";

const run = promisify(execFile);
const HISTORY = "2024-12-24_history";
const DAILY = [25, 26, 27, 28, 29, 30, 31].map((d) => `2024-12-${d}_daily`);

let fullLanding: string;
let historyData: string;

beforeAll(async () => {
  const parquet = (await generateTo({ scale: 0.002, format: "parquet" })).dir;
  historyData = join(tempDir("kills-history"), "data");
  const first = await runEtlCli({ landing: makeLanding(parquet, [HISTORY]), dataDir: historyData });
  expect(first.code, first.stderr).toBe(0);
  fullLanding = makeLanding(parquet, [HISTORY, ...DAILY]);
});

afterAll(() => {
  cleanUpEtl();
  removeGenerated();
});

describe("row 10: kills of the ETL, then one clean run", () => {
  it("leaves nothing over, keeps the real snapshots, and is not refused by a just-killed holder", async () => {
    const data = copyDataDir(historyData);
    const published = readPointerFile(data);
    // Killed while loading and while building the models: each leaves its tmp/<run id> folder and an
    // unfinished build.
    for (const phase of ["load", "model"] as const) {
      const killed = startEtl({ landing: fullLanding, dataDir: data, pauseAt: phase });
      await killed.waitForStderr(new RegExp(`^paused at ${phase}$`, "m"));
      killed.child.kill("SIGKILL");
      await killed.exited;
    }
    // Each killed run left its tmp/<run id> folder (a later run removes the earlier ones).
    expect(readdirSync(join(data, "tmp")).length).toBeGreaterThanOrEqual(1);
    // Killed during publish, after the snapshot was renamed into place and before current.json was
    // switched: what that leaves, written as it would be (a kill cannot be timed between two renames).
    const unpublished = `${newSnapshotId(new Date(Date.now() + 1000))}.duckdb`;
    copyFileSync(join(data, published.path), join(data, "snapshots", unpublished));
    writeFileSync(join(data, ".current.json.999999.tmp"), "{}");
    // Killed while copying the snapshot it had just published for the next run (a partial spare), and
    // a spare of a snapshot that is no longer current.
    writeFileSync(join(data, "snapshots", `.spare-${published.id}.duckdb.partial`), "half a copy");
    writeFileSync(join(data, "snapshots", ".spare-20240101T000000Z-00000000.duckdb"), "stale");
    // One more kill, and the next run started at once, while the killed one may still be exiting.
    const last = startEtl({ landing: fullLanding, dataDir: data, pauseAt: "load" });
    await last.waitForStderr(/^paused at load$/m);
    last.child.kill("SIGKILL");
    const clean = await runEtlCli({ landing: fullLanding, dataDir: data, args: ["--keep", "2"] });
    await last.exited;
    expect(clean.code, clean.stderr).toBe(0);

    const pointer = readPointerFile(data);
    expect(pointer.id).not.toBe(published.id);
    const snapshots = readdirSync(join(data, "snapshots")).sort();
    // Kept: the new snapshot, the real older one, and the new one's spare copy for the next run; the
    // never-published file and the partial and stale spares are gone and took no place.
    expect(snapshots).toEqual(
      [published.path.split("/")[1], pointer.path.split("/")[1], `.spare-${pointer.id}.duckdb`].sort(),
    );
    expect(existsSync(join(data, "snapshots", unpublished))).toBe(false);
    expect(readdirSync(join(data, "tmp"))).toEqual([]);
    expect(readdirSync(data).filter((n) => n.startsWith(".current.json"))).toEqual([]);
    expect(existsSync(join(data, "etl.lock"))).toBe(false);

    const status = await run(
      process.execPath,
      ["--import", "tsx", "pipelines/etl/status-cli.ts", "--data-dir", data],
      {
        cwd: REPO_ROOT,
      },
    );
    expect(status.stdout).toMatch(/^leftovers\s+none$/m);
    expect(status.stdout).toContain(pointer.id);
  }, 300_000);
});

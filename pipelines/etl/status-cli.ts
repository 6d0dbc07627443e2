// npm run etl:status -- [--data-dir <dir>] [--runs <n>]
// The snapshot being served, its freshness, and the last runs: rows read / loaded / quarantined per
// entity, tests passed and failed, durations, and anything killed runs left behind. Failed runs come
// from data/runs.jsonl.

import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatCount, runCli, UsageError } from "../../core/cli.ts";
import { openSnapshotReadOnly, queryRows } from "../../core/duckdb.ts";
import { isAlive } from "./lock.ts";
import type { RunSummary } from "./run.ts";
import { leftovers, readPointer } from "./snapshots.ts";

const USAGE = "usage: npm run etl:status -- [--data-dir <dir>] [--runs <n>]";

interface LoggedRun extends Omit<RunSummary, "tests"> {
  at: string;
  rows: { read: number; loaded: number; quarantined: number };
  tests: { passed: number; failed: number };
}

function age(from: Date, to = new Date()): string {
  const minutes = Math.round((to.getTime() - from.getTime()) / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} days ago`;
}

runCli(import.meta.url, USAGE, async (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: { "data-dir": { type: "string", default: "data" }, runs: { type: "string", default: "5" } },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new UsageError(`--runs must be a positive integer, got "${values.runs}"`);
  const dataDir = resolve(values["data-dir"]);
  const pointer = await readPointer(dataDir);
  if (!pointer) {
    console.log(`no snapshot published in ${dataDir} yet`);
  } else {
    const { instance, conn } = await openSnapshotReadOnly(join(dataDir, pointer.path));
    try {
      const [fresh] = await queryRows<{
        last_order: string;
        last_batch: string;
        batches: number;
        quarantined: number;
        tz: string;
      }>(
        conn,
        `SELECT strftime(max(reporting_date), '%Y-%m-%d') AS last_order,
           (SELECT max(batch_id) FROM meta.batches) AS last_batch, (SELECT count(*) FROM meta.batches) AS batches,
           (SELECT count(*) FROM meta.quarantine) AS quarantined,
           (SELECT value FROM meta.settings WHERE key = 'reporting_time_zone') AS tz
         FROM marts.mart_daily_sales WHERE devices_sold > 0`,
      );
      console.log(
        `current snapshot  ${pointer.id}  published ${pointer.createdAt} (${age(new Date(pointer.createdAt))})${pointer.synthetic ? "  [synthetic data]" : ""}`,
      );
      console.log(
        `freshness         last order ${fresh?.last_order ?? "none"} (${fresh?.tz}); ${fresh?.batches} batches applied, last ${fresh?.last_batch}`,
      );
      console.log(`quarantine        ${formatCount(fresh?.quarantined ?? 0)} rows in meta.quarantine`);
      const reasons = await queryRows<{ entity: string; rule: string; n: number }>(
        conn,
        "SELECT entity, rule, count(*) AS n FROM meta.quarantine GROUP BY ALL ORDER BY n DESC LIMIT 8",
      );
      for (const r of reasons)
        console.log(
          `                  ${r.entity.padEnd(16)} ${r.rule.padEnd(18)} ${formatCount(r.n).padStart(9)}`,
        );
      // Columns the contract does not name, ignored at load: a sign that an extract changed shape.
      const ignored = await queryRows<{ file: string; columns: string }>(
        conn,
        `SELECT file, any_value(ignored_columns) AS columns FROM meta.load_stats
         WHERE ignored_columns IS NOT NULL GROUP BY file ORDER BY file DESC LIMIT 8`,
      ).catch(() => []);
      if (ignored.length > 0) {
        console.log("ignored columns   (not in the contract; not loaded)");
        for (const r of ignored) console.log(`                  ${r.file.padEnd(34)} ${r.columns}`);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }
  // What killed runs left behind (the next run removes it), or the run in progress that owns it.
  const holder = Number((await readFile(join(dataDir, "etl.lock"), "utf8").catch(() => "")).trim());
  const left = await leftovers(dataDir);
  if (Number.isInteger(holder) && holder > 0 && isAlive(holder))
    console.log(`run in progress   pid ${holder}${left.length ? ` (its files: ${left.join(", ")})` : ""}`);
  else {
    const stale = holder > 0 ? [`etl.lock (pid ${holder}, not running)`] : [];
    const all = [...stale, ...left];
    console.log(
      `leftovers         ${all.length === 0 ? "none" : `${all.length} from killed runs (the next run removes them): ${all.join(", ")}`}`,
    );
  }
  let log: LoggedRun[] = [];
  try {
    log = (await readFile(join(dataDir, "runs.jsonl"), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LoggedRun);
  } catch {
    // No run yet.
  }
  console.log(`\nlast ${Math.min(runs, log.length)} of ${log.length} runs`);
  for (const run of log.slice(-runs).reverse()) {
    const stages = Object.entries(run.seconds ?? {})
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(", ");
    // When the snapshot became current, and what the run started from (ADR 0027).
    const current =
      run.secondsToPublish === undefined ? "" : `current after ${run.secondsToPublish.toFixed(1)} s; `;
    const from = run.startedFrom
      ? `from ${run.startedFrom === "spare" ? "the spare copy" : run.startedFrom === "copy" ? "a copy" : "a new file"}; `
      : "";
    const seconds = stages ? `${current}${from}${stages}` : "";
    console.log(
      `${run.at}  ${run.status.padEnd(13)} ${run.snapshotId ?? ""}  batches ${run.batches.length}  read ${formatCount(run.rows.read)}  loaded ${formatCount(run.rows.loaded)}  quarantined ${formatCount(run.rows.quarantined)}  tests ${run.tests.passed} passed / ${run.tests.failed} failed${seconds ? `  (${seconds})` : ""}`,
    );
    if (run.error) console.log(`    error: ${run.error}`);
    const byEntity = new Map<string, { read: number; loaded: number; quarantined: number }>();
    for (const s of run.stats ?? []) {
      const e = byEntity.get(s.entity) ?? { read: 0, loaded: 0, quarantined: 0 };
      byEntity.set(s.entity, {
        read: e.read + s.rows_read,
        loaded: e.loaded + s.rows_loaded,
        quarantined: e.quarantined + s.rows_quarantined,
      });
    }
    for (const [entity, e] of byEntity) {
      console.log(
        `    ${entity.padEnd(16)} read ${formatCount(e.read).padStart(11)}  loaded ${formatCount(e.loaded).padStart(11)}  quarantined ${formatCount(e.quarantined).padStart(7)}`,
      );
    }
    for (const s of run.stats ?? [])
      if (s.ignored_columns?.length)
        console.log(`    ignored columns in ${s.file}: ${s.ignored_columns.join(", ")}`);
  }
});

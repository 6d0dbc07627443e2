// npm run etl -- --landing <dir> [--data-dir <dir>] [--check] [--reapply <batch_id>]… [--time-zone <tz>] [--keep <n>] [--no-spare] [--synthetic]

import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CliError, formatCount, runCli, UsageError } from "../../core/cli.ts";
import { LandingError } from "./batches.ts";
import { type CheckReport, checkLanding } from "./check.ts";
import { LockedError } from "./lock.ts";
import { type Phase, runEtl, TestsFailed } from "./run.ts";
import { BatchRefused } from "./validate.ts";

const USAGE =
  "usage: npm run etl -- --landing <dir> [--data-dir <dir>] [--check] [--reapply <batch_id>]… [--time-zone <IANA zone>] [--keep <n>] [--no-spare] [--synthetic]";

const START_WORDS = {
  new: "a new file",
  spare: "the previous run's spare copy",
  copy: "a copy of the current snapshot",
} as const;

/** The dry run's report: per batch and entity, rows read / would load / would quarantine, by reason. */
function printCheck(report: CheckReport): void {
  console.log(
    `check: ${report.pending.length} pending batch${report.pending.length === 1 ? "" : "es"}${report.skipped.length ? ` (${report.skipped.length} already applied, skipped)` : ""}; nothing is written or published`,
  );
  for (const e of report.entities) {
    console.log(
      `${e.batch_id.padEnd(20)} ${e.entity.padEnd(16)} read ${formatCount(e.rows_read).padStart(11)}  would load ${formatCount(e.rows_loaded).padStart(11)}  would quarantine ${formatCount(e.rows_quarantined).padStart(7)}`,
    );
    if (e.ignored_columns.length > 0)
      console.log(`    ignored columns (not in the contract): ${e.ignored_columns.join(", ")}`);
    for (const r of e.reasons) {
      console.log(`    ${r.rule.padEnd(18)} ${formatCount(r.rows).padStart(9)}`);
      for (const f of r.first) console.log(`        ${e.file} line ${f.line}: ${f.reason}`);
    }
  }
  if (report.refused) console.log(`refused: ${report.refused}`);
  else if (report.clean)
    console.log(
      report.pending.length === 0
        ? "check: nothing pending; a run would have nothing to do"
        : "check: clean, every row would load",
    );
}

runCli(import.meta.url, USAGE, async (argv, progress) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      landing: { type: "string" },
      "data-dir": { type: "string", default: "data" },
      reapply: { type: "string", multiple: true, default: [] },
      "time-zone": { type: "string", default: "Europe/Paris" },
      keep: { type: "string", default: "3" },
      "no-spare": { type: "boolean", default: false },
      synthetic: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      "stats-json": { type: "string" },
    },
    strict: true,
  });
  if (!values.landing) throw new UsageError("--landing <dir> is required");
  const keep = Number(values.keep);
  if (!Number.isInteger(keep) || keep < 1 || keep > 100)
    throw new UsageError(`--keep must be an integer from 1 to 100, got "${values.keep}"`);
  const zone = values["time-zone"];
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
  } catch {
    throw new UsageError(`--time-zone must be an IANA time zone such as Europe/Paris, got "${zone}"`);
  }
  if (values.check) {
    try {
      const report = await checkLanding({
        landing: resolve(values.landing),
        dataDir: resolve(values["data-dir"]),
        reapply: values.reapply,
        timeZone: zone,
        onProgress: progress,
      });
      progress(null);
      printCheck(report);
      if (!report.clean)
        throw new CliError(
          report.refused
            ? `check: a run would stop here: ${report.refused}`
            : `check: ${formatCount(report.rowsQuarantined)} row${report.rowsQuarantined === 1 ? "" : "s"} would be quarantined (nothing was written)`,
        );
      return;
    } catch (error) {
      if (error instanceof BatchRefused || error instanceof LandingError) throw new CliError(error.message);
      throw error;
    }
  }
  // Tests set BACKLIGHT_ETL_PAUSE_AT=<phase> to stop a run at a chosen point and kill it there.
  const pauseAt = process.env.BACKLIGHT_ETL_PAUSE_AT as Phase | undefined;
  try {
    const summary = await runEtl({
      landing: resolve(values.landing),
      dataDir: resolve(values["data-dir"]),
      reapply: values.reapply,
      timeZone: zone,
      keepSnapshots: keep,
      spare: !values["no-spare"],
      synthetic: values.synthetic,
      onProgress: progress,
      onPhase: async (phase) => {
        progress(`etl: ${phase}`);
        if (phase === pauseAt) {
          process.stderr.write(`\npaused at ${phase}\n`);
          await new Promise((r) => setTimeout(r, 600_000));
        }
      },
    });
    progress(null);
    if (values["stats-json"]) {
      const maxRssBytes = process.resourceUsage().maxRSS * 1024;
      await writeFile(
        resolve(values["stats-json"]),
        `${JSON.stringify({ ...summary, maxRssBytes }, null, 2)}\n`,
      );
    }
    if (summary.status === "nothing_to_do") {
      console.log(
        `nothing to do: every batch is already applied (${summary.skipped.length} skipped); snapshot ${summary.snapshotId ?? "none"} stays current`,
      );
      return;
    }
    for (const s of summary.stats) {
      console.log(
        `${s.batch_id.padEnd(20)} ${s.entity.padEnd(16)} read ${formatCount(s.rows_read).padStart(11)}  loaded ${formatCount(s.rows_loaded).padStart(11)}  quarantined ${formatCount(s.rows_quarantined).padStart(7)}  ${s.seconds.toFixed(1)} s`,
      );
      if (s.ignored_columns.length > 0)
        console.log(
          `${"".padEnd(20)} ${"".padEnd(16)} ignored columns (not in the contract): ${s.ignored_columns.join(", ")}`,
        );
    }
    const passed = summary.tests.filter((t) => t.passed).length;
    console.log(`tests: ${passed} passed, ${summary.tests.length - passed} failed`);
    console.log(
      `published snapshot ${summary.snapshotId} after ${(summary.secondsToPublish ?? 0).toFixed(1)} s (${summary.fullRebuild ? "full rebuild" : "incremental"}, started from ${START_WORDS[summary.startedFrom ?? "new"]}; ${Object.entries(
        summary.seconds,
      )
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(", ")})`,
    );
  } catch (error) {
    if (
      error instanceof BatchRefused ||
      error instanceof LandingError ||
      error instanceof LockedError ||
      error instanceof TestsFailed
    ) {
      throw new CliError(error.message);
    }
    throw error;
  }
});

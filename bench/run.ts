// npm run bench [-- --only <name>] : runs the benchmarks and writes their figures to bench/results/<name>.json.
// Figures are measured here, on this machine; tests never time anything.

import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../core/cli.ts";
import { benchAuth } from "./auth.ts";
import { bar } from "./bars.ts";
import { runNode } from "./commands.ts";
import { benchExport } from "./export.ts";
import { benchOverview } from "./overview.ts";

const BENCHES: Record<string, (work: string) => Promise<Record<string, unknown>>> = {
  generate: benchGenerate,
  etl: benchEtl,
  overview: benchOverview,
  export: benchExport,
  auth: benchAuth,
};

const USAGE = `usage: npm run bench [-- --only ${Object.keys(BENCHES).join("|")}] [--work <dir>] [--reuse-landing]`;

runCli(import.meta.url, USAGE, async (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      work: { type: "string", default: "data/bench" },
      // Keep the generated scale-1 landing of an earlier `bench --only etl` (saves its 2–3 minutes).
      "reuse-landing": { type: "boolean", default: false },
    },
    strict: true,
  });
  const names = values.only ? [values.only] : Object.keys(BENCHES);
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new UsageError(`unknown benchmark "${name}"`);
    const work = resolve(values.work, name);
    if (!values["reuse-landing"]) await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    const figures = await bench(work);
    const result = { benchmark: name, measuredAt: new Date().toISOString(), machine: machine(), ...figures };
    await mkdir("bench/results", { recursive: true });
    await writeFile(join("bench/results", `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`bench ${name}: written to bench/results/${name}.json`);
  }
});

function machine(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  };
}

interface GenerateStats {
  seconds: number;
  maxRssBytes: number;
  entities: { entity: string; rows: number; bytes: number; seconds: number }[];
  batches: string[];
}

async function generateRun(
  work: string,
  scale: string,
): Promise<{ wallSeconds: number; stats: GenerateStats }> {
  const out = join(work, `landing-${scale}`);
  const statsFile = join(work, `stats-${scale}.json`);
  const started = performance.now();
  await runNode([
    "pipelines/generate/cli.ts",
    "--scale",
    scale,
    "--format",
    "parquet",
    "--out",
    out,
    "--stats-json",
    statsFile,
  ]);
  const wallSeconds = (performance.now() - started) / 1000;
  const stats = JSON.parse(await readFile(statsFile, "utf8")) as GenerateStats;
  return { wallSeconds, stats };
}

function perEntity(stats: GenerateStats, wallSeconds: number) {
  return stats.entities.map((e) => ({
    entity: e.entity,
    rows: e.rows,
    landingBytes: e.bytes,
    // Rows per second of the whole run (drawing and writing), and of writing alone.
    rowsPerSecondOverall: Math.round(e.rows / wallSeconds),
    rowsPerSecondWritten: Math.round(e.rows / Math.max(e.seconds, 0.001)),
  }));
}

async function benchGenerate(work: string): Promise<Record<string, unknown>> {
  console.log("bench generate: --scale 0.01 --format parquet");
  const small = await generateRun(work, "0.01");
  console.log("bench generate: --scale 1 --format parquet");
  const full = await generateRun(work, "1");
  const landingBytes = full.stats.entities.reduce((s, e) => s + e.bytes, 0);
  const bars = [
    bar("generate --scale 1 --format parquet, wall time", full.wallSeconds, 240, "s"),
    bar("generate --scale 1, peak RSS", full.stats.maxRssBytes / 2 ** 30, 8, "GiB"),
    bar("generate --scale 0.01, wall time", small.wallSeconds, 10, "s"),
  ];
  return {
    bars,
    scale1: {
      wallSeconds: Number(full.wallSeconds.toFixed(1)),
      peakRssGiB: Number((full.stats.maxRssBytes / 2 ** 30).toFixed(2)),
      landingMiB: Number((landingBytes / 2 ** 20).toFixed(1)),
      batches: full.stats.batches.length,
      entities: perEntity(full.stats, full.wallSeconds),
    },
    scale001: {
      wallSeconds: Number(small.wallSeconds.toFixed(1)),
      peakRssGiB: Number((small.stats.maxRssBytes / 2 ** 30).toFixed(2)),
      entities: perEntity(small.stats, small.wallSeconds),
    },
  };
}

interface EtlStats {
  seconds: Record<string, number>;
  maxRssBytes: number;
  stats: { entity: string; rows_read: number; rows_loaded: number; rows_quarantined: number }[];
  snapshotId: string;
  fullRebuild: boolean;
}

async function etlRun(
  landing: string,
  dataDir: string,
  statsFile: string,
): Promise<{ wallSeconds: number; stats: EtlStats }> {
  const started = performance.now();
  await runNode([
    "pipelines/etl/cli.ts",
    "--landing",
    landing,
    "--data-dir",
    dataDir,
    "--synthetic",
    "--stats-json",
    statsFile,
  ]);
  return {
    wallSeconds: (performance.now() - started) / 1000,
    stats: JSON.parse(await readFile(statsFile, "utf8")) as EtlStats,
  };
}

/** Full load of scale 1 (Parquet landing) into a published snapshot, then one daily batch on top. */
async function benchEtl(work: string): Promise<Record<string, unknown>> {
  const generated = join(work, "generated");
  const complete = join(work, "generated.complete");
  if (!(await stat(complete).catch(() => null))) {
    await rm(generated, { recursive: true, force: true });
    console.log("bench etl: generating scale 1 (history to 2024-12-30, one daily batch 2024-12-31)");
    await runNode([
      "pipelines/generate/cli.ts",
      "--scale",
      "1",
      "--format",
      "parquet",
      "--daily",
      "1",
      "--out",
      generated,
    ]);
    await writeFile(complete, "");
  }
  await rm(join(work, "landing"), { recursive: true, force: true });
  await rm(join(work, "data"), { recursive: true, force: true });
  const [history, daily] = (await readdir(generated)).sort();
  const landing = join(work, "landing");
  const dataDir = join(work, "data");
  await cp(join(generated, history as string), join(landing, history as string), { recursive: true });
  console.log("bench etl: full load");
  const full = await etlRun(landing, dataDir, join(work, "full.json"));
  const snapshotBytes = (await stat(join(dataDir, "snapshots", `${full.stats.snapshotId}.duckdb`))).size;
  await cp(join(generated, daily as string), join(landing, daily as string), { recursive: true });
  console.log("bench etl: one daily batch on top");
  const incremental = await etlRun(landing, dataDir, join(work, "daily.json"));
  const rows = (s: EtlStats) => s.stats.reduce((t, x) => t + x.rows_read, 0);
  const dailyItems = incremental.stats.stats.find((s) => s.entity === "order_items")?.rows_read ?? 0;
  const bars = [
    bar("etl full load at scale 1 (Parquet) → published snapshot, wall time", full.wallSeconds, 300, "s"),
    bar("etl full load at scale 1, peak RSS", full.stats.maxRssBytes / 2 ** 30, 12, "GiB"),
    bar(
      `etl one daily batch (${dailyItems} order items) on top of scale 1, wall time`,
      incremental.wallSeconds,
      30,
      "s",
    ),
  ];
  const describe = (run: { wallSeconds: number; stats: EtlStats }) => ({
    wallSeconds: Number(run.wallSeconds.toFixed(1)),
    peakRssGiB: Number((run.stats.maxRssBytes / 2 ** 30).toFixed(2)),
    fullRebuild: run.stats.fullRebuild,
    secondsPerStage: run.stats.seconds,
    rowsRead: rows(run.stats),
    rowsPerSecondLoad: Math.round(rows(run.stats) / Math.max(run.stats.seconds.load ?? 1, 0.001)),
  });
  return {
    bars,
    fullLoad: { ...describe(full), snapshotMiB: Number((snapshotBytes / 2 ** 20).toFixed(1)) },
    dailyBatch: describe(incremental),
  };
}

// npm run bench [-- --only <name>] : runs the benchmarks and writes their figures to bench/results/<name>.json.
// Figures are measured here, on this machine; tests never time anything.

import { cp, mkdir, readdir, readFile, rm, stat, statfs, writeFile } from "node:fs/promises";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../core/cli.ts";
import { benchAuth } from "./auth.ts";
import { type Bar, bar } from "./bars.ts";
import { runNode } from "./commands.ts";
import { benchExport } from "./export.ts";
import { benchOverview } from "./overview.ts";
import { benchPages } from "./pages.ts";

const BENCHES: Record<string, (work: string) => Promise<Record<string, unknown>>> = {
  generate: benchGenerate,
  etl: benchEtl,
  overview: benchOverview,
  pages: benchPages,
  export: benchExport,
  auth: benchAuth,
};

const USAGE = `usage: npm run bench [-- --only ${Object.keys(BENCHES).join("|")}] [--work <dir>] [--reuse-landing] [--ids text|numeric|both]`;

/** Which id styles the etl bench runs (both by default: text, the real path, and numeric beside it). */
let ETL_IDS: ("text" | "numeric")[] = ["text", "numeric"];

runCli(import.meta.url, USAGE, async (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      work: { type: "string", default: "data/bench" },
      // Keep the generated scale-1 landing of an earlier `bench --only etl` (saves its 2–3 minutes).
      "reuse-landing": { type: "boolean", default: false },
      ids: { type: "string", default: "both" },
    },
    strict: true,
  });
  if (!["text", "numeric", "both"].includes(values.ids))
    throw new UsageError(`--ids must be text, numeric or both, got "${values.ids}"`);
  ETL_IDS = values.ids === "both" ? ["text", "numeric"] : [values.ids as "text" | "numeric"];
  const names = values.only ? [values.only] : Object.keys(BENCHES);
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new UsageError(`unknown benchmark "${name}"`);
    const work = resolve(values.work, name);
    if (!values["reuse-landing"]) await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    const atStart = await machineState(work);
    const figures = await bench(work);
    const result = {
      benchmark: name,
      measuredAt: new Date().toISOString(),
      machine: { ...machine(), atStart },
      ...figures,
    };
    // A quick try (BENCH_PAGES_QUICK) prints its figures and keeps the last full run's file.
    if (figures.quick) {
      console.log(`bench ${name}: a quick run, bench/results/${name}.json left as it was`);
      continue;
    }
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

/**
 * The machine's state as a bench starts: runs of the same code here differ by more than the changes
 * measured (the ETL's full load by ±15 s), and these are the suspects — another process's load, memory
 * the page cache no longer holds, a fuller disk.
 */
async function machineState(work: string): Promise<Record<string, number | null>> {
  const meminfo = await readFile("/proc/meminfo", "utf8").catch(() => "");
  const cachedKiB = Number(/^Cached:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? Number.NaN);
  const disk = await statfs(work).catch(() => null);
  const gib = (bytes: number) => Number((bytes / 2 ** 30).toFixed(1));
  return {
    loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    freeMemoryGiB: gib(freemem()),
    pageCacheGiB: Number.isNaN(cachedKiB) ? null : gib(cachedKiB * 1024),
    diskFreeGiB: disk ? gib(disk.bavail * disk.bsize) : null,
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
  startedFrom?: string;
  maxRssBytes: number;
  stats: { entity: string; rows_read: number; rows_loaded: number; rows_quarantined: number }[];
  snapshotId: string;
  fullRebuild: boolean;
}

/** The id in a data directory's current.json (null before the first publish). */
async function currentId(dataDir: string): Promise<string | null> {
  try {
    return (JSON.parse(await readFile(join(dataDir, "current.json"), "utf8")) as { id: string }).id;
  } catch {
    return null;
  }
}

/**
 * One ETL command, timed twice: until its new snapshot is current (watched from outside, every 50 ms:
 * what a reader of the dashboard waits for) and until the command exits (which then also copies the
 * new snapshot for the next run to start from: ADR 0027).
 */
async function etlRun(
  landing: string,
  dataDir: string,
  statsFile: string,
): Promise<{ wallSeconds: number; publishedSeconds: number; stats: EtlStats }> {
  const before = await currentId(dataDir);
  const started = performance.now();
  let publishedSeconds = Number.NaN;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const id = await currentId(dataDir);
      if (id !== null && id !== before) {
        publishedSeconds = (performance.now() - started) / 1000;
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const command = runNode([
    "pipelines/etl/cli.ts",
    "--landing",
    landing,
    "--data-dir",
    dataDir,
    "--synthetic",
    "--stats-json",
    statsFile,
  ]);
  try {
    await command;
  } finally {
    watching = false;
    await watcher;
  }
  return {
    wallSeconds: (performance.now() - started) / 1000,
    publishedSeconds,
    stats: JSON.parse(await readFile(statsFile, "utf8")) as EtlStats,
  };
}

/**
 * The floor of an ETL run: DuckDB merely reading every landing file once (every column of every row,
 * each value touched by a min/max), with the ETL's two threads. Absolute seconds differ between
 * machines; the ratio ETL / floor measured in the same run does not (issue 16).
 */
async function readFloor(landing: string): Promise<{ seconds: number; rows: number }> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const conn = await instance.connect();
  let rows = 0;
  const started = performance.now();
  try {
    for (const batch of (await readdir(landing)).sort())
      for (const name of (await readdir(join(landing, batch))).sort()) {
        const file = join(landing, batch, name).replaceAll("'", "''");
        const relation = name.endsWith(".parquet")
          ? `read_parquet('${file}')`
          : `read_csv('${file}', all_varchar = true)`;
        const columns = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`))
          .getRowObjectsJS()
          .map((r) => `"${String(r.column_name)}"`);
        const reader = await conn.runAndReadAll(
          `SELECT count(*) AS n, ${columns.map((c, i) => `min(${c}) AS a${i}, max(${c}) AS b${i}`).join(", ")} FROM ${relation}`,
        );
        rows += Number(reader.getRowObjectsJS()[0]?.n ?? 0);
      }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return { seconds: (performance.now() - started) / 1000, rows };
}

/** Full load of scale 1 (Parquet landing) into a published snapshot, then one daily batch on top. */
async function etlOnce(work: string, ids: "text" | "numeric") {
  const generated = join(work, `generated-${ids}`);
  const complete = join(work, `generated-${ids}.complete`);
  if (!(await stat(complete).catch(() => null))) {
    await rm(generated, { recursive: true, force: true });
    console.log(
      `bench etl: generating scale 1 with ${ids} ids (history to 2024-12-30, one daily batch 2024-12-31)`,
    );
    await runNode([
      "pipelines/generate/cli.ts",
      "--scale",
      "1",
      "--format",
      "parquet",
      "--daily",
      "1",
      "--ids",
      ids,
      "--out",
      generated,
    ]);
    await writeFile(complete, "");
  }
  const landing = join(work, `landing-${ids}`);
  const dataDir = join(work, `data-${ids}`);
  await rm(landing, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
  const [history, daily] = (await readdir(generated)).sort();
  await cp(join(generated, history as string), join(landing, history as string), { recursive: true });
  console.log(`bench etl (${ids} ids): the floor, DuckDB reading every landing file once`);
  const floor = await readFloor(landing);
  console.log(`bench etl (${ids} ids): floor ${floor.seconds.toFixed(1)} s for ${floor.rows} rows`);
  console.log(`bench etl (${ids} ids): full load`);
  const full = await etlRun(landing, dataDir, join(work, `full-${ids}.json`));
  const snapshotBytes = (await stat(join(dataDir, "snapshots", `${full.stats.snapshotId}.duckdb`))).size;
  await cp(join(generated, daily as string), join(landing, daily as string), { recursive: true });
  console.log(`bench etl (${ids} ids): one daily batch on top`);
  const incremental = await etlRun(landing, dataDir, join(work, `daily-${ids}.json`));
  const rows = (s: EtlStats) => s.stats.reduce((t, x) => t + x.rows_read, 0);
  const dailyItems = incremental.stats.stats.find((s) => s.entity === "order_items")?.rows_read ?? 0;
  const describe = (run: { wallSeconds: number; publishedSeconds: number; stats: EtlStats }) => ({
    publishedAfterSeconds: Number(run.publishedSeconds.toFixed(1)),
    wallSeconds: Number(run.wallSeconds.toFixed(1)),
    startedFrom: run.stats.startedFrom,
    peakRssGiB: Number((run.stats.maxRssBytes / 2 ** 30).toFixed(2)),
    fullRebuild: run.stats.fullRebuild,
    secondsPerStage: run.stats.seconds,
    rowsRead: rows(run.stats),
    rowsPerSecondLoad: Math.round(rows(run.stats) / Math.max(run.stats.seconds.load ?? 1, 0.001)),
  });
  const result = {
    full,
    incremental,
    dailyItems,
    floor,
    figures: {
      floor: { seconds: Number(floor.seconds.toFixed(1)), rowsRead: floor.rows },
      ratioEtlToFloor: Number((full.publishedSeconds / floor.seconds).toFixed(2)),
      fullLoad: { ...describe(full), snapshotMiB: Number((snapshotBytes / 2 ** 20).toFixed(1)) },
      dailyBatch: describe(incremental),
    },
  };
  // Each style's figures as soon as they are known (a long run can be cut short without losing them).
  console.log(`bench etl (${ids} ids): ${JSON.stringify(result.figures)}`);
  await writeFile(join(work, `figures-${ids}.json`), `${JSON.stringify(result.figures, null, 2)}\n`);
  return result;
}

/** The ETL with text ids (the generator's default, what real extracts carry), then with --ids numeric. */
async function benchEtl(work: string): Promise<Record<string, unknown>> {
  const text = await etlOnce(work, "text");
  if (!ETL_IDS.includes("numeric")) {
    return {
      bars: etlBars(text),
      textIds: text.figures,
      numericIds: "not run in this bench (--ids text)",
    };
  }
  const numeric = await etlOnce(work, "numeric");
  const bars = etlBars(text);
  console.log(
    `  ratio ETL / floor: text ids ${text.figures.ratioEtlToFloor} (floor ${text.figures.floor.seconds} s), numeric ids ${numeric.figures.ratioEtlToFloor} (floor ${numeric.figures.floor.seconds} s)`,
  );
  return { bars, textIds: text.figures, numericIds: numeric.figures };
}

function etlBars(text: Awaited<ReturnType<typeof etlOnce>>): Bar[] {
  return [
    bar(
      "etl full load at scale 1 (Parquet, text ids) → published snapshot, seconds until current",
      text.full.publishedSeconds,
      300,
      "s",
    ),
    bar("etl full load at scale 1 (text ids), peak RSS", text.full.stats.maxRssBytes / 2 ** 30, 12, "GiB"),
    bar(
      `etl one daily batch (${text.dailyItems} order items, text ids) on top of scale 1 → published snapshot, seconds until current`,
      text.incremental.publishedSeconds,
      30,
      "s",
    ),
  ];
}

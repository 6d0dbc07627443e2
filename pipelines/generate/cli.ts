// npm run generate -- --scale <f> --out <dir> [--format parquet|csv] [--seed <n>] [--until <date>] [--daily <n>] [--defects <rate>] [--ids text|numeric]

import { writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatBytes, formatCount, runCli, UsageError } from "../../core/cli.ts";
import { parseIsoDate } from "./calendar.ts";
import { ID_STYLES, type IdStyle } from "./entities.ts";
import { type GenerateOptions, generate } from "./generate.ts";

const USAGE =
  "usage: npm run generate -- --scale <f> --out <dir> [--format parquet|csv] [--seed <n>] [--until YYYY-MM-DD] [--daily <n>] [--defects <rate>] [--defects-key <file>] [--ids text|numeric] [--threads <n>]";

export function parseGenerateArgs(argv: string[]): GenerateOptions & { statsJson?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: "string", default: "0.01" },
      out: { type: "string" },
      format: { type: "string", default: "parquet" },
      seed: { type: "string", default: "42" },
      until: { type: "string", default: "2024-12-31" },
      daily: { type: "string", default: "7" },
      defects: { type: "string", default: "0" },
      "defects-key": { type: "string" },
      threads: { type: "string" },
      ids: { type: "string", default: "text" },
      "stats-json": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const scale = Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 2)
    throw new UsageError(`--scale must be a number in (0, 2], got "${values.scale}"`);
  if (!values.out) throw new UsageError("--out <dir> is required");
  if (values.format !== "parquet" && values.format !== "csv")
    throw new UsageError(`--format must be parquet or csv, got "${values.format}"`);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  let untilDay: number;
  try {
    untilDay = parseIsoDate(values.until);
  } catch {
    throw new UsageError(`--until must be a date YYYY-MM-DD, got "${values.until}"`);
  }
  if (untilDay < parseIsoDate("2015-01-31") || untilDay > parseIsoDate("2030-12-31")) {
    throw new UsageError(`--until must be between 2015-01-31 and 2030-12-31, got ${values.until}`);
  }
  const daily = Number(values.daily);
  if (!Number.isInteger(daily) || daily < 0 || daily > 60)
    throw new UsageError(`--daily must be an integer from 0 to 60, got "${values.daily}"`);
  const defects = Number(values.defects);
  if (!Number.isFinite(defects) || defects < 0 || defects > 0.1)
    throw new UsageError(`--defects must be a rate from 0 to 0.1, got "${values.defects}"`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64))
    throw new UsageError(`--threads must be an integer from 1 to 64, got "${values.threads}"`);
  if (!(ID_STYLES as readonly string[]).includes(values.ids))
    throw new UsageError(`--ids must be text or numeric, got "${values.ids}"`);
  const out = resolve(values.out);
  return {
    scale,
    out,
    format: values.format,
    seed,
    until: values.until,
    daily,
    defects,
    defectsKey: values["defects-key"]
      ? resolve(values["defects-key"])
      : join(dirname(out), `${basename(out)}.defects.json`),
    threads,
    ids: values.ids as IdStyle,
    statsJson: values["stats-json"] ? resolve(values["stats-json"]) : undefined,
  };
}

/** Seconds each step took at scale 1 on a 2-core machine (bench/results/generate.json): the ETA's basis. */
const STEP_SECONDS_AT_SCALE_1: Record<string, number> = {
  plan: 1,
  orders: 14,
  customers: 3,
  "order items": 80,
  returns: 3,
  monthly: 7,
  write: 33,
};

/** A rough time left, from the step reached and the scale (small scales are dominated by fixed costs). */
function eta(step: string, scale: number, started: number): string {
  const steps = Object.keys(STEP_SECONDS_AT_SCALE_1);
  const total = steps.reduce((t, s) => t + (STEP_SECONDS_AT_SCALE_1[s] as number), 0) * scale + 2;
  const elapsed = (performance.now() - started) / 1000;
  const left = Math.max(0, total - elapsed);
  return step === steps.at(-1) && left === 0 ? "" : `, about ${Math.ceil(left)} s left`;
}

runCli(import.meta.url, USAGE, async (argv, progress) => {
  const options = parseGenerateArgs(argv);
  const started = performance.now();
  const summary = await generate({
    ...options,
    onStep: (step, done, total) =>
      progress(`generate: ${step} (${done + 1}/${total})${eta(step, options.scale, started)}`),
    onEntity: (e) =>
      progress(
        `generate: wrote ${e.entity} ${formatCount(e.rows)} rows (${formatCount(Math.round(e.rows / Math.max(e.seconds, 0.001)))} rows/s)${eta("write", options.scale, started)}`,
      ),
  });
  progress(null);
  for (const e of summary.entities) {
    console.log(
      `${e.entity.padEnd(16)} ${formatCount(e.rows).padStart(12)} rows  ${formatCount(Math.round(e.rows / Math.max(e.seconds, 0.001))).padStart(11)} rows/s written  ${formatBytes(e.bytes).padStart(9)}`,
    );
  }
  if (summary.defects.length > 0 && options.defectsKey) {
    await writeFile(options.defectsKey, `${JSON.stringify(summary.defects, null, 2)}\n`);
    console.log(
      `defects          ${formatCount(summary.defects.length).padStart(12)} rows  answer key: ${options.defectsKey}`,
    );
  }
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  if (options.statsJson) {
    const { onStep: _, ...args } = options;
    await writeFile(
      options.statsJson,
      `${JSON.stringify({ args, ...summary, defects: summary.defects.length, maxRssBytes }, null, 2)}\n`,
    );
  }
  console.log(
    `${summary.batches.length} batches (${summary.batches[0]} … ${summary.batches.at(-1)}) in ${options.out}, ${summary.seconds.toFixed(1)} s, peak RSS ${formatBytes(maxRssBytes)}`,
  );
});

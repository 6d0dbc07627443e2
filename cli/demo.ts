// npm run demo: generate the sample landing data, run the ETL pipeline into a snapshot, serve the dashboard.
//   --data-only           stop after publishing the snapshot (used by tests)
//   --scale <f>           generator scale (default 0.01: 150k customers, 300k devices)
//   --data-dir <dir>      where snapshots are published (default data/)

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../core/cli.ts";
import { SERVER_NODE_OPTIONS, serverThreadpool } from "../core/server-process.ts";
import { discoverBatches } from "../pipelines/etl/batches.ts";
import { NumericIdWarehouse, runEtl } from "../pipelines/etl/run.ts";
import { BatchRefused } from "../pipelines/etl/validate.ts";
import { generate } from "../pipelines/generate/generate.ts";
import { prepareDemoAccounts } from "./demo-accounts.ts";

const USAGE = "usage: npm run demo -- [--scale <f>] [--data-dir <dir>] [--data-only] [--port <n>]";

runCli(import.meta.url, USAGE, async (argv, progress) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: "string", default: "0.01" },
      "data-dir": { type: "string", default: "data" },
      "data-only": { type: "boolean", default: false },
      port: { type: "string", default: process.env.PORT ?? "3000" },
    },
    strict: true,
  });
  const scale = Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 2)
    throw new UsageError(`--scale must be a number in (0, 2], got "${values.scale}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`--port must be a TCP port, got "${values.port}"`);
  const dataDir = resolve(values["data-dir"]);
  const landing = join(dataDir, "landing", "demo");

  // The demo always starts from fresh landing data; earlier snapshots stay until replaced.
  await rm(landing, { recursive: true, force: true });
  const summary = await generate({
    scale,
    out: landing,
    format: "parquet",
    seed: 42,
    until: "2024-12-31",
    daily: 7,
    defects: 0,
    onStep: (step, done, total) => progress(`demo: generating sample data, ${step} (${done + 1}/${total})`),
  });
  const etl = (reapply: string[]) =>
    runEtl({ landing, dataDir, synthetic: true, reapply, onProgress: (line) => progress(`demo: ${line}`) });
  // A first demo publishes twice, the last day's batch on its own as a daily run would, so that "What
  // changed" (/changes) has an earlier snapshot to compare with: that day's late returns restate earlier
  // months. The batch is hidden from the first run by a leading dot (the pipeline skips such folders).
  const lastBatch = summary.batches.at(-1);
  if (!existsSync(join(dataDir, "current.json")) && lastBatch && summary.batches.length > 1) {
    const held = join(landing, `.${lastBatch}`);
    await rename(join(landing, lastBatch), held);
    try {
      await etl([]);
    } finally {
      await rename(held, join(landing, lastBatch));
    }
  }
  let etlRun: Awaited<ReturnType<typeof runEtl>>;
  try {
    etlRun = await etl([]);
  } catch (error) {
    if (error instanceof NumericIdWarehouse) {
      // A demo warehouse from before text ids: the demo's data is synthetic, build it again from scratch.
      console.log("demo: the current warehouse was built before text ids (issue 16); building a new one");
      await rm(join(dataDir, "current.json"), { force: true });
      etlRun = await etl([]);
    } else {
      // Sample data made with other options than the warehouse holds: apply this sample again, in full.
      if (!(error instanceof BatchRefused) || !error.message.includes("has changed")) throw error;
      etlRun = await etl((await discoverBatches(landing)).map((b) => b.batchId));
    }
  }
  progress(null);
  const items = summary.entities.find((e) => e.entity === "order_items")?.rows ?? 0;
  console.log(
    `demo: ${summary.batches.length} landing batches (${items.toLocaleString("en-GB")} order item rows) → snapshot ${etlRun.snapshotId} (${etlRun.status === "published" ? "published" : "already current"})`,
  );
  if (values["data-only"]) return;

  // Always rebuild: serving a stale build would show yesterday's code over today's data.
  console.log("demo: building the dashboard");
  await run("npx", ["remix", "vite:build"]);
  const { accounts, secret } = await prepareDemoAccounts(dataDir);
  console.log("demo: sign in with one of these accounts (new passwords at every start):");
  for (const a of accounts) console.log(`  ${a.role.padEnd(9)}  ${a.email.padEnd(26)}  ${a.password}`);
  console.log(`demo: serving the dashboard on http://localhost:${port}  (Ctrl-C to stop)`);
  await run(process.execPath, [...SERVER_NODE_OPTIONS, "server.js"], {
    UV_THREADPOOL_SIZE: serverThreadpool(),
    PORT: String(port),
    BACKLIGHT_DATA_DIR: dataDir,
    BACKLIGHT_SESSION_SECRET: process.env.BACKLIGHT_SESSION_SECRET || secret,
  });
});

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0 || signal === "SIGINT" || signal === "SIGTERM") resolvePromise();
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}`));
    });
  });
}

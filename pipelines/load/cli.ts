// npm run load -- --landing <dir> [--data-dir <dir>]

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../lib/cli.ts";
import { loadLanding } from "./load.ts";

const USAGE = "usage: npm run load -- --landing <dir> [--data-dir <dir>]";

runCli(import.meta.url, USAGE, async (argv, progress) => {
  const { values } = parseArgs({
    args: argv,
    options: { landing: { type: "string" }, "data-dir": { type: "string", default: "data" } },
    strict: true,
  });
  if (!values.landing) throw new UsageError("--landing <dir> is required");
  progress("load: reading landing batches");
  const pointer = await loadLanding({
    landing: resolve(values.landing),
    dataDir: resolve(values["data-dir"]),
  });
  progress(null);
  console.log(`published snapshot ${pointer.id} (${pointer.path})`);
});

// npm run export -- kpis --from <date> --to <date> --grain day|week|month|quarter|year --by none|country|region
//                        [--format csv] [--data-dir <dir>]
// Writes CSV to stdout: raw numbers, "." decimal point, no thousands separator, dates YYYY-MM-DD.

import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { readPointer } from "../etl/snapshots.ts";
import { parseIsoDate } from "../generate/calendar.ts";
import { CliError, runCli, UsageError } from "../lib/cli.ts";
import { openSnapshotReadOnly, queryRows, sqlString } from "../lib/duckdb.ts";
import { BREAKDOWNS, type Breakdown, GRAINS, type Grain, kpisSql } from "./kpis.ts";

const USAGE =
  "usage: npm run export -- kpis --from YYYY-MM-DD --to YYYY-MM-DD --grain day|week|month|quarter|year --by none|country|region [--format csv] [--data-dir <dir>]";

function date(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`--${name} YYYY-MM-DD is required`);
  try {
    parseIsoDate(value);
  } catch {
    throw new UsageError(`--${name} must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

runCli(import.meta.url, USAGE, async (argv) => {
  const [view, ...rest] = argv;
  if (view !== "kpis")
    throw new UsageError(
      view ? `unknown export "${view}" (available: kpis)` : "which export? (available: kpis)",
    );
  const { values } = parseArgs({
    args: rest,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      grain: { type: "string", default: "month" },
      by: { type: "string", default: "none" },
      format: { type: "string", default: "csv" },
      "data-dir": { type: "string", default: "data" },
    },
    strict: true,
  });
  const from = date("from", values.from);
  const to = date("to", values.to);
  if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  if (!GRAINS.includes(values.grain as Grain))
    throw new UsageError(`--grain must be one of ${GRAINS.join(", ")}, got "${values.grain}"`);
  if (!BREAKDOWNS.includes(values.by as Breakdown))
    throw new UsageError(`--by must be one of ${BREAKDOWNS.join(", ")}, got "${values.by}"`);
  if (values.format !== "csv") throw new UsageError(`--format must be csv, got "${values.format}"`);
  const dataDir = resolve(values["data-dir"]);
  const pointer = await readPointer(dataDir);
  if (!pointer)
    throw new CliError(`no warehouse published in ${dataDir} yet: run npm run etl (or npm run demo) first`);
  const work = await mkdtemp(join(tmpdir(), "backlight-export-"));
  try {
    // DuckDB formats the CSV (RFC 4180, plain numbers); the bytes are streamed from a temporary file.
    const file = join(work, "kpis.csv");
    const { instance, conn } = await openSnapshotReadOnly(join(dataDir, pointer.path));
    try {
      const countries = await queryRows<{ country_code: string; region: string }>(
        conn,
        "SELECT country_code, region FROM staging.stg_countries",
      );
      const regions = Object.fromEntries(countries.map((r) => [r.country_code, r.region]));
      const sql = kpisSql({ from, to, grain: values.grain as Grain, by: values.by as Breakdown, regions });
      await conn.run(`COPY (${sql}) TO ${sqlString(file)} (FORMAT csv, HEADER true, DELIMITER ',')`);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
    await pipeline(createReadStream(file), process.stdout, { end: false });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

// npm run bench -- --only export : the order-item ledger of a scale-1 snapshot (every line, ~30M rows)
// downloaded from the BUILT server as CSV, then as Parquet and Arrow. Measures rows/s, time to first
// byte, size, and the server's RSS growth while it streams (sampled from /proc); during the CSV download
// 10 clients use the overview (cached, as users see it; 20 requests/s between them) and its p95 is
// reported. Then the last whole month's lines (~1M at scale 1, under Excel's 1,048,575 rows) as an
// Excel workbook: time and the server's RSS growth (issue 21: memory flat).
// Data: as for the overview bench (the etl bench's warehouse, linked, never modified).

import { readFile } from "node:fs/promises";
import { get } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { atLeast, type Bar } from "./bars.ts";
import { run } from "./commands.ts";
import { checkMix, load, OVERVIEW, prepareData, session, withServer } from "./overview.ts";

const LEDGER = "/export/order-items?range=all_time";
/** December 2024 of the scale-1 warehouse: 1,020,784 lines, the most a sheet of the generated data holds. */
const XLSX_LEDGER = "/export/order-items?from=2024-12-01&to=2024-12-31";

/** A bar that must be reached (≥), unlike run.ts's bar (<). */
function below(figure: string, value: number, limit: number, unit: string): Bar {
  const result = { figure, limit, unit, value: Number(value.toFixed(2)), pass: value < limit };
  console.log(
    `  ${result.pass ? "PASS" : "FAIL"} ${figure}: ${result.value} ${unit} (bar: < ${limit} ${unit})`,
  );
  return result;
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

interface Download {
  format: string;
  status: number;
  bytes: number;
  /** Records (lines minus the header) for CSV. */
  rows: number | null;
  seconds: number;
  firstByteSeconds: number;
  rssBeforeBytes: number;
  rssMaxBytes: number;
}

/** Downloads `path`, counting bytes (and lines for CSV), sampling the server's RSS every 200 ms. */
async function download(base: string, pid: number, path: string, format: string): Promise<Download> {
  const rssBeforeBytes = await rssBytes(pid);
  let rssMaxBytes = rssBeforeBytes;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      rssMaxBytes = Math.max(rssMaxBytes, await rssBytes(pid));
      await sleep(200);
    }
  })();
  const started = performance.now();
  let firstByteSeconds = 0;
  let bytes = 0;
  let lines = 0;
  const csv = format.startsWith("csv");
  // node:http, not fetch: the client shares the server's 2 cores, and web streams would cost it more.
  const status = await new Promise<number>((resolvePromise, reject) => {
    get(`${base}${path}&format=${format}`, { headers: { Cookie: session.cookie } }, (response) => {
      response.on("data", (chunk: Buffer) => {
        if (bytes === 0) firstByteSeconds = (performance.now() - started) / 1000;
        bytes += chunk.length;
        if (csv) for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
      });
      response.on("end", () => resolvePromise(response.statusCode ?? 0));
      response.on("error", reject);
    }).on("error", reject);
  });
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  return {
    format,
    status,
    bytes,
    rows: csv ? lines - 1 : null,
    seconds: Number(seconds.toFixed(2)),
    firstByteSeconds: Number(firstByteSeconds.toFixed(3)),
    rssBeforeBytes,
    rssMaxBytes,
  };
}

export async function benchExport(work: string): Promise<Record<string, unknown>> {
  const dataDir = join(work, "data");
  const source = await prepareData(work, dataDir);
  console.log(`bench export: warehouse from ${source}; npx remix vite:build`);
  await run("npx", ["remix", "vite:build"]);
  return withServer(work, dataDir, "export", {}, async (base, pid) => {
    await checkMix(base, OVERVIEW, OVERVIEW.mix); // the overview as users find it: cached
    console.log("bench export: CSV of every order line, with 10 clients on the overview meanwhile");
    const [csv, overview] = await Promise.all([
      download(base, pid, LEDGER, "csv"),
      (async () => {
        await sleep(2000); // the export is streaming by then
        // Ten people at their dashboards: 10 clients, 20 requests a second between them (a page or its
        // data route every half second each), not a flood that would itself eat a core.
        return load(base, OVERVIEW, OVERVIEW.mix, "overview during the CSV export", 20);
      })(),
    ]);
    const rows = csv.rows ?? 0;
    console.log(`bench export: CSV ${rows} rows, ${(csv.bytes / 1e9).toFixed(2)} GB in ${csv.seconds} s`);
    console.log("bench export: Parquet, then Arrow, of the same lines");
    const parquet = await download(base, pid, LEDGER, "parquet");
    const arrow = await download(base, pid, LEDGER, "arrow");
    console.log("bench export: XLSX of a month's lines");
    const xlsx = await download(base, pid, XLSX_LEDGER, "xlsx");
    if (xlsx.status !== 200) console.log(`bench export: the XLSX download answered ${xlsx.status}`);
    const overviewP95 = (overview.overall as { p95: number }).p95;
    const bars = [
      atLeast("order-item CSV export, rows per second", rows / csv.seconds, 1_000_000, "rows/s"),
      below(
        "server RSS growth during the CSV export",
        (csv.rssMaxBytes - csv.rssBeforeBytes) / 2 ** 20,
        500,
        "MiB",
      ),
      below("overview p95 during the CSV export (10 clients, cached)", overviewP95, 250, "ms"),
      below("CSV export, time to first byte", csv.firstByteSeconds, 2, "s"),
      below(
        "server RSS growth during the month's XLSX export",
        (xlsx.rssMaxBytes - xlsx.rssBeforeBytes) / 2 ** 20,
        500,
        "MiB",
      ),
    ];
    const report = (d: Download) => ({
      ...d,
      rowsPerSecond: Math.round(rows / d.seconds),
      megabytes: Number((d.bytes / 1e6).toFixed(1)),
      rssGrowthMiB: Number(((d.rssMaxBytes - d.rssBeforeBytes) / 2 ** 20).toFixed(1)),
    });
    console.log(
      `bench export: Parquet ${(parquet.bytes / 1e6).toFixed(0)} MB in ${parquet.seconds} s (${Math.round(rows / parquet.seconds)} rows/s); Arrow ${(arrow.bytes / 1e6).toFixed(0)} MB in ${arrow.seconds} s (${Math.round(rows / arrow.seconds)} rows/s)`,
    );
    console.log(
      `bench export: XLSX ${XLSX_LEDGER}: ${(xlsx.bytes / 1e6).toFixed(0)} MB in ${xlsx.seconds} s, RSS +${((xlsx.rssMaxBytes - xlsx.rssBeforeBytes) / 2 ** 20).toFixed(0)} MiB`,
    );
    return {
      source,
      bars,
      csv: report(csv),
      parquet: report(parquet),
      arrow: report(arrow),
      xlsx: {
        ...xlsx,
        path: XLSX_LEDGER,
        megabytes: Number((xlsx.bytes / 1e6).toFixed(1)),
        rssGrowthMiB: Number(((xlsx.rssMaxBytes - xlsx.rssBeforeBytes) / 2 ** 20).toFixed(1)),
      },
      overview,
    };
  });
}

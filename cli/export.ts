// npm run export -- <view> [--filter "<query string or URL copied from the dashboard>"]
//                          [--format csv|csv-excel-fr|csv-excel-en|parquet|arrow] [--labels] [--lang en|fr]
//                          [--out <file>] [--data-dir <dir>]
// The same downloads as the dashboard's export buttons, through the same code (app/.server/export):
// a view of the dashboard with the filters of its URL, or the order-item ledger. Writes to --out, or
// to stdout; a live row count on a terminal.

import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { NotFound, parseExportRequest, prepareDownload } from "~/.server/export/stream.server";
import { EXPORT_VIEWS } from "~/.server/export/views.server";
import { BadRequest } from "~/.server/overview.server";
import { Warehouse } from "~/.server/warehouse.server";
import { EXPORT_FORMATS } from "~/export/columns";
import { LANG_PARAMS } from "~/i18n/locales";
import { CliError, runCli, UsageError } from "../core/cli.ts";

const USAGE = `usage: npm run export -- <${EXPORT_VIEWS.join("|")}> [--filter "<query string or dashboard URL>"] [--format ${EXPORT_FORMATS.join("|")}] [--labels] [--lang en|fr] [--out <file>] [--data-dir <dir>]`;

/** The query string of --filter: as copied from the address bar (a whole URL) or just its query. */
export function filterQuery(filter: string): string {
  const text = filter.trim();
  if (/^https?:\/\//.test(text)) {
    try {
      return new URL(text).search;
    } catch {
      throw new UsageError(`--filter: "${text.slice(0, 60)}" is not a URL`);
    }
  }
  return text.startsWith("?") ? text : `?${text}`;
}

runCli(import.meta.url, USAGE, async (argv, progress) => {
  const [view, ...rest] = argv;
  if (!view || view.startsWith("-")) throw new UsageError(`which view? (one of: ${EXPORT_VIEWS.join(", ")})`);
  const { values } = parseArgs({
    args: rest,
    options: {
      filter: { type: "string", default: "" },
      format: { type: "string", default: "csv" },
      labels: { type: "boolean", default: false },
      lang: { type: "string", default: "en" },
      out: { type: "string" },
      "data-dir": { type: "string", default: "data" },
    },
    strict: true,
  });
  if (!(values.lang in LANG_PARAMS)) throw new UsageError(`--lang must be en or fr, got "${values.lang}"`);
  const locale = LANG_PARAMS[values.lang as keyof typeof LANG_PARAMS];
  const url = new URL(`http://cli.backlight${filterQuery(values.filter)}`);
  // --format and --labels win over the same parameters in a copied download URL.
  url.searchParams.set("format", values.format);
  url.searchParams.delete("lang");
  if (values.labels) url.searchParams.set("labels", "1");

  const warehouse = new Warehouse({ dataDir: resolve(values["data-dir"]), cacheEntries: 0 });
  try {
    let download: Awaited<ReturnType<typeof prepareDownload>>;
    try {
      download = await prepareDownload(warehouse, parseExportRequest(view, url, locale));
    } catch (error) {
      if (error instanceof NotFound || error instanceof BadRequest) throw new UsageError(error.message);
      throw error;
    }
    if (!download)
      throw new CliError(
        `no warehouse published in ${warehouse.dataDir} yet: run npm run etl (or npm run demo) first`,
      );
    let bytes = 0;
    let lines = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (values.format.startsWith("csv")) for (const b of chunk) if (b === 10) lines += 1;
        progress(
          `export ${view}: ${values.format.startsWith("csv") ? `${lines.toLocaleString("en-GB")} lines, ` : ""}${(bytes / 1e6).toFixed(1)} MB`,
        );
        done(null, chunk);
      },
    });
    const source = Readable.from(download.body, { objectMode: false });
    if (values.out) {
      // Written next to the target and renamed at the end: a failed export leaves no half file.
      const target = resolve(values.out);
      const partial = `${target}.partial`;
      try {
        await pipeline(source, counter, createWriteStream(partial));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      progress(null);
      console.error(
        `export ${view}: ${download.filename} → ${target} (${(bytes / 1e6).toFixed(1)} MB, snapshot ${download.snapshot.id})`,
      );
    } else await pipeline(source, counter, process.stdout, { end: false });
  } finally {
    warehouse.close();
  }
});

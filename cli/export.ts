// npm run export -- <view> [--filter "<query string or URL copied from the dashboard>"]
//                          [--from <date> --to <date>] [--grain day|week|month|quarter|year]
//                          [--by none|country|region]
//                          [--format csv|csv-excel-fr|csv-excel-en|xlsx|parquet|arrow] [--labels] [--lang en|fr]
//                          [--out <file>] [--data-dir <dir>]
// The same downloads as the dashboard's export buttons, through the same code (app/.server/export):
// a view of the dashboard with the filters of its URL, or the order-item ledger. --from, --to and
// --grain set those filters (and win over the same ones in --filter). `kpis` with any of --from, --to,
// --grain or --by is the pipeline's documented form: one row per period × group, header
// `period,<country_code|region>,<every glossary metric>` (period = its first day). Writes to --out, or
// to stdout; a live row count on a terminal.

import { createWriteStream, existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { AppState, stateDirectory, stateLocation } from "~/.server/auth/state.server";
import { eventsFrom } from "~/.server/events.server";
import { NotFound, parseExportRequest, prepareDownload } from "~/.server/export/stream.server";
import { EXPORT_VIEWS, metricColumn } from "~/.server/export/views.server";
import { buckets, computeMetrics, type MetricRow } from "~/.server/metrics/query.server";
import { BadRequest, filtersFromUrl, metricQuery, readDimensions } from "~/.server/overview.server";
import type { Snapshot } from "~/.server/warehouse.server";
import { Warehouse } from "~/.server/warehouse.server";
import { encodeArrow } from "~/export/arrow";
import { type Cell, type CsvDialect, EXPORT_FORMATS, type ExportColumn } from "~/export/columns";
import { encodeCsv } from "~/export/csv";
import { filenameFor, filtersSummary } from "~/export/file-name";
import type { Locale } from "~/i18n/locales";
import { LANG_PARAMS } from "~/i18n/locales";
import { GRAINS, type Grain } from "~/lib/filters";
import { emptyMetricValue, METRIC_IDS, type MetricId } from "~/metrics/catalogue";
import { CliError, runCli, UsageError } from "../core/cli.ts";

const USAGE = `usage: npm run export -- <${EXPORT_VIEWS.join("|")}> [--filter "<query string or dashboard URL>"] [--from <YYYY-MM-DD> --to <YYYY-MM-DD>] [--grain ${GRAINS.join("|")}] [--by none|country|region] [--format ${EXPORT_FORMATS.join("|")}] [--labels] [--lang en|fr] [--out <file>] [--data-dir <dir>]`;

const BY = ["none", "country", "region"] as const;
type By = (typeof BY)[number];

/** What a period with no row shows: zero for sums and counts, nothing for ratios. */
function zeroValues(): Record<MetricId, number | null> {
  const out = {} as Record<MetricId, number | null>;
  for (const id of METRIC_IDS) out[id] = emptyMetricValue(id);
  return out;
}

interface ByTable {
  snapshot: Snapshot;
  range: { from: string; to: string };
  columns: ExportColumn[];
  rows: Cell[][];
}

/**
 * `kpis` by period (and country or region): every glossary metric for each period of the range at the
 * grain, one row per period × group. Each group is computed on its own (exact distinct customers
 * within the country or region), money in EUR.
 */
async function kpisBy(warehouse: Warehouse, url: URL, by: By, locale: Locale): Promise<ByTable | null> {
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return null;
  const filters = filtersFromUrl(url, dims.result);
  const base = { ...metricQuery(filters, dims.result), comparison: null, localCurrency: null };
  const selected = dims.result.countries.filter(
    (c) => !base.countries || base.countries.includes(c.country_code),
  );
  const groups: { key: string | null; countries: string[] | null }[] =
    by === "none"
      ? [{ key: null, countries: base.countries }]
      : by === "country"
        ? selected.map((c) => ({ key: c.country_code, countries: [c.country_code] }))
        : [...new Set(selected.map((c) => c.region))].sort().map((region) => ({
            key: region,
            countries: selected.filter((c) => c.region === region).map((c) => c.country_code),
          }));
  const computed = await warehouse.withDb(async (db, snapshot) => {
    const out: { key: string | null; rows: MetricRow[] }[] = [];
    for (const g of groups)
      out.push({
        key: g.key,
        rows: await computeMetrics(
          db,
          { ...base, countries: g.countries },
          { kind: "period", grain: filters.grain },
          METRIC_IDS,
        ),
      });
    return { snapshot, out };
  });
  if (computed.state === "empty") return null;
  const rows: Cell[][] = [];
  for (const b of buckets(filters.range, filters.grain))
    for (const g of computed.result.out) {
      const found = g.rows.find((r) => r.which === "current" && r.key === b.key)?.values;
      const values = found ?? zeroValues();
      rows.push([
        `${b.key}`,
        ...(g.key === null ? [] : [g.key]),
        ...METRIC_IDS.map((id) => values[id] ?? null),
      ]);
    }
  // Cumulative customers carry on through a period without any row.
  const cumulative = (by === "none" ? 1 : 2) + METRIC_IDS.indexOf("cumulative_customers");
  if (cumulative >= (by === "none" ? 1 : 2)) {
    const last = new Map<string, Cell>();
    for (const row of rows) {
      const group = by === "none" ? "" : String(row[1]);
      const periodHadRow = computed.result.out
        .find((g) => (g.key ?? "") === group)
        ?.rows.some((r) => r.which === "current" && r.key === row[0]);
      if (!periodHadRow && last.has(group)) row[cumulative] = last.get(group) ?? null;
      last.set(group, row[cumulative] ?? null);
    }
  }
  const label = (en: string, fr: string) => (locale === "fr-FR" ? fr : en);
  return {
    snapshot: computed.result.snapshot,
    range: filters.range,
    columns: [
      { id: "period", label: label("Period", "Période"), kind: "date" },
      ...(by === "none"
        ? []
        : [
            by === "country"
              ? ({ id: "country_code", label: label("Country", "Pays"), kind: "code" } as const)
              : ({ id: "region", label: label("Region", "Région"), kind: "code" } as const),
          ]),
      ...METRIC_IDS.map((id) => metricColumn(id, locale)),
    ],
    rows,
  };
}

async function* utf8(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield Buffer.from(chunk, "utf8");
}

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
  // stdout carries the file and nothing else: the server code this command shares may note what it
  // did (a mart held as a cube…) with console.info, and a CSV piped to a file must start with its header.
  console.log = console.error;
  console.info = console.error;
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
      from: { type: "string" },
      to: { type: "string" },
      grain: { type: "string" },
      by: { type: "string" },
    },
    strict: true,
  });
  if (values.grain !== undefined && !(GRAINS as readonly string[]).includes(values.grain))
    throw new UsageError(`--grain must be one of ${GRAINS.join(", ")}, got "${values.grain}"`);
  if (values.by !== undefined && !(BY as readonly string[]).includes(values.by))
    throw new UsageError(`--by must be none, country or region, got "${values.by}"`);
  if (values.by !== undefined && view !== "kpis")
    throw new UsageError(`--by applies to kpis only (${view} has its own rows)`);
  if ((values.from === undefined) !== (values.to === undefined))
    throw new UsageError("--from and --to go together");
  if (!(values.lang in LANG_PARAMS)) throw new UsageError(`--lang must be en or fr, got "${values.lang}"`);
  const locale = LANG_PARAMS[values.lang as keyof typeof LANG_PARAMS];
  const url = new URL(`http://cli.backlight${filterQuery(values.filter)}`);
  // --format and --labels win over the same parameters in a copied download URL.
  url.searchParams.set("format", values.format);
  url.searchParams.delete("lang");
  if (values.labels) url.searchParams.set("labels", "1");
  // --from, --to and --grain win over the same filters in --filter.
  if (values.from !== undefined && values.to !== undefined) {
    url.searchParams.delete("range");
    url.searchParams.set("from", values.from);
    url.searchParams.set("to", values.to);
  }
  if (values.grain !== undefined) url.searchParams.set("grain", values.grain as Grain);
  const byPeriod =
    view === "kpis" && (values.by !== undefined || values.grain !== undefined || values.from !== undefined);
  if (byPeriod && (values.format === "parquet" || values.format === "xlsx"))
    throw new UsageError("kpis by period is written as csv, csv-excel-fr, csv-excel-en or arrow");

  const warehouse = new Warehouse({ dataDir: resolve(values["data-dir"]), cacheEntries: 0 });
  // The business events (the events view, the workbook's second sheet) live in the app state beside the
  // warehouse, where the server and `npm run users` keep it; none when no server ever ran on it.
  const where = stateLocation(stateDirectory(values["data-dir"]));
  const state =
    "url" in where || existsSync(join(where.directory, "backlight.sqlite"))
      ? await AppState.open(where)
      : null;
  eventsFrom(state ? () => state.events() : null);
  try {
    let download: Awaited<ReturnType<typeof prepareDownload>>;
    try {
      const req = parseExportRequest(view, url, locale);
      if (byPeriod) {
        // The view's own parameters left aside: --by's table is computed here, from the same metric code.
        const table = await kpisBy(warehouse, req.url, (values.by ?? "none") as By, locale);
        download = table && {
          filename: filenameFor(
            "kpis",
            filtersSummary(req.url.searchParams),
            table.range.from,
            table.range.to,
            req.format,
          ),
          contentType: "",
          snapshot: table.snapshot,
          body:
            req.format === "arrow"
              ? encodeArrow(table.columns, [table.rows], { locale })
              : utf8(
                  encodeCsv(table.columns, table.rows, {
                    dialect: req.format as CsvDialect,
                    labels: req.labels,
                    locale,
                  }),
                ),
          rows: () => table.rows.length,
        };
      } else download = await prepareDownload(warehouse, req);
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
    eventsFrom(null);
    await state?.close();
  }
});

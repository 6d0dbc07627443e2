// The synthetic marketplace: builds every entity inside DuckDB, then writes landing batches
// (one bulk history batch, then one batch per day) exactly as landing-contract.md describes.

import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { openBatchDb, queryRows, sqlString } from "../../core/duckdb.ts";
import { createAndAppend } from "../lib/append.ts";
import { isoDate, monthEnd, parseIsoDate } from "./calendar.ts";
import { buildProducts, buildSellers, categoryLayout, PRICE_QUARTERS, poolOfCountry } from "./catalogue.ts";
import { type DefectOptions, type DefectRecord, injectDefects, locateDefectLines } from "./defects.ts";
import { csvExpression, ENTITIES, type EntitySpec, type IdStyle, parquetExpression } from "./entities.ts";
import {
  CONTRIBUTION_SQL,
  CUSTOMERS_SQL,
  ITEMS_SQL,
  macrosSql,
  ORDERS_SQL,
  RETURNS_SQL,
} from "./facts-sql.ts";
import {
  buildHeadcount,
  buildMarketContext,
  buildMarketing,
  closedMonths,
  type HeadcountRow,
} from "./monthly.ts";
import { buildDayPlan, buildFxRows, customersPerCountry, type FxRow } from "./plan.ts";
import { CATEGORIES, COUNTRIES, FX_SPECS } from "./reference.ts";

export interface GenerateOptions {
  scale: number;
  out: string;
  format: "parquet" | "csv";
  seed: number;
  until: string;
  /** Number of daily batches after the history batch. */
  daily: number;
  defects: number;
  defectsKey?: string;
  /** How ids are written (default text: UUIDs and prefixed codes, as source systems issue them). */
  ids?: IdStyle;
  threads?: number;
  memoryLimit?: string;
  onStep?: (step: string, done: number, total: number) => void;
  /** Called as each entity's files are written. */
  onEntity?: (summary: EntitySummary) => void;
}

export interface EntitySummary {
  entity: string;
  rows: number;
  bytes: number;
  seconds: number;
}

export interface GenerateSummary {
  batches: string[];
  entities: EntitySummary[];
  defects: DefectRecord[];
  opexScale: number;
  seconds: number;
}

const STEPS = ["plan", "orders", "customers", "order items", "returns", "monthly", "write"] as const;

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const untilDay = parseIsoDate(options.until);
  const historyEnd = untilDay - options.daily;
  const step = (name: (typeof STEPS)[number]) => options.onStep?.(name, STEPS.indexOf(name), STEPS.length);

  await mkdir(options.out, { recursive: true });
  const existing = await readdir(options.out);
  if (existing.length > 0) throw new Error(`output folder is not empty: ${options.out}`);
  const tempDirectory = join(options.out, "..", `.generate-tmp-${process.pid}`);
  // A file-backed work database: DuckDB compresses tables on disk but not in memory, and tens of
  // millions of wide rows would not fit the memory budget uncompressed.
  await mkdir(tempDirectory, { recursive: true });
  const { instance, conn } = await openBatchDb(join(tempDirectory, "work.duckdb"), {
    threads: options.threads,
    memoryLimit: options.memoryLimit ?? "5GB",
    tempDirectory,
  });
  try {
    step("plan");
    await conn.run("SET TimeZone = 'UTC'");
    await conn.run(macrosSql(options.seed));
    const fx = buildFxRows(options.seed, untilDay);
    const plan = buildDayPlan(options.seed, options.scale, untilDay, fx);
    await loadReferenceTables(conn, options, plan, fx);

    step("orders");
    await conn.run(ORDERS_SQL);
    step("customers");
    await conn.run(CUSTOMERS_SQL);
    step("order items");
    if (process.env.BACKLIGHT_PROFILE) {
      await conn.run(
        `PRAGMA enable_profiling = 'query_tree'; PRAGMA profiling_output = ${sqlString(process.env.BACKLIGHT_PROFILE)}`,
      );
    }
    await conn.run(ITEMS_SQL);
    if (process.env.BACKLIGHT_PROFILE) await conn.run("PRAGMA disable_profiling");
    await conn.run("DROP TABLE g_orders");
    step("returns");
    await conn.run(RETURNS_SQL);

    step("monthly");
    const opexScale = await loadMonthlyTables(conn, options, plan, fx, untilDay);

    step("write");
    const batches = batchIds(historyEnd, untilDay);
    await createEntityViews(conn, batches.length, historyEnd);
    const defects = options.defects > 0 ? await injectDefects(conn, defectOptions(options, batches)) : [];
    const entities = await writeBatches(conn, options, batches, defects.length > 0);
    if (defects.length > 0) await locateDefectLines(conn, options.out, options.format, defects, batches);
    return { batches, entities, defects, opexScale, seconds: (performance.now() - started) / 1000 };
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(tempDirectory, { recursive: true, force: true });
  }
}

function defectOptions(options: GenerateOptions, batches: string[]): DefectOptions {
  return {
    rate: options.defects,
    seed: options.seed,
    format: options.format,
    batches: batches.length,
    ids: options.ids ?? "text",
  };
}

export function batchIds(historyEnd: number, untilDay: number): string[] {
  const ids = [`${isoDate(historyEnd)}_history`];
  for (let day = historyEnd + 1; day <= untilDay; day++) ids.push(`${isoDate(day)}_daily`);
  return ids;
}

async function loadReferenceTables(
  conn: DuckDBConnection,
  options: GenerateOptions,
  plan: ReturnType<typeof buildDayPlan>,
  fx: FxRow[],
): Promise<void> {
  const { pools, sellers } = buildSellers(options.seed, options.scale);
  const perCountry = customersPerCountry(plan);
  let customerOffset = 0;
  const { default: countries } = await import("i18n-iso-countries");
  const { default: en } = await import("i18n-iso-countries/langs/en.json", { with: { type: "json" } });
  countries.registerLocale(en);
  await createAndAppend(
    conn,
    "g_country",
    [
      ["idx", "INTEGER"],
      ["code", "VARCHAR"],
      ["name", "VARCHAR"],
      ["region", "VARCHAR"],
      ["currency", "VARCHAR"],
      ["decimals", "INTEGER"],
      ["utc_offset", "INTEGER"],
      ["customer_offset", "BIGINT"],
      ["launched_day", "INTEGER"],
      ["app_day", "INTEGER"],
      ["pool_offset", "BIGINT"],
      ["pool_count", "BIGINT"],
      ["pool_start", "INTEGER"],
      ["pool_interval", "DOUBLE"],
    ],
    COUNTRIES.map((c, idx) => {
      const pool = poolOfCountry(pools, c.code);
      const row = [
        idx,
        c.code,
        countries.getName(c.code, "en") ?? c.code,
        c.region,
        c.currency,
        FX_SPECS[c.currency]?.decimals ?? 2,
        c.utcOffset,
        customerOffset,
        parseIsoDate(c.launchedOn),
        c.appLaunchedOn ? parseIsoDate(c.appLaunchedOn) : null,
        pool.offset,
        pool.count,
        pool.startDay,
        pool.intervalDays,
      ] as const;
      customerOffset += perCountry[idx] as number;
      return row;
    }),
  );
  const layout = categoryLayout();
  await createAndAppend(
    conn,
    "g_category",
    [
      ["idx", "INTEGER"],
      ["models", "BIGINT"],
      ["product_offset", "BIGINT"],
      ["interval_days", "DOUBLE"],
      ["start_day", "INTEGER"],
      ["window_models", "BIGINT"],
    ],
    layout.map((l) => [
      l.categoryIdx,
      l.models,
      l.productOffset,
      l.intervalDays,
      l.startDay,
      Math.ceil((4 * 365.25) / l.intervalDays),
    ]),
  );
  await createAndAppend(
    conn,
    "g_product",
    [
      ["product_id", "BIGINT"],
      ["category", "VARCHAR"],
      ["brand", "VARCHAR"],
      ["model", "VARCHAR"],
      ["release_day", "INTEGER"],
      ["launch_price", "DOUBLE"],
      ["has_battery", "BOOLEAN"],
      ["take_offset", "DOUBLE"],
      ["return_factor", "DOUBLE"],
    ],
    buildProducts(options.seed).map((p) => {
      const cat = CATEGORIES[p.categoryIdx] as (typeof CATEGORIES)[number];
      return [
        p.productId,
        cat.category,
        p.brand,
        p.model,
        p.releaseDay,
        p.launchPriceEur,
        cat.hasBattery,
        cat.takeOffset,
        cat.returnFactor,
      ];
    }),
  );
  await createAndAppend(
    conn,
    "g_seller",
    [
      ["seller_id", "BIGINT"],
      ["name", "VARCHAR"],
      ["country_code", "VARCHAR"],
      ["joined_day", "INTEGER"],
      ["shady", "BOOLEAN"],
    ],
    sellers.map((s) => [s.sellerId, s.name, s.countryCode, s.joinedDay, s.shady]),
  );
  await createAndAppend(
    conn,
    "g_plan",
    [
      ["country_idx", "INTEGER"],
      ["day", "INTEGER"],
      ["new_orders", "BIGINT"],
      ["repeat_orders", "BIGINT"],
      ["customer_base", "BIGINT"],
      ["abroad_idx", "INTEGER"],
      ["abroad_base", "BIGINT"],
      ["order_base", "BIGINT"],
      ["app_share", "DOUBLE"],
      ["partner", "VARCHAR"],
      ["partner_share", "DOUBLE"],
      ["premium", "BOOLEAN"],
      ["inflated_share", "DOUBLE"],
      ["take_rate", "DOUBLE"],
      ["eur_per_unit", "DOUBLE"],
    ],
    plan.map((r) => [
      r.countryIdx,
      r.day,
      r.newOrders,
      r.repeatOrders,
      r.customerBase,
      r.abroadIdx,
      r.abroadBase,
      r.orderBase,
      r.appShare,
      r.partner,
      r.partnerShare,
      r.premium,
      r.inflatedShare,
      r.takeRate,
      r.eurPerUnit,
    ]),
  );
  await createAndAppend(
    conn,
    "g_fx",
    [
      ["rate_day", "INTEGER"],
      ["currency", "VARCHAR"],
      ["eur_per_unit", "DOUBLE"],
    ],
    fx.map((r) => [r.rateDate, r.currency, r.eurPerUnit]),
  );
}

/** EUR value of one unit of `currency` on the last published rate on or before `day`. */
function rateOn(fx: readonly FxRow[], currency: string, day: number): number {
  if (currency === "EUR") return 1;
  let best: FxRow | undefined;
  for (const r of fx)
    if (r.currency === currency && r.rateDate <= day && (!best || r.rateDate > best.rateDate)) best = r;
  if (!best) throw new Error(`no ${currency} rate on or before ${isoDate(day)}`);
  return best.eurPerUnit;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Marketing, operating costs (calibrated so that Europe's monthly EBITDA turns positive during 2024)
 * and market context. Returns the operating-cost scale applied to headcount × cost per head.
 */
async function loadMonthlyTables(
  conn: DuckDBConnection,
  options: GenerateOptions,
  plan: ReturnType<typeof buildDayPlan>,
  fx: FxRow[],
  untilDay: number,
): Promise<number> {
  const months = closedMonths(untilDay);
  const currencyOf = new Map(COUNTRIES.map((c) => [c.code, c.currency]));
  const regionOf = new Map(COUNTRIES.map((c) => [c.code, c.region]));
  const marketing = buildMarketing(plan, months);
  const headcount = buildHeadcount(months);
  const opexScale = await calibrateOpex(conn, marketing, headcount, regionOf, options.scale);

  const monthRate = new Map<string, number>();
  const rate = (currency: string, month: string): number => {
    const key = `${currency}|${month}`;
    if (!monthRate.has(key)) monthRate.set(key, rateOn(fx, currency, monthEnd(month)));
    return monthRate.get(key) as number;
  };
  const local = (code: string, month: string, eur: number): [string, string] => {
    const currency = currencyOf.get(code) as string;
    const decimals = FX_SPECS[currency]?.decimals ?? 2;
    const amount = eur / rate(currency, month);
    return [currency, (decimals === 0 ? Math.round(amount) : round2(amount)).toFixed(2)];
  };
  await createAndAppend(
    conn,
    "g_marketing_raw",
    [
      ["month", "VARCHAR"],
      ["country_code", "VARCHAR"],
      ["channel", "VARCHAR"],
      ["currency", "VARCHAR"],
      ["amount", "VARCHAR"],
      ["month_end_day", "INTEGER"],
    ],
    marketing.map((m) => [
      m.month,
      m.countryCode,
      m.channel,
      ...local(m.countryCode, m.month, m.amountEur),
      monthEnd(m.month),
    ]),
  );
  await conn.run(
    "CREATE OR REPLACE TABLE g_marketing AS SELECT * REPLACE (amount::DECIMAL(18, 2) AS amount) FROM g_marketing_raw",
  );
  await createAndAppend(
    conn,
    "g_opex_raw",
    [
      ["month", "VARCHAR"],
      ["country_code", "VARCHAR"],
      ["cost_center", "VARCHAR"],
      ["headcount", "INTEGER"],
      ["currency", "VARCHAR"],
      ["amount", "VARCHAR"],
      ["month_end_day", "INTEGER"],
    ],
    headcount.map((h) => [
      h.month,
      h.countryCode,
      h.costCenter,
      h.headcount,
      ...local(h.countryCode, h.month, h.headcount * h.costPerHeadEur * options.scale * opexScale),
      monthEnd(h.month),
    ]),
  );
  await conn.run(
    "CREATE OR REPLACE TABLE g_opex AS SELECT * REPLACE (amount::DECIMAL(18, 2) AS amount) FROM g_opex_raw",
  );
  await createAndAppend(
    conn,
    "g_market",
    [
      ["month", "VARCHAR"],
      ["country_code", "VARCHAR"],
      ["category", "VARCHAR"],
      ["market_units", "BIGINT"],
      ["second_hand_units", "BIGINT"],
      ["month_end_day", "INTEGER"],
    ],
    buildMarketContext(options.seed, months).map((m) => [
      m.month,
      m.countryCode,
      m.category,
      m.marketUnits,
      m.secondHandUnits,
      monthEnd(m.month),
    ]),
  );
  return opexScale;
}

/**
 * One scalar on people costs, chosen so that every month of 2023 closes with a negative EBITDA in
 * Europe (by 3% of its opex) while the growth of 2024 carries it past break-even.
 */
async function calibrateOpex(
  conn: DuckDBConnection,
  marketing: ReturnType<typeof buildMarketing>,
  headcount: HeadcountRow[],
  regionOf: Map<string, string>,
  scale: number,
): Promise<number> {
  const contribution = new Map<string, number>();
  for (const r of await queryRows<{
    country_code: string;
    month: string;
    contribution_before_marketing_eur: string;
  }>(conn, CONTRIBUTION_SQL)) {
    if (regionOf.get(r.country_code) !== "europe") continue;
    contribution.set(r.month, (contribution.get(r.month) ?? 0) + Number(r.contribution_before_marketing_eur));
  }
  for (const m of marketing) {
    if (regionOf.get(m.countryCode) !== "europe") continue;
    contribution.set(m.month, (contribution.get(m.month) ?? 0) - m.amountEur);
  }
  const people = new Map<string, number>();
  for (const h of headcount) {
    if (regionOf.get(h.countryCode) !== "europe") continue;
    people.set(h.month, (people.get(h.month) ?? 0) + h.headcount * h.costPerHeadEur * scale);
  }
  let ratio = 0;
  for (const [month, cost] of people) {
    if (month.startsWith("2023") && cost > 0) ratio = Math.max(ratio, (contribution.get(month) ?? 0) / cost);
  }
  // A history that ends before 2023 has nothing to calibrate on: keep people costs as they are.
  const k = ratio > 0 ? Math.min(5, Math.max(0.2, ratio * 1.03)) : 1;
  return Number(k.toPrecision(6));
}

function expandBatchMacros(sql: string, historyEnd: number): string {
  const cut = `TIMESTAMPTZ '${isoDate(historyEnd + 1)} 00:00:00+00'`;
  return sql
    .replaceAll(
      /\$BATCH_TS\(([^()]*(?:\([^()]*\))?[^()]*)\)/g,
      (_, ts) =>
        `(CASE WHEN ${ts} < ${cut} THEN 0 ELSE 1 + floor((epoch(${ts}) - epoch(${cut})) / 86400)::INTEGER END)`,
    )
    .replaceAll(
      /\$BATCH_DAY\(([^()]*)\)/g,
      (_, day) => `(CASE WHEN ${day} <= ${historyEnd} THEN 0 ELSE ${day} - ${historyEnd} END)`,
    )
    .replaceAll("$PRICE_QUARTERS", String(PRICE_QUARTERS));
}

/** One view per entity: its typed columns and the batch that carries each row. */
async function createEntityViews(
  conn: DuckDBConnection,
  batchCount: number,
  historyEnd: number,
): Promise<void> {
  for (const spec of ENTITIES) {
    const columns = spec.columns.map((c) => c.name).join(", ");
    await conn.run(
      `CREATE OR REPLACE VIEW out_${spec.entity} AS SELECT ${columns}, batch_no FROM (${expandBatchMacros(spec.source, historyEnd)}) WHERE batch_no BETWEEN 0 AND ${batchCount - 1}`,
    );
  }
}

/** Writes each batch's files, entity by entity. */
async function writeBatches(
  conn: DuckDBConnection,
  options: GenerateOptions,
  batches: string[],
  withDefects: boolean,
): Promise<EntitySummary[]> {
  const summaries: EntitySummary[] = [];
  for (const batch of batches) await mkdir(join(options.out, batch), { recursive: true });
  for (const spec of ENTITIES) {
    const started = performance.now();
    const last = batches.length - 1;
    let rows = 0;
    let bytes = 0;
    for (let b = 0; b <= last; b++) {
      const file = join(options.out, batches[b] as string, `${spec.entity}.${options.format}`);
      const written = await writeEntityBatch(
        conn,
        spec,
        b,
        file,
        options.format,
        withDefects,
        options.ids ?? "text",
      );
      if (written > 0) {
        rows += written;
        bytes += (await stat(file)).size;
      }
    }
    const summary = { entity: spec.entity, rows, bytes, seconds: (performance.now() - started) / 1000 };
    summaries.push(summary);
    options.onEntity?.(summary);
  }
  return summaries;
}

async function writeEntityBatch(
  conn: DuckDBConnection,
  spec: EntitySpec,
  batchNo: number,
  file: string,
  format: "parquet" | "csv",
  withDefects: boolean,
  ids: IdStyle,
): Promise<number> {
  const project = spec.columns
    .map((c) => (format === "csv" ? csvExpression(c, ids) : parquetExpression(c, ids)))
    .join(", ");

  const defectsTable = `d_${spec.entity}_${format}`;
  const hasDefects =
    withDefects &&
    (await queryRows(conn, `SELECT 1 FROM duckdb_tables() WHERE table_name = ${sqlString(defectsTable)}`))
      .length > 0;
  // Rows are written in key order: the order of rows inside DuckDB's tables depends on thread
  // scheduling, and the files must be byte-identical for a seed whatever the thread count.
  const order = spec.key.join(", ");
  let relation: string;
  if (hasDefects) {
    // Defect rows are interleaved with the good ones at deterministic positions.
    const typed = `SELECT ${project}, 2 * row_number() OVER (ORDER BY ${order}) AS sort_key FROM out_${spec.entity} WHERE batch_no = ${batchNo}`;
    relation = `SELECT * EXCLUDE (sort_key) FROM (${typed} UNION ALL SELECT * EXCLUDE (batch_no, defect) FROM ${defectsTable} WHERE batch_no = ${batchNo}) ORDER BY sort_key, ${spec.columns[0]?.name}`;
  } else {
    // By the source columns (qualified): the projected text ids (UUIDs) would sort far slower than integers.
    const sourceOrder = spec.key.map((k) => `out_${spec.entity}.${k}`).join(", ");
    relation = `SELECT ${project} FROM out_${spec.entity} WHERE batch_no = ${batchNo} ORDER BY ${sourceOrder}`;
  }
  const count = (await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM (${relation})`))[0]?.n ?? 0;
  if (count === 0) return 0;
  const formatOptions =
    format === "csv" ? "FORMAT csv, HEADER true, DELIMITER ','" : "FORMAT parquet, COMPRESSION zstd";
  await conn.run(`COPY (${relation}) TO ${sqlString(file)} (${formatOptions})`);
  return count;
}

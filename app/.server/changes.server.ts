// What changed since the last publish (issue 21, item 4): the current snapshot beside the one it
// replaced. The new data range; every figure of a period the previous snapshot already covered that
// moved (metric × month × country, before → after), each with the batches that touched its month and
// country and what they did (late returns, cancellations, corrections, re-sent rows); and the
// quarantine's counts. Finance reconciles restatements with it.
//
// Both sides come from the metric layer: computeMetrics for each country by month, on the current
// snapshot and on the earlier one (opened read-only beside it), over the days the earlier one covered,
// so a figure here is the figure the pages showed then and show now. What a batch did is recorded by
// the pipeline as it loads (meta.batch_effects, pipelines/etl/effects.ts). Computed once per snapshot
// (a few seconds at full scale, in the background after a publish), then filtered per request.

import { sql } from "kysely";
import { canSeeMetric, type Role } from "~/auth/policy";
import { CHANGES_MESSAGES } from "~/i18n/changes";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import type { DataSpan } from "~/lib/filters";
import { formatDate, formatTimestamp } from "~/lib/format";
import {
  type CountryChoice,
  type KnownCountry,
  type MonthRange,
  monthEnd,
  monthList,
  readEnumList,
  readQuery,
  resolveCountries,
  resolveMonthRange,
} from "~/lib/grammar";
import { figureOf, METRIC_IDS, METRICS, type MetricId } from "~/metrics/catalogue";
import { Forbidden } from "./auth/access.server";
import { type Country, computeMetrics, type Db } from "./metrics/query.server";
import { countryNames, type Dimensions, dimensionsOf } from "./overview.server";
import { addWarmer, type Snapshot, type Warehouse } from "./warehouse.server";

/** The page's parameters: the shared grammar's months, countries and regions, and metrics by id. */
export const CHANGES_PARAMS = ["from", "to", "range", "country", "region", "metric"] as const;

/** What a batch's rows did, as the pipeline records it. */
export const EFFECT_KINDS = ["added", "corrected", "cancelled", "resent", "withdrawn"] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

export interface Effect {
  batch: string;
  entity: string;
  change: EffectKind;
  /** YYYY-MM, or null for an entity without months (products, rates…): it may move any figure. */
  month: string | null;
  country: string | null;
  rows: number;
}

export interface MovedFigure {
  metric: MetricId;
  /** YYYY-MM */
  month: string;
  country: string;
  before: number | null;
  after: number | null;
}

/** Why there is nothing to compare with (null: there is). */
export type Unavailable = "first_snapshot" | "not_recorded" | "previous_removed";

export interface ChangesData {
  previous: { id: string; publishedAt: string } | null;
  unavailable: Unavailable | null;
  /** The days the previous snapshot covered (the figures compared), and the current one's. */
  before: DataSpan | null;
  after: DataSpan | null;
  /** The batches the runs since the previous snapshot applied. */
  batches: string[];
  /** Whether the pipeline recorded what those batches did (snapshots of before 4 Dec 2026 did not). */
  effectsRecorded: boolean;
  effects: Effect[];
  moved: MovedFigure[];
  quarantine: { entity: string; before: number; after: number }[];
  /** What the run that published this snapshot read and set aside (null: not published by a run). */
  run: RunCounts | null;
  countries: KnownCountry[];
}

/** The publishing run's landing rows: read, quarantined, and the catalogue's share of the two. */
export interface RunCounts {
  rowsRead: number;
  rowsQuarantined: number;
  share: number | null;
}

/** The counts of the run that published `snapshotId`, from meta.runs (null: no such run). */
async function runCounts(db: Db, snapshotId: string): Promise<RunCounts | null> {
  if (!(await hasTable(db, "meta", "runs"))) return null;
  const found = await sql<{ rows_read: number | null; rows_quarantined: number | null }>`
    select rows_read::double as rows_read, rows_quarantined::double as rows_quarantined
    from meta.runs where snapshot_id = ${snapshotId} order by finished_at desc limit 1`.execute(db);
  const row = found.rows[0];
  if (!row) return null;
  const measures = { rows_read: row.rows_read ?? 0, rows_quarantined: row.rows_quarantined ?? 0 };
  return {
    rowsRead: measures.rows_read,
    rowsQuarantined: measures.rows_quarantined,
    share: figureOf("quarantined_row_share", measures),
  };
}

/** The current snapshot's publishing run (for alerts on quarantined_row_share). */
export async function publishingRun(warehouse: Warehouse): Promise<RunCounts | null> {
  const found = await warehouse.memo("publishing-run", async (snapshot) => {
    const read = await warehouse.withDb((db) => runCounts(db, snapshot.id));
    return read.state === "ready" ? read.result : null;
  });
  return found.state === "ready" ? found.result : null;
}

const hasTable = async (db: Db, schema: string, table: string): Promise<boolean> => {
  const found = await sql<{ n: number }>`select count(*)::integer as n from information_schema.tables
    where table_schema = ${schema} and table_name = ${table}`.execute(db);
  return (found.rows[0]?.n ?? 0) > 0;
};

async function quarantineCounts(db: Db): Promise<Map<string, number>> {
  if (!(await hasTable(db, "meta", "quarantine"))) return new Map();
  const rows = await sql<{ entity: string; n: number }>`select entity, count(*)::integer as n
    from meta.quarantine group by entity`.execute(db);
  return new Map(rows.rows.map((r) => [r.entity, r.n]));
}

/** Every country's figures by month over `range`, through the metric layer. */
async function figuresByCountry(
  db: Db,
  dims: Dimensions,
  codes: readonly string[],
  range: { from: string; to: string },
): Promise<Map<string, Record<MetricId, number | null>>> {
  const out = new Map<string, Record<MetricId, number | null>>();
  const memo = new Map<string, Promise<unknown>>();
  for (const code of codes) {
    memo.clear();
    const rows = await computeMetrics(
      db,
      {
        current: range,
        comparison: null,
        countries: [code],
        slices: { category: [], grade: [], channel: [], partner: [] },
        allCountries: dims.countries,
        costBasis: "recorded",
        centralColumns: dims.centralColumns,
      },
      { kind: "period", grain: "month" },
      METRIC_IDS,
      memo,
    );
    for (const row of rows) out.set(`${row.key.slice(0, 7)}|${code}`, row.values);
  }
  return out;
}

/** The comparison, once per snapshot. */
async function compare(warehouse: Warehouse, snapshot: Snapshot): Promise<ChangesData> {
  const read = await warehouse.withDb(async (db) => {
    const dims = await dimensionsOf(db);
    const none = {
      dims,
      runs: [] as { run_id: string; snapshot_id: string; finished_at: string; batches: string | null }[],
      effects: [] as Effect[],
      effectsRecorded: false,
      quarantine: new Map<string, number>(),
      run: null as RunCounts | null,
    };
    if (!(await hasTable(db, "meta", "runs"))) return none;
    const runs = await sql<{
      run_id: string;
      snapshot_id: string;
      finished_at: string;
      batches: string | null;
    }>`
      select run_id, snapshot_id, strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%gZ') as finished_at, batches
      from meta.runs order by finished_at desc`.execute(db);
    const mine = runs.rows.find((r) => r.snapshot_id === snapshot.id);
    const effectsRecorded = await hasTable(db, "meta", "batch_effects");
    const effects =
      mine && effectsRecorded
        ? (
            await sql<Effect>`select batch_id as batch, entity, change, month, country_code as country,
                sum(rows)::integer as rows
              from meta.batch_effects where run_id = ${mine.run_id}
              group by all order by batch, entity, change, month nulls first, country nulls first`.execute(db)
          ).rows
        : [];
    return {
      dims,
      runs: runs.rows,
      effects,
      effectsRecorded,
      quarantine: await quarantineCounts(db),
      run: await runCounts(db, snapshot.id),
    };
  });
  if (read.state === "empty") throw new Error("the warehouse was unpublished");
  const { dims, runs, effects, effectsRecorded, quarantine, run } = read.result;
  const mineAt = runs.findIndex((r) => r.snapshot_id === snapshot.id);
  const mine = runs[mineAt];
  const earlier = mineAt >= 0 ? runs.slice(mineAt + 1).find((r) => r.snapshot_id !== snapshot.id) : undefined;
  const base: ChangesData = {
    previous: earlier ? { id: earlier.snapshot_id, publishedAt: earlier.finished_at } : null,
    unavailable: mine ? (earlier ? null : "first_snapshot") : "not_recorded",
    before: null,
    after: dims.data,
    batches: mine?.batches ? mine.batches.split(",").filter(Boolean) : [],
    effectsRecorded,
    effects,
    moved: [],
    quarantine: [],
    run,
    countries: dims.countries,
  };
  if (!earlier || !dims.data) return base;

  const then = await warehouse.withEarlierSnapshot(snapshot, earlier.snapshot_id, async (db) => {
    const before = await dimensionsOf(db);
    if (!before.data) return { dims: before, figures: null, quarantine: await quarantineCounts(db) };
    const codes = [...new Set([...before.countries, ...dims.countries].map((c) => c.country_code))].sort();
    const range = { from: before.data.from, to: before.data.through ?? before.data.to };
    return {
      dims: before,
      range,
      codes,
      figures: await figuresByCountry(db, before, codes, range),
      quarantine: await quarantineCounts(db),
    };
  });
  if (!then) return { ...base, unavailable: "previous_removed" };
  const entities = [...new Set([...then.quarantine.keys(), ...quarantine.keys()])].sort();
  const withQuarantine = {
    ...base,
    before: then.dims.data,
    quarantine: entities
      .map((entity) => ({
        entity,
        before: then.quarantine.get(entity) ?? 0,
        after: quarantine.get(entity) ?? 0,
      }))
      .filter((q) => q.before !== q.after || q.after > 0),
    countries: mergeCountries(then.dims.countries, dims.countries),
  };
  if (!then.figures || !then.range || !then.codes) return withQuarantine;
  const { range, codes, figures: old } = then;
  const nowRead = await warehouse.withDb((db) => figuresByCountry(db, dims, codes, range));
  if (nowRead.state === "empty") throw new Error("the warehouse was unpublished");
  const now = nowRead.result;
  const moved: MovedFigure[] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const [month, country] = key.split("|") as [string, string];
    const a = old.get(key);
    const b = now.get(key);
    for (const metric of METRIC_IDS) {
      const before = a?.[metric] ?? null;
      const after = b?.[metric] ?? null;
      if (before !== after) moved.push({ metric, month, country, before, after });
    }
  }
  return { ...withQuarantine, moved };
}

function mergeCountries(a: readonly Country[], b: readonly Country[]): KnownCountry[] {
  const byCode = new Map<string, KnownCountry>();
  for (const c of [...a, ...b])
    byCode.set(c.country_code, { country_code: c.country_code, region: c.region });
  return [...byCode.values()].sort((x, y) => x.country_code.localeCompare(y.country_code));
}

/** The comparison for the current snapshot (computed once, in the background after a publish). */
export function changesData(warehouse: Warehouse) {
  return warehouse.memo("changes", (snapshot) => compare(warehouse, snapshot));
}

addWarmer(async (warehouse) => {
  await changesData(warehouse);
});

// ── the page's view ─────────────────────────────────────────────────────────────────────────────────

/** The landing entities whose rows are figures (a new row of them moves one); the rest are reference data. */
const FIGURE_ENTITIES = new Set([
  "order_items",
  "returns",
  "marketing_spend",
  "operating_costs",
  "market_context",
  "fx_rates",
]);

export interface ChangeRow extends MovedFigure {
  /** The batches that touched this month and country (or every month: entities without one). */
  batches: string[];
  /** What they did there, e.g. "1 cancelled, 2 added (order_items)". */
  what: string;
}

export interface ChangesView {
  /** The comparison without its figures (they are in `rows`), effects within the countries chosen. */
  data: Omit<ChangesData, "moved">;
  rows: ChangeRow[];
  /** Per metric: how many of its figures moved (the summary above the table). */
  byMetric: { metric: MetricId; figures: number }[];
  selection: Pick<CountryChoice, "country" | "region"> & { metric: MetricId[]; period: MonthRange | null };
  metrics: MetricId[];
  countryNames: Record<string, string>;
  metricNames: Record<string, string>;
  labels: { before: string | null; after: string | null; previousAt: string | null };
  /** The months the compared figures cover, for the files' names. */
  range: { from: string; to: string };
  /** The months a reader may choose (those compared). */
  monthBounds: { min: string; max: string } | null;
}

export async function loadChanges(warehouse: Warehouse, url: URL, locale: Locale, role?: Role) {
  const params = readQuery(url.searchParams, CHANGES_PARAMS);
  const visible = METRIC_IDS.filter((m) => !role || canSeeMetric(role, m));
  const metric = readEnumList("metric", params.metric, METRIC_IDS);
  // A figure the role may not see, asked for by name: refused, as on every page (403 and audited).
  for (const m of metric)
    if (!visible.includes(m)) throw new Forbidden(MESSAGES[locale].forbiddenFigure(METRICS[m].label[locale]));
  const loaded = await changesData(warehouse);
  if (loaded.state === "empty") return loaded;
  const data = loaded.result;
  const choice = resolveCountries(params, data.countries);
  // Months: every month compared by default; from/to/range as on the monthly pages, inside the data.
  const span = data.before ?? data.after;
  const period =
    span && (params.from !== undefined || params.to !== undefined || params.range !== undefined)
      ? resolveMonthRange(params, span, monthList(span.from.slice(0, 7), span.to.slice(0, 7)).length)
      : null;
  const key = JSON.stringify(["changes-view", choice, metric, period, locale, visible.length]);
  const result = await warehouse.derived(loaded.snapshot, key, () =>
    buildView(data, choice, metric, period, visible, locale),
  );
  return { state: "ready" as const, snapshot: loaded.snapshot, result };
}

function buildView(
  data: ChangesData,
  choice: CountryChoice,
  metric: MetricId[],
  period: MonthRange | null,
  visible: readonly MetricId[],
  locale: Locale,
): ChangesView {
  const t = CHANGES_MESSAGES[locale];
  const names = countryNames(locale);
  const inScope = (country: string | null, month: string | null) =>
    (country === null || choice.countries === null || choice.countries.includes(country)) &&
    (month === null || period === null || (month >= period.from && month <= period.to));
  const shown = (m: MetricId) => visible.includes(m) && (metric.length === 0 || metric.includes(m));
  // The batches' rows that can have moved a figure of this month and country: rows of data that carry
  // figures (sales, returns, costs, rates) dated there, an exchange rate there in any country; rows of
  // reference data (customers, products…) only when they correct or withdraw an earlier version (a
  // product's category). Rows re-sent unchanged move nothing.
  const touching = (month: string, country: string) =>
    data.effects.filter(
      (e) =>
        e.change !== "resent" &&
        (FIGURE_ENTITIES.has(e.entity) || e.change !== "added") &&
        (e.month === null || e.month === month) &&
        (e.country === null || e.country === country),
    );
  const rows: ChangeRow[] = data.moved
    .filter((m) => inScope(m.country, m.month) && shown(m.metric))
    .map((m) => {
      const found = touching(m.month, m.country);
      const what = new Map<string, number>();
      for (const e of found) {
        const k = `${e.entity}|${e.change}`;
        what.set(k, (what.get(k) ?? 0) + e.rows);
      }
      return {
        ...m,
        batches: [...new Set(found.map((e) => e.batch))],
        what: [...what]
          .map(([k, n]) => {
            const [entity, change] = k.split("|") as [string, EffectKind];
            return t.effect(n, change, t.entities[entity] ?? entity);
          })
          .join(t.listSeparator),
      };
    })
    .sort((a, b) => b.month.localeCompare(a.month) || a.country.localeCompare(b.country));
  const byMetric = visible
    .map((m) => ({ metric: m, figures: rows.filter((r) => r.metric === m).length }))
    .filter((m) => m.figures > 0);
  const months = rows.map((r) => r.month).sort();
  const span = data.before;
  const { moved: _all, ...rest } = data;
  return {
    data: { ...rest, effects: data.effects.filter((e) => inScope(e.country, e.month)) },
    rows,
    byMetric,
    selection: { country: choice.country, region: choice.region, metric, period },
    metrics: visible as MetricId[],
    countryNames: Object.fromEntries(
      data.countries.map((c) => [c.country_code, names.of(c.country_code) ?? c.country_code]),
    ),
    metricNames: Object.fromEntries(visible.map((m) => [m, METRICS[m].label[locale]])),
    labels: {
      before: span ? `${formatDate(span.from, locale)} – ${formatDate(span.to, locale)}` : null,
      after: data.after
        ? `${formatDate(data.after.from, locale)} – ${formatDate(data.after.to, locale)}`
        : null,
      previousAt: data.previous ? formatTimestamp(data.previous.publishedAt, locale) : null,
    },
    range: period
      ? { from: `${period.from}-01`, to: monthEnd(period.to) }
      : {
          from: `${months[0] ?? (span?.from ?? data.after?.from ?? "2000-01-01").slice(0, 7)}-01`,
          to: span?.to ?? data.after?.to ?? "2000-01-01",
        },
    monthBounds: span ? { min: span.from.slice(0, 7), max: span.to.slice(0, 7) } : null,
  };
}

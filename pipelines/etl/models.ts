// The SQL models under sql/ (staging → intermediate → marts, one model per file), their header
// annotations, dependency order, and how each is built (view, table, or incremental table).
//
// Header lines:   -- materialized: view | table | incremental
//                 -- cluster_by: <columns>   (stored in that order when built in full)
//                 -- incremental_by: reporting_date | month | week | month_onward | customer_id   (incremental
//                    models: the rows of the
//                    reporting dates / customers this run touched are rebuilt; see AFFECTED)
//                 -- lookback_days: <n>   (month_onward only: a month's rows also depend on the n days after
//                    it, so the rebuild starts at the month of the first affected date minus n days)
//                 -- affected_by: <entity>, …   (the landing entities whose changes can move this model's rows
//                    of a date; by default, those of everything it reads (a staging model stg_<entity> reads
//                    <entity>). Narrower only where a dependency cannot move a date's rows, and never wider.
//                    An incremental model rebuilds the dates that changes of these entities touched.)
//                 -- test: unique(a, b) | not_null(a, b) | accepted_values(col: x, y)
//                 --       | relationships(col -> layer.model.col)
// Placeholders:   {{ reporting_time_zone }}  the reporting time zone, as a SQL string
//                 {{ incremental('expr') }}  expr IN the model's affected set, or true on a full build
//                 {{ incremental_from('date') }}  date on or after the first day of the first affected month
//                    (less the lookback; models built with incremental_by: month_onward), or true on a full build

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../../core/duckdb.ts";

export const LAYERS = ["staging", "intermediate", "marts"] as const;
export type Layer = (typeof LAYERS)[number];

export type DataTest =
  | { kind: "unique"; columns: string[] }
  | { kind: "not_null"; columns: string[] }
  | { kind: "accepted_values"; column: string; values: string[] }
  | { kind: "relationships"; column: string; target: string; targetColumn: string };

export interface Model {
  name: string;
  layer: Layer;
  /** Schema-qualified name, e.g. marts.mart_daily_sales. */
  relation: string;
  file: string;
  sql: string;
  materialized: "view" | "table" | "incremental";
  incrementalBy?: string;
  /** month_onward models whose months also depend on the days after them (e.g. a cohort's next 365 days). */
  lookbackDays?: number;
  clusterBy?: string;
  tests: DataTest[];
  dependsOn: string[];
  /** Landing entities whose changes can move this model's rows of a reporting date (see the header). */
  affectedBy: string[];
  /** The `affected_by` header, when the model narrows the default. */
  declaredAffectedBy?: string[];
}

function parseTest(text: string, file: string): DataTest {
  const match = /^(\w+)\((.*)\)$/.exec(text.trim());
  if (!match) throw new Error(`${file}: cannot read test "${text}"`);
  const [, kind, args] = match as unknown as [string, string, string];
  const list = (s: string) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
  if (kind === "unique" || kind === "not_null") return { kind, columns: list(args) };
  if (kind === "accepted_values") {
    const [column, values] = args.split(":") as [string, string];
    return { kind, column: column.trim(), values: list(values) };
  }
  if (kind === "relationships") {
    const [column, target] = args.split("->").map((x) => x.trim()) as [string, string];
    const parts = target.split(".");
    return { kind, column, target: parts.slice(0, -1).join("."), targetColumn: parts.at(-1) as string };
  }
  throw new Error(`${file}: unknown test kind "${kind}"`);
}

export function loadModels(sqlDir: string): Model[] {
  const models: Model[] = [];
  for (const layer of LAYERS) {
    for (const file of readdirSync(join(sqlDir, layer))
      .filter((f) => f.endsWith(".sql"))
      .sort()) {
      const sql = readFileSync(join(sqlDir, layer, file), "utf8");
      const header = [...sql.matchAll(/^--\s*([\w_]+):\s*(.+)$/gm)].map(
        (m) => [m[1] as string, (m[2] as string).trim()] as const,
      );
      const materialized = (header.find(([k]) => k === "materialized")?.[1] ??
        "view") as Model["materialized"];
      if (!["view", "table", "incremental"].includes(materialized))
        throw new Error(`${file}: unknown materialization ${materialized}`);
      const incrementalBy = header.find(([k]) => k === "incremental_by")?.[1];
      if (materialized === "incremental" && !incrementalBy)
        throw new Error(`${file}: an incremental model needs incremental_by`);
      const lookback = header.find(([k]) => k === "lookback_days")?.[1];
      if (lookback !== undefined && (incrementalBy !== "month_onward" || !/^\d+$/.test(lookback)))
        throw new Error(`${file}: lookback_days takes a whole number of days, for month_onward models only`);
      const name = file.replace(/\.sql$/, "");
      models.push({
        name,
        layer,
        relation: `${layer}.${name}`,
        file: `${layer}/${file}`,
        sql,
        materialized,
        incrementalBy,
        lookbackDays: lookback === undefined ? undefined : Number(lookback),
        clusterBy: header.find(([k]) => k === "cluster_by")?.[1],
        tests: header.filter(([k]) => k === "test").map(([, t]) => parseTest(t, file)),
        dependsOn: [],
        affectedBy: [],
        declaredAffectedBy: header
          .find(([k]) => k === "affected_by")?.[1]
          .split(",")
          .map((e) => e.trim())
          .filter(Boolean),
      });
    }
  }
  for (const model of models) {
    model.dependsOn = models
      .filter(
        (other) =>
          other !== model &&
          new RegExp(`\\b${other.relation.replace(".", "\\.")}\\b`).test(model.sql.replace(/^--.*$/gm, "")),
      )
      .map((other) => other.relation);
  }
  const ordered = orderModels(models);
  // In dependency order: a model's inputs have their entities before it.
  const byRelation = new Map(ordered.map((m) => [m.relation, m]));
  for (const model of ordered) {
    const read = new Set<string>();
    if (model.layer === "staging") read.add(model.name.replace(/^stg_/, ""));
    for (const dep of model.dependsOn) for (const e of byRelation.get(dep)?.affectedBy ?? []) read.add(e);
    const declared = model.declaredAffectedBy;
    if (declared) {
      const beyond = declared.filter((e) => !read.has(e));
      if (beyond.length > 0)
        throw new Error(
          `${model.file}: affected_by names ${beyond.join(", ")}, which it does not read (it reads ${[...read].sort().join(", ") || "no entity"})`,
        );
    }
    model.affectedBy = (declared ?? [...read]).sort();
  }
  return ordered;
}

/** Dependency order (a model after everything it reads); a cycle is an error. */
function orderModels(models: Model[]): Model[] {
  const byRelation = new Map(models.map((m) => [m.relation, m]));
  const ordered: Model[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (model: Model, path: string[]) => {
    if (state.get(model.relation) === "done") return;
    if (state.get(model.relation) === "visiting")
      throw new Error(`models form a cycle: ${[...path, model.relation].join(" → ")}`);
    state.set(model.relation, "visiting");
    for (const dep of model.dependsOn) visit(byRelation.get(dep) as Model, [...path, model.relation]);
    state.set(model.relation, "done");
    ordered.push(model);
  };
  for (const model of models) visit(model, []);
  return ordered;
}

/**
 * The set of keys a run touched, per kind of incremental key: reporting dates (`etl.affected_dates`,
 * each tagged with the entity whose change touched it) of the given entities, or every entity's.
 */
export function affectedKeys(kind: string, entities?: readonly string[]): string {
  const where =
    entities === undefined
      ? ""
      : ` WHERE entity IN (${entities.length ? entities.map(sqlString).join(", ") : "NULL"})`;
  switch (kind) {
    case "reporting_date":
      return `SELECT DISTINCT affected_date FROM etl.affected_dates${where}`;
    case "month":
      return `SELECT DISTINCT strftime(affected_date, '%Y-%m') FROM etl.affected_dates${where}`;
    case "week":
      return `SELECT DISTINCT date_trunc('week', affected_date)::date FROM etl.affected_dates${where}`;
    case "customer_id":
      // Models incremental by customer hold the customer's surrogate key (see ../etl/keys.ts).
      return "SELECT customer_key FROM etl.affected_customers";
    default:
      throw new Error(`unknown incremental key ${kind}`);
  }
}

/** Every entity's affected keys, per kind (data tests of an incremental run look at all of them). */
export const AFFECTED: Record<string, string> = Object.fromEntries(
  ["reporting_date", "month", "week", "customer_id"].map((kind) => [kind, affectedKeys(kind)]),
);

export interface BuildContext {
  timeZone: string;
  /** Full rebuild of incremental models, or only the keys in the etl.affected_* tables. */
  full: boolean;
  /**
   * First and last reporting date (YYYY-MM-DD) affected by the entities the model is affected by:
   * lets scans skip what lies outside. Absent when none of them touched a date.
   */
  affectedRange?: [string, string];
}

/** The affected range of a model: the span of its entities' ranges (`ranges`: per entity). */
export function modelRange(
  model: Model,
  ranges: ReadonlyMap<string, [string, string]>,
): [string, string] | undefined {
  const mine = model.affectedBy.flatMap((e) => {
    const range = ranges.get(e);
    return range ? [range] : [];
  });
  if (mine.length === 0) return undefined;
  return [
    mine.map((r) => r[0]).reduce((a, b) => (a < b ? a : b)),
    mine.map((r) => r[1]).reduce((a, b) => (a > b ? a : b)),
  ];
}

export function renderSql(model: Model, context: BuildContext): string {
  return model.sql
    .replaceAll("{{ reporting_time_zone }}", sqlString(context.timeZone))
    .replaceAll(
      /\{\{\s*incremental\((?:'([^']+)'|"([^"]+)")\)\s*\}\}/g,
      (_, single: string, double: string) =>
        context.full
          ? "true"
          : `(${single ?? double}) in (${affectedKeys(model.incrementalBy ?? "reporting_date", model.affectedBy)})${
              model.incrementalBy === "reporting_date" && context.affectedRange
                ? ` and (${single ?? double}) between date '${context.affectedRange[0]}' and date '${context.affectedRange[1]}'`
                : ""
            }`,
    )
    .replaceAll(/\{\{\s*incremental_from\('([^']+)'\)\s*\}\}/g, (_, expr: string) =>
      context.full ? "true" : `(${expr}) >= DATE '${firstAffectedMonth(context, model.lookbackDays)}'`,
    );
}

/**
 * The first day of the month of the first affected date, less `lookbackDays` (or the far future when
 * nothing is affected).
 */
export function firstAffectedMonth(context: BuildContext, lookbackDays = 0): string {
  if (!context.affectedRange) return "9999-12-01";
  const first = new Date(`${context.affectedRange[0]}T00:00:00Z`);
  first.setUTCDate(first.getUTCDate() - lookbackDays);
  return `${first.toISOString().slice(0, 7)}-01`;
}

async function relationExists(conn: DuckDBConnection, schema: string, relation: string): Promise<boolean> {
  const name = relation.slice(relation.indexOf(".") + 1);
  const reader = await conn.runAndReadAll(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name = '${name}'`,
  );
  return Number(reader.getRowObjectsJS()[0]?.n ?? 0) > 0;
}

/** Whether the model exists as the other kind of relation (a table that became a view, or back). */
async function builtAsOtherKind(conn: DuckDBConnection, model: Model): Promise<"VIEW" | "BASE TABLE" | null> {
  const reader = await conn.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = '${model.layer}' AND table_name = '${model.name}'`,
  );
  const type = reader.getRowObjectsJS()[0]?.table_type as "VIEW" | "BASE TABLE" | undefined;
  if (!type) return null;
  return (type === "VIEW") === (model.materialized === "view") ? null : type;
}

export async function buildModel(conn: DuckDBConnection, model: Model, context: BuildContext): Promise<void> {
  const sql = renderSql(model, context).replace(/;\s*$/, "");
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${model.layer}`);
  // A warehouse built before the model changed kind holds the other kind under its name: dropped, and
  // the model built whole below (an incremental model finds no table to add to).
  const other = await builtAsOtherKind(conn, model);
  if (other) await conn.run(`DROP ${other === "VIEW" ? "VIEW" : "TABLE"} ${model.relation}`);
  if (model.materialized === "view") {
    await conn.run(`CREATE OR REPLACE VIEW ${model.relation} AS ${sql}`);
  } else if (
    model.materialized === "table" ||
    context.full ||
    !(await relationExists(conn, model.layer, model.relation))
  ) {
    // An incremental model new since the warehouse was last built has nothing to add to: built whole.
    const full =
      model.materialized === "table" || context.full
        ? sql
        : renderSql(model, { ...context, full: true }).replace(/;\s*$/, "");
    // Rows stored in cluster order let later incremental runs skip row groups by their min/max.
    const order = model.clusterBy ? ` ORDER BY ${model.clusterBy}` : "";
    await conn.run(`CREATE OR REPLACE TABLE ${model.relation} AS SELECT * FROM (${full})${order}`);
  } else if (model.incrementalBy === "month_onward") {
    // Rows of a month depend on earlier months (a customer's previous active month), never on later
    // ones: rebuilding every month from the first affected one on is exact.
    await conn.run(
      `DELETE FROM ${model.relation} WHERE month >= DATE '${firstAffectedMonth(context, model.lookbackDays)}'`,
    );
    await conn.run(`INSERT INTO ${model.relation} ${sql}`);
  } else {
    const range =
      model.incrementalBy === "reporting_date" && context.affectedRange
        ? ` AND reporting_date BETWEEN DATE '${context.affectedRange[0]}' AND DATE '${context.affectedRange[1]}'`
        : "";
    await conn.run(
      `DELETE FROM ${model.relation} WHERE ${model.incrementalBy} IN (${affectedKeys(model.incrementalBy as string, model.affectedBy)})${range}`,
    );
    await conn.run(`INSERT INTO ${model.relation} ${sql}`);
  }
}

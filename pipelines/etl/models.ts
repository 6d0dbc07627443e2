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
//                 -- test: unique(a, b) | not_null(a, b) | accepted_values(col: x, y)
//                 --       | relationships(col -> layer.model.col)
// Placeholders:   {{ reporting_time_zone }}  the reporting time zone, as a SQL string
//                 {{ incremental('expr') }}  expr IN the model's affected set, or true on a full build
//                 {{ incremental_window('ts') }}  ts within a day of the affected dates, or true
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
  return orderModels(models);
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

/** The set of keys a run touched, per kind of incremental key. */
export const AFFECTED: Record<string, string> = {
  reporting_date: "SELECT affected_date FROM etl.affected_dates",
  month: "SELECT DISTINCT strftime(affected_date, '%Y-%m') FROM etl.affected_dates",
  week: "SELECT DISTINCT date_trunc('week', affected_date)::date FROM etl.affected_dates",
  // Models incremental by customer hold the customer's surrogate key (see ../etl/keys.ts).
  customer_id: "SELECT customer_key FROM etl.affected_customers",
};

export interface BuildContext {
  timeZone: string;
  /** Full rebuild of incremental models, or only the keys in the etl.affected_* tables. */
  full: boolean;
  /** First and last affected reporting date (YYYY-MM-DD): lets scans skip what lies outside. */
  affectedRange?: [string, string];
}

export function renderSql(model: Model, context: BuildContext): string {
  return (
    model.sql
      .replaceAll("{{ reporting_time_zone }}", sqlString(context.timeZone))
      .replaceAll(
        /\{\{\s*incremental\((?:'([^']+)'|"([^"]+)")\)\s*\}\}/g,
        (_, single: string, double: string) =>
          context.full
            ? "true"
            : `(${single ?? double}) in (${AFFECTED[model.incrementalBy ?? "reporting_date"]})${
                model.incrementalBy === "reporting_date" && context.affectedRange
                  ? ` and (${single ?? double}) between date '${context.affectedRange[0]}' and date '${context.affectedRange[1]}'`
                  : ""
              }`,
      )
      .replaceAll(/\{\{\s*incremental_from\('([^']+)'\)\s*\}\}/g, (_, expr: string) =>
        context.full ? "true" : `(${expr}) >= DATE '${firstAffectedMonth(context, model.lookbackDays)}'`,
      )
      // A timestamp window around the affected dates (a day either side for time zones), as literals so
      // that DuckDB can skip row groups by their min/max.
      .replaceAll(/\{\{\s*incremental_window\('([^']+)'\)\s*\}\}/g, (_, expr: string) =>
        context.full || !context.affectedRange
          ? "true"
          : `(${expr}) >= TIMESTAMPTZ '${context.affectedRange[0]}' - INTERVAL 1 DAY AND (${expr}) < TIMESTAMPTZ '${context.affectedRange[1]}' + INTERVAL 2 DAY`,
      )
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

export async function buildModel(conn: DuckDBConnection, model: Model, context: BuildContext): Promise<void> {
  const sql = renderSql(model, context).replace(/;\s*$/, "");
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${model.layer}`);
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
      `DELETE FROM ${model.relation} WHERE ${model.incrementalBy} IN (${AFFECTED[model.incrementalBy as string]})${range}`,
    );
    await conn.run(`INSERT INTO ${model.relation} ${sql}`);
  }
}

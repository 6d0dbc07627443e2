// Data tests declared in the models' headers, and the reconciliation that finance relies on:
// per entity and batch, rows read = loaded + quarantined; EUR totals in the marts equal the totals
// computed straight from the raw layer, to the cent. Any failure blocks publishing.

import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, sqlString } from "../../core/duckdb.ts";
import { DUCKDB_INTEGER_TYPES } from "../../core/duckdb-types.ts";
import { AFFECTED, type DataTest, type Model } from "./models.ts";
import { sharedHashes } from "./shared-hashes.ts";

/** An incremental run tests what it changed: its batches' rows and the rebuilt keys of incremental models. */
export interface TestScope {
  batches: string[];
}

function scopeOf(model: Model, scope: TestScope | null): string {
  if (!scope) return "true";
  if (model.layer === "staging") return `_batch_id IN (${scope.batches.map(sqlString).join(", ")})`;
  if (model.materialized === "incremental" && model.incrementalBy === "month_onward")
    return `month >= (SELECT date_trunc('month', min(affected_date) - ${model.lookbackDays ?? 0})::date FROM etl.affected_dates)`;
  if (model.materialized === "incremental" && model.incrementalBy)
    return `${model.incrementalBy} IN (${AFFECTED[model.incrementalBy]})`;
  return "true";
}

/** The rows of a model a test reads: all of them, or in an incremental run those it changed. */
function scoped(model: Model, scope: TestScope | null): string {
  return `(SELECT * FROM ${model.relation} WHERE ${scopeOf(model, scope)})`;
}

export interface TestResult {
  name: string;
  model: string;
  failures: number;
  passed: boolean;
  detail?: string;
  /** How long it took (the test stage is a share of the full load's 5-minute bar). */
  seconds?: number;
}

function testSql(model: Model, test: DataTest, scope: TestScope | null): { name: string; sql: string } {
  const r = scoped(model, scope);
  switch (test.kind) {
    case "unique":
      return {
        name: `unique(${test.columns.join(", ")})`,
        sql: duplicates(test.columns.join(", "), r),
      };
    case "not_null":
      return {
        name: `not_null(${test.columns.join(", ")})`,
        sql: `SELECT count(*) AS n FROM ${r} WHERE ${test.columns.map((c) => `${c} IS NULL`).join(" OR ")}`,
      };
    case "accepted_values":
      return {
        name: `accepted_values(${test.column})`,
        sql: `SELECT count(*) AS n FROM ${r} WHERE ${test.column} IS NOT NULL AND ${test.column} NOT IN (${test.values.map(sqlString).join(", ")})`,
      };
    case "relationships":
      return {
        name: `relationships(${test.column} -> ${test.target}.${test.targetColumn})`,
        sql: `SELECT count(*) AS n FROM ${r} x WHERE x.${test.column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${test.target} t WHERE t.${test.targetColumn} = x.${test.column})`,
      };
  }
}

/** The number of keys held by more than one row of `relation`: exact (a NULL is a value, as in GROUP BY). */
function duplicates(columns: string, relation: string): string {
  return `SELECT count(*) AS n FROM (SELECT ${columns} FROM ${relation} GROUP BY ALL HAVING count(*) > 1)`;
}

/**
 * The number of keys held by more than one row, exactly: the rows' 64-bit hashes are compared first
 * (sorted, `sharedHashes`); distinct hashes prove distinct keys. Only when two rows share a hash (equal
 * keys, or a collision) are the keys themselves grouped, for the exact count.
 */
async function uniqueFailures(
  conn: DuckDBConnection,
  model: Model,
  columns: string[],
  scope: TestScope | null,
) {
  const r = scoped(model, scope);
  const [shared] = await queryRows<{ n: number }>(
    conn,
    `SELECT count(*) AS n FROM (${sharedHashes(columns.join(", "), r)})`,
  );
  if ((shared?.n ?? 0) === 0) return 0;
  const [exact] = await queryRows<{ n: number }>(conn, duplicates(columns.join(", "), r));
  return exact?.n ?? 0;
}

const INTEGER_TYPES = new Set(DUCKDB_INTEGER_TYPES);

/**
 * relationships(column -> target.key): the rows whose non-null value is no key of the target. The
 * anti-join builds a hash table of every target key: 15M customer keys probed by 30M order items took
 * 6.9 s of a full load. Surrogate keys are integers numbered from 1, so a target usually holds every
 * integer of [min, max]: when its non-null keys number max − min + 1 and none is held twice (no hash
 * shared, `sharedHashes`: 1–2 s; a collision only sends the test to the anti-join), membership is `min <= value <= max`, a scan. Otherwise (text
 * keys, a gap, a key held twice) the anti-join, as the definition; and in an incremental run, whose
 * batch's few rows the anti-join checks in a tenth of a second.
 */
async function relationshipFailures(
  conn: DuckDBConnection,
  model: Model,
  test: Extract<DataTest, { kind: "relationships" }>,
  scope: TestScope | null,
): Promise<number> {
  const r = scoped(model, scope);
  const k = test.targetColumn;
  const count = async (sql: string) => (await queryRows<{ n: number }>(conn, sql))[0]?.n ?? 0;
  const typeOf = async (column: string, relation: string) =>
    (await queryRows<{ column_type: string }>(conn, `DESCRIBE SELECT ${column} FROM ${relation}`))[0]
      ?.column_type ?? "";
  if (
    scope !== null || // an incremental run checks its own rows: the anti-join of a batch takes ~0.1 s
    !INTEGER_TYPES.has(await typeOf(test.column, model.relation)) ||
    !INTEGER_TYPES.has(await typeOf(k, test.target))
  )
    return count(testSql(model, test, scope).sql);
  const [span] = await queryRows<{ dense: boolean | null; lo: string | null; hi: string | null }>(
    conn,
    `SELECT count(${k}) = max(${k}) - min(${k}) + 1 AS dense, min(${k})::VARCHAR AS lo, max(${k})::VARCHAR AS hi
     FROM ${test.target}`,
  );
  if (
    span?.dense &&
    (await count(`SELECT count(*) AS n FROM (${sharedHashes(k, test.target, `${k} IS NOT NULL`)})`)) === 0
  )
    return count(
      `SELECT count(*) AS n FROM ${r} x WHERE x.${test.column} IS NOT NULL AND NOT (x.${test.column} BETWEEN ${span.lo} AND ${span.hi})`,
    );
  return count(testSql(model, test, scope).sql);
}

export async function runDeclaredTests(
  conn: DuckDBConnection,
  models: Model[],
  scope: TestScope | null = null,
): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const model of models) {
    for (const test of model.tests) {
      const started = performance.now();
      const { name, sql } = testSql(model, test, scope);
      const failures =
        test.kind === "unique"
          ? await uniqueFailures(conn, model, test.columns, scope)
          : test.kind === "relationships"
            ? await relationshipFailures(conn, model, test, scope)
            : ((await queryRows<{ n: number }>(conn, sql))[0]?.n ?? 0);
      const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
      results.push({ name, model: model.relation, failures, passed: failures === 0, seconds });
    }
  }
  return results;
}

/** EUR totals of the marts against the same totals computed directly from the raw layer. */
export async function runReconciliation(
  conn: DuckDBConnection,
  runId: string,
  incremental = false,
): Promise<TestResult[]> {
  // An incremental run reconciles the reporting dates it rebuilt; the others were reconciled when built.
  const dates = (column: string) => (incremental ? `${column} IN (${AFFECTED.reporting_date})` : "true");
  // An incremental run's events lie within a day of its affected dates (time zones): a window of literals
  // lets the scans skip the row groups outside it before any time zone is applied to 30M rows.
  const [range] = incremental
    ? await queryRows<{ lo: string | null; hi: string | null }>(
        conn,
        "SELECT min(affected_date)::VARCHAR AS lo, max(affected_date)::VARCHAR AS hi FROM etl.affected_dates",
      )
    : [];
  const near = (column: string) =>
    range?.lo && range.hi
      ? `${column} >= TIMESTAMPTZ '${range.lo}' - INTERVAL 1 DAY AND ${column} < TIMESTAMPTZ '${range.hi}' + INTERVAL 2 DAY`
      : "true";
  const results: TestResult[] = [];
  // Each event with the rate of its currency on its reporting date (the latest on or before it): ASOF
  // over the few thousand (currency, day) pairs, then joined back to the events by equality — an ASOF
  // join of the 30M items took 21 s, the pairs and the equality join 9 s. Events without a rate drop
  // out, as from an inner ASOF join.
  const onRate = (name: string, events: string) => `${name}_days AS (
       SELECT k.currency, k.d, r.eur_per_unit FROM (SELECT DISTINCT currency, reporting_date AS d FROM (${events})) k
       ASOF JOIN rates r ON r.currency = k.currency AND k.d >= r.rate_date
     ), ${name} AS (
       SELECT e.*, k.eur_per_unit FROM (${events}) e
       JOIN ${name}_days k ON k.currency = e.currency AND k.d = e.reporting_date
     )`;
  /** The sum of a column's amounts in EUR, each rounded to 4 decimals: the definition, in decimals. */
  const eur = (column: string) =>
    `sum(CASE WHEN eur_per_unit = 1 THEN CAST(${column} AS DECIMAL(18, 4)) ELSE CAST(round(CAST(${column} AS DECIMAL(38, 4)) * eur_per_unit, 4) AS DECIMAL(18, 4)) END)`;
  const [counts] = await queryRows<{ n: number; bad: string | null }>(
    conn,
    `SELECT count(*) AS n, string_agg(batch_id || '/' || entity, ', ') AS bad FROM meta.load_stats
     WHERE run_id = ${sqlString(runId)} AND rows_read <> rows_loaded + rows_quarantined`,
  );
  results.push({
    name: "rows read = loaded + quarantined, per entity and batch",
    model: "meta.load_stats",
    failures: counts?.n ?? 0,
    passed: (counts?.n ?? 0) === 0,
    detail: counts?.bad ?? undefined,
  });
  // Straight from raw: rate = latest rate on or before the event's reporting date (ASOF), no intermediate
  // model. The reporting date is raw's own, derived at load (ADR 0028; tests/etl/reporting-dates.test.ts).
  const checks = await queryRows<{ name: string; mart: string; raw: string }>(
    conn,
    `WITH rates AS (
       SELECT currency, rate_date, eur_per_unit FROM raw.fx_rates
       UNION ALL SELECT 'EUR', DATE '1900-01-01', 1
     ), ${onRate("items", `SELECT * FROM raw.order_items WHERE status = 'completed' AND ${near("ordered_at")} AND ${dates("reporting_date")}`)},
     ${onRate("rets", `SELECT * FROM raw.returns WHERE ${near("returned_at")} AND ${dates("reporting_date")}`)},
     monthly AS (
       SELECT 'marketing_eur' AS name, m.amount, m.currency, last_day(CAST(m.month || '-01' AS DATE)) AS d FROM raw.marketing_spend m
       UNION ALL SELECT 'opex_eur', o.amount, o.currency, last_day(CAST(o.month || '-01' AS DATE)) FROM raw.operating_costs o
     ), monthly_eur AS (
       SELECT name, sum(CAST(round(CAST(amount AS DECIMAL(38, 4)) * r.eur_per_unit, 4) AS DECIMAL(18, 4))) AS total
       FROM monthly x ASOF JOIN rates r ON r.currency = x.currency AND x.d >= r.rate_date GROUP BY 1
     ), item_totals AS (
       -- One pass over the items and one over the returns. An amount at rate 1 is its own EUR amount (4
       -- decimals times 1 needs no rounding): the decimal product is only formed where a rate applies.
       SELECT ${eur("price")} AS gmv, ${eur("commission")} AS commission, ${eur("payment_fee")} AS fees,
         CAST(count(*) AS DECIMAL(38, 4)) AS n
       FROM items
     ), return_totals AS (
       SELECT ${eur("commission_refunded")} AS refunded, ${eur("cost_to_marketplace")} AS costs FROM rets
     ), raw_totals AS (
       SELECT unnest(['gmv_eur', 'commission_eur', 'payment_fees_eur', 'devices_sold']) AS name,
         unnest([gmv, commission, fees, n]) AS total
       FROM item_totals
       UNION ALL SELECT unnest(['commission_refunded_eur', 'return_costs_eur']), unnest([refunded, costs])
       FROM return_totals
       UNION ALL SELECT name, total FROM monthly_eur
     ), mart_totals AS (
       SELECT 'gmv_eur' AS name, sum(gmv_eur) AS total FROM marts.mart_daily_sales WHERE ${dates("reporting_date")}
       UNION ALL SELECT 'commission_eur', sum(commission_eur) FROM marts.mart_daily_sales WHERE ${dates("reporting_date")}
       UNION ALL SELECT 'payment_fees_eur', sum(payment_fees_eur) FROM marts.mart_daily_sales WHERE ${dates("reporting_date")}
       UNION ALL SELECT 'commission_refunded_eur', sum(commission_refunded_eur) FROM marts.mart_daily_sales WHERE ${dates("reporting_date")}
       UNION ALL SELECT 'return_costs_eur', sum(return_costs_eur) FROM marts.mart_daily_sales WHERE ${dates("reporting_date")}
       UNION ALL SELECT 'devices_sold', sum(devices_sold) FROM marts.mart_daily_sales WHERE ${dates("reporting_date")}
       UNION ALL SELECT 'marketing_eur', sum(marketing_eur) FROM marts.mart_monthly_pnl
       UNION ALL SELECT 'opex_eur', sum(opex_eur) FROM marts.mart_monthly_pnl
     )
     SELECT name, CAST(coalesce(m.total, 0) AS DECIMAL(38, 2))::VARCHAR AS mart, CAST(coalesce(r.total, 0) AS DECIMAL(38, 2))::VARCHAR AS raw
     FROM raw_totals r FULL JOIN mart_totals m USING (name) ORDER BY name`,
  );
  // Central costs allocated by net revenue (ADR 0019) add up to the central costs of each month exactly.
  const [allocation] = await queryRows<{ n: number; bad: string | null }>(
    conn,
    `SELECT count(*) AS n, string_agg(month || ': ' || allocated || ' ≠ ' || recorded, ', ') AS bad FROM (
       SELECT month, sum(central_allocated_eur)::VARCHAR AS allocated, sum(central_costs_eur)::VARCHAR AS recorded
       FROM marts.mart_monthly_pnl GROUP BY month HAVING sum(central_allocated_eur) <> sum(central_costs_eur))`,
  );
  results.push({
    name: "central costs allocated = central costs recorded, per month (to 1/10,000 €)",
    model: "marts.mart_monthly_pnl",
    failures: allocation?.n ?? 0,
    passed: (allocation?.n ?? 0) === 0,
    detail: allocation?.bad ?? undefined,
  });
  for (const c of checks) {
    const passed = c.mart === c.raw;
    results.push({
      name: `reconciliation: ${c.name} (marts = raw, to the cent)`,
      model: "marts",
      failures: passed ? 0 : 1,
      passed,
      detail: passed ? c.mart : `marts ${c.mart} ≠ raw ${c.raw}`,
    });
  }
  return results;
}

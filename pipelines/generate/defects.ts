// Bad data on demand: rows that break the landing contract, added beside the good ones (never
// replacing them, so the good rows still reconcile), and an answer key saying what was broken where.
//
// Every defect row carries a marker id (≥ 9,000,000,000) in a column that identifies it, so that its
// line can be found in the written file whatever else is wrong with the row.

import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, sqlString } from "../../core/duckdb.ts";
import { csvExpression, ENTITIES, type IdStyle, parquetExpression, parquetIdType } from "./entities.ts";

export const MARKER_BASE = 9_000_000_000;
const ORPHAN_BASE = 9_900_000_000;

export interface DefectOptions {
  rate: number;
  seed: number;
  format: "parquet" | "csv";
  batches: number;
  ids: IdStyle;
}

export interface DefectRecord {
  batch: string;
  entity: string;
  file: string;
  /** CSV: physical line, the header being line 1. Parquet: 1-based row number. */
  line: number;
  /** Value of the marker column (order_id for order items, the entity key otherwise). */
  marker: number;
  defect: string;
  /** What the pipeline should name as the reason, in a word: the contract rule broken. */
  rule:
    | "unknown_code"
    | "unparsable_value"
    | "missing_key"
    | "duplicate_key"
    | "orphan_reference"
    | "negative_amount"
    | "out_of_range"
    | "missing_fx_rate";
}

interface DefectKind {
  defect: string;
  rule: DefectRecord["rule"];
  csvOnly?: boolean;
  /** Column → replacement, as typed SQL (parquet) and as text (CSV). `$i` is the defect's index. */
  typed: Record<string, string>;
  text: Record<string, string>;
  /** Emit the row twice with the same key. */
  twice?: boolean;
}

interface EntityDefects {
  entity: string;
  marker: string;
  /** Columns set to the marker id on every defect row (besides the marker). */
  alsoMarked: string[];
  kinds: DefectKind[];
}

const same = (typed: Record<string, string>): Pick<DefectKind, "typed" | "text"> => ({
  typed,
  text: Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, `(${v})::VARCHAR`])),
});

const PLAN: EntityDefects[] = [
  {
    entity: "order_items",
    marker: "order_id",
    alsoMarked: ["order_item_id"],
    kinds: [
      { defect: "unknown country code", rule: "unknown_code", ...same({ country_code: "'XX'" }) },
      { defect: "unknown grade", rule: "unknown_code", ...same({ grade: "'mint'" }) },
      { defect: "unknown channel", rule: "unknown_code", ...same({ channel: "'fax'" }) },
      {
        defect: "unparsable price",
        rule: "unparsable_value",
        csvOnly: true,
        typed: {},
        text: { price: "'12,50 €'" },
      },
      {
        defect: "unparsable timestamp",
        rule: "unparsable_value",
        csvOnly: true,
        typed: {},
        text: { ordered_at: "'2024-02-30T25:61:00Z'" },
      },
      { defect: "missing key", rule: "missing_key", ...same({ order_item_id: "NULL" }) },
      {
        defect: "customer exists nowhere",
        rule: "orphan_reference",
        ...same({ customer_id: `${ORPHAN_BASE} + $i` }),
      },
      {
        defect: "product exists nowhere",
        rule: "orphan_reference",
        ...same({ product_id: `${ORPHAN_BASE} + $i` }),
      },
      { defect: "duplicate key in batch", rule: "duplicate_key", twice: true, typed: {}, text: {} },
      { defect: "battery 140%", rule: "out_of_range", ...same({ battery_health_pct: "140" }) },
      {
        defect: "negative price",
        rule: "negative_amount",
        typed: { price: "-abs(price) - 1" },
        text: { price: "'-' || price" },
      },
      { defect: "currency without FX rate", rule: "missing_fx_rate", ...same({ currency: "'CHF'" }) },
    ],
  },
  {
    entity: "customers",
    marker: "customer_id",
    alsoMarked: [],
    kinds: [
      { defect: "unknown country code", rule: "unknown_code", ...same({ country_code: "'ZZ'" }) },
      {
        defect: "unknown acquisition channel",
        rule: "unknown_code",
        ...same({ acquisition_channel: "'billboard'" }),
      },
      {
        defect: "unparsable timestamp",
        rule: "unparsable_value",
        csvOnly: true,
        typed: {},
        text: { signed_up_at: "'31/12/2023 10:00'" },
      },
      { defect: "duplicate key in batch", rule: "duplicate_key", twice: true, typed: {}, text: {} },
    ],
  },
  {
    entity: "returns",
    marker: "return_id",
    alsoMarked: [],
    kinds: [
      {
        defect: "order item exists nowhere",
        rule: "orphan_reference",
        ...same({ order_item_id: `${ORPHAN_BASE} + $i` }),
      },
      {
        defect: "negative refund",
        rule: "negative_amount",
        typed: { refunded_amount: "-abs(refunded_amount) - 1" },
        text: { refunded_amount: "'-' || refunded_amount" },
      },
      { defect: "unknown reason", rule: "unknown_code", ...same({ reason: "'broken'" }) },
    ],
  },
];

/**
 * Creates d_<entity>_<format> tables (projected like the written file, with sort_key, batch_no, defect)
 * and returns one record per defect row, lines still unknown (filled in once the files are written).
 */
export async function injectDefects(conn: DuckDBConnection, options: DefectOptions): Promise<DefectRecord[]> {
  const records: DefectRecord[] = [];
  let index = 0;
  for (const plan of PLAN) {
    const spec = ENTITIES.find((e) => e.entity === plan.entity);
    if (!spec) throw new Error(`unknown entity ${plan.entity}`);
    const kinds = plan.kinds.filter((k) => options.format === "csv" || !k.csvOnly);
    const total =
      (await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM out_${plan.entity}`))[0]?.n ?? 0;
    const count = Math.max(kinds.length, Math.round(total * options.rate));
    const keyColumn = spec.key[0] as string;
    // Base rows: good rows picked by hash, so the choice depends on the seed only.
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE d_base AS
       SELECT *, row_number() OVER (ORDER BY h) - 1 AS pick FROM (
         SELECT *, hash(${keyColumn}, ${options.seed}, 'defect') AS h FROM out_${plan.entity} ORDER BY h LIMIT ${count}
       )`,
    );
    const selects: string[] = [];
    kinds.forEach((kind, k) => {
      const columns = spec.columns.map((c) => {
        const i = `(${MARKER_BASE} + ${index} + pick)`;
        // The defect itself wins over the marker (a missing key is missing, marker or not).
        // Ids of defect rows (markers, orphans) are digit strings: valid text ids, whatever the style.
        const idType = options.format === "csv" ? "VARCHAR" : parquetIdType(options.ids);
        const typedBroken = (options.format === "csv" ? kind.text : kind.typed)[c.name]?.replaceAll(
          "$i",
          "pick",
        );
        const broken =
          typedBroken !== undefined && c.kind === "id" && typedBroken !== "NULL"
            ? `(${typedBroken})::${idType}`
            : typedBroken;
        const marked =
          c.name === plan.marker || plan.alsoMarked.includes(c.name) ? `${i}::${idType}` : undefined;
        const replaced = broken ?? marked;
        const base = (
          options.format === "csv" ? csvExpression(c, options.ids) : parquetExpression(c, options.ids)
        ).replace(/ AS \w+$/, "");
        return `${replaced ?? base} AS ${c.name}`;
      });
      const row = `SELECT ${columns.join(", ")}, 2 * (hash(pick, 'where') % 1000000)::BIGINT + 1 AS sort_key, batch_no, ${sqlString(kind.defect)} AS defect, ${sqlString(kind.rule)} AS rule, ${MARKER_BASE} + ${index} + pick AS marker FROM d_base WHERE pick % ${kinds.length} = ${k}`;
      selects.push(row);
      if (kind.twice) selects.push(row);
    });
    await conn.run(`CREATE OR REPLACE TABLE d_${plan.entity}_all AS ${selects.join(" UNION ALL ")}`);
    await conn.run(
      `CREATE OR REPLACE TABLE d_${plan.entity}_${options.format} AS SELECT * EXCLUDE (rule, marker) FROM d_${plan.entity}_all ORDER BY marker, sort_key`,
    );
    for (const r of await queryRows<{
      marker: number;
      defect: string;
      rule: DefectRecord["rule"];
      batch_no: number;
    }>(conn, `SELECT marker, defect, rule, batch_no FROM d_${plan.entity}_all ORDER BY marker`)) {
      records.push({
        batch: String(r.batch_no),
        entity: plan.entity,
        file: "",
        line: 0,
        marker: r.marker,
        defect: r.defect,
        rule: r.rule,
      });
    }
    index += count;
  }
  return records;
}

/** Finds each defect row's line in the written files and fills in batch, file and line. */
export async function locateDefectLines(
  conn: DuckDBConnection,
  out: string,
  format: "parquet" | "csv",
  defects: DefectRecord[],
  batches: string[],
): Promise<void> {
  const byFile = new Map<string, DefectRecord[]>();
  for (const d of defects) {
    d.batch = batches[Number(d.batch)] as string;
    d.file = `${d.batch}/${d.entity}.${format}`;
    byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  }
  for (const [file, records] of byFile) {
    const plan = PLAN.find((p) => p.entity === (records[0] as DefectRecord).entity) as EntityDefects;
    const spec = ENTITIES.find((e) => e.entity === plan.entity);
    const markerIndex = spec?.columns.findIndex((c) => c.name === plan.marker) ?? -1;
    const lines = new Map<number, number[]>();
    if (format === "csv") {
      // Marker columns come before any quoted text, so splitting on commas is exact for them.
      const reader = createInterface({
        input: createReadStream(join(out, file)),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      let line = 0;
      for await (const text of reader) {
        line++;
        const value = Number(text.split(",")[markerIndex]);
        if (value >= MARKER_BASE) lines.set(value, [...(lines.get(value) ?? []), line]);
      }
    } else {
      for (const r of await queryRows<{ marker: number; line: number }>(
        conn,
        `SELECT marker, line FROM (SELECT TRY_CAST(${plan.marker} AS BIGINT) AS marker, file_row_number + 1 AS line FROM read_parquet(${sqlString(join(out, file))}, file_row_number = true)) WHERE marker >= ${MARKER_BASE} ORDER BY line`,
      )) {
        lines.set(r.marker, [...(lines.get(r.marker) ?? []), r.line]);
      }
    }
    for (const d of records) {
      const found = lines.get(d.marker);
      const line = found?.shift();
      if (line === undefined) throw new Error(`defect row ${d.marker} not found in ${file}`);
      d.line = line;
    }
  }
  defects.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

// A Kysely dialect over @duckdb/node-api (ADR 0006). The published npm dialect binds Date parameters as
// ANY, drops a result whose only column is `count`, and reads DATE/TIMESTAMP in the local time zone;
// this one is small enough to read in full. DuckDB speaks PostgreSQL's SQL where Kysely cares: `$1`
// placeholders and "ident" quoting, so the PostgreSQL compiler and adapter serve, without advisory locks.
//
// Values are converted deliberately on the way in and out:
//   in:  Date → TIMESTAMP WITH TIME ZONE; a SqlDate (from `sqlDate('2024-01-31')`) → DATE; numbers,
//        strings, booleans and null as themselves.
//   out: DATE → 'YYYY-MM-DD'; TIMESTAMP WITH TIME ZONE → ISO 8601 in UTC; DECIMAL → number (exact to
//        the 4th decimal below 9e11, far beyond any amount here); BIGINT/HUGEINT → number, and an
//        error rather than a silently rounded count beyond 2^53.

import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from "@duckdb/node-api";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Dialect,
  type DialectAdapter,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from "kysely";
import { type NumberArray, withRoom } from "~/lib/typed-arrays";
import { recordQuery } from "../timing.server";

/** A calendar date parameter, bound as DuckDB DATE (never as a timestamp in some time zone). */
export class SqlDate {
  constructor(readonly iso: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new TypeError(`not a YYYY-MM-DD date: ${iso}`);
  }
}

export function sqlDate(iso: string): SqlDate {
  return new SqlDate(iso);
}

export function toDuckDBParameter(value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (value instanceof SqlDate) {
    const [year, month, day] = value.iso.split("-").map(Number) as [number, number, number];
    return DuckDBDateValue.fromParts({ year, month, day });
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("invalid Date parameter");
    return new DuckDBTimestampTZValue(BigInt(value.getTime()) * 1000n);
  }
  switch (typeof value) {
    case "string":
    case "boolean":
    case "bigint":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`non-finite number parameter: ${value}`);
      return value;
    default:
      throw new TypeError(`unsupported parameter type: ${typeof value}`);
  }
}

export function fromDuckDBValue(value: DuckDBValue): unknown {
  if (value === null) return null;
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new RangeError(`integer ${value} is beyond 2^53 and cannot be sent as a JSON number`);
    return Number(value);
  }
  if (value instanceof DuckDBDecimalValue) {
    if (value.value > BigInt(Number.MAX_SAFE_INTEGER) || value.value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new RangeError(`decimal ${value.toString()} has more digits than a JSON number keeps`);
    return Number(value.value) / 10 ** value.scale;
  }
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue) return new Date(Number(value.micros / 1000n)).toISOString();
  if (value instanceof DuckDBTimestampValue) return value.toString();
  if (typeof value === "object") throw new TypeError(`unsupported result value: ${String(value)}`);
  return value;
}

/**
 * BACKLIGHT_SQL_TRACE=1 prints each query's time and start to stderr; =full the whole statement and its
 * parameters (profiling, never in production).
 */
const TRACE = process.env.BACKLIGHT_SQL_TRACE === "1" || process.env.BACKLIGHT_SQL_TRACE === "full";
const TRACE_FULL = process.env.BACKLIGHT_SQL_TRACE === "full";

/** Under BACKLIGHT_SQL_TRACE, one line a query: its time and its start (or the whole, and parameters). */
function trace(took: number, compiled: CompiledQuery, kind = "sql"): void {
  if (!TRACE) return;
  console.error(
    `${kind} ${took.toFixed(1)} ms ${compiled.sql.replace(/\s+/g, " ").slice(0, TRACE_FULL ? undefined : 160)}${
      TRACE_FULL ? ` -- ${JSON.stringify(compiled.parameters)}` : ""
    }`,
  );
}

class DuckDBKyselyConnection implements DatabaseConnection {
  constructor(readonly conn: DuckDBConnection) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // A connection opened on first use (the warehouse's units of work) opens before the query's clock
    // starts: its wait for a slot is counted apart.
    await (this.conn as Partial<{ ready(): Promise<unknown> }>).ready?.();
    const started = performance.now();
    const reader = await this.conn.runAndReadAll(
      compiledQuery.sql,
      compiledQuery.parameters.map(toDuckDBParameter),
    );
    const took = performance.now() - started;
    recordQuery(took);
    trace(took, compiledQuery);
    const names = reader.columnNames();
    const rows = reader.getRows().map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) row[names[i] as string] = fromDuckDBValue(values[i] ?? null);
      return row as R;
    });
    return { rows };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered; exports stream through DuckDB COPY.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streamQuery is not supported by the DuckDB dialect: use COPY for large results");
  }
}

/** Hands Kysely the one connection of a unit of work (the warehouse opens and closes it). */
class DuckDBDriver implements Driver {
  readonly #connection: DuckDBKyselyConnection;
  constructor(conn: DuckDBConnection) {
    this.#connection = new DuckDBKyselyConnection(conn);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: "BEGIN TRANSACTION", parameters: [] } as unknown as CompiledQuery);
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: "COMMIT", parameters: [] } as unknown as CompiledQuery);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: "ROLLBACK", parameters: [] } as unknown as CompiledQuery);
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class DuckDBAdapter extends PostgresAdapter {
  // DuckDB has no advisory locks; a snapshot has one writer by construction (the pipeline's lock).
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** Tables and columns from information_schema (DuckDB has no full pg_catalog). */
class DuckDBIntrospector implements DatabaseIntrospector {
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's introspector contract is untyped.
  constructor(readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select schema_name as name from information_schema.schemata order by 1`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      schema: string;
      table: string;
      table_type: string;
      column: string;
      data_type: string;
      is_nullable: string;
      column_default: string | null;
    }>`
      select t.table_schema as schema, t.table_name as "table", t.table_type, c.column_name as "column",
        c.data_type, c.is_nullable, c.column_default
      from information_schema.tables t
      join information_schema.columns c using (table_catalog, table_schema, table_name)
      order by t.table_schema, t.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of rows) {
      const key = `${row.schema}.${row.table}`;
      let table = tables.get(key);
      if (!table) {
        table = { schema: row.schema, name: row.table, isView: row.table_type === "VIEW", columns: [] };
        tables.set(key, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.data_type,
        isNullable: row.is_nullable === "YES",
        isAutoIncrementing: false,
        hasDefaultValue: row.column_default !== null,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

export class DuckDBDialect implements Dialect {
  constructor(readonly conn: DuckDBConnection) {}
  createAdapter(): DialectAdapter {
    return new DuckDBAdapter();
  }
  createDriver(): Driver {
    return new DuckDBDriver(this.conn);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's introspector contract is untyped.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new DuckDBIntrospector(db);
  }
}

/** A Kysely over one DuckDB connection, typed by the tables it may read. */
export function kyselyOver<DB>(conn: DuckDBConnection, snapshot?: object): Kysely<DB> {
  const db = new Kysely<DB>({ dialect: new DuckDBDialect(conn) });
  if (snapshot) snapshots.set(db, snapshot);
  connections.set(db, conn);
  return db;
}

const connections = new WeakMap<object, DuckDBConnection>();

/** DuckDB's numeric vectors come as these (BIGINT's BigInt64Array excepted: cast to DOUBLE first). */
type NumberArrayOf = { new (length: number): NumberArray };

/**
 * A query's result as one typed array per column, copied chunk by chunk from DuckDB's vectors: no JS
 * value per item, and the event loop free between chunks (other requests run while a large mart is
 * read). Every column must be of a fixed-width number type other than BIGINT (cast to DOUBLE or INTEGER
 * in SQL); a NULL is an error. For the largest resident mart (ADR 0029): 930,000 rows × 16 columns in
 * ~0.6 s of DuckDB and a few ms of JavaScript a chunk, where rows of values took 5 s of the JS thread.
 */
export async function readVectors(
  db: Kysely<unknown>,
  query: { compile(db: Kysely<unknown>): CompiledQuery },
): Promise<{ rows: number; columns: Map<string, NumberArray> }> {
  const compiled = query.compile(db);
  const conn = connections.get(db);
  if (!conn) throw new Error("readVectors: not a Kysely instance of the DuckDB dialect");
  const ready = (conn as Partial<{ ready(): Promise<DuckDBConnection> }>).ready;
  const open = ready ? await ready.call(conn) : conn;
  const started = performance.now();
  const result = await open.stream(compiled.sql, compiled.parameters.map(toDuckDBParameter));
  const names = result.columnNames();
  // Each chunk is copied straight into its column's array, grown by doubling: no step copies more than
  // a few tens of MB at once (concatenating 7M-row columns at the end blocked the event loop ~0.4 s).
  const columns: NumberArray[] = [];
  let capacity = 0;
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    const parts = names.map((name, c) => {
      const vector = chunk.getColumnVector(c) as unknown as {
        items?: unknown;
        validity?: { data: unknown };
      };
      const items = vector.items;
      if (!ArrayBuffer.isView(items) || items instanceof BigInt64Array || items instanceof BigUint64Array)
        throw new TypeError(`readVectors: column ${name} is not of a fixed-width number type`);
      if (!allValid(vector.validity?.data, count))
        throw new TypeError(`readVectors: column ${name} holds a NULL`);
      return (items as NumberArray).subarray(0, count);
    });
    if (rows + count > capacity) {
      capacity = Math.max(2 * capacity, rows + count, 4096);
      // A column at a time, the event loop free between them (a step copies up to ~30 MB).
      for (let c = 0; c < names.length; c++) {
        if (rows > 0) await new Promise((done) => setImmediate(done));
        const Kind = (parts[c] as NumberArray).constructor as NumberArrayOf;
        columns[c] = withRoom(columns[c] ?? new Kind(0), capacity, rows);
      }
    }
    parts.forEach((part, c) => {
      (columns[c] as Float64Array).set(part as Float64Array, rows);
    });
    rows += count;
  }
  recordQuery(performance.now() - started);
  // Traced as "sql" too (the bench's summaries read those lines), marked as read into memory.
  trace(performance.now() - started, compiled, "sql [vectors]");
  const out = new Map<string, NumberArray>();
  for (let c = 0; c < names.length; c++) {
    const column = columns[c];
    if (!column) {
      out.set(names[c] as string, new Float64Array(0));
      continue;
    }
    // Trimmed to size a column at a time, the event loop free between them.
    if (column.length > rows) await new Promise((done) => setImmediate(done));
    out.set(names[c] as string, column.length > rows ? column.slice(0, rows) : column);
  }
  return { rows, columns: out };
}

/** Whether a vector's validity mask (none: all valid) marks its first `count` items valid. */
function allValid(mask: unknown, count: number): boolean {
  if (!(mask instanceof BigUint64Array)) return true;
  const full = count >>> 6;
  for (let w = 0; w < full; w++) if (mask[w] !== 0xffffffffffffffffn) return false;
  const rest = BigInt(count & 63);
  if (rest === 0n) return true;
  const bits = (1n << rest) - 1n;
  return ((mask[full] as bigint) & bits) === bits;
}

/** The snapshot each unit of work's Kysely instance reads (the warehouse's stable object for it). */
const snapshots = new WeakMap<object, object>();

/**
 * The snapshot a Kysely instance reads, as the object the warehouse keeps for it while it is open: what
 * memos per snapshot are keyed by (the resident marts, ADR 0029). Undefined for an instance opened for
 * one call (an earlier snapshot, a test's scratch database): nothing is kept for it.
 */
export function snapshotOf(db: object): object | undefined {
  return snapshots.get(db);
}

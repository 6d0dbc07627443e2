// The app state's two stores behind one small interface (issue 20, ADR 0026): SQLite, one file beside the
// warehouse (the default: `npm run demo` needs no server), or PostgreSQL when BACKLIGHT_STATE_URL is set
// (several replicas share users, sessions, throttling and the audit log). AppState (state.server.ts) is
// written once against `Sql`: portable statements with `?` placeholders (numbered for PostgreSQL here),
// `INSERT … ON CONFLICT`, `RETURNING id`, and lower() where a comparison ignores case. Each store keeps
// its own migrations, under the same version numbers, applied at open by whichever process opens first.

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export type Arg = string | number | null;

/** Statements on one connection (or one transaction's). */
export interface Sql {
  get<T>(text: string, ...args: Arg[]): Promise<T | undefined>;
  all<T>(text: string, ...args: Arg[]): Promise<T[]>;
  /** The number of rows the statement changed. */
  run(text: string, ...args: Arg[]): Promise<number>;
  /** An INSERT's new row id (the statement gets `RETURNING id`). */
  insert(text: string, ...args: Arg[]): Promise<number>;
}

export interface SqlDatabase extends Sql {
  readonly kind: "sqlite" | "postgres";
  /** Where the state lives, for messages: the SQLite file, or the PostgreSQL server without credentials. */
  readonly location: string;
  /**
   * `fn`'s statements in one transaction, which holds the write lock of `tables` from its start: SQLite
   * takes the whole file (BEGIN IMMEDIATE); PostgreSQL locks those tables against other writers (so
   * read-then-write sequences, such as sign-in throttling, are serialised across replicas).
   */
  transaction<T>(tables: readonly string[], fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// ── SQLite ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Transactions open in this process, per SQLite file. A second handle on the same file in the same
 * process (the tests' "two replicas") must wait here, not in SQLite's busy handler: that one blocks the
 * thread, so the transaction it waits for could never finish.
 */
const openTransactions = new Map<string, { busy: Promise<void> | null }>();

/**
 * better-sqlite3 is synchronous and has one connection: a statement outside a transaction runs at
 * once (as before the store became asynchronous), and one issued while a transaction awaits between
 * its statements waits for it to end, so it never slips into another caller's transaction.
 */
class SqliteDatabase implements SqlDatabase {
  readonly kind = "sqlite" as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly lock: { busy: Promise<void> | null };
  private readonly direct: Sql;

  constructor(readonly location: string) {
    this.db = new Database(location);
    let lock = openTransactions.get(location);
    if (!lock) {
      lock = { busy: null };
      openTransactions.set(location, lock);
    }
    this.lock = lock;
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    // The server and the users CLI may write at the same moment: wait for the other instead of failing.
    this.db.pragma("busy_timeout = 5000");
    const statement = (text: string) => this.statement(text);
    this.direct = {
      get: async <T>(text: string, ...args: Arg[]) => statement(text).get(...args) as T | undefined,
      all: async <T>(text: string, ...args: Arg[]) => statement(text).all(...args) as T[],
      run: async (text: string, ...args: Arg[]) => statement(text).run(...args).changes,
      insert: async (text: string, ...args: Arg[]) =>
        Number((statement(`${text} RETURNING id`).get(...args) as { id: number }).id),
    };
  }

  private statement(text: string): Database.Statement {
    let found = this.statements.get(text);
    if (!found) {
      found = this.db.prepare(text);
      this.statements.set(text, found);
    }
    return found;
  }

  /** Runs `f` once no transaction is open, checked in the same tick as `f` starts (no gap between). */
  private when<T>(f: () => Promise<T>): Promise<T> {
    const busy = this.lock.busy;
    return busy ? busy.then(() => this.when(f)) : f();
  }

  get<T>(text: string, ...args: Arg[]): Promise<T | undefined> {
    return this.when(() => this.direct.get<T>(text, ...args));
  }
  all<T>(text: string, ...args: Arg[]): Promise<T[]> {
    return this.when(() => this.direct.all<T>(text, ...args));
  }
  run(text: string, ...args: Arg[]): Promise<number> {
    return this.when(() => this.direct.run(text, ...args));
  }
  insert(text: string, ...args: Arg[]): Promise<number> {
    return this.when(() => this.direct.insert(text, ...args));
  }

  async transaction<T>(_tables: readonly string[], fn: (sql: Sql) => Promise<T>): Promise<T> {
    // The loop's last check and taking the lock happen in one tick: nobody starts in between.
    while (this.lock.busy) await this.lock.busy;
    let release = () => {};
    this.lock.busy = new Promise<void>((done) => {
      release = done;
    });
    try {
      this.db.exec("BEGIN IMMEDIATE");
      const result = await fn(this.direct);
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    } finally {
      this.lock.busy = null;
      release();
    }
  }

  userVersion(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  setUserVersion(version: number): void {
    this.db.pragma(`user_version = ${version}`);
  }

  exec(text: string): void {
    this.db.exec(text);
  }

  async close(): Promise<void> {
    while (this.lock.busy) await this.lock.busy;
    this.db.close();
  }
}

// ── PostgreSQL ─────────────────────────────────────────────────────────────────────────────────────

/** `?` placeholders to `$1…` (no statement here has a `?` inside a literal). */
export function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** BIGINT (epoch milliseconds, ids, counts) as a number, as SQLite gives them: all are far below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function onClient(client: pg.Pool | pg.PoolClient): Sql {
  const query = async <T>(text: string, args: Arg[]) =>
    client.query<T & pg.QueryResultRow>({ text: numbered(text), values: args });
  return {
    get: async <T>(text: string, ...args: Arg[]) => (await query<T>(text, args)).rows[0] as T | undefined,
    all: async <T>(text: string, ...args: Arg[]) => (await query<T>(text, args)).rows as T[],
    run: async (text: string, ...args: Arg[]) => (await query(text, args)).rowCount ?? 0,
    insert: async (text: string, ...args: Arg[]) =>
      Number((await query<{ id: number }>(`${text} RETURNING id`, args)).rows[0]?.id),
  };
}

class PostgresDatabase implements SqlDatabase {
  readonly kind = "postgres" as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly direct: Sql;

  constructor(url: string, poolSize: number) {
    // Shown in messages and logs: never the credentials.
    const parsed = new URL(url);
    this.location = `${parsed.protocol}//${parsed.username ? "…@" : ""}${parsed.host}${parsed.pathname}`;
    this.pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      types: TYPES,
      application_name: `backlight${process.env.BACKLIGHT_REPLICA ? `-${process.env.BACKLIGHT_REPLICA}` : ""}`,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection dropped by the server (a restart) is an event on the pool, not a crash.
    this.pool.on("error", (error) => console.error(`app state (PostgreSQL): ${error.message}`));
    this.direct = onClient(this.pool);
  }

  get<T>(text: string, ...args: Arg[]): Promise<T | undefined> {
    return this.direct.get<T>(text, ...args);
  }
  all<T>(text: string, ...args: Arg[]): Promise<T[]> {
    return this.direct.all<T>(text, ...args);
  }
  run(text: string, ...args: Arg[]): Promise<number> {
    return this.direct.run(text, ...args);
  }
  insert(text: string, ...args: Arg[]): Promise<number> {
    return this.direct.insert(text, ...args);
  }

  async transaction<T>(tables: readonly string[], fn: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // SHARE ROW EXCLUSIVE conflicts with itself and with every write: one such transaction at a time
      // per table, while plain reads go on.
      if (tables.length) await client.query(`LOCK TABLE ${tables.join(", ")} IN SHARE ROW EXCLUSIVE MODE`);
      const result = await fn(onClient(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `steps` (version → statements) above the stored version, once, whoever starts first. */
  async migrate(steps: ReadonlyMap<number, readonly string[]>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // Replicas starting together: the first migrates, the others wait here and find nothing to do.
      await client.query("SELECT pg_advisory_xact_lock(7466726173)");
      await client.query("CREATE TABLE IF NOT EXISTS backlight_schema (version INTEGER NOT NULL)");
      const found = await client.query<{ version: number }>("SELECT version FROM backlight_schema");
      const current = found.rows[0]?.version ?? 0;
      if (found.rowCount === 0) await client.query("INSERT INTO backlight_schema (version) VALUES (0)");
      let reached = current;
      for (const [version, statements] of [...steps].sort(([a], [b]) => a - b)) {
        if (version <= current) continue;
        for (const statement of statements) await client.query(statement);
        reached = version;
      }
      if (reached !== current) await client.query("UPDATE backlight_schema SET version = $1", [reached]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// ── opening ────────────────────────────────────────────────────────────────────────────────────────

/** The statements of each schema version, per store. */
export interface Migrations {
  sqlite: ReadonlyMap<number, readonly string[]>;
  postgres: ReadonlyMap<number, readonly string[]>;
}

/** Where the app state lives: a PostgreSQL URL, or a directory for the SQLite file. */
export type StateLocation = { url: string } | { directory: string };

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Opens the store and brings its schema up to date. */
export async function openSql(where: StateLocation, migrations: Migrations): Promise<SqlDatabase> {
  if ("url" in where) {
    if (!isPostgresUrl(where.url))
      throw new Error("BACKLIGHT_STATE_URL must be a postgres:// or postgresql:// address");
    const size = Number(process.env.BACKLIGHT_STATE_POOL ?? 10);
    const db = new PostgresDatabase(where.url, Number.isInteger(size) && size > 0 ? size : 10);
    try {
      await db.migrate(migrations.postgres);
    } catch (error) {
      await db.close().catch(() => {});
      throw new Error(
        `cannot open the app state at ${db.location}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return db;
  }
  mkdirSync(where.directory, { recursive: true, mode: 0o700 });
  const db = new SqliteDatabase(join(resolve(where.directory), "backlight.sqlite"));
  const latest = Math.max(...migrations.sqlite.keys());
  if (db.userVersion() < latest) {
    await db.transaction([], async () => {
      const now = db.userVersion();
      for (const [version, statements] of [...migrations.sqlite].sort(([a], [b]) => a - b))
        if (version > now) for (const statement of statements) db.exec(statement);
      db.setUserVersion(latest);
    });
  }
  return db;
}

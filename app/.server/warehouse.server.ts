// The read-only view of the published warehouse: which snapshot is current, and one DuckDB instance
// per snapshot per process. Every unit of work gets its own connection on the snapshot that was
// current when it started; a replaced snapshot is closed once its last query is done.

import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { Kysely } from "kysely";
import { z } from "zod";
import { READ_ONLY_SETTINGS, sqlString } from "../../core/duckdb.ts";
import { keeping, QueueTimeout, ResultCache, Semaphore } from "./cache.server";
import { kyselyOver } from "./db/duckdb-dialect";
import type { Database } from "./db/schema";
import { recordWait } from "./timing.server";

export const SNAPSHOT_HEADER = "X-Backlight-Snapshot";
export const NO_WAREHOUSE_MESSAGE = "no warehouse published yet: run npm run demo";

/** How long a read of current.json is trusted before it is read again. */
const POINTER_TTL_MS = 1000;

const pointerSchema = z.object({
  // The id goes into file names and an HTTP header: keep it to safe characters.
  id: z.string().regex(/^[\w.:-]{1,128}$/, "must be 1-128 letters, digits or . _ : -"),
  path: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  synthetic: z.boolean(),
});

export interface Snapshot {
  id: string;
  /** Absolute path of the snapshot's DuckDB file. */
  file: string;
  createdAt: string;
  synthetic: boolean;
}

export type WarehouseStatus = { state: "empty"; message: string } | { state: "ready"; snapshot: Snapshot };

export type WarehouseResult<T> =
  | { state: "empty"; message: string }
  | { state: "ready"; snapshot: Snapshot; result: T };

/** The published warehouse exists but cannot be read. The message names no absolute path. */
export class WarehouseError extends Error {
  override name = "WarehouseError";
}

/**
 * The warehouse is too busy for this request: it waited too long for a slot, or its query ran past
 * the time limit and was interrupted. Answered 503 with Retry-After, never a stall.
 */
export class WarehouseBusy extends WarehouseError {
  override name = "WarehouseBusy";
  readonly retryAfterSeconds = 5;
}

/** Milliseconds from the environment, or the default. */
function msFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

interface OpenSnapshot {
  snapshot: Snapshot;
  instance: Promise<DuckDBInstance>;
  /**
   * A second read-only instance of the same file for exports, opened on first use, with its own small
   * memory limit: a 30M-row scan fills a buffer pool, and the pages' pool (and the process's RSS) must
   * not grow by gigabytes for it.
   */
  exportInstance?: Promise<DuckDBInstance>;
  leases: number;
  retired: boolean;
}

export interface WarehouseOptions {
  dataDir: string;
  pointerTtlMs?: number;
  now?: () => number;
  /** Units of work run at once (default BACKLIGHT_DB_CONCURRENCY or 4). */
  concurrency?: number;
  /** How long a unit of work may wait for a slot (default BACKLIGHT_QUEUE_TIMEOUT_MS or 10 s). */
  queueTimeoutMs?: number;
  /** How long a unit of work may run before it is interrupted (default BACKLIGHT_QUERY_TIMEOUT_MS or 15 s). */
  queryTimeoutMs?: number;
  /** Results kept per snapshot (default BACKLIGHT_CACHE_ENTRIES or 500; 0 turns the cache off). */
  cacheEntries?: number;
  /**
   * Runs the last warmers (background reads no request waits for, ADR 0031) even with the result cache
   * off, when no other warmer runs: the server's warehouse does; a command-line export does not.
   */
  backgroundReads?: boolean;
}

export class Warehouse {
  readonly dataDir: string;
  readonly #pointerTtlMs: number;
  readonly #now: () => number;
  #status: WarehouseStatus | undefined;
  #checkedAt = 0;
  #refreshing: Promise<WarehouseStatus> | undefined;
  /** A newly published snapshot being readied while the current one is served (see #refresh). */
  #preparing: { id: string; done: Promise<void> } | undefined;
  #open: OpenSnapshot | undefined;
  /** At most this many units of work at once; DuckDB's threads serve each in turn. */
  readonly #slots: Semaphore;
  /** Exports run in their own lane (long streams must not starve the pages): at most this many. */
  readonly #exportSlots: Semaphore;
  readonly cache: ResultCache;
  readonly #queueTimeoutMs: number;
  readonly #queryTimeoutMs: number;
  readonly #backgroundReads: boolean;
  /** The snapshot whose warmers have all run (or failed): its presets are cached, its marts held. */
  #warmed: string | null = null;

  constructor(options: WarehouseOptions) {
    this.#queueTimeoutMs = options.queueTimeoutMs ?? msFromEnv("BACKLIGHT_QUEUE_TIMEOUT_MS", 10_000);
    this.#queryTimeoutMs = options.queryTimeoutMs ?? msFromEnv("BACKLIGHT_QUERY_TIMEOUT_MS", 15_000);
    this.#backgroundReads = options.backgroundReads ?? false;
    this.dataDir = resolve(options.dataDir);
    this.#pointerTtlMs = options.pointerTtlMs ?? POINTER_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#slots = new Semaphore(options.concurrency ?? (Number(process.env.BACKLIGHT_DB_CONCURRENCY) || 4));
    this.#exportSlots = new Semaphore(Number(process.env.BACKLIGHT_EXPORT_CONCURRENCY) || 2);
    this.cache = new ResultCache(options.cacheEntries ?? Number(process.env.BACKLIGHT_CACHE_ENTRIES ?? 500));
  }

  /**
   * The current snapshot, at least as new as `seen` (a snapshot the reader was already shown, by this
   * process or another replica): when ours is older, current.json is read again at once instead of at
   * the end of its TTL (issue 20: nobody sees an older snapshot after a newer one). Snapshot ids start
   * with their publish time (YYYYMMDDTHHMMSSZ), so they compare as text.
   */
  async atLeast(seen: string): Promise<WarehouseStatus> {
    const status = await this.status();
    if (status.state === "ready" && status.snapshot.id >= seen) return status;
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    let refreshed = await this.#refreshing;
    // The reader saw a snapshot this process is still readying (or one published after it): it waits for
    // the preparations, never goes back to an older snapshot.
    for (let round = 0; round < 3; round++) {
      if (refreshed.state === "ready" && refreshed.snapshot.id >= seen) return refreshed;
      const preparing = this.#preparing;
      if (!preparing) return refreshed;
      await preparing.done;
      this.#checkedAt = 0;
      refreshed = await this.status();
    }
    return refreshed;
  }

  /** Units of work waiting for a slot: the pages' lane and the downloads' (for /metrics). */
  queueDepth(): { pages: number; exports: number } {
    return { pages: this.#slots.waiting, exports: this.#exportSlots.waiting };
  }

  /** The current snapshot, from current.json read at most once per TTL. */
  async status(): Promise<WarehouseStatus> {
    if (this.#status && this.#now() - this.#checkedAt < this.#pointerTtlMs) return this.#status;
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * Runs one unit of work on a new connection to the current snapshot: bounded in time, both waiting
   * for a slot and running (WarehouseBusy past either bound; the query is interrupted).
   */
  async withConnection<T>(
    work: (conn: DuckDBConnection, snapshot: Snapshot) => Promise<T>,
  ): Promise<WarehouseResult<T>> {
    const asked = performance.now();
    try {
      return await this.#slots.run(() => {
        recordWait(performance.now() - asked);
        return this.#withConnection(work, this.#queryTimeoutMs);
      }, this.#queueTimeoutMs);
    } catch (error) {
      if (error instanceof QueueTimeout)
        throw new WarehouseBusy("the warehouse is busy: too many queries are waiting");
      throw error;
    }
  }

  /** Whether the warmers of this snapshot have all run: /healthz says so (a bench waits for it). */
  isWarm(snapshotId: string): boolean {
    return this.#warmed === snapshotId;
  }

  /**
   * The health check's query: outside the slots, so it never waits behind the pages' queries, and
   * bounded in time (WarehouseBusy past `timeoutMs`).
   */
  async probe(timeoutMs = 2_000): Promise<WarehouseResult<void>> {
    return this.#withConnection(async (conn) => {
      await conn.run("SELECT 1");
    }, timeoutMs);
  }

  /**
   * Runs an export: like withConnection, in the export lane, holding its snapshot for as long as `work`
   * runs (a stream may outlive several publishes; its snapshot closes when it ends).
   */
  async withExportConnection<T>(
    work: (conn: DuckDBConnection, snapshot: Snapshot) => Promise<T>,
  ): Promise<WarehouseResult<T>> {
    const lease = await this.leaseExport();
    if (lease.state === "empty") return lease;
    try {
      return {
        state: "ready",
        snapshot: lease.snapshot,
        result: await work(lease.result.conn, lease.snapshot),
      };
    } finally {
      lease.result.release();
    }
  }

  /**
   * A connection in the export lane for a stream that outlives any one call: the caller must call
   * `release` exactly when the stream ends, fails or is abandoned (a second call does nothing).
   */
  async leaseExport(): Promise<WarehouseResult<{ conn: DuckDBConnection; release: () => void }>> {
    await this.#exportSlots.acquire();
    let open: OpenSnapshot | undefined;
    try {
      await this.status();
      const status = this.#status;
      if (!status || status.state === "empty") {
        this.#exportSlots.release();
        return status ?? { state: "empty", message: NO_WAREHOUSE_MESSAGE };
      }
      open = this.#lease(status.snapshot);
      const leasedOpen = open;
      leasedOpen.exportInstance ??= openInstance(leasedOpen.snapshot, exportDbConfig());
      leasedOpen.exportInstance.catch(() => {
        leasedOpen.exportInstance = undefined;
      });
      const conn = await (await leasedOpen.exportInstance).connect();
      const leased = open;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        conn.closeSync();
        this.#release(leased);
        this.#exportSlots.release();
      };
      return { state: "ready", snapshot: leased.snapshot, result: { conn, release } };
    } catch (error) {
      if (open) this.#release(open);
      this.#exportSlots.release();
      throw error;
    }
  }

  /**
   * Runs one unit of work through Kysely, typed so that only the marts can be read. Its snapshot is
   * leased at once; a slot and a connection only when its first query runs (ADR 0029): a unit of work
   * that the resident marts answer whole (a profitability page, most of a region's) never waits behind
   * other requests' queries for a slot it would not use. Bounded as withConnection is.
   */
  async withDb<T>(
    work: (db: Kysely<Database>, snapshot: Snapshot) => Promise<T>,
    /** Background work (a warmer's long read) may run longer than a request: up to `timeoutMs`. */
    options: { timeoutMs?: number } = {},
  ): Promise<WarehouseResult<T>> {
    const timeoutMs = options.timeoutMs ?? this.#queryTimeoutMs;
    await this.status();
    // Lease synchronously after the await, so a concurrent refresh cannot retire it first.
    const status = this.#status;
    if (!status || status.state === "empty")
      return status ?? { state: "empty", message: NO_WAREHOUSE_MESSAGE };
    const open = this.#lease(status.snapshot);
    const lazy = new LazyConnection(open, this.#slots, this.#queueTimeoutMs, timeoutMs);
    try {
      const db = kyselyOver<Database>(lazy as unknown as DuckDBConnection, open.snapshot);
      return { state: "ready", snapshot: open.snapshot, result: await work(db, open.snapshot) };
    } catch (error) {
      if (lazy.interrupted) {
        console.error(`backlight: a query ran past ${timeoutMs} ms and was interrupted`);
        throw new WarehouseBusy("the query took too long and was stopped");
      }
      throw error;
    } finally {
      await lazy.close();
      this.#release(open);
    }
  }

  /**
   * A result computed once per snapshot and key: `work` runs only on a miss. The key must name
   * everything the result depends on besides the snapshot.
   */
  async cached<T>(
    key: string,
    work: (db: Kysely<Database>, snapshot: Snapshot) => Promise<T>,
  ): Promise<WarehouseResult<T>> {
    return this.#cachedIn(this.#results(), key, work);
  }

  /**
   * A fact of the current snapshot that no filter changes (its countries and span of data, a mart a page
   * reads whole), read once and held while the snapshot is current, as the resident marts are: not a
   * filtered result, so neither the result cache's size nor BACKLIGHT_CACHE_ENTRIES=0 applies to it (with
   * the cache off, every request re-read them: eight statements and 20–80 ms a page; issue 15).
   */
  async held<T>(
    key: string,
    work: (db: Kysely<Database>, snapshot: Snapshot) => Promise<T>,
  ): Promise<WarehouseResult<T>> {
    return this.#cachedIn(this.#held, key, work);
  }

  readonly #held = new ResultCache(Number.POSITIVE_INFINITY);

  /** The result cache, or none inside `withoutKeeping` (the server's own start-up renders). */
  #results(): ResultCache {
    return keeping() ? this.cache : UNKEPT;
  }

  async #cachedIn<T>(
    cache: ResultCache,
    key: string,
    work: (db: Kysely<Database>, snapshot: Snapshot) => Promise<T>,
  ): Promise<WarehouseResult<T>> {
    const status = await this.status();
    if (status.state === "empty") return status;
    let snapshotSeen: Snapshot = status.snapshot;
    const result = await cache.get(status.snapshot.id, key, async () => {
      const r = await this.withDb(work);
      if (r.state === "empty") throw new WarehouseError("the warehouse was unpublished");
      snapshotSeen = r.snapshot;
      return r.result;
    });
    return { state: "ready", snapshot: snapshotSeen, result };
  }

  /**
   * A value derived from the current snapshot, computed once per snapshot and key (no connection is
   * held while it is computed: `compute` makes its own units of work).
   */
  async memo<T>(key: string, compute: (snapshot: Snapshot) => Promise<T>): Promise<WarehouseResult<T>> {
    const status = await this.status();
    if (status.state === "empty") return status;
    const result = await this.#results().get(status.snapshot.id, `memo|${key}`, () =>
      compute(status.snapshot),
    );
    return { state: "ready", snapshot: status.snapshot, result };
  }

  /**
   * A value derived in JavaScript from what was read from `snapshot` (a view over cached rows): kept per
   * key while that snapshot is current, computed afresh when it is no longer (its rows are then stale
   * for the cache, not for the request that read them).
   */
  async derived<T>(snapshot: Snapshot, key: string, compute: () => T): Promise<T> {
    const status = await this.status();
    if (status.state === "empty" || status.snapshot.id !== snapshot.id) return compute();
    return this.#results().get(snapshot.id, `derived|${key}`, async () => compute());
  }

  async #withConnection<T>(
    work: (conn: DuckDBConnection, snapshot: Snapshot) => Promise<T>,
    timeoutMs: number,
  ): Promise<WarehouseResult<T>> {
    await this.status();
    // Lease synchronously after the await, so a concurrent refresh cannot retire it first.
    const status = this.#status;
    if (!status || status.state === "empty")
      return status ?? { state: "empty", message: NO_WAREHOUSE_MESSAGE };
    const open = this.#lease(status.snapshot);
    try {
      const instance = await open.instance;
      const conn = await instance.connect();
      let interrupted = false;
      const timer = setTimeout(() => {
        interrupted = true;
        conn.interrupt();
      }, timeoutMs);
      try {
        return { state: "ready", snapshot: open.snapshot, result: await work(conn, open.snapshot) };
      } catch (error) {
        if (interrupted) {
          console.error(`backlight: a query ran past ${timeoutMs} ms and was interrupted`);
          throw new WarehouseBusy("the query took too long and was stopped");
        }
        throw error;
      } finally {
        clearTimeout(timer);
        conn.closeSync();
      }
    } finally {
      this.#release(open);
    }
  }

  /**
   * Runs `work` on an earlier published snapshot (by id, as meta.runs names it; its file lies beside
   * `current`'s, as the pipeline names them), opened read-only for this call alone with the export lane's small memory limit, in a slot like any
   * unit of work. null when its file is gone: the pipeline keeps the newest three (ADR 0022).
   */
  async withEarlierSnapshot<T>(
    current: Snapshot,
    id: string,
    work: (db: Kysely<Database>) => Promise<T>,
  ): Promise<T | null> {
    if (!pointerSchema.shape.id.safeParse(id).success) return null;
    const file = join(dirname(current.file), `${id}.duckdb`);
    if (!existsSync(file)) return null;
    const snapshot = { id, createdAt: "", synthetic: false } as Snapshot;
    Object.defineProperty(snapshot, "file", { value: file, enumerable: false });
    const asked = performance.now();
    try {
      return await this.#slots.run(async () => {
        recordWait(performance.now() - asked);
        const instance = await openInstance(snapshot, exportDbConfig());
        try {
          const conn = await instance.connect();
          const timer = setTimeout(() => conn.interrupt(), this.#queryTimeoutMs);
          try {
            return await work(kyselyOver<Database>(conn));
          } finally {
            clearTimeout(timer);
            conn.closeSync();
          }
        } finally {
          instance.closeSync();
        }
      }, this.#queueTimeoutMs);
    } catch (error) {
      if (error instanceof QueueTimeout)
        throw new WarehouseBusy("the warehouse is busy: too many queries are waiting");
      throw error;
    }
  }

  /** Closes the open snapshot once its queries are done (tests, shutdown). */
  close(): void {
    if (this.#open) this.#retire(this.#open);
    this.#open = undefined;
    this.#status = undefined;
  }

  async #refresh(): Promise<WarehouseStatus> {
    const status = await readPointer(this.dataDir);
    this.#checkedAt = this.#now();
    const current = this.#status;
    // A new snapshot replacing one being served is readied first (ADR 0030): opened, and its resident
    // marts read, while the current one answers; then served. Otherwise its first requests would wait
    // seconds for what the preparers read. The first snapshot, or none, is served at once.
    if (
      status.state === "ready" &&
      current?.state === "ready" &&
      status.snapshot.id !== current.snapshot.id &&
      preparers.length > 0 &&
      process.env.BACKLIGHT_PREPARE_SNAPSHOTS !== "0"
    ) {
      // One at a time: a publish during a preparation waits for it (then the next refresh readies the
      // newest), so that publishes closer together than a preparation cannot keep the server on the old.
      if (!this.#preparing) {
        const id = status.snapshot.id;
        const done = this.#prepare(status.snapshot).then(({ open, opened }) => {
          this.#preparing = undefined;
          // Not opened (the next refresh reads the pointer again), or something else switched meanwhile.
          if (!opened || this.#status !== current) {
            closeInstance(open);
            this.#checkedAt = 0;
            return;
          }
          if (this.#open && this.#open !== open) this.#retire(this.#open);
          this.#open = open;
          this.#switchTo(status, true);
        });
        this.#preparing = { id, done };
      }
      return current;
    }
    return this.#switchTo(status);
  }

  /** Serves `status`; `readied`: its preparers have run (else its warming runs them first). */
  #switchTo(status: WarehouseStatus, readied = false): WarehouseStatus {
    const previousId = this.#status?.state === "ready" ? this.#status.snapshot.id : undefined;
    this.#status = status;
    const currentId = status.state === "ready" ? status.snapshot.id : undefined;
    if (this.#open && this.#open.snapshot.id !== currentId) {
      this.#retire(this.#open);
      this.#open = undefined;
    }
    if (currentId && currentId !== previousId) this.#warm(currentId, readied);
    return status;
  }

  /**
   * Opens a snapshot and runs the preparers on it, in a slot like any unit of work (a longer time limit:
   * the resident marts at full scale take seconds). A failure is logged, not thrown: the snapshot is
   * served anyway, and its first requests read what the preparers did not.
   */
  async #prepare(snapshot: Snapshot): Promise<{ open: OpenSnapshot; opened: boolean }> {
    const open: OpenSnapshot = { snapshot, instance: openInstance(snapshot), leases: 1, retired: false };
    const opened = await open.instance.then(
      () => true,
      () => false,
    );
    try {
      if (opened) await this.#runPreparers(open, "");
    } finally {
      open.leases -= 1;
    }
    return { open, opened };
  }

  /**
   * Runs every preparer on an opened snapshot (`open`, leased by the caller). One slot of the pages'
   * lane for the whole preparation, and in it each preparer on its own connection, all at once: their
   * reads are independent, and each is a chain of statements whose every step waits for the JavaScript
   * thread behind the requests still served. One after the other, a tiny snapshot took 2.5–4.5 s to
   * ready under load (three replicas on two cores; the bar is 5 s). A failure is logged, not thrown.
   */
  async #runPreparers(open: OpenSnapshot, how: string): Promise<void> {
    const { snapshot } = open;
    const started = performance.now();
    const lane = new Semaphore(Math.max(1, preparers.length));
    const lazies = preparers.map(
      () => new LazyConnection(open, lane, this.#queueTimeoutMs, PREPARE_TIMEOUT_MS),
    );
    try {
      const outcomes = await this.#slots.run(
        () =>
          Promise.allSettled(
            preparers.map((prepare, i) =>
              prepare(kyselyOver<Database>(lazies[i] as unknown as DuckDBConnection, snapshot), snapshot),
            ),
          ),
        this.#queueTimeoutMs,
      );
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
      if (failed) throw failed.reason;
      console.info(
        `backlight: snapshot ${snapshot.id} readied in ${Math.round(performance.now() - started)} ms${how}`,
      );
    } catch (error) {
      console.error(`backlight: readying snapshot ${snapshot.id} failed; serving it anyway`, error);
    } finally {
      await Promise.all(lazies.map((lazy) => lazy.close()));
    }
  }

  /**
   * Computes the most visited views of a snapshot in the background as soon as it is current, so the
   * first visitor after a publish finds them cached. Failures are logged, never thrown at a request.
   */
  #warm(snapshotId: string, readied: boolean): void {
    // With the result cache off, the others (which fill it) do not run; the last warmers (reads that
    // requests use but never wait for, ADR 0031) do where the warehouse serves requests.
    const run = this.cache.disabled
      ? this.#backgroundReads
        ? [...lastWarmers, ...finalWarmers]
        : []
      : [...warmers, ...lastWarmers, ...finalWarmers];
    // A snapshot served at once (the first after a start: there was nothing to serve meanwhile) is readied
    // here, in the background, before its other warmers: else the first request that needs a resident
    // mart reads it, and every request behind it waits (a first /quality with a country filter: 6
    // statements, 0.3 s alone, 1.5 s for three requests queued behind it in the pages bench).
    const prepare =
      !readied &&
      (run.length > 0 || this.#backgroundReads) &&
      preparers.length > 0 &&
      process.env.BACKLIGHT_PREPARE_SNAPSHOTS !== "0";
    if (run.length === 0 && !prepare) {
      this.#warmed = snapshotId;
      return;
    }
    /** The snapshot while it is still the one served, else null. */
    const served = () =>
      this.#status?.state === "ready" && this.#status.snapshot.id === snapshotId
        ? this.#status.snapshot
        : null;
    const current = () => served() !== null;
    setTimeout(() => {
      (async () => {
        const snapshot = prepare ? served() : null;
        if (snapshot) {
          const open = this.#lease(snapshot);
          try {
            await this.#runPreparers(open, ", while served");
          } finally {
            this.#release(open);
          }
        }
        for (const warmer of run) {
          if (!current()) return;
          await warmer(this);
        }
      })()
        .catch((error: unknown) => console.error(`backlight: warming snapshot ${snapshotId} failed`, error))
        .finally(() => {
          if (current()) this.#warmed = snapshotId;
        });
    }, 0);
  }

  #lease(snapshot: Snapshot): OpenSnapshot {
    if (this.#open?.snapshot.id !== snapshot.id) {
      if (this.#open) this.#retire(this.#open);
      const open: OpenSnapshot = { snapshot, instance: openInstance(snapshot), leases: 0, retired: false };
      // A snapshot that failed to open is forgotten, so the next request tries again.
      open.instance.catch(() => {
        if (this.#open === open) this.#open = undefined;
      });
      this.#open = open;
    }
    this.#open.leases += 1;
    return this.#open;
  }

  #release(open: OpenSnapshot): void {
    open.leases -= 1;
    if (open.retired && open.leases === 0) closeInstance(open);
  }

  #retire(open: OpenSnapshot): void {
    open.retired = true;
    if (open.leases === 0) closeInstance(open);
  }
}

/** DuckDB settings of the server's instances: read-only, offline, bounded (BACKLIGHT_DB_* to tune). */
export function serverDbConfig(): Record<string, string> {
  return {
    ...READ_ONLY_SETTINGS,
    threads: process.env.BACKLIGHT_DB_THREADS || "2",
    memory_limit: process.env.BACKLIGHT_DB_MEMORY || "2GB",
    temp_directory: join(tmpdir(), `backlight-server-${process.pid}`),
  };
}

/**
 * The one directory the server's DuckDB may write to (Parquet exports, written there and streamed
 * out); every other file stays out of reach, and the settings are locked.
 */
export function exportDirectory(): string {
  return join(tmpdir(), `backlight-server-${process.pid}`, "exports");
}

/**
 * Locks an instance down before any query runs: no file or network access but the export directory
 * (DuckDB accepts allowed_directories only as a SET, before external access is turned off), and no
 * further change of settings.
 */
async function lockDown(instance: DuckDBInstance): Promise<void> {
  mkdirSync(exportDirectory(), { recursive: true });
  const conn = await instance.connect();
  try {
    await conn.run(`SET allowed_directories = [${sqlString(`${exportDirectory()}/`)}]`);
    await conn.run("SET enable_external_access = false");
    await conn.run("SET lock_configuration = true");
  } finally {
    conn.closeSync();
  }
}

/** The export instance's settings: the server's, with a memory limit of its own (BACKLIGHT_EXPORT_MEMORY). */
export function exportDbConfig(): Record<string, string> {
  return { ...serverDbConfig(), memory_limit: process.env.BACKLIGHT_EXPORT_MEMORY || "256MB" };
}

async function openInstance(
  snapshot: Snapshot,
  config: Record<string, string> = serverDbConfig(),
): Promise<DuckDBInstance> {
  try {
    const instance = await DuckDBInstance.create(snapshot.file, config);
    try {
      await lockDown(instance);
    } catch (error) {
      instance.closeSync();
      throw error;
    }
    return instance;
  } catch (error) {
    console.error(`backlight: cannot open snapshot ${snapshot.id} at ${snapshot.file}`, error);
    throw new WarehouseError(`snapshot ${snapshot.id} could not be opened`);
  }
}

function closeInstance(open: OpenSnapshot): void {
  for (const instance of [open.instance, open.exportInstance])
    instance?.then(
      (opened) => opened.closeSync(),
      () => undefined,
    );
}

async function readPointer(dataDir: string): Promise<WarehouseStatus> {
  let text: string;
  try {
    text = await readFile(join(dataDir, "current.json"), "utf8");
  } catch (error) {
    if (isMissingFile(error)) return { state: "empty", message: NO_WAREHOUSE_MESSAGE };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WarehouseError("current.json is not valid JSON");
  }
  const parsed = pointerSchema.safeParse(json);
  if (!parsed.success) {
    throw new WarehouseError(
      `current.json is not a valid snapshot pointer: ${z.prettifyError(parsed.error)}`,
    );
  }
  const { id, path, createdAt, synthetic } = parsed.data;
  if (isAbsolute(path)) throw new WarehouseError("current.json: path must be relative to the data directory");
  // The file's absolute path stays on the server: not enumerable, so no loader's data (serialised
  // for the browser) and no JSON answer ever carries it.
  const snapshot = { id, createdAt, synthetic } as Snapshot;
  Object.defineProperty(snapshot, "file", { value: resolve(dataDir, path), enumerable: false });
  return { state: "ready", snapshot };
}

function isMissingFile(error: unknown): boolean {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * The marts small enough to keep in DuckDB's buffer pool (≤ 3M rows: ~80 MB at scale 1, of the 2 GB it
 * may use), read once when a snapshot becomes current: a first visit after a publish then reads memory
 * instead of decompressing blocks from the file (a daily-sales scan 24 → 4 ms, ADR 0020). One table per
 * unit of work, so a user's query never waits behind all of them. The customer-days and customers
 * (27.5M and 15M rows) are left to the queries that need them.
 */
const SMALL_MART_ROWS = 3_000_000;
async function loadSmallMarts(warehouse: Warehouse): Promise<void> {
  // Only a speed-up: a warehouse too busy to list its marts (its slots full) is left to the queries.
  const listed = await warehouse
    .withConnection(async (conn) =>
      (
        await conn.runAndReadAll(
          `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' AND estimated_size <= ${SMALL_MART_ROWS} ORDER BY table_name`,
        )
      )
        .getRows()
        .map((row) => String(row[0])),
    )
    .catch((error: unknown) => {
      if (error instanceof WarehouseBusy) return null;
      throw error;
    });
  if (listed?.state !== "ready") return;
  for (const table of listed.result)
    try {
      await warehouse.withConnection(async (conn) => {
        await conn.run(`SELECT min(COLUMNS(*)) FROM marts."${table.replaceAll('"', '""')}"`);
      });
    } catch (error) {
      if (error instanceof WarehouseBusy) return;
      // A table that cannot be read this way is read by the first query that needs it.
      console.error(`backlight: could not preload marts.${table}`, error);
    }
}

/** How long readying a new snapshot may query before it is interrupted (and served as it is). */
export const PREPARE_TIMEOUT_MS = 120_000;

/**
 * Work that readies a newly published snapshot before it is served in place of the current one (see
 * Warehouse#refresh): reading what its first requests would otherwise wait for. Run in order, each
 * through one unit of work on the new snapshot.
 */
const preparers: ((db: Kysely<Database>, snapshot: Snapshot) => Promise<unknown>)[] = [];

/** Adds a preparer; what it returns takes it away again (tests). */
export function addPreparer(
  prepare: (db: Kysely<Database>, snapshot: Snapshot) => Promise<unknown>,
): () => void {
  if (!preparers.includes(prepare)) preparers.push(prepare);
  return () => {
    const at = preparers.indexOf(prepare);
    if (at >= 0) preparers.splice(at, 1);
  };
}

/** What `withoutKeeping` computes goes through this cache of no entries. */
const UNKEPT = new ResultCache(0);

/** Work run in the background whenever a new snapshot becomes current (see Warehouse#warm). */
const warmers: ((warehouse: Warehouse) => Promise<void>)[] = [loadSmallMarts];
/**
 * Warmers run after every other: long background reads that no request waits for (ADR 0031); with the
 * result cache off too, in a warehouse with `backgroundReads` (the server's).
 */
const lastWarmers: ((warehouse: Warehouse) => Promise<void>)[] = [];
/** After the last ones: the server's own renders of sample pages (ADR 0037), which read what they held. */
const finalWarmers: ((warehouse: Warehouse) => Promise<void>)[] = [];

export function addWarmer(
  warmer: (warehouse: Warehouse) => Promise<void>,
  options: { last?: boolean; final?: boolean } = {},
): void {
  const list = options.final ? finalWarmers : options.last ? lastWarmers : warmers;
  if (!list.includes(warmer)) list.push(warmer);
}

// One warehouse per data directory per process; kept on globalThis so dev-server reloads reuse it.
const registry = globalThis as typeof globalThis & { __backlightWarehouses?: Map<string, Warehouse> };

/** The process's warehouse for BACKLIGHT_DATA_DIR (default `data/` under the working directory). */
export function getWarehouse(): Warehouse {
  const dataDir = resolve(process.env.BACKLIGHT_DATA_DIR || "data");
  registry.__backlightWarehouses ??= new Map();
  let warehouse = registry.__backlightWarehouses.get(dataDir);
  if (!warehouse) {
    warehouse = new Warehouse({ dataDir, backgroundReads: true });
    registry.__backlightWarehouses.set(dataDir, warehouse);
  }
  return warehouse;
}

/**
 * A unit of work's connection, opened when its first query runs: the slot (waited for at most
 * `queueTimeoutMs`, WarehouseBusy past it), then a connection to the leased snapshot, interrupted past
 * `queryTimeoutMs`. `close` gives both back; a unit of work that ran no query took neither.
 */
class LazyConnection {
  interrupted = false;
  #opening: Promise<DuckDBConnection> | undefined;
  #conn: DuckDBConnection | undefined;
  #slot = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly open: { instance: Promise<DuckDBInstance> },
    readonly slots: Semaphore,
    readonly queueTimeoutMs: number,
    readonly queryTimeoutMs: number,
  ) {}

  async runAndReadAll(...args: Parameters<DuckDBConnection["runAndReadAll"]>) {
    return (await this.ready()).runAndReadAll(...args);
  }

  /** The connection, opened on the first call (the dialect calls it before timing a query). */
  ready(): Promise<DuckDBConnection> {
    this.#opening ??= (async () => {
      const asked = performance.now();
      try {
        await this.slots.acquire(this.queueTimeoutMs);
      } catch (error) {
        if (error instanceof QueueTimeout)
          throw new WarehouseBusy("the warehouse is busy: too many queries are waiting");
        throw error;
      }
      this.#slot = true;
      recordWait(performance.now() - asked);
      const conn = await (await this.open.instance).connect();
      this.#conn = conn;
      this.#timer = setTimeout(() => {
        this.interrupted = true;
        conn.interrupt();
      }, this.queryTimeoutMs);
      return conn;
    })();
    return this.#opening;
  }

  async close(): Promise<void> {
    await this.#opening?.catch(() => undefined);
    clearTimeout(this.#timer);
    this.#conn?.closeSync();
    if (this.#slot) this.slots.release();
    this.#slot = false;
  }
}

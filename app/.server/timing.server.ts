// Where a request's time goes, for the operator and the bench: the queries it ran (how many, their
// summed DuckDB time), how long it waited for a warehouse slot, and when its loaders were done. server.js
// opens one record per request (`withRequestTiming`) and sends it as a `Server-Timing` header, which
// browsers' developer tools show and `npm run bench -- --only pages` sums. Nothing here is shown to users.

import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestTiming {
  readonly started: number;
  /** Queries run on DuckDB for this request (a cached result runs none). */
  queries: number;
  /** Their time, summed (they may overlap: a section's queries run side by side). */
  dbMs: number;
  /** Time spent waiting for a warehouse slot, summed. */
  waitMs: number;
  /** "page" when the whole response came from the rendered-page cache. */
  cache?: "page";
}

const store = new AsyncLocalStorage<RequestTiming>();

/** Runs `next` (the rest of a request's handling) with a fresh timing record. */
export function withRequestTiming<T>(next: () => T): T {
  return store.run({ started: performance.now(), queries: 0, dbMs: 0, waitMs: 0 }, next);
}

export function currentTiming(): RequestTiming | undefined {
  return store.getStore();
}

/** Adds one query's time to the current request's record (none outside a request: warmers, CLI). */
export function recordQuery(ms: number): void {
  const timing = store.getStore();
  if (!timing) return;
  timing.queries += 1;
  timing.dbMs += ms;
}

export function recordWait(ms: number): void {
  const timing = store.getStore();
  if (timing) timing.waitMs += ms;
}

/**
 * The `Server-Timing` value when the response's headers go out: `app` is the time from the request
 * to its headers (loaders, and the render of the page's first bytes).
 */
export function serverTiming(timing: RequestTiming): string {
  const ms = (value: number) => value.toFixed(1);
  return [
    `db;dur=${ms(timing.dbMs)};desc="${timing.queries} queries"`,
    `wait;dur=${ms(timing.waitMs)}`,
    `app;dur=${ms(performance.now() - timing.started)}`,
    ...(timing.cache ? [`cache;desc="${timing.cache}"`] : []),
  ].join(", ");
}

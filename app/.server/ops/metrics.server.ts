// What an operator reads (issue 20, item 4): Prometheus metrics of this process, through prom-client.
// Request latency by route and status, DuckDB's queue and the time requests waited for it and spent in
// it, the result and rendered-page caches' hits, the snapshot served and its age, downloads in flight,
// and every audited event by kind (sign-in failures among them). Routes are the dashboard's own paths,
// never the raw URL: labels stay few whatever is asked. Served by server.js on /metrics, never publicly
// (a separate port, or an admin's API token); ADR 0025.

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { AUDIT_EVENTS, type AuditEvent } from "~/auth/policy";
import { observeAudit } from "../auth/state.server";
import { getPageCache } from "../page-cache.server";
import { renderCounts } from "../render-thread.server";
import type { RequestTiming } from "../timing.server";
import { getWarehouse } from "../warehouse.server";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "backlight_" });

/** The paths a route label may take; anything else is "other" (static assets: "asset"). */
const ROUTES = [
  "/",
  "/profitability",
  "/regions",
  "/rollout",
  "/quality",
  "/pricing",
  "/channels",
  "/market",
  "/changes",
  "/views",
  "/admin",
  "/admin/audit",
  "/login",
  "/logout",
  "/unsubscribe",
  "/healthz",
  "/metrics",
] as const;

/** A request's route label: its page (".data" requests apart), "/export/<view>" as "/export", or "other". */
export function routeOf(path: string): string {
  if (path.startsWith("/assets/") || /\.(js|css|ico|png|svg|woff2?)$/.test(path)) return "asset";
  if (path.startsWith("/export/")) return "/export";
  if (path === "/_root.data") return "/.data";
  const data = path.endsWith(".data");
  const page = data ? path.slice(0, -".data".length) || "/" : path;
  const known = (ROUTES as readonly string[]).includes(page) ? page : "other";
  return data && known !== "other" ? `${known}.data` : known;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const requestDuration = new Histogram({
  name: "backlight_http_request_duration_seconds",
  help: "Time from the request's arrival to its response's end, by route, method and status.",
  labelNames: ["route", "method", "status"],
  buckets: SECONDS,
  registers: [registry],
});
const dbWait = new Histogram({
  name: "backlight_duckdb_wait_seconds",
  help: "Time a request waited for a warehouse slot (summed over its units of work).",
  labelNames: ["route"],
  buckets: SECONDS,
  registers: [registry],
});
const dbTime = new Histogram({
  name: "backlight_duckdb_query_seconds",
  help: "Time a request's queries ran on DuckDB (summed; a cached answer runs none).",
  labelNames: ["route"],
  buckets: SECONDS,
  registers: [registry],
});

/** Records one answered request (server.js, when the response has ended or the client went away). */
export function observeRequest(o: {
  path: string;
  method: string;
  status: number;
  seconds: number;
  timing: RequestTiming | undefined;
}): void {
  const route = routeOf(o.path);
  requestDuration.observe({ route, method: o.method, status: String(o.status) }, o.seconds);
  if (route === "asset") return;
  if (o.timing) {
    dbWait.observe({ route }, o.timing.waitMs / 1000);
    dbTime.observe({ route }, o.timing.dbMs / 1000);
  }
}

const downloads = new Gauge({
  name: "backlight_downloads_in_flight",
  help: "Downloads being streamed right now.",
  registers: [registry],
});

/** A download started streaming: call the returned function once when it ends, however it ends. */
export function downloadStarted(): () => void {
  downloads.inc();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    downloads.dec();
  };
}

new Gauge({
  name: "backlight_duckdb_queue_depth",
  help: "Units of work waiting for a warehouse slot, by lane (pages, exports).",
  labelNames: ["lane"],
  registers: [registry],
  collect() {
    const depth = getWarehouse().queueDepth();
    this.set({ lane: "pages" }, depth.pages);
    this.set({ lane: "exports" }, depth.exports);
  },
});

// The caches count their own hits and misses; a scrape reads them (counters: they only grow).
for (const [name, help, read] of [
  [
    "backlight_result_cache_hits_total",
    "Warehouse results answered from the result cache.",
    () => getWarehouse().cache.hits,
  ],
  [
    "backlight_result_cache_misses_total",
    "Warehouse results computed (not in the result cache).",
    () => getWarehouse().cache.misses,
  ],
  [
    "backlight_page_cache_hits_total",
    "Pages answered from the rendered-page cache.",
    () => getPageCache().hits,
  ],
  [
    "backlight_page_cache_misses_total",
    "Pages rendered (not in the rendered-page cache).",
    () => getPageCache().misses,
  ],
] as const)
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });

new Counter({
  name: "backlight_page_renders_total",
  help: "Pages rendered, by thread: a render thread (render), or the main thread (main: none was ready, or the page shows an error; ADR 0041).",
  labelNames: ["thread"],
  registers: [registry],
  collect() {
    this.reset();
    this.inc({ thread: "render" }, renderCounts.render);
    this.inc({ thread: "main" }, renderCounts.main);
  },
});

new Gauge({
  name: "backlight_cache_hit_ratio",
  help: "Share of lookups answered from cache since the process started, by cache (result, page).",
  labelNames: ["cache"],
  registers: [registry],
  collect() {
    const ratio = (hits: number, misses: number) => (hits + misses === 0 ? 0 : hits / (hits + misses));
    const { cache } = getWarehouse();
    const pages = getPageCache();
    this.set({ cache: "result" }, ratio(cache.hits, cache.misses));
    this.set({ cache: "page" }, ratio(pages.hits, pages.misses));
  },
});

new Gauge({
  name: "backlight_snapshot_info",
  help: "The snapshot this process serves (value 1, its id as a label; none before the first publish).",
  labelNames: ["snapshot"],
  registers: [registry],
  async collect() {
    this.reset();
    const status = await getWarehouse()
      .status()
      .catch(() => null);
    if (status?.state === "ready") this.set({ snapshot: status.snapshot.id }, 1);
  },
});

new Gauge({
  name: "backlight_snapshot_age_seconds",
  help: "Seconds since the snapshot served was published (absent before the first publish).",
  registers: [registry],
  async collect() {
    this.reset();
    const status = await getWarehouse()
      .status()
      .catch(() => null);
    if (status?.state === "ready") this.set((Date.now() - Date.parse(status.snapshot.createdAt)) / 1000);
  },
});

const audited = new Counter({
  name: "backlight_audit_events_total",
  help: "Audited events written by this process, by kind (sign_in_failed: sign-in failures).",
  labelNames: ["event"],
  registers: [registry],
});
// Every kind at zero from the start, so a rate() over a quiet process reads 0 rather than nothing.
for (const event of AUDIT_EVENTS) audited.inc({ event }, 0);
observeAudit((event: AuditEvent) => audited.inc({ event }));

/** The metrics in Prometheus' text format, with its content type. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

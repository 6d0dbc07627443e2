// A seeded fuzz of every page's, data request's and download's parameters against the built server:
// never a 5xx, never more than BACKLIGHT_FUZZ_MAX_MS (2 s in a full run, see MAX_MS) for an answer (pages and data
// requests read to the end; downloads to their first bytes, then up to 2 MB of body).
//
// In `npm test` it sends a few hundred requests over the tiny demo data. The full run of issue 17's
// "done when" (≥ 10,000 requests at scale 0.01):
//   BACKLIGHT_FUZZ_REQUESTS=10000 BACKLIGHT_FUZZ_SCALE=0.01 npx vitest run tests/security/fuzz.test.ts
// (BACKLIGHT_FUZZ_DATA=<data dir> reuses a published data directory; BACKLIGHT_FUZZ_SEED,
// BACKLIGHT_FUZZ_CONCURRENCY, BACKLIGHT_FUZZ_MAX_MS change the rest.)

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_VIEWS } from "~/.server/export/views.server";
import type { Role } from "~/auth/policy";
import { EXPORT_FORMATS } from "~/export/columns";
import { createDemoDataDir, makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { REPO_ROOT } from "../helpers/repo";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

const run = promisify(execFile);
const env = process.env;
const REQUESTS = Number(env.BACKLIGHT_FUZZ_REQUESTS) || 300;
const SEED = Number(env.BACKLIGHT_FUZZ_SEED) || 17;
const CONCURRENCY = Number(env.BACKLIGHT_FUZZ_CONCURRENCY) || 4;
/**
 * 2 s is the issue's bound. On the shared 2-core machine npm test runs on, a loaded moment stalls even a
 * 403 that touches no data for seconds, so the small run in npm test allows 5 s; the full run sets 2 s.
 */
const MAX_MS = Number(env.BACKLIGHT_FUZZ_MAX_MS) || (env.BACKLIGHT_FUZZ_REQUESTS ? 2000 : 5000);
const SCALE = env.BACKLIGHT_FUZZ_SCALE;

/** mulberry32: small, seeded, good enough to pick parameters. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PAGES = ["/", "/profitability", "/regions", "/rollout", "/quality", "/channels", "/pricing", "/market"];
const NAMES = [
  "range",
  "from",
  "to",
  "compare",
  "grain",
  "region",
  "country",
  "category",
  "grade",
  "channel",
  "partner",
  "metric",
  "sort",
  "dir",
  "currency",
  "lang",
  "as_of",
  "target",
  "window",
  "threshold",
  "axis",
  "basis",
  "format",
  "labels",
  "index",
  "next",
  "zzz",
  "from[]",
  "__proto__",
  "constructor",
];
const MONTHS = [
  "2024-11",
  "2024-12",
  "2023-01",
  "2022-06",
  "2019-01",
  "0001-01",
  "9999-12",
  "1000-02",
  "2024-13",
  "2024-00",
  "24-11",
  "2024-1",
];
const DAYS = [
  "2024-12-01",
  "2024-12-31",
  "2024-11-15",
  "2023-01-01",
  "2020-02-29",
  "2021-02-29",
  "2024-02-30",
  "0001-01-01",
  "9999-12-31",
  "1000-01-01",
  "2024-12-1",
  "2024/12/01",
];
const WORDS = [
  "",
  "all_time",
  "last_30_days",
  "this_quarter",
  "year_to_date",
  "last_12_months",
  "previous_period",
  "last_year",
  "none",
  "day",
  "week",
  "month",
  "quarter",
  "year",
  "FR",
  "DE",
  "JP",
  "GB",
  "ES",
  "XX",
  "FR,DE",
  "fr",
  "EU-WEST",
  "western_europe",
  "smartphone",
  "laptop",
  "tablet",
  "premium",
  "good",
  "fair",
  "web",
  "app",
  "partner",
  "gmv_eur",
  "ebitda_eur",
  "opex_eur",
  "ebitda_margin_pct",
  "devices_sold",
  "net_revenue_eur",
  "asc",
  "desc",
  "eur",
  "local",
  "en",
  "fr",
  "de",
  "en-GB",
  "1",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "99999999999999999999",
  "0.5",
  "10",
  "launch",
  "calendar",
  "absolute",
  "per_capita",
  "csv",
  "parquet",
  "arrow",
  "csv-excel-fr",
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  "<script>alert(1)</script>",
  "$" + "{7*7}",
  "../../etc/passwd",
  "%00",
  "%ff",
  "%E2%80%AE",
  "😀",
  "Ω",
  "a".repeat(300),
  "FR,".repeat(200),
  "=1+1",
  "null",
  "undefined",
  "[]",
  "{}",
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function value(rand: () => number, name: string): string {
  const r = rand();
  if ((name === "from" || name === "to" || name === "as_of") && r < 0.7)
    return pick(rand, rand() < 0.5 ? MONTHS : DAYS);
  return pick(rand, WORDS);
}

/** A request: a page, its data request or a download, with 0-5 parameters (sometimes repeated). */
function nextRequest(rand: () => number): { path: string; kind: "page" | "data" | "download"; role: Role } {
  const roll = rand();
  const params: string[] = [];
  const count = Math.floor(rand() * 6);
  for (let i = 0; i < count; i++) {
    const name = pick(rand, NAMES);
    const v = value(rand, name);
    // Mostly encoded properly; sometimes raw (the server must still answer 4xx, never 5xx).
    params.push(rand() < 0.9 ? `${encodeURIComponent(name)}=${encodeURIComponent(v)}` : `${name}=${v}`);
  }
  const query = params.length ? `?${params.join("&")}` : "";
  const role = pick<Role>(rand, ["finance", "finance", "executive", "product", "admin"]);
  if (roll < 0.4) return { path: `${pick(rand, PAGES)}${query}`, kind: "page", role };
  if (roll < 0.7) {
    const page = pick(rand, PAGES);
    return { path: `${page === "/" ? "/_root" : page}.data${query}`, kind: "data", role };
  }
  const view = rand() < 0.95 ? pick(rand, EXPORT_VIEWS) : pick(rand, ["nope", "..%2f..%2fetc", "KPIS"]);
  const format = rand() < 0.8 ? `${query ? "&" : "?"}format=${pick(rand, EXPORT_FORMATS)}` : "";
  return { path: `/export/${view}${query}${format}`, kind: "download", role };
}

let dataDir: string | undefined;
let ownData = false;
let server: RunningServer | undefined;

beforeAll(async () => {
  if (env.BACKLIGHT_FUZZ_DATA) dataDir = env.BACKLIGHT_FUZZ_DATA;
  else if (SCALE) {
    dataDir = await makeTempDir("fuzz-data");
    ownData = true;
    await run("npx", ["tsx", "cli/demo.ts", "--data-only", "--scale", SCALE, "--data-dir", dataDir], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  } else {
    dataDir = await createDemoDataDir();
    ownData = true;
  }
  await buildApp();
  server = await startServer({ dataDir });
  // Every role signed in, and each page visited once, before the clock starts: a server in use (the
  // first visit after start opens the snapshot and reads the marts).
  for (const role of ["finance", "executive", "product", "admin"] as const) await server.cookie(role);
  for (const page of PAGES) await (await server.fetch(page)).text();
}, 900_000);

afterAll(async () => {
  await server?.stop();
  if (ownData) await removeDir(dataDir);
});

describe("seeded fuzz of every page's, data request's and download's parameters", () => {
  it(`${REQUESTS} requests: never a 5xx, never more than ${MAX_MS} ms`, async () => {
    const srv = server;
    if (!srv) throw new Error("server not started");
    const rand = random(SEED);
    const requests = Array.from({ length: REQUESTS }, () => nextRequest(rand));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const latencies: { ms: number; path: string; status: number }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        if (!request) break;
        const started = performance.now();
        let status = 0;
        try {
          const answer = await srv.fetch(request.path, { redirect: "manual" }, request.role);
          status = answer.status;
          if (request.kind === "download" && answer.body) {
            const reader = answer.body.getReader();
            let read = 0;
            for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
              read += chunk.value.byteLength;
              if (read > 2 * 1024 * 1024) break;
            }
            await reader.cancel().catch(() => undefined);
          } else {
            const body = await answer.text();
            if (/\bat [^\s<]*[\\/][^\s<]*:\d+/.test(body)) failures.push(`stack trace in ${request.path}`);
          }
        } catch (error) {
          failures.push(`${request.path}: ${(error as Error).message}`);
        }
        const ms = performance.now() - started;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        latencies.push({ ms, path: request.path, status });
        if (status >= 500 || status === 0) failures.push(`${status} ${request.role} ${request.path}`);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a.ms - b.ms);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.ms ?? 0;
    const slowest = sorted.slice(-5).reverse();
    const fives = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `[security] fuzz: ${REQUESTS} requests (seed ${SEED}, concurrency ${CONCURRENCY}${SCALE ? `, scale ${SCALE}` : ""}) in ${seconds.toFixed(1)} s; ${fives} responses ≥ 500; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; latency p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${at(1).toFixed(0)} ms; slowest: ${slowest.map((s) => `${s.ms.toFixed(0)} ms ${s.status} ${s.path.slice(0, 100)}`).join(" | ")}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(at(1)).toBeLessThan(MAX_MS);
    expect(srv.output()).not.toMatch(/request failed/);
  }, 3_600_000);
});

// npm run bench -- --only pages : what a user's first click costs (issue 19). For every page, a seeded
// random set of valid filter combinations (date ranges of any length and alignment, 1–4 countries within
// and across regions, categories, grades, channels, metrics, comparisons…), each URL asked once by one
// of 10 concurrent signed-in clients on a fresh server (its start-up warming allowed, the result cache on
// but never hit, since no URL repeats); then the same set again on the same server (cached). Reports
// p50/p95/p99/max per page and over all pages. The fixed mixes of `--only overview` stay for continuity.
// Then throughput: 50 signed-in keep-alive connections on the overview's HTML for 30 s (gzip accepted,
// as browsers do), on that server (its rendered-page cache on) and on a second one with the page cache
// off, where every request runs the loaders over cached results and renders (what the render costs).
// Data: as `--only overview` (the etl bench's scale-1 warehouse, by default). BENCH_PAGES_PER_PAGE sets
// the number of combinations per page (40), BENCH_PAGES_SEED the seed (19).

import { readdir, readFile } from "node:fs/promises";
import { Agent, get as httpGet } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { COMPARISONS, PRESETS } from "~/lib/filters";
import { MONTH_PRESETS } from "~/lib/grammar";
import { METRIC_IDS } from "~/metrics/catalogue";
import { THRESHOLDS } from "~/metrics/pricing";
import { ROLLOUT_METRICS } from "~/metrics/rollout";
import { CATEGORIES, GRADES, ORDER_CHANNELS, PARTNERS, REGIONS } from "../core/contract.ts";
import { atLeast, type Bar, bar } from "./bars.ts";
import { run } from "./commands.ts";
import { prepareData, session, WARM_MS, warmed, withServer } from "./overview.ts";

const CLIENTS = 10;
const PER_PAGE = Number(process.env.BENCH_PAGES_PER_PAGE) || 40;
const SEED = Number(process.env.BENCH_PAGES_SEED) || 19;
/** The server warms the pages' default views when it starts: allowed, and waited for this long. */

const THROUGHPUT = { connections: 50, seconds: 30, path: "/" };
/** BENCH_PAGES_QUICK=1: the first visits only (no repeat, no throughput), to try a change quickly. */
const QUICK = process.env.BENCH_PAGES_QUICK === "1";

/** CPU seconds a process has used so far: its main (JavaScript) thread, and all its other threads. */
interface Cpu {
  main: number;
  other: number;
}

/** Linux's per-thread accounting (/proc/<pid>/task/<tid>/stat, utime + stime in clock ticks of 1/100 s). */
async function cpuOf(pid: number): Promise<Cpu | null> {
  try {
    const out = { main: 0, other: 0 };
    for (const tid of await readdir(`/proc/${pid}/task`)) {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, "utf8").catch(() => "");
      // The command may hold spaces: the fields counted from after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (Number.isFinite(seconds)) out[tid === String(pid) ? "main" : "other"] += seconds;
    }
    return out;
  } catch {
    return null;
  }
}

/** Where a phase's CPU went: the JavaScript thread's and the others' (DuckDB, libuv), per request. */
function cpuSpent(before: Cpu | null, after: Cpu | null, requests: number, wallMs: number) {
  if (!before || !after) return null;
  const main = after.main - before.main;
  const other = after.other - before.other;
  const round = (v: number) => Number(v.toFixed(1));
  return {
    wallSeconds: round(wallMs / 1000),
    requestsPerSecond: round(requests / (wallMs / 1000)),
    javascriptMsPerRequest: round((1000 * main) / requests),
    otherThreadsMsPerRequest: round((1000 * other) / requests),
    /** Of the machine's two cores over the phase. */
    machineShare: round((main + other) / (2 * (wallMs / 1000))),
  };
}

/** Runs a phase and says what CPU the server spent on it. */
async function measured<T extends unknown[]>(
  pid: number,
  requests: (r: T) => number,
  phase: () => Promise<T>,
) {
  const before = await cpuOf(pid);
  const start = performance.now();
  const result = await phase();
  const wall = performance.now() - start;
  return { result, cpu: cpuSpent(before, await cpuOf(pid), requests(result), wall) };
}

interface Throughput {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

// autocannon 9 ships no types: the little of its API used here.
type Autocannon = (
  options: { url: string; headers: Record<string, string>; connections: number; duration: number },
  done: (
    error: Error | null,
    result: {
      requests: { average: number };
      latency: { p50: number; p99: number; max: number };
      errors: number;
      timeouts: number;
      non2xx: number;
    },
  ) => void,
) => unknown;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** THROUGHPUT.connections signed-in clients on one page's HTML for THROUGHPUT.seconds. */
function throughput(base: string): Promise<Throughput> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${base}${THROUGHPUT.path}`,
        headers: { cookie: session.cookie, "accept-encoding": "gzip" },
        connections: THROUGHPUT.connections,
        duration: THROUGHPUT.seconds,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requestsPerSecond: Number(result.requests.average.toFixed(1)),
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
      },
    );
  });
}

/** What the snapshot holds: the span of its orders and its countries by region. */
interface Span {
  from: string;
  to: string;
  countries: { code: string; region: string }[];
}

/** mulberry32: a small seeded generator, so a run's URLs can be asked again by another run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const some = <T>(items: readonly T[], lo: number, hi: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    for (let n = int(lo, Math.min(hi, pool.length)); n > 0; n--)
      out.push(pool.splice(int(0, pool.length - 1), 1)[0] as T);
    return out;
  };
  return { next, int, pick, some, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const month = (isoDay: string) => isoDay.slice(0, 7);

/** A day range inside the data: any length (a day to all of it) and alignment. */
function dayRange(r: Random, span: Span): { from: string; to: string; days: number } {
  const first = day(span.from);
  const last = day(span.to) - DAY; // the last whole day (the extract may stop during the last one)
  const length = r.pick([1, 7, 30, 31, 90, 92, 180, 365, 366, 730, 1500, 3000]);
  const days = Math.min(length, Math.round((last - first) / DAY) + 1);
  const start = first + r.int(0, Math.max(0, Math.round((last - first) / DAY) - days + 1)) * DAY;
  return { from: iso(start), to: iso(start + (days - 1) * DAY), days };
}

/** A whole-month range inside the data's whole months. */
function monthRange(r: Random, span: Span): { from: string; to: string } {
  const months: string[] = [];
  for (let m = month(span.from); m <= month(iso(day(span.to) - DAY)); ) {
    months.push(m);
    const [y, mo] = m.split("-").map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
  }
  const length = Math.min(months.length, r.pick([1, 2, 3, 6, 12, 18, 24, 36, 60]));
  const start = r.int(0, months.length - length);
  return { from: months[start] as string, to: months[start + length - 1] as string };
}

/** 1–4 countries: within one region or across regions. */
function countries(r: Random, span: Span, max = 4): string[] {
  if (r.chance(0.5)) {
    const region = r.pick(REGIONS);
    const inRegion = span.countries.filter((c) => c.region === region).map((c) => c.code);
    if (inRegion.length) return r.some(inRegion, 1, max);
  }
  return r.some(
    span.countries.map((c) => c.code),
    1,
    max,
  );
}

const query = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${v}`)
    .join("&");

/** The dashboard grammar's geography: nothing, a region, or 1–4 countries. */
function geography(r: Random, span: Span): Record<string, string | undefined> {
  const which = r.int(0, 2);
  if (which === 0) return {};
  if (which === 1) return { region: r.pick(REGIONS) };
  return { country: countries(r, span).join(",") };
}

function overviewUrl(r: Random, span: Span): string {
  const range = r.chance(0.35) ? { range: r.pick(PRESETS) } : dayRange(r, span);
  const days = "days" in range ? range.days : 400;
  const grains = ["week", "month", "quarter", "year", ...(days <= 366 ? ["day"] : [])];
  return query({
    ...("range" in range ? { range: range.range } : { from: range.from, to: range.to }),
    compare: r.pick(COMPARISONS),
    grain: r.chance(0.5) ? r.pick(grains) : undefined,
    metric: r.pick(METRIC_IDS),
    ...geography(r, span),
    category: r.chance(0.25) ? r.some(CATEGORIES, 1, 2).join(",") : undefined,
    grade: r.chance(0.2) ? r.some(GRADES, 1, 2).join(",") : undefined,
    channel: r.chance(0.2) ? r.some(ORDER_CHANNELS, 1, 2).join(",") : undefined,
    partner: r.chance(0.1) ? r.pick(PARTNERS) : undefined,
  });
}

function regionsUrl(r: Random, span: Span): string {
  const range = r.chance(0.35) ? { range: r.pick(PRESETS) } : dayRange(r, span);
  return query({
    ...("range" in range ? { range: range.range } : { from: range.from, to: range.to }),
    compare: r.pick(COMPARISONS),
    ...geography(r, span),
    costs: r.chance(0.3) ? "allocated" : undefined,
  });
}

function profitabilityUrl(r: Random, span: Span): string {
  const m = monthRange(r, span);
  const geo = r.chance(0.5) ? { region: r.pick(REGIONS) } : { country: r.pick(span.countries).code };
  return query({
    ...geo,
    // as_of: a month at least three months into the data.
    as_of: m.to >= month(iso(day(span.from) + 95 * DAY)) ? m.to : undefined,
    window: String(r.pick([6, 9, 12, 18, 24])),
    costs: r.chance(0.3) ? "allocated" : undefined,
  });
}

function months(r: Random, span: Span): Record<string, string> {
  if (r.chance(0.3)) return { range: r.pick(MONTH_PRESETS) };
  const m = monthRange(r, span);
  return { from: m.from, to: m.to };
}

const qualityUrl = (r: Random, span: Span) =>
  query({
    ...months(r, span),
    country: r.chance(0.6) ? countries(r, span).join(",") : undefined,
    category: r.chance(0.4) ? r.some(CATEGORIES, 1, 3).join(",") : undefined,
  });

const pricingUrl = (r: Random, span: Span) =>
  query({
    ...months(r, span),
    country: r.chance(0.6) ? countries(r, span).join(",") : undefined,
    category: r.chance(0.4) ? r.some(CATEGORIES, 1, 3).join(",") : undefined,
    threshold: String(r.pick(THRESHOLDS)),
  });

const channelsUrl = (r: Random, span: Span) =>
  query({ ...months(r, span), country: r.chance(0.6) ? r.pick(span.countries).code : undefined });

const marketUrl = (r: Random, span: Span) =>
  query({
    category: r.pick(CATEGORIES.filter((c) => c !== "other")),
    ...months(r, span),
    country: r.chance(0.5) ? r.pick(span.countries).code : undefined,
  });

const rolloutUrl = (r: Random, span: Span) =>
  query({
    country: countries(r, span, 8).join(","),
    metric: r.pick(ROLLOUT_METRICS),
    axis: r.chance(0.3) ? "calendar" : undefined,
    basis: r.chance(0.3) ? "per_capita" : undefined,
  });

const PAGES: { name: string; path: string; url: (r: Random, span: Span) => string }[] = [
  { name: "overview", path: "/", url: overviewUrl },
  { name: "regions", path: "/regions", url: regionsUrl },
  { name: "profitability", path: "/profitability", url: profitabilityUrl },
  { name: "quality", path: "/quality", url: qualityUrl },
  { name: "pricing", path: "/pricing", url: pricingUrl },
  { name: "channels", path: "/channels", url: channelsUrl },
  { name: "market", path: "/market", url: marketUrl },
  { name: "rollout", path: "/rollout", url: rolloutUrl },
];

interface Visit {
  page: string;
  url: string;
}

interface Answer extends Visit {
  status: number;
  ms: number;
  body?: string;
  /** The server's own account (its Server-Timing header): queries, DuckDB ms, slot wait, ms to headers. */
  server?: ServerTiming;
}

interface ServerTiming {
  /** Whether the rendered-page cache answered. */
  page: boolean;
  queries: number;
  db: number;
  wait: number;
  app: number;
}

function serverTiming(header: string | null): ServerTiming | undefined {
  if (!header) return undefined;
  const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(header)?.[1] ?? Number.NaN);
  return {
    page: header.includes('cache;desc="page"'),
    queries: Number(/"(\d+) queries"/.exec(header)?.[1] ?? Number.NaN),
    db: dur("db"),
    wait: dur("wait"),
    app: dur("app"),
  };
}

/** Each page's URLs: PER_PAGE distinct ones, drawn from the seed. */
function draw(span: Span): Visit[] {
  const r = random(SEED);
  const out: Visit[] = [];
  for (const page of PAGES) {
    const seen = new Set<string>();
    for (let tries = 0; seen.size < PER_PAGE && tries < PER_PAGE * 20; tries++) {
      const qs = page.url(r, span);
      seen.add(qs ? `${page.path}?${qs}` : page.path);
    }
    for (const url of seen) out.push({ page: page.name, url });
  }
  // One shuffled queue: the clients' next clicks mix every page.
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j] as Visit, out[i] as Visit];
  }
  return out;
}

/** Asks every URL once, CLIENTS at a time, each client signed in (the bench's session). */
async function visit(base: string, visits: readonly Visit[]): Promise<Answer[]> {
  const queue = [...visits];
  const answers: Answer[] = [];
  const client = async () => {
    for (let v = queue.shift(); v; v = queue.shift()) {
      const start = performance.now();
      const response = await get(`${base}${v.url}`);
      const ms = performance.now() - start;
      answers.push({
        ...v,
        status: response.status,
        ms,
        server: serverTiming(response.serverTiming),
        ...(response.status === 200 ? {} : { body: response.text() }),
      });
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return answers;
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

/**
 * One signed-in GET, gzip accepted as browsers do, timed to its last byte. The body is read but not
 * decompressed (only a refusal's, to print it): the clients share the machine with the server, and
 * fetch's decompression and decoding would be measured as the server's time.
 */
function get(url: string): Promise<{ status: number; serverTiming: string | null; text: () => string }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      url,
      { agent, headers: { cookie: session.cookie, "accept-encoding": "gzip" } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const header = response.headers["server-timing"];
          resolve({
            status: response.statusCode ?? 0,
            serverTiming: Array.isArray(header) ? header.join(", ") : (header ?? null),
            text: () => {
              const body = Buffer.concat(chunks);
              return (response.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body).toString(
                "utf8",
              );
            },
          });
        });
      },
    );
    request.on("error", reject);
  });
}

interface Stats {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (v: number) => Number(v.toFixed(1));
  return {
    requests: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/**
 * Where a page's time goes, averaged over its answers: queries run, their summed DuckDB time, the wait
 * for a warehouse slot, the time to the response's headers, and the whole answer as the client saw it.
 */
function whereTimeGoes(answers: readonly Answer[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const mean = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1));
  for (const name of [...PAGES.map((p) => p.name), "all"]) {
    const mine = answers.filter((a) => a.status === 200 && a.server && (name === "all" || a.page === name));
    out[name] = {
      queries: mean(mine.map((a) => a.server?.queries ?? 0)),
      dbMs: mean(mine.map((a) => a.server?.db ?? 0)),
      waitMs: mean(mine.map((a) => a.server?.wait ?? 0)),
      toHeadersMs: mean(mine.map((a) => a.server?.app ?? 0)),
      pageCacheShare: Number(
        (mine.filter((a) => a.server?.page).length / Math.max(1, mine.length)).toFixed(3),
      ),
      totalMs: mean(mine.map((a) => a.ms)),
    };
  }
  return out;
}

function byPage(answers: readonly Answer[]): Record<string, Stats> {
  const out: Record<string, Stats> = {};
  for (const page of PAGES)
    out[page.name] = stats(answers.filter((a) => a.page === page.name && a.status === 200).map((a) => a.ms));
  out.all = stats(answers.filter((a) => a.status === 200).map((a) => a.ms));
  return out;
}

/** The snapshot's span and countries, read from its own file (read-only, as the server reads it). */
async function readSpan(dataDir: string): Promise<Span> {
  const pointer = JSON.parse(await readFile(join(dataDir, "current.json"), "utf8")) as { path: string };
  const db = await DuckDBInstance.create(join(dataDir, pointer.path), {
    access_mode: "READ_ONLY",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const conn = await db.connect();
  try {
    const head = (
      await conn.runAndReadAll(
        "SELECT first_order_date::VARCHAR AS f, last_order_date::VARCHAR AS l FROM marts.mart_headline",
      )
    ).getRowObjects()[0] as { f: string; l: string };
    const countries = (
      await conn.runAndReadAll("SELECT country_code, region FROM marts.mart_countries ORDER BY 1")
    ).getRowObjects() as { country_code: string; region: string }[];
    return {
      from: head.f,
      to: head.l,
      countries: countries.map((c) => ({ code: c.country_code, region: c.region })),
    };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export async function benchPages(work: string): Promise<Record<string, unknown>> {
  const dataDir = join(work, "data");
  const source = await prepareData(work, dataDir);
  const span = await readSpan(dataDir);
  const visits = draw(span);
  console.log(
    `bench pages: ${visits.length} URLs over ${PAGES.length} pages (seed ${SEED}), data ${span.from} – ${span.to} from ${source}`,
  );
  console.log("bench pages: npx remix vite:build");
  await run("npx", ["remix", "vite:build"]);

  const { warmSeconds, first, again, busy, cpu } = await withServer(
    work,
    dataDir,
    "pages-random",
    {},
    async (base, pid) => {
      const warmSeconds = await warmed(base);
      const first = await measured(
        pid,
        (a) => a.length,
        () => visit(base, visits),
      );
      if (QUICK)
        return { warmSeconds, first: first.result, again: [], busy: null, cpu: { first: first.cpu } };
      const again = await measured(
        pid,
        (a) => a.length,
        () => visit(base, visits),
      );
      const busyBefore = await cpuOf(pid);
      const busy = await throughput(base);
      const busyCpu = cpuSpent(
        busyBefore,
        await cpuOf(pid),
        busy.requestsPerSecond * THROUGHPUT.seconds,
        THROUGHPUT.seconds * 1000,
      );
      return {
        warmSeconds,
        first: first.result,
        again: again.result,
        busy,
        cpu: { first: first.cpu, again: again.cpu, throughput: busyCpu },
      };
    },
  );
  console.log(`  CPU of the server: ${JSON.stringify(cpu)}`);
  if (QUICK || !busy) {
    for (const [name, s] of Object.entries(byPage(first))) {
      const w = whereTimeGoes(first)[name];
      console.log(
        `  ${name.padEnd(14)} first p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} max ${s.max} ms · mean ${w?.queries} queries, db ${w?.dbMs} ms, wait ${w?.waitMs} ms, headers at ${w?.toHeadersMs} of ${w?.totalMs} ms`,
      );
    }
    return { quick: true, first: byPage(first), cpu, whereTimeGoes: whereTimeGoes(first) };
  }
  const rendering = await withServer(
    work,
    dataDir,
    "pages-render",
    { BACKLIGHT_PAGE_CACHE_MB: "0" },
    async (base) => {
      await warmed(base);
      return throughput(base);
    },
  );
  for (const [label, t] of [
    ["page cache on ", busy],
    ["page cache off", rendering],
  ] as const)
    console.log(
      `  throughput, ${THROUGHPUT.connections} connections on ${THROUGHPUT.path} for ${THROUGHPUT.seconds} s, ${label}: ${t.requestsPerSecond} req/s, p50 ${t.p50} p99 ${t.p99} max ${t.max} ms, ${t.errors} errors, ${t.non2xx} non-2xx`,
    );
  const refused = first.filter((a) => a.status !== 200);
  for (const a of refused)
    console.log(
      `  ${a.status} ${a.url}: ${(a.body ?? "")
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .slice(0, 200)}`,
    );
  const firstStats = byPage(first);
  const againStats = byPage(again);
  const firstWhere = whereTimeGoes(first);
  const againWhere = whereTimeGoes(again);
  for (const [name, s] of Object.entries(firstStats)) {
    const w = firstWhere[name];
    console.log(
      `  ${name.padEnd(14)} first p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} max ${s.max} ms · again p95 ${againStats[name]?.p95} ms (${s.requests} URLs)` +
        (w
          ? ` · mean ${w.queries} queries, db ${w.dbMs} ms, wait ${w.waitMs} ms, headers at ${w.toHeadersMs} of ${w.totalMs} ms; again ${Math.round(100 * (againWhere[name]?.pageCacheShare ?? 0))}% from the page cache`
          : ""),
    );
  }
  const all = firstStats.all as Stats;
  const bars: Bar[] = [
    bar("random first visits, every page, p95", all.p95, 150, "ms"),
    bar("random first visits, every page, p99", all.p99, 400, "ms"),
    bar("random first visits, every page, max", all.max, 1000, "ms"),
    bar("the same visits again (cached), every page, p95", (againStats.all as Stats).p95, 30, "ms"),
    bar("answers other than 200 (the URLs are drawn valid)", refused.length, 1, "responses"),
    ...PAGES.map((p) =>
      bar(`${p.name}: random first visits, p95`, (firstStats[p.name] as Stats).p95, 150, "ms"),
    ),
    atLeast(
      `throughput, ${THROUGHPUT.connections} connections on the overview HTML`,
      busy.requestsPerSecond,
      150,
      "req/s",
    ),
    bar(`throughput, ${THROUGHPUT.connections} connections on the overview HTML, p99`, busy.p99, 500, "ms"),
    bar(
      `throughput, ${THROUGHPUT.connections} connections on the overview HTML, errors`,
      busy.errors + busy.non2xx,
      1,
      "responses",
    ),
  ];
  // The slowest first visits: where the time goes next.
  const slowest = [...first]
    .filter((a) => a.status === 200)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 15)
    .map((a) => ({ url: a.url, ms: Number(a.ms.toFixed(1)) }));
  return {
    bars,
    source,
    seed: SEED,
    perPage: PER_PAGE,
    clients: CLIENTS,
    warmSeconds,
    warmLimitSeconds: WARM_MS / 1000,
    data: { from: span.from, to: span.to, countries: span.countries.length },
    first: firstStats,
    again: againStats,
    whereTimeGoes: { first: firstWhere, again: againWhere },
    throughput: { ...THROUGHPUT, pageCacheOn: busy, pageCacheOff: rendering },
    cpu,
    slowest,
    refused: refused.map((a) => ({ url: a.url, status: a.status })),
  };
}

// npm run bench -- --only overview : load on the overview page of the BUILT server over a scale-1 snapshot.
// 10 keep-alive clients for 30 s over a mix of filter URLs, each as the HTML page and as its single-fetch
// data route; once without the result cache, once with it, then with a new snapshot published every 3 s.
// Data: $BENCH_OVERVIEW_DATA, else the warehouse of the etl bench (data/bench/etl/data: run `npm run bench`
// or `--only etl` first), else an ETL of data/bench/etl/generated, else a
// fresh generate + ETL; the source is never modified (its snapshot is linked or copied into <work>/data).
// Then the same load (uncached, then cached after a warm-up pass) over mixes of the profitability and regions
// pages, each on fresh servers; their bars are issue 5's "p95 under 150 ms with 10 concurrent clients".
// BENCH_OVERVIEW_SECONDS shortens each load phase (plumbing checks only; the bars assume 30 s).

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { copyFile, link, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { hashPassword } from "~/.server/auth/passwords.server";
import { AppState } from "~/.server/auth/state.server";
import { freePort } from "../core/net.ts";
import { SERVER_NODE_OPTIONS, serverThreadpool } from "../core/server-process.ts";
import { type Bar, bar } from "./bars.ts";
import { run, runNode } from "./commands.ts";

/**
 * A fresh server's start-up warming is let finish before it is measured (the issue allows it): until its
 * /healthz says `warm` (presets computed, marts held), at most WARM_MS (then measured as it is).
 */
export const WARM_MS = 180_000;

/** Waits for the server's warming (its /healthz `warm`), up to WARM_MS; the seconds it took. */
export async function warmed(base: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < WARM_MS) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (((await response.json()) as { warm?: boolean }).warm) break;
    } catch {
      // Not answering yet: asked again below.
    }
    await sleep(500);
  }
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  console.log(`bench: the server warmed in ${seconds} s`);
  return seconds;
}

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_OVERVIEW_SECONDS) || 30;
const PUBLISH_EVERY_MS = 3000;
const SEED = 42;
const SNAPSHOT_HEADER = "x-backlight-snapshot";

/** A page under load: each query string of its mix is loaded as `path?qs` (page) and `dataPath?qs` (data). */
export interface Page {
  name: string;
  path: string;
  /** Its Remix single-fetch data route (`<path>.data`; `/_root.data` for the index route). */
  dataPath: string;
  mix: string[];
  /** The p95 bar of its loaders, cached and uncached (ms). */
  p95Limit: number;
}

export const OVERVIEW: Page = {
  name: "overview",
  path: "/",
  dataPath: "/_root.data",
  p95Limit: 100,
  mix: [
    "",
    "range=last_30_days",
    "range=this_quarter",
    "range=year_to_date",
    "range=all_time&grain=year",
    "range=last_12_months&compare=last_year",
    "from=2024-03-01&to=2024-08-31&grain=month",
    "from=2024-01-15&to=2024-06-20&grain=week",
    "from=2023-10-01&to=2023-12-31&compare=last_year&grain=week",
    "region=europe",
    "region=north_america&metric=ebitda_eur",
    "country=FR",
    "country=FR,DE,ES&range=year_to_date",
    "country=US&range=last_30_days&grain=day",
    "category=smartphone&grade=premium",
    "channel=app&range=this_quarter",
    "partner=verizon&country=US",
    "metric=active_customers&grain=week&range=last_30_days",
    "metric=take_rate&region=asia_pacific",
  ],
};

/** The other pages with loaders of their own, loaded after the overview's phases. */
const PAGES: Page[] = [
  {
    name: "profitability",
    path: "/profitability",
    dataPath: "/profitability.data",
    p95Limit: 150,
    mix: [
      "",
      "region=north_america",
      "country=FR",
      "country=US&window=6",
      "as_of=2024-06",
      "as_of=2023-12&target=2024-06-30",
      "region=europe,north_america,asia_pacific",
      "range=year_to_date",
    ],
  },
  {
    name: "regions",
    path: "/regions",
    dataPath: "/regions.data",
    p95Limit: 150,
    mix: [
      "",
      "range=last_30_days",
      "range=this_quarter&compare=last_year",
      "region=europe",
      "country=FR,DE",
      "from=2024-01-15&to=2024-06-20&grain=week",
      "category=smartphone",
      "range=all_time&grain=year",
    ],
  },
  {
    name: "rollout",
    path: "/rollout",
    dataPath: "/rollout.data",
    p95Limit: 150,
    mix: [
      "",
      "metric=gmv_eur",
      "metric=active_customers&country=FR,DE,ES",
      "metric=cumulative_customers",
      "metric=repeat_rate&country=FR,GB,US,JP",
      "metric=contribution_margin_pct",
      "metric=take_rate&axis=calendar",
      "country=US,GB&axis=calendar",
    ],
  },
  {
    name: "quality",
    path: "/quality",
    dataPath: "/quality.data",
    p95Limit: 150,
    mix: [
      "",
      "from=2024-10&to=2024-12",
      "country=FR,DE",
      "category=smartphone",
      "from=2014-11&to=2025-01",
      "country=US&category=smartphone,tablet",
      "from=2023-01&to=2023-12&country=GB",
      "from=2024-07&to=2024-12&country=FR,ES,IT&category=laptop",
    ],
  },
  {
    name: "pricing",
    path: "/pricing",
    dataPath: "/pricing.data",
    p95Limit: 150,
    mix: [
      "",
      "threshold=10",
      "country=FR",
      "category=smartphone,tablet&threshold=3",
      "from=2021-01&to=2022-06",
      "from=2014-11&to=2025-01",
      "country=US&category=laptop&threshold=20",
      "from=2023-01&to=2023-12&country=DE,ES,IT",
    ],
  },
  {
    name: "channels",
    path: "/channels",
    dataPath: "/channels.data",
    p95Limit: 150,
    mix: [
      "",
      "country=FR",
      "country=US",
      "from=2023-01&to=2023-12",
      "from=2023-01&to=2023-12&country=GB",
      "from=2022-03&to=2024-12",
      "from=2024-07&to=2024-12&country=DE",
      "from=2019-01&to=2019-12&country=ES",
    ],
  },
  {
    name: "market",
    path: "/market",
    dataPath: "/market.data",
    p95Limit: 150,
    mix: [
      "",
      "country=FR",
      "from=2023-01&to=2024-12",
      "category=laptop",
      "category=tablet&country=DE",
      "from=2020-01&to=2020-12&country=US",
      "country=JP",
      "category=smartphone&from=2015-01&to=2019-12",
    ],
  },
];

type Kind = "page" | "data";
const KINDS: Kind[] = ["page", "data"];

function target(page: Page, kind: Kind, qs: string): string {
  const base = kind === "page" ? page.path : page.dataPath;
  return qs ? `${base}?${qs}` : base;
}

interface Pointer {
  id: string;
  path: string;
  createdAt: string;
  synthetic: boolean;
}

interface Check {
  qs: string;
  kind: Kind;
  status: number;
  ms: number;
  contentType: string;
  body: string;
}

/** One of the other pages' runs: its mix less the query strings dropped, and its two load phases. */
interface PageRun {
  page: Page;
  mix: string[];
  dropped: Check[];
  checks: Check[];
  uncached: Record<string, unknown>;
  cached: Record<string, unknown>;
}

interface Sample {
  qs: string;
  status: number;
  ms: number;
  snapshot: string | undefined;
}

interface KindRun {
  samples: Sample[];
  errors: number;
  timeouts: number;
}

interface Stats {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

// autocannon 9 ships no types: the little of its API used here.
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (
    status: number,
    body: string,
    context: Record<string, unknown>,
    headers: Record<string, string | string[]>,
  ) => void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: "done", listener: (result: AutocannonResult) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
}
type Autocannon = (options: {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  duration: number;
  timeout: number;
  requests: AutocannonRequest[];
}) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export async function benchOverview(work: string): Promise<Record<string, unknown>> {
  const dataDir = join(work, "data");
  const source = await prepareData(work, dataDir);
  const pointer = await readPointer(dataDir);
  const snapshotBytes = (await stat(join(dataDir, pointer.path))).size;
  console.log(
    `bench overview: snapshot ${pointer.id} (${(snapshotBytes / 2 ** 30).toFixed(2)} GiB) from ${source}`,
  );

  console.log("bench overview: npx remix vite:build");
  await run("npx", ["remix", "vite:build"]);

  // Uncached: every request computes. Its warm-up pass also checks every URL and drops those refused (400).
  let mix = OVERVIEW.mix;
  const dropped: Check[] = [];
  const uncached = await withServer(
    work,
    dataDir,
    "uncached",
    { BACKLIGHT_CACHE_ENTRIES: "0" },
    async (base) => {
      await warmed(base);
      const checks = await checkMix(base, OVERVIEW, OVERVIEW.mix);
      dropped.push(...checks.filter((c) => c.status === 400));
      mix = OVERVIEW.mix.filter((qs) => !dropped.some((d) => d.qs === qs));
      if (mix.length === 0) throw new Error("every URL of the mix was refused with 400: nothing to load");
      return { checks, load: await load(base, OVERVIEW, mix, "uncached") };
    },
  );

  const links: string[] = [];
  let cached: Record<string, unknown> = {};
  let switching: Record<string, unknown> = {};
  try {
    await withServer(work, dataDir, "cached", {}, async (base) => {
      await warmed(base);
      await checkMix(base, OVERVIEW, mix); // warm-up: fills the result cache
      cached = await load(base, OVERVIEW, mix, "cached");
      switching = await loadWhileSwitching(base, OVERVIEW, mix, dataDir, pointer, links);
    });
  } finally {
    for (const file of links) await rm(file, { force: true });
  }

  // The other pages, on fresh servers over the original snapshot. Here any answer but 200 drops its query
  // string (page and data) from that page's mix, in the uncached checks as in the cached warm-up.
  const runs: PageRun[] = PAGES.map((page) => ({
    page,
    mix: page.mix,
    dropped: [],
    checks: [],
    uncached: {},
    cached: {},
  }));
  await withServer(work, dataDir, "pages-uncached", { BACKLIGHT_CACHE_ENTRIES: "0" }, async (base) => {
    await warmed(base);
    for (const run of runs) {
      run.checks = await checkMix(base, run.page, run.mix);
      keepAnswered(run, run.checks);
      run.uncached = await load(base, run.page, run.mix, `${run.page.name} uncached`);
    }
  });
  await withServer(work, dataDir, "pages-cached", {}, async (base) => {
    await warmed(base);
    // Warm-up over every URL of every page first: fills the result cache.
    for (const run of runs) keepAnswered(run, await checkMix(base, run.page, run.mix));
    for (const run of runs) run.cached = await load(base, run.page, run.mix, `${run.page.name} cached`);
  });

  const combined = (section: Record<string, unknown>) => section.overall as Stats;
  const switchingStats = combined(switching);
  const bars: Bar[] = [
    bar("overview cached (page+data), p95", combined(cached).p95, OVERVIEW.p95Limit, "ms"),
    bar("overview cached (page+data), p99", combined(cached).p99, 250, "ms"),
    bar(
      "overview uncached (page+data, BACKLIGHT_CACHE_ENTRIES=0), p95",
      combined(uncached.load).p95,
      OVERVIEW.p95Limit,
      "ms",
    ),
    bar(
      "overview uncached (page+data, BACKLIGHT_CACHE_ENTRIES=0), p99",
      combined(uncached.load).p99,
      250,
      "ms",
    ),
    bar(
      "overview while publishing a snapshot every 3 s, errors + non-2xx (must be 0)",
      switchingStats.errors + switchingStats.non2xx,
      1,
      "responses",
    ),
    ...runs.flatMap(({ page, cached, uncached }) => [
      bar(`${page.name} cached (page+data), p95`, combined(cached).p95, page.p95Limit, "ms"),
      bar(
        `${page.name} uncached (page+data, BACKLIGHT_CACHE_ENTRIES=0), p95`,
        combined(uncached).p95,
        page.p95Limit,
        "ms",
      ),
    ]),
    ...(await againstBaseline(
      combined(cached).p95,
      runs.map(({ page, cached }) => ({ name: page.name, p95: combined(cached).p95 })),
    )),
  ];
  summarise({
    uncached: uncached.load,
    cached,
    switching,
    ...Object.fromEntries(
      runs.flatMap(({ page, uncached, cached }) => [
        [`${page.name} uncached`, uncached],
        [`${page.name} cached`, cached],
      ]),
    ),
  });
  for (const { page, dropped } of runs)
    for (const d of dropped)
      console.log(
        `  ${page.name}: dropped ${d.status} ${target(page, d.kind, d.qs)}: ${d.body.slice(0, 200)}`,
      );
  return {
    bars,
    scale: 1,
    source,
    snapshotId: pointer.id,
    snapshotMiB: Number((snapshotBytes / 2 ** 20).toFixed(1)),
    connections: CONNECTIONS,
    seconds: SECONDS,
    mix,
    dropped,
    checks: uncached.checks,
    uncached: uncached.load,
    cached,
    switching,
    ...Object.fromEntries(
      runs.map(({ page, mix, dropped, checks, cached, uncached }) => [
        page.name,
        { mix, dropped, checks, cached, uncached },
      ]),
    ),
  };
}

/**
 * Issue 8's bar: with sign-in in front of every request, each page's cached p95 stays within 10% of the
 * last run before sign-in existed (bench/results/overview-before-sign-in.json, measured at commit
 * c9a782c on this machine). Nothing to compare against: no bar.
 */
async function againstBaseline(overviewP95: number, pages: { name: string; p95: number }[]): Promise<Bar[]> {
  const text = await readFile("bench/results/overview-before-sign-in.json", "utf8").catch(() => null);
  if (!text) return [];
  const before = JSON.parse(text) as Record<
    string,
    { cached?: { overall?: { p95?: number } }; overall?: { p95?: number } }
  >;
  const baseline = (name: string) =>
    name === "overview" ? before.cached?.overall?.p95 : before[name]?.cached?.overall?.p95;
  return [{ name: "overview", p95: overviewP95 }, ...pages].flatMap(({ name, p95 }) => {
    const then = baseline(name);
    return then === undefined
      ? []
      : [bar(`${name} cached p95 signed in vs before sign-in (${then} ms), ratio`, p95 / then, 1.1, "×")];
  });
}

// ---------------------------------------------------------------------------------------------------------
// Data

/** Fills <work>/data with a published snapshot and says where it came from. */
export async function prepareData(work: string, dataDir: string): Promise<string> {
  const fromEnv = process.env.BENCH_OVERVIEW_DATA;
  // The warehouse `bench --only etl` just built with this code (never an older build: its marts may
  // differ): the text-id one (what real extracts give), else the numeric-id one.
  const built = ["data/bench/etl/data-text", "data/bench/etl/data-numeric"];
  let etlData: string | null = null;
  for (const dir of built) if (!etlData && (await exists(join(dir, "current.json")))) etlData = dir;
  const source = fromEnv ? resolve(fromEnv) : etlData;
  await rm(dataDir, { recursive: true, force: true });
  if (source) {
    const pointer = await readPointer(source);
    await mkdir(join(dataDir, dirname(pointer.path)), { recursive: true });
    await linkOrCopy(join(source, pointer.path), join(dataDir, pointer.path));
    await writeFile(join(dataDir, "current.json"), `${JSON.stringify(pointer, null, 2)}\n`);
    return source;
  }
  let landing = "data/bench/etl/generated-text";
  if (!(await exists("data/bench/etl/generated-text.complete"))) {
    landing = join(work, "landing");
    if (!(await exists(join(work, "landing.complete")))) {
      console.log("bench overview: no warehouse to reuse, generating scale 1");
      await rm(landing, { recursive: true, force: true });
      await runNode(["pipelines/generate/cli.ts", "--scale", "1", "--format", "parquet", "--out", landing]);
      await writeFile(join(work, "landing.complete"), "");
    }
  }
  console.log(`bench overview: loading ${landing} into ${dataDir}`);
  await runNode(["pipelines/etl/cli.ts", "--landing", landing, "--data-dir", dataDir, "--synthetic"]);
  return `etl of ${landing}`;
}

async function readPointer(dataDir: string): Promise<Pointer> {
  const pointer = JSON.parse(await readFile(join(dataDir, "current.json"), "utf8")) as Pointer;
  if (typeof pointer.id !== "string" || typeof pointer.path !== "string")
    throw new Error(`${dataDir}/current.json is not a snapshot pointer`);
  return pointer;
}

/** A hard link when on the same filesystem (the server only reads the file), a copy otherwise. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

// ---------------------------------------------------------------------------------------------------------
// Server

/** Starts the built server in its own process group, runs `body` against it, and always kills the group. */
export const BENCH_EMAIL = "bench@backlight.local";
export const BENCH_PASSWORD = "bench password, long enough";

/** The bench's session cookie on the current server (set by withServer). */
export const session = { cookie: "" };

/** Signs the bench account in: the session cookie, or an error saying why not. */
export async function signInOnce(base: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: BENCH_EMAIL, password: BENCH_PASSWORD }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 302 || !cookie) throw new Error(`bench sign-in failed: ${response.status}`);
  return cookie;
}

export async function withServer<T>(
  work: string,
  dataDir: string,
  label: string,
  env: Record<string, string>,
  body: (base: string, pid: number) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const logFile = join(work, `server-${label}.log`);
  // Every request of a bench is signed in, as people's are: a finance account in the server's own state.
  const stateDir = join(work, `state-${label}`);
  await rm(stateDir, { recursive: true, force: true });
  const state = await AppState.open(stateDir);
  await state.addUser(BENCH_EMAIL, "finance", await hashPassword(BENCH_PASSWORD));
  await state.close();
  const log = createWriteStream(logFile);
  // node server.js directly: the child is the server itself, so its exit is the server's exit.
  // BENCH_SERVER_NODE_ARGS: extra options for the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, ...nodeArgs, "server.js"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      UV_THREADPOOL_SIZE: serverThreadpool(),
      BACKLIGHT_DATA_DIR: resolve(dataDir),
      BACKLIGHT_STATE_DIR: stateDir,
      BACKLIGHT_SESSION_SECRET: randomBytes(32).toString("base64url"),
      NODE_ENV: "production",
    },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const base = `http://127.0.0.1:${port}`;
  console.log(`bench overview: ${label} server on ${base} (log: ${logFile})`);
  // The server is detached (its own group): on Ctrl-C it would outlive us unless killed here.
  const interrupted = (signal: NodeJS.Signals) => {
    signalGroup(child, "SIGKILL");
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  // A server gone during a phase leaves only connection errors in its figures: say so, and fail the bench.
  let stopping = false;
  let gone: string | undefined;
  child.once("exit", (code, signal) => {
    gone = signal ? `was killed by ${signal}` : `exited with ${code}`;
    if (!stopping) console.log(`bench overview: ${label} server ${gone} before the bench stopped it`);
  });
  try {
    await waitHealthy(base, child, logFile);
    session.cookie = await signInOnce(base);
    const result = await body(base, child.pid ?? -1);
    if (gone) throw new Error(`the ${label} server ${gone} during its phases; see ${logFile}`);
    return result;
  } finally {
    stopping = true;
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await killGroup(child);
    log.end();
  }
}

async function waitHealthy(base: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`server exited with ${child.exitCode ?? child.signalCode}; see ${logFile}`);
    try {
      const response = await fetch(`${base}/healthz`);
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`server not healthy after 180 s (last: ${last}); see ${logFile}`);
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => child.once("exit", resolvePromise));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------------------
// Load

/** One request per URL of the mix, page and data, in order: warms the server and checks the answers. */
export async function checkMix(base: string, page: Page, mix: string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const qs of mix) {
    for (const kind of KINDS) {
      const url = target(page, kind, qs);
      const started = performance.now();
      const response = await fetch(`${base}${url}`, { headers: { Cookie: session.cookie } });
      const text = await response.text();
      const ms = Number((performance.now() - started).toFixed(1));
      const contentType = response.headers.get("content-type") ?? "";
      const check = { qs, kind, status: response.status, ms, contentType, body: "" };
      if (kind === "data" && response.status !== 404 && contentType.includes("text/html"))
        throw new Error(`${url} answered HTML, not single-fetch data: wrong data URL`);
      if (response.status !== 200) {
        check.body = text.slice(0, 500);
        console.log(`  ${response.status} ${url}: ${check.body}`);
      }
      checks.push(check);
    }
  }
  return checks;
}

/** Drops from the run's mix every query string with a URL (page or data) that did not answer 200. */
function keepAnswered(run: PageRun, checks: Check[]): void {
  const failed = checks.filter((c) => c.status !== 200);
  run.dropped.push(...failed);
  run.mix = run.mix.filter((qs) => !failed.some((c) => c.qs === qs));
  if (failed.length > 0 && run.mix.length === 0)
    console.log(`bench overview: ${run.page.name}: every URL of its mix was dropped, nothing to load`);
}

/** Every `kind` client takes the next URL of one seeded shuffle of the mix, round-robin. */
function loadKind(
  base: string,
  page: Page,
  kind: Kind,
  mix: string[],
  connections: number,
  overallRate?: number,
): Promise<KindRun> {
  // An empty mix (every URL dropped) loads nothing: its figures are NaN and its bars fail.
  if (mix.length === 0) return Promise.resolve({ samples: [], errors: 0, timeouts: 0 });
  const order = shuffle(mix, SEED + (kind === "page" ? 0 : 1));
  let next = 0;
  const samples: Sample[] = [];
  // autocannon calls onResponse and then emits "response" (with the latency) synchronously for one client.
  let pending: Omit<Sample, "ms"> | undefined;
  return new Promise((resolvePromise, reject) => {
    const instance = autocannon({
      url: base,
      headers: { Cookie: session.cookie },
      connections,
      ...(overallRate ? { overallRate } : {}),
      duration: SECONDS,
      timeout: 30,
      requests: [
        {
          method: "GET",
          setupRequest: (request, context) => {
            const qs = order[next++ % order.length] as string;
            context.qs = qs;
            return { ...request, path: target(page, kind, qs) };
          },
          onResponse: (status, _body, context, headers) => {
            const found = Object.entries(headers).find(([name]) => name.toLowerCase() === SNAPSHOT_HEADER);
            const value = found?.[1];
            pending = { qs: String(context.qs), status, snapshot: Array.isArray(value) ? value[0] : value };
          },
        },
      ],
    });
    instance.on("response", (_client, status, _bytes, ms) => {
      samples.push({ ...(pending ?? { qs: "?", status, snapshot: undefined }), ms });
      pending = undefined;
    });
    instance.on("error", reject);
    instance.on("done", (result) =>
      resolvePromise({ samples, errors: result.errors, timeouts: result.timeouts }),
    );
  });
}

/** CONNECTIONS keep-alive clients, half on the page and half on its data route, for SECONDS. */
export async function load(
  base: string,
  page: Page,
  mix: string[],
  label: string,
  /** Requests per second over all clients (default: as fast as the server answers). */
  overallRate?: number,
): Promise<Record<string, unknown>> {
  console.log(
    `bench overview: ${label}: ${CONNECTIONS} clients for ${SECONDS} s over ${mix.length} × 2 URLs`,
  );
  const started = performance.now();
  const [pageRun, dataRun] = await Promise.all(
    KINDS.map((kind) =>
      loadKind(base, page, kind, mix, CONNECTIONS / 2, overallRate ? overallRate / 2 : undefined),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  if (!pageRun || !dataRun) throw new Error("load: a client group did not report");
  const all: KindRun = {
    samples: [...pageRun.samples, ...dataRun.samples],
    errors: pageRun.errors + dataRun.errors,
    timeouts: pageRun.timeouts + dataRun.timeouts,
  };
  const snapshots = [...new Set(all.samples.map((s) => s.snapshot).filter((s) => s !== undefined))];
  return {
    seconds: Number(seconds.toFixed(1)),
    overall: stats(all, seconds),
    page: stats(pageRun, seconds),
    data: stats(dataRun, seconds),
    timeouts: all.timeouts,
    statuses: countBy(all.samples.map((s) => String(s.status))),
    snapshotsServed: snapshots.length,
    perQuery: mix.map((qs) => ({
      qs,
      page: brief(pageRun.samples.filter((s) => s.qs === qs)),
      data: brief(dataRun.samples.filter((s) => s.qs === qs)),
    })),
  };
}

/** The same load while a new snapshot is published into dataDir every 3 s (then the original is restored). */
async function loadWhileSwitching(
  base: string,
  page: Page,
  mix: string[],
  dataDir: string,
  original: Pointer,
  links: string[],
): Promise<Record<string, unknown>> {
  const published: string[] = [];
  let stop = false;
  const publisher = (async () => {
    for (let n = 1; ; n++) {
      await sleep(PUBLISH_EVERY_MS);
      if (stop) return;
      const id = `bench-${n}`;
      const path = `snapshots/${id}.duckdb`;
      const file = join(dataDir, path);
      await rm(file, { force: true });
      await linkOrCopy(join(dataDir, original.path), file);
      links.push(file);
      await publish(dataDir, { id, path, createdAt: new Date().toISOString(), synthetic: true });
      published.push(id);
    }
  })();
  let result: Record<string, unknown>;
  try {
    result = await load(base, page, mix, "switching");
  } finally {
    stop = true;
    await publisher;
    await publish(dataDir, original);
  }
  return { ...result, published: published.length, publishEverySeconds: PUBLISH_EVERY_MS / 1000 };
}

async function publish(dataDir: string, pointer: Pointer): Promise<void> {
  const tmp = join(dataDir, "current.json.tmp");
  await writeFile(tmp, `${JSON.stringify(pointer, null, 2)}\n`);
  await rename(tmp, join(dataDir, "current.json"));
}

// ---------------------------------------------------------------------------------------------------------
// Figures

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

function stats(run: KindRun, seconds: number): Stats {
  const sorted = run.samples.map((s) => s.ms).sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(1));
  return {
    requests: sorted.length,
    requestsPerSecond: round(sorted.length / seconds),
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    non2xx: run.samples.filter((s) => s.status < 200 || s.status > 299).length,
    errors: run.errors,
  };
}

function brief(samples: Sample[]) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50: Number(percentile(sorted, 0.5).toFixed(1)),
    p95: Number(percentile(sorted, 0.95).toFixed(1)),
    non2xx: samples.filter((s) => s.status < 200 || s.status > 299).length,
  };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Fisher–Yates with mulberry32: the same order on every run. */
function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function summarise(sections: Record<string, Record<string, unknown>>): void {
  console.log("bench overview: summary (ms)");
  for (const [label, section] of Object.entries(sections)) {
    for (const kind of ["overall", "page", "data"]) {
      const s = section[kind] as Stats;
      console.log(
        `  ${label.padEnd(22)} ${kind.padEnd(7)} ${String(s.requests).padStart(6)} req ${String(s.requestsPerSecond).padStart(7)} req/s  p50 ${s.p50}  p95 ${s.p95}  p99 ${s.p99}  max ${s.max}  non-2xx ${s.non2xx}  errors ${s.errors}`,
      );
    }
    if (label === "switching")
      console.log(
        `  switching: ${section.published} snapshots published, ${section.snapshotsServed} distinct ids served`,
      );
  }
}

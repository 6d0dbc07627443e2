// The built dashboard served by server.js, checked over HTTP: the overview's figures over a warehouse
// built by the real pipeline from a hand-written batch, bad filters, and a snapshot switch.

import { copyFile, readdir, readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDemoDataDir,
  makeTempDir,
  openFiles,
  publishPointer,
  readPointer,
  removeDir,
  type SnapshotPointer,
} from "../helpers/fixture-warehouse";
import { csvRecords } from "../helpers/http-figures";
import { buildOverviewWarehouse } from "../helpers/overview-fixture";
import { REPO_ROOT } from "../helpers/repo";
import { buildApp, emailOf, type RunningServer, startServer } from "../helpers/server";

/** The text of each card's figure, keyed by metric id. */
function cardFigures(html: string): Record<string, string> {
  const figures: Record<string, string> = {};
  for (const match of html.matchAll(/data-metric="(\w+)".*?<data value="[^"]*">([^<]*)<\/data>/gs)) {
    const [, metric = "", figure = ""] = match;
    figures[metric] = figure;
  }
  return figures;
}

/** Something that looks like a stack frame or a server path. */
function expectNoStackTrace(body: string): void {
  expect(body).not.toMatch(/\bat [^\s<]*[\\/][^\s<]*:\d+/);
  expect(body).not.toContain(REPO_ROOT);
  expect(body).not.toContain("node_modules");
}

async function get(server: RunningServer, path: string, headers: Record<string, string> = {}) {
  const response = await server.fetch(path, { headers });
  return { response, body: await response.text() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the overview over HTTP, on the built server", () => {
  let root: string | undefined;
  let dataDir: string;
  let demoDir: string | undefined;
  let server: RunningServer | undefined;
  let pointer: SnapshotPointer;

  const running = (): RunningServer => {
    if (!server) throw new Error("server not started");
    return server;
  };

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("overview-http");
    dataDir = join(root, "data");
    buildOverviewWarehouse(join(root, "landing"), dataDir);
    pointer = await readPointer(dataDir);
    demoDir = await createDemoDataDir();
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(root);
    await removeDir(demoDir);
  });

  it("answers /healthz with 200 and the published snapshot id", async () => {
    const { response, body } = await get(running(), "/healthz");
    expect(response.status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({
      status: "ok",
      snapshot: pointer.id,
      publishedAt: pointer.createdAt,
    });
    expect(response.headers.get("x-backlight-snapshot")).toBe(pointer.id);
  });

  it("renders every card with the hand-worked figures, in en-GB by default", async () => {
    const { response, body } = await get(running(), "/?from=2024-12-01&to=2024-12-31");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-backlight-snapshot")).toBe(pointer.id);
    expect(body).toContain('<html lang="en-GB"');
    expect(cardFigures(body)).toEqual({
      cumulative_customers: "5",
      active_customers: "4",
      new_customers: "2",
      devices_sold: "4",
      gmv_eur: "€445",
      net_revenue_eur: "€37",
      take_rate: "8.3%",
      contribution_margin_eur: "-€428",
      ebitda_eur: "-€1,908",
    });
    // The exact value travels with each figure.
    expect(body).toContain('<data value="-1907.7">-€1,908</data>');
    expect(body).toContain("1 December 2024 – 31 December 2024");
    expect(body).toContain("vs. 1 November 2024 – 30 November 2024");
    expect(body).toContain(">Synthetic data</li>");
    expect(body).toContain(`<time dateTime="${pointer.createdAt}">`);
    // The data's age: its last day with orders, flagged since it is more than a few days before today.
    const last = body.match(/data-orders-through="(\d{4}-\d{2}-\d{2})"/)?.[1] ?? "";
    expect(last).toMatch(/^2024-12-/);
    const days = Math.floor((Date.now() - Date.parse(`${last}T00:00:00Z`)) / 86_400_000);
    expect(body).toContain("badge badge--stale");
    expect(body).toContain(`${days.toLocaleString("en-GB")} days ago`);
  });

  it("formats for fr-FR from Accept-Language, and ?lang= overrides it", async () => {
    const french = await get(running(), "/?from=2024-12-01&to=2024-12-31", {
      "Accept-Language": "fr-FR,fr;q=0.9",
    });
    expect(french.body).toContain('<html lang="fr-FR"');
    // Multi-byte characters everywhere (narrow no-break spaces, €): none left a NUL behind (React 18).
    expect(french.body).not.toContain("\u0000");
    expect(cardFigures(french.body)).toMatchObject({
      gmv_eur: "445\u00a0€",
      ebitda_eur: "-1\u202f908\u00a0€",
      take_rate: "8,3\u00a0%",
    });
    expect(french.body).toContain(">Données synthétiques</li>");
    const english = await get(running(), "/?from=2024-12-01&to=2024-12-31&lang=en", {
      "Accept-Language": "fr-FR",
    });
    expect(cardFigures(english.body)).toMatchObject({ gmv_eur: "€445" });
  });

  it("serves the same figures on the loader's data route", async () => {
    const { response, body } = await get(
      running(),
      "/_root.data?from=2024-12-01&to=2024-12-31&_routes=routes/_index",
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-backlight-snapshot")).toBe(pointer.id);
    expect(body).toContain("-1907.7");
  });

  it("keeps central costs apart from a country's own, and allocates them by net revenue when asked", async () => {
    const DECEMBER = "from=2024-12-01&to=2024-12-31&compare=none";
    const rows = async (costs: string) =>
      csvRecords((await get(running(), `/export/breakdown?${DECEMBER}&costs=${costs}`)).body).filter(
        (r) => r.level === "country",
      );
    const of = (records: Record<string, string>[], country: string) =>
      records.find((r) => r.country_code === country);
    // France, launched first, is the headquarters: its 1,000 € of tech costs are central (ADR 0019).
    const recorded = await rows("recorded");
    expect(of(recorded, "FR")).toMatchObject({
      cost_basis: "recorded",
      opex_eur: "1000.00",
      own_opex_eur: "0.00",
      central_costs_eur: "1000.00",
    });
    expect(of(recorded, "US")).toMatchObject({
      opex_eur: "480.00",
      own_opex_eur: "480.00",
      central_costs_eur: "0.00",
    });
    // December's net revenue: FR 4.50, GB 18.00, US 14.25 of 36.75; the shares in 1/10,000 € add up to
    // 1,000 exactly (France takes the remainder's last unit: 122.44898 → 122.4490).
    const allocated = await rows("allocated");
    expect(allocated.map((r) => [r.country_code, r.cost_basis, r.central_costs_eur, r.opex_eur])).toEqual([
      ["FR", "allocated", "122.45", "122.45"],
      ["GB", "allocated", "489.80", "489.80"],
      ["US", "allocated", "387.76", "867.76"],
    ]);
    // The page says where they count, and links to the other way.
    const page = await get(running(), `/regions?${DECEMBER}`);
    expect(page.response.status).toBe(200);
    expect(page.body).toContain("count in France, where they are recorded");
    expect(page.body).toContain("costs=allocated");
    const shared = await get(running(), `/regions?${DECEMBER}&costs=allocated&lang=fr`);
    expect(shared.body).toContain("sont répartis entre les pays selon leur part du revenu net");
    expect(shared.body).toContain("Coûts centraux");
  });

  it("names a comparison dropped for lying before the first order in the KPI file, without figures", async () => {
    const rows = csvRecords((await get(running(), "/export/kpis?range=all_time")).body);
    expect(rows.map((r) => r.series)).toEqual(["current", "comparison_before_first_order"]);
    const [current, dropped] = rows as [Record<string, string>, Record<string, string>];
    // The comparison would end the day before the range starts, at the first order.
    expect(Date.parse(dropped.to ?? "") + 86_400_000).toBe(Date.parse(current.from ?? ""));
    expect(dropped.gmv_eur).toBe("");
    expect(dropped.devices_sold).toBe("");
    expect(Number(current.gmv_eur)).toBeGreaterThan(0);
  });

  for (const [query, message] of [
    ["lang=xx", "Unsupported language &quot;xx&quot; in the lang parameter: use lang=en or lang=fr."],
    ["from=2024-02-30&to=2024-03-31", "from: 2024-02-30 is not a calendar date"],
    ["country=ZZ", "unknown country &quot;ZZ&quot;"],
    ["grain=fortnight", "grain"],
    ["country=FR&country=%27%20OR%201%3D1%20--", "is not a country code"],
    ["sort=gmv_eur%3B%20drop%20table", "sort: must be name or a metric id"],
  ] as const) {
    it(`answers ?${query} with a 400 page that says what was wrong, without a stack trace`, async () => {
      const { response, body } = await get(running(), `/?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(body).toContain("Bad request");
      expect(body).toContain(message);
      expectNoStackTrace(body);
    });
  }

  it("answers a bad filter on the data route with 400 too", async () => {
    const { response, body } = await get(running(), "/_root.data?from=yesterday&to=today");
    expect(response.status).toBe(400);
    expect(body).toContain(`from: \\"yesterday\\" is not a date written YYYY-MM-DD`);
    expectNoStackTrace(body);
  });

  it("answers an unknown page with a 404 page, without a stack trace", async () => {
    const { response, body } = await get(running(), "/no-such-page");
    expect(response.status).toBe(404);
    expect(body).toContain("Page not found");
    expectNoStackTrace(body);
    // In the language the address asks for, and back to the dashboard in it.
    const french = await get(running(), "/no-such-page?lang=fr");
    expect(french.response.status).toBe(404);
    expect(french.body).toContain("Page introuvable");
    expect(french.body).toContain('href="/?lang=fr"');
    // A mistyped address is the reader's, not the server's: no error line with a stack in the log.
    expect(running().output()).not.toContain("No route matches URL");
  });

  it("answers a page asked again in the same session from its rendered copy, with a fresh nonce", async () => {
    const path = "/regions?range=all_time&lang=en";
    const first = await get(running(), path);
    const again = await get(running(), path);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get("server-timing")).not.toContain("cache");
    // The first answer is compressed whole (one zlib job); the kept copy's parts on its first hit.
    expect(first.response.headers.get("content-encoding")).toBe("gzip");
    expect(again.response.headers.get("server-timing")).toContain('cache;desc="page"');
    expect(again.response.headers.get("x-backlight-snapshot")).toBe(pointer.id);
    expect(again.response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    // Every inline script carries this response's own nonce, the one its CSP names.
    const nonceOf = (r: Response) =>
      /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy") ?? "")?.[1];
    const [n1, n2] = [nonceOf(first.response), nonceOf(again.response)];
    expect(n1).toBeTruthy();
    expect(n2).not.toBe(n1);
    const nonces = (html: string) => new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]));
    expect(nonces(again.body)).toEqual(new Set([n2]));
    expect(again.body.replaceAll(n2 as string, n1 as string)).toBe(first.body);
    // Compressed from parts made once (on this first hit), with the nonce compressed apart: the client's
    // gunzip checks the CRC and length. Without gzip, the same page as text.
    expect(again.response.headers.get("content-encoding")).toBe("gzip");
    expect(again.response.headers.get("vary")).toMatch(/Accept-Encoding/);
    const plain = await get(running(), path, { "Accept-Encoding": "identity" });
    expect(plain.response.headers.get("server-timing")).toContain('cache;desc="page"');
    expect(plain.response.headers.get("content-encoding")).toBeNull();
    const n3 = nonceOf(plain.response);
    expect(plain.body.replaceAll(n3 as string, n1 as string)).toBe(first.body);
    // Another role's session renders its own page: its header and its metrics are not finance's.
    const product = await running().fetch(path, {}, "product");
    expect(product.headers.get("server-timing")).not.toContain("cache");
    expect(await product.text()).toContain(emailOf("product"));
    // A client-side navigation's data is kept the same way.
    const data = "/regions.data?range=all_time&lang=en";
    const d1 = await get(running(), data);
    const d2 = await get(running(), data);
    expect(d2.response.headers.get("server-timing")).toContain('cache;desc="page"');
    expect(d2.body).toBe(d1.body);
    // A bad parameter is never kept: its 400 is worked out each time.
    for (let i = 0; i < 2; i++) {
      const bad = await running().fetch("/regions?range=nope");
      expect(bad.status).toBe(400);
      expect(bad.headers.get("server-timing")).not.toContain("cache");
    }
  });

  it("serves a newly published snapshot without a restart, and closes the one it replaced", async () => {
    const oldFile = await realpath(join(dataDir, pointer.path));
    const checkFiles = process.platform === "linux";
    await get(running(), "/");
    // Asked twice on the old snapshot: the second answer is the rendered copy, which the switch retires.
    await get(running(), "/?range=all_time");
    expect((await get(running(), "/?range=all_time")).response.headers.get("server-timing")).toContain(
      'cache;desc="page"',
    );
    if (checkFiles) expect(await openFiles(running().pid)).toContain(oldFile);

    // Publish the demo warehouse's snapshot into this data directory under a new id.
    const demo = await readPointer(demoDir as string);
    const next: SnapshotPointer = {
      ...demo,
      id: "20991231T000000Z-switched",
      path: "snapshots/switched.duckdb",
    };
    await copyFile(join(demoDir as string, demo.path), join(dataDir, next.path));
    await publishPointer(dataDir, next);
    // Within the pointer's TTL (1 s) the server sees it, then serves the old snapshot while it reads the
    // new one's resident marts (ADR 0030), then the new one: the old one answers until then.
    const published = Date.now();
    let served = pointer.id;
    while (served !== next.id && Date.now() - published < 20_000) {
      await sleep(200);
      const answer = await get(running(), "/healthz");
      expect(answer.response.status).toBe(200);
      served = answer.response.headers.get("x-backlight-snapshot") ?? "";
      expect([pointer.id, next.id]).toContain(served);
    }

    const { response, body } = await get(running(), "/?range=all_time");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-backlight-snapshot")).toBe(next.id);
    const figures = cardFigures(body);
    expect(Object.keys(figures)).toHaveLength(9);
    for (const [metric, figure] of Object.entries(figures)) expect(figure, metric).toMatch(/\d/);
    // The demo's history starts in 2014, the hand-written batch's in November 2024.
    expect(body).toMatch(/\d{1,2} \w+ 201\d – /);
    // All time compares with nothing (the ten years before launch), and says so instead of a +6,669,587%.
    expect(body).toMatch(
      /No comparison: \d{1,2} \w+ 20\d\d – \d{1,2} \w+ 201\d is before the first order \(\d{1,2} \w+ 201\d\)/,
    );
    expect(body).not.toContain("vs previous period");
    // The demo's extract stops shortly before midnight UTC on 31 December, after midnight in Paris: the header says
    // so, and the presets end on the last whole day (year to date is 2024, not 1 January 2025 alone).
    expect(body).toMatch(
      /Orders through(<!-- -->)? <time[^>]*>31 December 2024<\/time>.*\(and 1 January 2025 to 00:\d\d\)/,
    );
    // Europe's profitability in one sentence for the roles that may see EBITDA; never for product.
    expect(body).toMatch(/data-headline[^>]*><p>Europe: EBITDA positive in \d of the last 4 months\./);
    const product = await (await running().fetch("/?range=all_time", {}, "product")).text();
    expect(product).toContain("Cumulative customers");
    expect(product).not.toContain("data-headline");
    expect(product).not.toContain("EBITDA positive");
    const ytd = await get(running(), "/?range=year_to_date");
    expect(ytd.body).toMatch(
      /<span>1 January 2024 – 31 December 2024<\/span><span class="period__versus"> (<!-- -->)?vs. 1 January 2023 – 31 December 2023/,
    );
    const health = await get(running(), "/healthz");
    expect(JSON.parse(health.body)).toMatchObject({ status: "ok", snapshot: next.id });

    if (checkFiles) {
      const files = await openFiles(running().pid);
      expect(files).not.toContain(oldFile);
      expect(files).toContain(await realpath(join(dataDir, next.path)));
    }
  });
});

describe("the dashboard page before any warehouse is published", () => {
  let emptyParent: string | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    emptyParent = await makeTempDir("empty");
    // The data directory itself does not exist: the state a fresh checkout is in.
    server = await startServer({ dataDir: join(emptyParent, "data") });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(emptyParent);
  });

  it("explains how to publish one, with status 200", async () => {
    const { response, body } = await get(server as RunningServer, "/");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-backlight-snapshot")).toBeNull();
    expect(body).toContain("No warehouse has been published yet. Run npm run demo to build the sample one.");
    expectNoStackTrace(body);
  });

  it("reports 503 on /healthz with the reason", async () => {
    const { response, body } = await get(server as RunningServer, "/healthz");
    expect(response.status).toBe(503);
    expect(JSON.parse(body)).toEqual({
      status: "unavailable",
      message: "no warehouse published yet: run npm run demo",
    });
  });
});

describe("the browser bundle", () => {
  it("holds no server-only code: no DuckDB, no data directory", async () => {
    const assets = join(REPO_ROOT, "build", "client", "assets");
    for (const name of await readdir(assets)) {
      if (!name.endsWith(".js")) continue;
      const source = await readFile(join(assets, name), "utf8");
      // Code, not words: the interface may name DuckDB in a sentence, never import it or read its files.
      expect(source, name).not.toMatch(/@duckdb|DuckDBInstance|BACKLIGHT_DATA_DIR|current\.json|node:fs/);
    }
  });
});

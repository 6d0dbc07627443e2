// The built dashboard served by remix-serve over a real demo warehouse, checked over HTTP.

import { readdir, readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDemoDataDir,
  type HeadlineRow,
  makeTempDir,
  openFiles,
  publishPointer,
  queryHeadlineFile,
  readPointer,
  removeDir,
  type SnapshotPointer,
  writeSnapshot,
} from "../helpers/fixture-warehouse";
import { expectedFigures } from "../helpers/formats";
import { REPO_ROOT } from "../helpers/repo";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

/** The text of each headline card's figure, keyed by metric id. */
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
  const response = await fetch(`${server.baseUrl}${path}`, { headers });
  return { response, body: await response.text() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the dashboard page over HTTP, on a demo warehouse", () => {
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  let pointer: SnapshotPointer;
  let headline: HeadlineRow;

  const running = (): RunningServer => {
    if (!server) throw new Error("server not started");
    return server;
  };

  beforeAll(async () => {
    await buildApp();
    dataDir = await createDemoDataDir();
    pointer = await readPointer(dataDir);
    headline = await queryHeadlineFile(join(dataDir, pointer.path));
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(dataDir);
  });

  it("answers /healthz with 200 and the published snapshot id", async () => {
    const { response, body } = await get(running(), "/healthz");
    expect(response.status).toBe(200);
    expect(JSON.parse(body)).toEqual({ status: "ok", snapshot: pointer.id });
    expect(response.headers.get("x-backlight-snapshot")).toBe(pointer.id);
  });

  it("shows the three headline figures DuckDB holds, in en-GB by default", async () => {
    expect(headline.customers).toBeGreaterThan(1000);
    const { response, body } = await get(running(), "/");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-backlight-snapshot")).toBe(pointer.id);
    expect(body).toContain('<html lang="en-GB"');
    expect(body).toContain("<title>Backlight</title>");
    const expected = expectedFigures(headline, "en-GB");
    expect(cardFigures(body)).toEqual(expected);
    expect(expected.gmv_eur).toMatch(/^€\d{1,3}(,\d{3})*$/);
    for (const label of ["Customers", "Devices sold", "GMV (EUR)"]) expect(body).toContain(`>${label}</h2>`);
    expect(body).toContain(`<time dateTime="${headline.first_order_date}">`);
    expect(body).toContain(`<time dateTime="${headline.last_order_date}">`);
    expect(body).toMatch(
      /Orders from <time[^>]*>\d{1,2} \w+ \d{4}<\/time> to <time[^>]*>\d{1,2} \w+ \d{4}<\/time>/,
    );
  });

  it("formats the figures for fr-FR from Accept-Language, grouped with narrow no-break spaces", async () => {
    const { response, body } = await get(running(), "/", { "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5" });
    expect(response.status).toBe(200);
    expect(body).toContain('<html lang="fr-FR"');
    const expected = expectedFigures(headline, "fr-FR");
    expect(expected.customers).toContain("\u202f");
    expect(expected.gmv_eur).toMatch(/^\d{1,3}(\u202f\d{3})*\u00a0€$/);
    expect(cardFigures(body)).toEqual(expected);
  });

  it("lets ?lang= override Accept-Language", async () => {
    const french = await get(running(), "/?lang=fr", { "Accept-Language": "en-GB" });
    expect(cardFigures(french.body)).toEqual(expectedFigures(headline, "fr-FR"));
    const english = await get(running(), "/?lang=en", { "Accept-Language": "fr-FR" });
    expect(cardFigures(english.body)).toEqual(expectedFigures(headline, "en-GB"));
  });

  it("labels the figures as synthetic and says when the data was published", async () => {
    expect(pointer.synthetic).toBe(true);
    const { body } = await get(running(), "/");
    expect(body).toContain(">Synthetic data</li>");
    expect(body).toContain(`Data as of<!-- --> <time dateTime="${pointer.createdAt}">`);
    const french = await get(running(), "/", { "Accept-Language": "fr-FR" });
    expect(french.body).toContain(">Données synthétiques</li>");
  });

  it("answers ?lang=xx with a 400 page that says what was wrong, without a stack trace", async () => {
    const { response, body } = await get(running(), "/?lang=xx");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(body).toContain("Bad request");
    expect(body).toContain(
      "Unsupported language &quot;xx&quot; in the lang parameter: use lang=en or lang=fr.",
    );
    expectNoStackTrace(body);
  });

  it("answers an unknown page with a 404 page, without a stack trace", async () => {
    const { response, body } = await get(running(), "/no-such-page");
    expect(response.status).toBe(404);
    expect(body).toContain("Page not found");
    expectNoStackTrace(body);
  });

  it("serves a newly published snapshot without a restart, and closes the one it replaced", async () => {
    const dir = dataDir as string;
    const oldFile = await realpath(join(dir, pointer.path));
    const checkFiles = process.platform === "linux";
    if (checkFiles) expect(await openFiles(running().pid)).toContain(oldFile);
    const next: HeadlineRow = {
      customers: 15_234_567,
      devices_sold: 30_876_543,
      gmv_eur: 2_012_345_678.9,
      first_order_date: "2014-11-03",
      last_order_date: "2024-12-31",
      synthetic: true,
    };
    const nextPointer = await writeSnapshot(dir, "20991231T000000Z-switched", next);
    await publishPointer(dir, nextPointer);
    await sleep(1_100);

    const { response, body } = await get(running(), "/");
    expect(response.headers.get("x-backlight-snapshot")).toBe(nextPointer.id);
    expect(cardFigures(body)).toEqual({
      customers: "15,234,567",
      devices_sold: "30,876,543",
      gmv_eur: "€2,012,345,679",
    });
    const french = await get(running(), "/", { "Accept-Language": "fr-FR" });
    expect(cardFigures(french.body)).toEqual({
      customers: "15\u202f234\u202f567",
      devices_sold: "30\u202f876\u202f543",
      gmv_eur: "2\u202f012\u202f345\u202f679\u00a0€",
    });
    const health = await get(running(), "/healthz");
    expect(JSON.parse(health.body)).toEqual({ status: "ok", snapshot: nextPointer.id });

    if (checkFiles) {
      const files = await openFiles(running().pid);
      expect(files).not.toContain(oldFile);
      expect(files).toContain(await realpath(join(dir, nextPointer.path)));
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
      expect(source, name).not.toMatch(/duckdb|BACKLIGHT_DATA_DIR|current\.json/i);
    }
  });
});

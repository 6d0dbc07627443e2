// Pages rendered on a render thread (ADR 0041) are the pages the main thread renders: two built servers
// over the same hand-written warehouse, one rendering on its main thread (BACKLIGHT_RENDER_THREADS=0),
// one on its render thread (the default), answer every page, in both languages and with filters, with
// the same bytes but for each answer's own secrets (the CSP nonce, the CSRF token). The metrics say which
// thread rendered, so the test knows the render thread did; a page showing an error (a 404, a refused
// filter) is rendered on the main thread as before, with its status.

import { join } from "node:path";
import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { loaderData } from "../helpers/http-figures";
import { buildOverviewWarehouse } from "../helpers/overview-fixture";
import { buildApp, freePort, type RunningServer, startServer } from "../helpers/server";

const PAGES = [
  "/",
  "/?range=last_12_months&country=FR,US&compare=previous_period",
  "/regions",
  "/regions?range=last_12_months&compare=previous_period",
  "/profitability",
  "/quality",
  "/quality?range=all_time&category=smartphone",
  "/pricing",
  "/pricing?range=all_time&threshold=5",
  "/channels",
  "/market",
  "/rollout",
  "/rollout?country=FR,GB&metric=active_customers",
  "/changes",
  "/views",
];

async function renders(metricsPort: number): Promise<{ render: number; main: number }> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const read = (thread: string) =>
    Number(new RegExp(`^backlight_page_renders_total\\{thread="${thread}"\\} (\\d+)$`, "m").exec(text)?.[1]);
  return { render: read("render"), main: read("main") };
}

/** A page without what differs by answer: the nonce, the CSRF token (in the form and in the data). */
function withoutSecrets(html: string): string {
  return html
    .replace(/nonce="[^"]+"/g, 'nonce=""')
    .replace(/(name="csrf"[^>]*value=")[^"]+"/g, '$1"')
    .replace(/(value=")[^"]+("[^>]*name="csrf")/g, "$1$2")
    .replace(/[A-Za-z0-9_-]{43}/g, "TOKEN");
}

describe("a page rendered on the render thread is the page the main thread renders", () => {
  let root: string | undefined;
  const started: RunningServer[] = [];
  let onMain: { server: RunningServer; metricsPort: number };
  let onThread: { server: RunningServer; metricsPort: number };

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("render-thread");
    buildOverviewWarehouse(join(root, "landing"), join(root, "data"));
    const start = async (env: Record<string, string>) => {
      const metricsPort = await freePort();
      const server = await startServer({
        dataDir: join(root as string, "data"),
        // No rendered-page cache: every answer below is a render.
        env: { ...env, BACKLIGHT_METRICS_PORT: String(metricsPort), BACKLIGHT_PAGE_CACHE_MB: "0" },
      });
      started.push(server);
      return { server, metricsPort };
    };
    onMain = await start({ BACKLIGHT_RENDER_THREADS: "0" });
    onThread = await start({});
    // The render thread loads the build after the server starts: until it is ready, pages render here.
    const deadline = Date.now() + 30_000;
    while ((await renders(onThread.metricsPort)).render === 0) {
      if (Date.now() > deadline)
        throw new Error(`no page rendered on the thread:\n${onThread.server.output()}`);
      await onThread.server.fetch("/market").then((r) => r.arrayBuffer());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(async () => {
    for (const server of started) await server.stop();
    await removeDir(root);
  });

  it("answers every page, in English and in French, with the same page", async () => {
    const before = await renders(onThread.metricsPort);
    let compared = 0;
    for (const page of PAGES)
      for (const lang of ["en", "fr"]) {
        const url = `${page}${page.includes("?") ? "&" : "?"}lang=${lang}`;
        const [main, thread] = await Promise.all([onMain.server.fetch(url), onThread.server.fetch(url)]);
        expect(thread.status, url).toBe(200);
        expect(main.status, url).toBe(200);
        const [a, b] = await Promise.all([main.text(), thread.text()]);
        expect(b.length, url).toBeGreaterThan(1000);
        expect(withoutSecrets(b), url).toBe(withoutSecrets(a));
        compared++;
      }
    const after = await renders(onThread.metricsPort);
    // Every one of them on the render thread; none on the main thread of the server that has one.
    expect(after.render - before.render).toBe(compared);
    expect(after.main).toBe(before.main);
    expect((await renders(onMain.metricsPort)).render).toBe(0);
    // And the thread's pages hold the figures: the overview's data, not an empty frame.
    const overview = await (await onThread.server.fetch("/?lang=en")).text();
    expect(overview).toContain("window.__remixContext");
    expect(overview).toMatch(/<table/);
  });

  it("keeps in the page cache the parts the thread compressed: the first answer and a hit unzip to the page", async () => {
    const metricsPort = await freePort();
    const server = await startServer({
      dataDir: join(root as string, "data"),
      env: { BACKLIGHT_METRICS_PORT: String(metricsPort) },
    });
    started.push(server);
    const deadline = Date.now() + 60_000;
    // Each a new page, until the thread has rendered one: the cache would answer a page seen before
    // without rendering it (this loop used to ask one valid page, in two languages, and a 400: both
    // languages were rendered on the main thread, then cached, whenever the thread took longer than their
    // first asking to start).
    const countries = ["FR", "GB", "US", "FR,GB", "FR,US", "GB,US", "FR,GB,US"];
    const categories = ["smartphone", "laptop", "tablet", "audio", "wearable", "other"];
    for (let i = 0; (await renders(metricsPort)).render === 0; i++) {
      if (Date.now() > deadline) throw new Error(`no page rendered on the thread:\n${server.output()}`);
      const country = countries[i % countries.length];
      const category = categories[Math.floor(i / countries.length) % categories.length];
      const lang = Math.floor(i / (countries.length * categories.length)) % 2 ? "fr" : "en";
      const page = await server.fetch(
        `/market?range=last_12_months&country=${country}&category=${category}&lang=${lang}`,
      );
      expect(page.status, page.url).toBe(200);
      await page.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const path = "/quality?range=all_time&lang=fr";
    const before = await renders(metricsPort);
    const first = await server.fetch(path, { headers: { "Accept-Encoding": "gzip" } });
    const again = await server.fetch(path, { headers: { "Accept-Encoding": "gzip" } });
    expect((await renders(metricsPort)).render).toBe(before.render + 1);
    for (const r of [first, again]) expect(r.headers.get("content-encoding")).toBe("gzip");
    expect(again.headers.get("server-timing")).toContain('cache;desc="page"');
    const reference = await (await onMain.server.fetch(path)).text();
    // fetch unzips (and checks the CRC and length): each is the main thread's page but for its secrets.
    for (const r of [first, again]) expect(withoutSecrets(await r.text())).toBe(withoutSecrets(reference));
  });

  it("writes a page load's data once, in the document's head, and a navigation's in the data stream", async () => {
    // ADR 0045: the page's JSON as it is at the end of the head; Remix's stream (the inline scripts that
    // hydrate the page) carries an empty, inlined answer; a `.data` request carries the text as before.
    const page = "rollout";
    const query = "country=FR,GB&metric=active_customers&lang=fr";
    const viaData = await loaderData<Record<string, unknown>>(
      onThread.server,
      `/${page}.data?${query}&_routes=routes/${page}`,
      `routes/${page}`,
    );
    expect(viaData.state).toBe("ready");
    for (const { server } of [onMain, onThread]) {
      const html = await (await server.fetch(`/${page}?${query}`)).text();
      const script =
        /<script type="application\/json" id="backlight-page-data" nonce="[^"]+">([^<]*)<\/script><\/head>/.exec(
          html,
        );
      expect(script, "the page data's script ends the head").not.toBeNull();
      expect(JSON.parse(script?.[1] ?? "")).toEqual(viaData);
      // The stream's answer for the page: the inlined mark and no text.
      const chunks = [...html.matchAll(/streamController\.enqueue\(("(?:[^"\\]|\\.)*")\)/g)].map(
        (m) => JSON.parse(m[1] as string) as string,
      );
      const decoded = await decode(
        new ReadableStream({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
            controller.close();
          },
        }),
      );
      await decoded.done;
      const streamed = (decoded.value as { loaderData: Record<string, unknown> }).loaderData[
        `routes/${page}`
      ];
      expect(streamed).toEqual({ json: "", inline: true });
    }
  });

  it("renders a page that shows an error on the main thread, with its status", async () => {
    const before = await renders(onThread.metricsPort);
    const missing = await onThread.server.fetch("/no-such-page");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("<html");
    const after = await renders(onThread.metricsPort);
    expect(after.render).toBe(before.render);
    expect(after.main).toBe(before.main + 1);
  });
});

// Every table and every chart of every dashboard page has a download: in a real Chromium, signed in as
// finance (who may open every page), each page's tables and charts are counted, and each must sit in a
// panel (or section) that holds a download menu. The menus are counted per page, and one download of a
// section per page is fetched through its link, so a menu that points nowhere would fail too.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, hasChromium, startBrowserSuite } from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

const PAGES = [
  "/",
  "/profitability",
  "/regions",
  "/rollout",
  "/quality",
  "/channels",
  "/pricing",
  "/market",
  "/changes",
];

describe.skipIf(!hasChromium())("a download for every table and chart", () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let suite: BrowserSuite | undefined;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    ({ server, browser } = suite);
  });
  afterAll(async () => {
    await suite?.stop();
  });

  it("finds a download menu beside every table and chart of every page", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1440, height: 900 } });
    try {
      await signInContext(context, server, "finance");
      const page = await context.newPage();
      const counts: Record<string, { tables: number; charts: number; menus: number; orphans: string[] }> = {};
      for (const path of PAGES) {
        const response = await page.goto(`${server.baseUrl}${path}`, { waitUntil: "networkidle" });
        expect(response?.status(), path).toBe(200);
        // Charts render after hydration (Recharts draws in the browser).
        await page
          .locator("svg.recharts-surface")
          .first()
          .waitFor({ timeout: 15_000 })
          .catch(() => undefined);
        counts[path] = await page.evaluate(() => {
          const main = document.querySelector("main") ?? document.body;
          const tables = [...main.querySelectorAll("table")];
          const charts = [
            ...main.querySelectorAll("figure.chart, figure[data-grade], .recharts-wrapper"),
          ].filter(
            // A chart inside another counted chart is one chart.
            (el, _, all) => !all.some((other) => other !== el && other.contains(el)),
          );
          const orphans: string[] = [];
          for (const el of [...tables, ...charts]) {
            const holder = el.closest(
              "[data-section], section.panel, section[aria-labelledby]:not(.table-wrap)",
            );
            if (!holder?.querySelector("details.download-menu"))
              orphans.push(
                `${el.tagName.toLowerCase()} ${(el.getAttribute("data-table") ?? el.getAttribute("aria-label") ?? el.textContent ?? "").slice(0, 60)}`,
              );
          }
          return {
            tables: tables.length,
            charts: charts.length,
            menus: main.querySelectorAll("details.download-menu").length,
            orphans,
          };
        });
      }
      for (const [path, c] of Object.entries(counts)) {
        expect(c.orphans, `${path}: tables or charts without a download`).toEqual([]);
        expect(c.tables + c.charts, `${path}: something to download`).toBeGreaterThan(0);
        expect(c.menus, path).toBeGreaterThan(0);
      }
      // Each page's first menu gives a file: its first format, the Excel workbook (a zip, "PK").
      for (const path of PAGES) {
        await page.goto(`${server.baseUrl}${path}`, { waitUntil: "networkidle" });
        const href = await page.locator("details.download-menu a").first().getAttribute("href");
        expect(href, path).toMatch(/^\/export\//);
        const file = await page.request.get(`${server.baseUrl}${href}`);
        expect(file.status(), `${path} ${href}`).toBe(200);
        expect(file.headers()["content-disposition"], `${path} ${href}`).toMatch(
          /^attachment; filename="backlight-.*\.xlsx"$/,
        );
        expect((await file.body()).subarray(0, 2).toString("latin1"), `${path} ${href}`).toBe("PK");
      }
    } finally {
      await context.close();
    }
  });
});

// "What changed since the last publish" in a real Chromium against the built server, over the demo
// warehouse (published twice: its last day's batch on its own). Signed in as finance: the comparison's
// facts, the restated figures as the loader computes them (first rows cell by cell), a metric chosen
// from the form by keyboard that lands in the URL and narrows the table, and the section's download
// holding every row. The product role's page has no company-cost figure; French on a phone in the dark
// theme stays on screen. Screenshots land in tests/e2e/screenshots/ (git-ignored).

import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChanges } from "~/.server/changes.server";
import { changesTables } from "~/.server/sections/changes.server";
import { CONFIDENTIAL_METRICS } from "~/auth/policy";
import { ROWS_ON_SCREEN } from "~/components/data-table";
import { METRICS } from "~/metrics/catalogue";
import { presentTable } from "~/sections/table";
import {
  type BrowserSuite,
  hasChromium,
  loadedView,
  SCREENSHOTS,
  startBrowserSuite,
} from "../helpers/browser";
import { csvRecords } from "../helpers/http-figures";
import { type RunningServer, signInContext } from "../helpers/server";

describe.skipIf(!hasChromium())("the What changed page in Chromium", () => {
  let dataDir = "";
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let suite: BrowserSuite | undefined;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    ({ dataDir, server, browser } = suite);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  const expected = (query: string) =>
    loadedView(dataDir, (warehouse) =>
      loadChanges(warehouse, new URL(`http://t/changes?${query}`), "en-GB", "finance"),
    );

  it("shows the restated figures the loader computes, narrows them by metric, and downloads them all", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    try {
      await signInContext(context, server, "finance");
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(`${server.baseUrl}/changes`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe(
        "What changed since the last publish",
      );
      const view = await expected("");
      expect(view.data.unavailable).toBeNull();
      expect(view.data.previous).not.toBeNull();
      await expect
        .poll(() => page.getByText(`Compared with snapshot ${view.data.previous?.id}`).count())
        .toBe(1);
      // The demo's last day restates earlier months (December's costs arrive, late returns).
      expect(view.rows.length).toBeGreaterThan(0);
      const table = presentTable("changes-figures", changesTables(view, "en-GB")["changes-figures"], "en-GB");
      const rows = page.locator('table[data-table="changes-figures"] tbody tr');
      // The HTML holds the first 25 rows; the browser draws the others up to ROWS_ON_SCREEN once live (ADR 0034).
      await expect.poll(() => rows.count()).toBe(Math.min(ROWS_ON_SCREEN, table.total));
      for (const [i, row] of table.rows.slice(0, 5).entries())
        expect(await rows.nth(i).locator("td, th").allTextContents()).toEqual(row.text);
      await page.screenshot({ path: join(SCREENSHOTS, "changes-1440-light-en.png"), fullPage: true });

      // A metric chosen by keyboard, applied with Enter on the button: in the URL, and the table narrows.
      const metric = view.rows.find((r) => r.metric === "return_rate")?.metric ?? view.rows[0]?.metric;
      if (!metric) throw new Error("no moved figure");
      await page.getByLabel("Metric").focus();
      await page.getByLabel("Metric").selectOption(metric);
      await page.getByRole("button", { name: "Apply" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => u.searchParams.get("metric") === metric);
      await page.waitForLoadState("networkidle");
      const narrowed = await expected(`metric=${metric}`);
      await expect.poll(() => rows.count()).toBe(Math.min(ROWS_ON_SCREEN, narrowed.rows.length));
      const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2]?.textContent));
      expect(new Set(names)).toEqual(new Set([METRICS[metric].label["en-GB"]]));

      // The section's download, through the page's own link, holds every row of the view.
      const href = await page
        .locator('[data-section="changes-figures"] .download-menu a[data-format="csv"]')
        .getAttribute("href");
      if (!href) throw new Error("no CSV link");
      const response = await page.request.get(`${server.baseUrl}${href}`);
      expect(response.status()).toBe(200);
      const csv = csvRecords(await response.text());
      expect(csv.length).toBe(narrowed.rows.length);
      expect(new Set(csv.map((r) => r.metric_id))).toEqual(new Set([metric]));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("gives the product role no company-cost figure, and stays on a phone's screen in French", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({
      locale: "fr-FR",
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
    });
    try {
      await signInContext(context, server, "product");
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/changes?lang=fr`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe(
        "Ce qui a changé depuis la dernière publication",
      );
      const body = (await page.locator("main").textContent()) ?? "";
      for (const id of CONFIDENTIAL_METRICS) expect(body).not.toContain(METRICS[id].label["fr-FR"]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(SCREENSHOTS, "changes-390-dark-fr.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

// Price-display compliance in a real Chromium against the built server (demo warehouse), signed in as the
// product role: the cards and the worst sellers against the loader over the same warehouse, a change of
// threshold, country and category that lands in the URL, the URL opened afresh, the sellers' download
// with the same filters, the whole history, French in the dark theme, and a 400 for a bad threshold.
// Screenshots land in tests/e2e/screenshots/ (git-ignored).

import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPricing } from "~/.server/pricing.server";
import { PRICING_SECTIONS } from "~/sections/pricing";
import {
  type BrowserSuite,
  hasChromium,
  loadedView,
  SCREENSHOTS,
  startBrowserSuite,
} from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

const percent = (v: number | null, locale = "en-GB") =>
  v === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(v);

describe.skipIf(!hasChromium())("price-display compliance in Chromium", () => {
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

  async function expected(query: string) {
    return loadedView(dataDir, (warehouse) => loadPricing(warehouse, new URL(`http://t/pricing?${query}`)));
  }

  it("shows the share of inflated displays and the worst sellers, and keeps a change of filters in the URL", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    try {
      await signInContext(context, server, "product");
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(`${server.baseUrl}/pricing`, { waitUntil: "networkidle" });
      const view = await expected("");
      expect(view.totals.priced_sales).toBeGreaterThan(1000);
      const card = (id: string) => page.locator(`article[data-card="${id}"] .kpi__value`);
      expect(await card("share").textContent()).toBe(percent(view.totals.inflated_display_share));
      expect(await card("claimed").textContent()).toBe(percent(view.totals.claimed_saving_pct));
      expect(await card("actual").textContent()).toBe(percent(view.totals.actual_saving_pct));
      // The worst sellers, in the loader's order, names as text.
      const sellers = page.locator('table[data-table="pricing-sellers"] tbody tr');
      expect(await sellers.count()).toBe(Math.min(20, view.sellers.length));
      expect(await sellers.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")))).toEqual(
        view.sellers.slice(0, 20).map((s) => s.key),
      );
      expect(await sellers.first().locator('td[data-col="seller_name"]').textContent()).toBe(
        view.sellers[0]?.name,
      );
      // Every table and chart of the page has its section's download (six sections), in reading order.
      expect(
        await page
          .locator("[data-section] details.download-menu")
          .evaluateAll((d) => d.map((e) => e.getAttribute("data-export"))),
      ).toEqual([...PRICING_SECTIONS]);
      // Two trend charts: the share (one line), the claimed and the actual saving (two lines).
      await expect.poll(() => page.locator("figure.chart .recharts-line").count()).toBe(3);
      await page.screenshot({ path: join(SCREENSHOTS, "pricing-en-light.png"), fullPage: true });

      // Change: more than 10 %, France only, smartphones only.
      await page.getByLabel("Inflated when the displayed new price is more than").selectOption("10");
      await page.locator('input[name="country"][value="FR"]').check();
      await page.locator('input[name="category"][value="smartphone"]').check();
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/threshold=10/);
      await page.waitForLoadState("networkidle");
      const url = new URL(page.url());
      expect(url.searchParams.get("country")).toBe("FR");
      expect(url.searchParams.get("category")).toBe("smartphone");
      const query = `from=${view.from}&to=${view.to}&threshold=10&country=FR&category=smartphone`;
      const narrowed = await expected(query);
      expect(narrowed.totals.priced_sales ?? 0).toBeLessThan(view.totals.priced_sales ?? 0);
      // The URL changes as the new figures arrive: wait for them to be drawn.
      await expect
        .poll(() => card("share").textContent())
        .toBe(percent(narrowed.totals.inflated_display_share));
      expect(
        await page
          .locator('table[data-table="pricing-countries"] tbody tr')
          .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key"))),
      ).toEqual(["FR"]);

      // The address opened afresh shows the same choices and figures.
      const fresh = await context.newPage();
      await fresh.goto(page.url(), { waitUntil: "networkidle" });
      expect(await fresh.getByLabel("Inflated when the displayed new price is more than").inputValue()).toBe(
        "10",
      );
      expect(
        await fresh
          .locator('input[name="country"]:checked')
          .evaluateAll((i) => i.map((e) => (e as HTMLInputElement).value)),
      ).toEqual(["FR"]);
      expect(await fresh.locator('article[data-card="share"] .kpi__value').textContent()).toBe(
        percent(narrowed.totals.inflated_display_share),
      );
      await fresh.close();

      // The sellers' download holds every seller of the same scope, worst first.
      const link = page.locator('details[data-export="pricing-sellers"] a[data-format="csv"]');
      const href = (await link.getAttribute("href")) ?? "";
      expect(href).toContain("threshold=10");
      expect(href).toContain("country=FR");
      const download = await context.request.get(`${server.baseUrl}${href}`);
      expect(download.status()).toBe(200);
      const lines = (await download.text()).trim().split("\r\n");
      expect(lines).toHaveLength(narrowed.sellers.length + 1);
      expect(lines[1]?.split(",")[0]).toBe(narrowed.sellers[0]?.key);

      // The whole history: every month on record, from the first (the Period control of every page).
      await page.getByLabel("Period").selectOption("all_time");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/range=all_time/);
      await page.waitForLoadState("networkidle");
      expect(new URL(page.url()).searchParams.get("threshold")).toBe("10");
      await page.locator('main[aria-busy="false"]').waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, "pricing-history-en-light.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("reads in French and in the dark theme, and refuses a threshold it does not offer", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({
      locale: "fr-FR",
      colorScheme: "dark",
      viewport: { width: 1280, height: 900 },
    });
    try {
      await signInContext(context, server, "executive");
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/pricing`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe(
        "Conformité des prix affichés",
      );
      const view = await expected("");
      expect(await page.locator('article[data-card="share"] .kpi__value').textContent()).toBe(
        percent(view.totals.inflated_display_share, "fr-FR"),
      );
      expect(
        await page.getByRole("heading", { name: "Vendeurs aux affichages les plus gonflés" }).isVisible(),
      ).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, "pricing-fr-dark.png"), fullPage: true });
      const refused = await page.goto(`${server.baseUrl}/pricing?threshold=7`, { waitUntil: "networkidle" });
      expect(refused?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toContain("threshold : valeur inconnue « 7 »");
    } finally {
      await context.close();
    }
  });
});

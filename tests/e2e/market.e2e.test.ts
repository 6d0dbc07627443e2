// The market context page in a real Chromium against the built server, signed in as the product role:
// the second-hand share by country (checked against the loader over the same warehouse), countries
// without market data listed, a change of category, period and country that lands in the URL, the URL
// opened afresh, one download menu per section, French in the dark theme, and a 400 for a bad category
// or a month outside the data. Screenshots land in tests/e2e/screenshots/ (git-ignored).

import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMarket } from "~/.server/market.server";
import { marketTables } from "~/.server/sections/market.server";
import type { Locale } from "~/i18n/locales";
import { MARKET_SECTIONS } from "~/sections/market";
import { presentTable } from "~/sections/table";
import {
  type BrowserSuite,
  hasChromium,
  loadedView,
  SCREENSHOTS,
  startBrowserSuite,
} from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

describe.skipIf(!hasChromium())("the market context page in Chromium", () => {
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

  async function expected(query: string, locale: Locale = "en-GB") {
    return loadedView(dataDir, (warehouse) =>
      loadMarket(warehouse, new URL(`http://t/market?${query}`), locale),
    );
  }

  /** A cell's text as the page's section table gives it (the loader's view, formatted by the section). */
  function cellText(
    view: Awaited<ReturnType<typeof expected>>,
    locale: Locale,
    section: "market-countries" | "market-without",
    key: string,
    column: string,
  ) {
    const table = presentTable(section, marketTables(view, locale)[section], locale);
    const index = table.columns.findIndex((c) => c.id === column);
    return table.rows.find((r) => r.values[0] === key)?.text[index];
  }

  it("shows the second-hand share where data exists, lists the other countries, and keeps a change in the URL", async () => {
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
      await page.goto(`${server.baseUrl}/market`, { waitUntil: "networkidle" });
      const view = await expected("");
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Market context");
      expect(await page.getByLabel("Category").inputValue()).toBe("smartphone");
      // One row per country with market data, in the loader's order, France's share as computed.
      const rows = page.locator('table[data-table="market-countries"] tbody tr');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")))).toEqual(
        view.withData.map((c) => c.country),
      );
      expect(view.withData.length).toBeGreaterThan(0);
      expect(
        await page
          .locator('table[data-table="market-countries"] tr[data-key="FR"] td[data-col="second_hand_share"]')
          .textContent(),
      ).toBe(cellText(view, "en-GB", "market-countries", "FR", "second_hand_share"));
      // Every table and chart of the page has its section's download (four sections).
      expect(
        await page
          .locator("[data-section] details.download-menu")
          .evaluateAll((d) => d.map((e) => e.getAttribute("data-export"))),
      ).toEqual([...MARKET_SECTIONS]);
      // One line per country in each chart, and the seed article's "1 in 5" marked on the first.
      await expect
        .poll(() => page.locator(`section[aria-labelledby="share-title"] .recharts-line`).count())
        .toBe(view.withData.length);
      await expect.poll(() => page.getByText("1 in 5 (the seed article, Kantar, France)").count()).toBe(1);
      // Countries the company sells in without market data, listed as such.
      expect(
        await page
          .locator('table[data-table="market-without"] tbody tr')
          .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key"))),
      ).toEqual(view.without.map((c) => c.country));
      await page.screenshot({ path: join(SCREENSHOTS, "market-en-light.png"), fullPage: true });

      // Change: tablets in Germany over 2023–2024.
      await page.getByLabel("Category").selectOption("tablet");
      await page.getByLabel("From (month)", { exact: true }).fill("2023-01");
      await page.getByLabel("To (month)", { exact: true }).fill("2024-12");
      await page.getByLabel("Country", { exact: true }).selectOption("DE");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/category=tablet/);
      // No tablet market data anywhere: the page says so (and the new view is in).
      await page.getByText("No market data for tablets in this period.").waitFor();
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toEqual({
        category: "tablet",
        from: "2023-01",
        to: "2024-12",
        country: "DE",
      });
      const tablets = await expected("category=tablet&from=2023-01&to=2024-12&country=DE");
      expect(tablets.withData).toEqual([]);
      const germany = 'table[data-table="market-without"] tr[data-key="DE"] td[data-col="devices_sold"]';
      expect(await page.locator(germany).textContent()).toBe(
        cellText(tablets, "en-GB", "market-without", "DE", "devices_sold"),
      );
      await page.screenshot({ path: join(SCREENSHOTS, "market-en-tablets-de.png"), fullPage: true });

      // The address opened afresh shows the same view; Back returns to the default.
      const fresh = await context.newPage();
      await fresh.goto(page.url(), { waitUntil: "networkidle" });
      expect(await fresh.getByLabel("Category").inputValue()).toBe("tablet");
      expect(await fresh.getByLabel("Country", { exact: true }).inputValue()).toBe("DE");
      expect(await fresh.locator(germany).textContent()).toBe(
        cellText(tablets, "en-GB", "market-without", "DE", "devices_sold"),
      );
      await fresh.close();
      await page.goBack();
      await page.locator('table[data-table="market-countries"]').waitFor();
      expect(await page.getByLabel("Category").inputValue()).toBe("smartphone");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("reads in French and in the dark theme, and refuses an unknown category with a sentence", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({
      locale: "fr-FR",
      colorScheme: "dark",
      viewport: { width: 1280, height: 900 },
    });
    try {
      await signInContext(context, server, "executive");
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/market?from=2020-01&to=2024-12`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Contexte de marché");
      const view = await expected("from=2020-01&to=2024-12", "fr-FR");
      expect(
        await page
          .locator(
            'table[data-table="market-countries"] tr[data-key="FR"] td[data-col="company_second_hand_share"]',
          )
          .textContent(),
      ).toBe(cellText(view, "fr-FR", "market-countries", "FR", "company_second_hand_share"));
      await page.screenshot({ path: join(SCREENSHOTS, "market-fr-dark.png"), fullPage: true });
      const refused = await page.goto(`${server.baseUrl}/market?category=phones`, {
        waitUntil: "networkidle",
      });
      expect(refused?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toMatch(/category : valeur inconnue « phones »/);
      // A month outside the data: a 400 that gives the valid range, at once (issue 17).
      const outside = await page.goto(`${server.baseUrl}/market?to=9999-11`, { waitUntil: "networkidle" });
      expect(outside?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toMatch(
        /to : aucune donnée en 9999-11 \(les données vont de \d{4}-\d{2} à \d{4}-\d{2}\)/,
      );
    } finally {
      await context.close();
    }
  });
});

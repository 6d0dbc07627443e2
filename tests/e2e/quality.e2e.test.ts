// The grades page in a real Chromium against the built server, signed in as the product role: the mix
// chart, the figures by grade and the Premium compliance checked against the loader over the same
// warehouse, a change of months, country and category that lands in the URL, the URL opened afresh,
// Back, French in the dark theme, and a 400 for a bad month. Screenshots land in tests/e2e/screenshots/.

import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadQuality } from "~/.server/quality.server";
import { formatMetricValue } from "~/lib/format";
import {
  type BrowserSuite,
  hasChromium,
  loadedView,
  SCREENSHOTS,
  startBrowserSuite,
} from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

describe.skipIf(!hasChromium())("the grades page in Chromium", () => {
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
    return loadedView(dataDir, (warehouse) => loadQuality(warehouse, new URL(`http://t/quality?${query}`)));
  }

  const count = (v: number) => formatMetricValue(v, "count", "en-GB");
  const eur = (v: number) => formatMetricValue(v, "eur", "en-GB");

  it("shows the grades, and keeps a change of months, country and category in the URL", async () => {
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
      await page.goto(`${server.baseUrl}/quality`, { waitUntil: "networkidle" });
      const view = await expected("");
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Grades and battery");
      // The last 12 whole months, one row each in the mix table; four lines, one per grade, each named.
      expect(view.mix).toHaveLength(12);
      expect(await page.locator('table[data-table="quality-grade-mix"] tbody tr').count()).toBe(12);
      await expect.poll(() => page.locator("figure.chart .recharts-line").count()).toBe(4);
      for (const name of ["Premium", "Excellent", "Very good", "Good"])
        expect(
          await page.locator("figure.chart text", { hasText: new RegExp(`^${name}$`) }).count(),
          name,
        ).toBe(1);
      // Premium's devices sold and GMV, and all grades' devices, as the loader computes them.
      const premium = view.grades.find((g) => g.grade === "premium")?.figures;
      if (!premium) throw new Error("no Premium row");
      expect(premium.devicesSold).toBeGreaterThan(0);
      const cell = (grade: string, col: string) =>
        page
          .locator(`table[data-table="quality-grades"] tr[data-key="${grade}"] td[data-col="${col}"]`)
          .textContent();
      expect(await cell("premium", "devices_sold")).toBe(count(premium.devicesSold));
      expect(await cell("premium", "gmv_eur")).toBe(eur(premium.gmvEur));
      expect(await cell("all", "devices_sold")).toBe(count(view.total.devicesSold));
      // The battery bars of each grade, and the Premium promise.
      expect(await page.locator("figure[data-grade]").count()).toBe(4);
      // Every table and chart of the page has its section's download (six sections).
      expect(
        await page
          .locator("[data-section] details.download-menu")
          .evaluateAll((d) => d.map((e) => e.getAttribute("data-export"))),
      ).toEqual([
        "quality-grade-mix",
        "quality-grades",
        "quality-return-reasons",
        "quality-return-rates",
        "quality-battery",
        "quality-premium-sellers",
      ]);
      const compliance = page.locator('section[data-section="compliance"]');
      if (view.compliance.under85 > 0) {
        expect(await compliance.locator("[data-under85]").getAttribute("data-under85")).toBe(
          String(view.compliance.under85),
        );
        expect(await compliance.locator("tbody tr").count()).toBe(view.compliance.list.length);
        expect(await compliance.locator("tbody th").first().textContent()).toBe(
          view.compliance.list[0]?.sellerName,
        );
      }
      await page.screenshot({ path: join(SCREENSHOTS, "quality-en-light.png"), fullPage: true });

      // Change: October to December 2024, France, smartphones.
      // Month fields bounded by the data, as on the other monthly pages.
      const from = page.getByLabel("From (month)", { exact: true });
      expect(await from.getAttribute("type")).toBe("month");
      expect(await from.getAttribute("max")).toBe(view.available.months.at(-1));
      await from.fill("2024-10");
      await page.getByLabel("To (month)", { exact: true }).fill("2024-12");
      await page.locator('input[name="country"][value="FR"]').check();
      await page.locator('input[name="category"][value="smartphone"]').check();
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/category=smartphone/);
      const url = new URL(page.url());
      expect(url.searchParams.get("from")).toBe("2024-10");
      expect(url.searchParams.get("to")).toBe("2024-12");
      expect(url.searchParams.getAll("country")).toEqual(["FR"]);
      await page
        .locator("[data-period]", { hasText: "October 2024 to December 2024 · France · Smartphones" })
        .waitFor();
      expect(await page.locator('table[data-table="quality-grade-mix"] tbody tr').count()).toBe(3);
      const narrowed = await expected("from=2024-10&to=2024-12&country=FR&category=smartphone");
      expect(await cell("all", "devices_sold")).toBe(count(narrowed.total.devicesSold));
      expect(await cell("premium", "gmv_eur")).toBe(
        eur(narrowed.grades.find((g) => g.grade === "premium")?.figures.gmvEur ?? Number.NaN),
      );
      await page.screenshot({ path: join(SCREENSHOTS, "quality-en-light-narrowed.png"), fullPage: true });

      // The address opened afresh shows the same view; Back returns to the default.
      const fresh = await context.newPage();
      await fresh.goto(page.url(), { waitUntil: "networkidle" });
      expect(await fresh.getByLabel("From (month)").inputValue()).toBe("2024-10");
      expect(await fresh.getByLabel("To (month)").inputValue()).toBe("2024-12");
      expect(
        await fresh
          .locator('input[type="checkbox"]:checked')
          .evaluateAll((i) =>
            i.map((e) => `${(e as HTMLInputElement).name}=${(e as HTMLInputElement).value}`),
          ),
      ).toEqual(["country=FR", "category=smartphone"]);
      expect(
        await fresh
          .locator('table[data-table="quality-grades"] tr[data-key="all"] td[data-col="devices_sold"]')
          .textContent(),
      ).toBe(count(narrowed.total.devicesSold));
      await fresh.close();
      await page.goBack();
      await page.locator("[data-period]", { hasText: "All countries" }).waitFor();
      expect(await page.locator('table[data-table="quality-grade-mix"] tbody tr').count()).toBe(12);
      expect(await page.getByLabel("From (month)").inputValue()).toBe(view.range.from);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("reads in French and in the dark theme, and refuses a month that does not exist with a sentence", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({
      locale: "fr-FR",
      colorScheme: "dark",
      viewport: { width: 1280, height: 900 },
    });
    try {
      await signInContext(context, server, "executive");
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/quality?from=2024-01&to=2024-12`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("États et batterie");
      expect(await page.getByRole("heading", { name: "Santé de la batterie par état" }).isVisible()).toBe(
        true,
      );
      // French grade names, from the overview's codes.
      expect(await page.locator('table[data-table="quality-grades"] tbody th').allTextContents()).toEqual([
        "Premium",
        "Parfait état",
        "Très bon état",
        "État correct",
        "Tous états",
      ]);
      await page.screenshot({ path: join(SCREENSHOTS, "quality-fr-dark.png"), fullPage: true });
      // Japan launched years after January 2015: a sentence says why there is nothing to show.
      await page.goto(`${server.baseUrl}/quality?from=2015-01&to=2015-01&country=JP`, {
        waitUntil: "networkidle",
      });
      expect(await page.locator("main").textContent()).toContain(
        "Aucun appareil vendu sur cette période pour cette sélection",
      );
      expect(await page.locator("figure.chart").count()).toBe(0);
      const refused = await page.goto(`${server.baseUrl}/quality?from=2024-13&country=FR`, {
        waitUntil: "networkidle",
      });
      expect(refused?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toMatch(
        /from : « 2024-13 » n’est pas un mois écrit AAAA-MM/,
      );
      // Inside the site's frame (navigation, sign out), with a way back that keeps the other filters.
      expect(await page.locator("nav.page-nav a").count()).toBeGreaterThan(3);
      expect(await page.locator("[data-retry]").getAttribute("href")).toBe("/quality?country=FR");
      expect(await page.locator("[data-retry]").textContent()).toBe(
        "Afficher cette page sans « from », en gardant les autres filtres",
      );
      const unknown = await page.goto(`${server.baseUrl}/quality?country=XX`, { waitUntil: "networkidle" });
      expect(unknown?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toMatch(/country : pays inconnu « XX »/);
    } finally {
      await context.close();
    }
  });
});

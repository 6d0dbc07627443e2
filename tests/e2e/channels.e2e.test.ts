// The partners and app page in a real Chromium against the built server, signed in as the product role:
// each partner's share (checked against the loader over the same warehouse), one download menu per
// section, a change of period and country that lands in the URL, the URL opened afresh, French in the
// dark theme, and a 400 for a bad month or one outside the data. Screenshots land in
// tests/e2e/screenshots/ (git-ignored).

import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChannels } from "~/.server/channels.server";
import type { Locale } from "~/i18n/locales";
import { formatMetricValue } from "~/lib/format";
import { CHANNELS_SECTIONS } from "~/sections/channels";
import {
  type BrowserSuite,
  hasChromium,
  loadedView,
  SCREENSHOTS,
  startBrowserSuite,
} from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

/** A cell of the partner share table: the partner's row for a month (or the period), by column id. */
function periodCell(page: Page, partner: string, column: string, month: string) {
  return page
    .locator(`table[data-table="channels-partner-share"] tr[data-key="${partner}"]`, {
      has: page.locator('td[data-col="month"]', { hasText: month }),
    })
    .locator(`td[data-col="${column}"]`)
    .textContent();
}

describe.skipIf(!hasChromium())("the partners and app page in Chromium", () => {
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
      loadChannels(warehouse, new URL(`http://t/channels?${query}`), locale),
    );
  }

  it("shows each partner's share and the channels compared, and keeps a change of period and country in the URL", async () => {
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
      await page.goto(`${server.baseUrl}/channels`, { waitUntil: "networkidle" });
      const view = await expected("");
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Partners and app");
      // The default period in the form; one block per partner found in the data, each with its chart.
      expect(await page.getByLabel("From (month)", { exact: true }).inputValue()).toBe(view.period.from);
      expect(await page.getByLabel("To (month)", { exact: true }).inputValue()).toBe(view.period.to);
      expect(view.partners.map((p) => p.partner)).toEqual(["bouygues_telecom", "verizon"]);
      for (const p of view.partners) {
        const block = page.locator(`[data-partner="${p.partner}"]`);
        await expect.poll(() => block.locator(".recharts-line").count()).toBe(2);
        // The period's share of GMV as the loader computes it, in the section's table.
        expect(await periodCell(page, p.partner, "partner_gmv_share", "Period")).toBe(
          p.total.display.gmvShare,
        );
      }
      const france = view.comparison.find((c) => c.country === "FR");
      const bouygues = france?.channels.find((c) => c.channel === "bouygues_telecom");
      expect(
        await page
          .locator('table[data-table="channels-compare"] tr[data-key="FR"]', {
            has: page.locator('td[data-col="channel"]', { hasText: "Bouygues Telecom" }),
          })
          .locator('td[data-col="take_rate"]')
          .textContent(),
      ).toBe(formatMetricValue(bouygues?.figures.takeRate ?? Number.NaN, "ratio", "en-GB"));
      // Every table and chart of the page has its section's download (four sections).
      expect(
        await page
          .locator("[data-section] details.download-menu")
          .evaluateAll((d) => d.map((e) => e.getAttribute("data-export"))),
      ).toEqual([...CHANNELS_SECTIONS]);
      // Repeat customers: no cohort of the last 12 months is 365 days old, and the page says so with a link.
      expect(await page.locator('[data-unjudged="365"]').isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, "channels-en-light.png"), fullPage: true });

      // Change: 2023 in France.
      await page.getByLabel("From (month)", { exact: true }).fill("2023-01");
      await page.getByLabel("To (month)", { exact: true }).fill("2023-12");
      await page.getByLabel("Country (returning customers)").selectOption("FR");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/country=FR/);
      // 2023's cohorts are all old enough: the notices go once the new view is in.
      await page.locator("[data-unjudged]").first().waitFor({ state: "detached" });
      const url = new URL(page.url());
      // An empty field (every region) is in the address and means "not set".
      expect(Object.fromEntries(url.searchParams)).toEqual({
        from: "2023-01",
        to: "2023-12",
        country: "FR",
        region: "",
      });
      const changed = await expected("from=2023-01&to=2023-12&country=FR");
      const rows = page.locator('table[data-table="channels-repeat"] tbody tr');
      await page.locator('table[data-table="channels-repeat"]').waitFor();
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")))).toEqual(
        changed.repeat.rows.map((r) => r.channel),
      );
      const web = changed.repeat.rows.find((r) => r.channel === "web");
      const web365 = formatMetricValue(web?.within[365].rate ?? Number.NaN, "ratio", "en-GB");
      const repeatCell =
        'table[data-table="channels-repeat"] tr[data-key="web"] td[data-col="repeat_rate_365d"]';
      expect(await page.locator(repeatCell).textContent()).toBe(web365);
      expect(await page.locator("[data-unjudged]").count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, "channels-en-2023-fr.png"), fullPage: true });

      // The address opened afresh shows the same view; Back returns to the default.
      const fresh = await context.newPage();
      await fresh.goto(page.url(), { waitUntil: "networkidle" });
      expect(await fresh.getByLabel("From (month)", { exact: true }).inputValue()).toBe("2023-01");
      expect(await fresh.getByLabel("To (month)", { exact: true }).inputValue()).toBe("2023-12");
      expect(await fresh.getByLabel("Country (returning customers)").inputValue()).toBe("FR");
      expect(await fresh.locator(repeatCell).textContent()).toBe(web365);
      await fresh.close();
      await page.goBack();
      await page.locator('[data-unjudged="365"]').waitFor();
      expect(await page.getByLabel("From (month)", { exact: true }).inputValue()).toBe(view.period.from);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("reads in French and in the dark theme, and refuses a bad month with a sentence", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({
      locale: "fr-FR",
      colorScheme: "dark",
      viewport: { width: 1280, height: 900 },
    });
    try {
      await signInContext(context, server, "executive");
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/channels?from=2023-01&to=2023-12`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Partenaires et application");
      const view = await expected("from=2023-01&to=2023-12", "fr-FR");
      expect(await periodCell(page, "verizon", "partner_device_share", "Période")).toBe(
        view.partners.find((p) => p.partner === "verizon")?.total.display.deviceShare,
      );
      await page.screenshot({ path: join(SCREENSHOTS, "channels-fr-dark.png"), fullPage: true });
      const refused = await page.goto(`${server.baseUrl}/channels?from=2024-13`, {
        waitUntil: "networkidle",
      });
      expect(refused?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toMatch(
        /from : « 2024-13 » n’est pas un mois écrit AAAA-MM/,
      );
      // A month outside the data: a 400 that gives the valid range, at once (issue 17).
      const outside = await page.goto(`${server.baseUrl}/channels?from=1000-02`, {
        waitUntil: "networkidle",
      });
      expect(outside?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toMatch(
        /from : aucune donnée en 1000-02 \(les données vont de \d{4}-\d{2} à \d{4}-\d{2}\)/,
      );
    } finally {
      await context.close();
    }
  });
});

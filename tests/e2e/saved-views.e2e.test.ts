// Saving a view in a real Chromium against the built server (issue 21): from a page with its filters,
// "Save this view" by keyboard, the confirmation on /views, the saved link back to the same filters,
// a view shared with a role seen by that role, and deleting it.

import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, hasChromium, SCREENSHOTS, startBrowserSuite } from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

describe.skipIf(!hasChromium())("saved views in Chromium", () => {
  let suite: BrowserSuite | undefined;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    ({ server, browser } = suite);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it("saves a page with its filters, lists it, opens it again, shares it with a role and deletes it", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await signInContext(context, server, "finance");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      const path = "/regions?range=year_to_date&costs=allocated";
      await page.goto(`${server.baseUrl}${path}`);
      await page.waitForSelector("html[data-hydrated]");
      // Keyboard: open the disclosure, name the view, share it with the executives, save.
      await page.locator("summary[aria-label='Save this view']").focus();
      await page.keyboard.press("Enter");
      await page.getByLabel("Name").fill("Regions this year, allocated");
      await page.getByLabel("Who sees it").selectOption("executive");
      await page.screenshot({ path: join(SCREENSHOTS, "saved-views-form.png") });
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForURL(/\/views\?saved=\d+/);
      // The address changes before the list is drawn: wait for the confirmation itself.
      await page
        .locator(".notice[role=status]", { hasText: "Saved “Regions this year, allocated”." })
        .waitFor();
      const row = page.locator("tr", { hasText: "Regions this year, allocated" });
      expect(await row.textContent()).toContain("Executive");
      await page.screenshot({ path: join(SCREENSHOTS, "saved-views-list.png") });
      // The saved link opens the page with the same filters.
      await row.getByRole("link", { name: "Regions this year, allocated" }).click();
      await page.waitForURL((url) => `${url.pathname}${url.search}` === path);
      expect(await page.locator("select[name='costs']").first().inputValue()).toBe("allocated");

      // The executive it was shared with sees it, and cannot delete it.
      const other = await browser.newContext();
      await signInContext(other, server, "executive");
      const exec = await other.newPage();
      await exec.goto(`${server.baseUrl}/views`);
      const shared = exec.locator("tr", { hasText: "Regions this year, allocated" });
      expect(await shared.textContent()).toContain("finance@backlight.test");
      expect(await shared.getByRole("button").count()).toBe(0);
      await other.close();

      // Its owner deletes it.
      await page.goto(`${server.baseUrl}/views`);
      await page
        .getByRole("button", { name: "Delete the saved view “Regions this year, allocated”" })
        .click();
      await page.waitForURL(/\/views\?deleted=/);
      await page
        .locator(".notice[role=status]", { hasText: "Deleted “Regions this year, allocated”." })
        .waitFor();
      expect(await page.locator("tr", { hasText: "Regions this year, allocated" }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("opens the form on a phone within the screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await signInContext(context, server, "product");
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/quality?lang=fr`);
      await page.waitForSelector("html[data-hydrated]");
      await page.locator("summary[aria-label='Enregistrer cette vue']").click();
      const box = await page.locator(".save-view .download-menu__panel").boundingBox();
      expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
      expect(await page.getByLabel("Qui la voit").inputValue()).toBe("");
      await page.screenshot({ path: join(SCREENSHOTS, "saved-views-phone-fr.png") });
    } finally {
      await context.close();
    }
  });

  it("subscribes to a saved view by e-mail from /views by keyboard, then unsubscribes, on a phone in French too", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await signInContext(context, server, "finance");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      // The overview saved under a name, from its own "Save this view".
      await page.goto(`${server.baseUrl}/?range=last_12_months&region=europe`);
      await page.waitForSelector("html[data-hydrated]");
      await page.locator("summary[aria-label='Save this view']").click();
      await page.getByLabel("Name").fill("Europe, last 12 months");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator(".notice[role=status]", { hasText: "Saved “Europe, last 12 months”." }).waitFor();
      // The subscription form, by keyboard: every Monday at 07:45 in Paris, French, CSV for Excel.
      await page.locator("#r-view").selectOption({ label: "Europe, last 12 months" });
      await page.getByLabel("How often").selectOption("weekly");
      await page.getByLabel("Day of the week").selectOption({ label: "Monday" });
      await page.getByLabel("Time", { exact: true }).fill("07:45");
      await page.locator("#r-language").selectOption("fr-FR");
      await page.getByLabel("Attachments").selectOption("csv-excel-fr");
      await page.getByRole("button", { name: "Subscribe" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/views\?subscribed=\d+/);
      await page
        .locator(".notice[role=status]", { hasText: "You will receive Europe, last 12 months by e-mail" })
        .waitFor();
      const row = page.locator("tr[data-subscription]", { hasText: "Europe, last 12 months" });
      expect(await row.textContent()).toContain("Every week, Monday, 07:45 (Europe/Paris)");
      expect(await row.textContent()).toContain("CSV for Excel (French)");
      await page.screenshot({ path: join(SCREENSHOTS, "reports-subscribed.png"), fullPage: true });

      // The same list on a phone, in French, stays on the screen.
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
      await signInContext(phone, server, "finance");
      const small = await phone.newPage();
      await small.goto(`${server.baseUrl}/views?lang=fr`);
      await small.waitForSelector("html[data-hydrated]");
      expect(await small.getByRole("heading", { name: "Mes rapports" }).count()).toBe(1);
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await small.screenshot({ path: join(SCREENSHOTS, "reports-phone-fr.png"), fullPage: true });
      await phone.close();

      // Unsubscribed from the list.
      await row
        .getByRole("button", { name: "Unsubscribe from the report of Europe, last 12 months" })
        .click();
      await page.waitForURL(/\/views\?unsubscribed=/);
      await page
        .locator(".notice[role=status]", {
          hasText: "You will no longer receive Europe, last 12 months by e-mail.",
        })
        .waitFor();
      expect(await page.locator("tr[data-subscription]").count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it("adds an alert on a price-display view: the figure list follows the chosen view's page", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await signInContext(context, server, "finance");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto(`${server.baseUrl}/pricing?range=last_month&threshold=10`);
      await page.waitForSelector("html[data-hydrated]");
      await page.locator("summary[aria-label='Save this view']").click();
      await page.getByLabel("Name").fill("Displays, last month");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator(".notice[role=status]", { hasText: "Saved “Displays, last month”." }).waitFor();
      await page.waitForSelector("html[data-hydrated]");
      await page.locator("#a-view").selectOption({ label: "Displays, last month" });
      // Only the price-display page's figures are offered for it.
      const groups = () =>
        page.locator("#a-metric optgroup").evaluateAll((g) => g.map((x) => x.getAttribute("label")));
      await expect.poll(groups).toEqual(["Price displays"]);
      await page.locator("#a-metric").selectOption({ label: "Share inflated" });
      await page.locator("#a-op").selectOption("gt");
      await page.locator("#a-threshold").fill("5");
      await page.getByRole("button", { name: "Add the alert" }).click();
      await page.waitForURL(/\/views\?alert=\d+/);
      await page
        .locator(".alert-list li", { hasText: "Share inflated of “Displays, last month” above 5.00%" })
        .waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

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
});

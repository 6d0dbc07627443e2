// Business events on the charts (issue 21, item 6), in a real Chromium against the built server over the
// demo warehouse: an admin enters events on /admin; the overview's trend chart then marks the period
// that holds a company-wide one (a numbered marker, and the event named under the chart), a country's
// only when the filter names that country; a page seen before the event was added is not served again
// from the rendered-page cache; the Excel download lists the period's events; removing one removes it.

import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, hasChromium, startBrowserSuite } from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

describe.skipIf(!hasChromium())("business events on the charts, in Chromium", () => {
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

  /** An admin form post, with the session's CSRF token from the admin page. */
  async function admin(fields: Record<string, string>): Promise<string> {
    const html = await (await server.fetch("/admin", {}, "admin")).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!csrf) throw new Error("no CSRF token on /admin");
    const response = await server.fetch(
      "/admin",
      {
        method: "POST",
        headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf, ...fields }),
      },
      "admin",
    );
    expect(response.status).toBe(200);
    return response.text();
  }

  it("marks the periods that hold an event, names it under the chart, and lists it in the workbook", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await signInContext(context, server, "finance");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      const path = "/?range=last_12_months";
      const events = page.locator(".chart__events li");
      await page.goto(`${server.baseUrl}${path}`);
      await page.waitForSelector("html[data-hydrated]");
      expect(await events.count()).toBe(0);

      expect(
        await admin({
          intent: "add-event",
          day: "2024-10-08",
          label_en: "Premium grade launch",
          label_fr: "",
        }),
      ).toContain("Event added: Premium grade launch.");
      expect(
        await admin({
          intent: "add-event",
          day: "2024-06-03",
          label_en: "Shop opens in Lyon",
          country: "FR",
        }),
      ).toContain("Event added");
      // The same address again: drawn anew (the rendered copy of the page had no event).
      await page.goto(`${server.baseUrl}${path}`);
      await page.waitForSelector("html[data-hydrated]");
      await expect.poll(() => events.allTextContents()).toEqual(["◆1 8 October 2024: Premium grade launch"]);
      await expect
        .poll(() => page.locator("figure.chart svg text", { hasText: "◆1" }).count())
        .toBeGreaterThan(0);

      // A country's event shows when the filter names the country.
      await page.goto(`${server.baseUrl}${path}&country=FR`);
      await page.waitForSelector("html[data-hydrated]");
      await expect
        .poll(() => events.allTextContents())
        .toEqual(["◆1 3 June 2024: Shop opens in Lyon", "◆2 8 October 2024: Premium grade launch"]);

      // The list has its own download: every event on record, the company's and the named country's.
      const csvLink = page
        .locator('.chart__events-block [data-export="events"] a[data-format="csv"]')
        .first();
      const href = await csvLink.getAttribute("href");
      expect(href).toBe("/export/events?range=all_time&country=FR&format=csv");
      const csv = await page.request.get(`${server.baseUrl}${href}`);
      expect(csv.status()).toBe(200);
      const lines = (await csv.text()).trim().split("\r\n");
      expect(lines[0]).toBe("day,country_code,label,label_en,label_fr");
      expect(lines.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual([
        "2024-06-03,FR,Shop opens in Lyon",
        "2024-10-08,,Premium grade launch",
      ]);

      // The trend's workbook lists the period's events on its second sheet.
      const workbook = await page.request.get(
        `${server.baseUrl}/export/trend?range=last_12_months&format=xlsx`,
      );
      expect(workbook.status()).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await workbook.body()) as unknown as ArrayBuffer);
      const about = book.worksheets[1];
      const rows: string[] = [];
      about?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String).join(" | ")));
      expect(rows).toContain("Event 2024-10-08 | Premium grade launch");
      expect(rows).toContain("Event 2024-06-03 | Shop opens in Lyon (FR)");

      // Removed on /admin: gone from the chart.
      const listed = await (await server.fetch("/admin", {}, "admin")).text();
      const id = /data-event="(\d+)"(?:(?!data-event=)[\s\S])*?Premium grade launch/.exec(listed)?.[1];
      if (!id) throw new Error("the event is not listed on /admin");
      expect(await admin({ intent: "remove-event", id })).toContain("Event removed: Premium grade launch.");
      await page.goto(`${server.baseUrl}${path}`);
      await page.waitForSelector("html[data-hydrated]");
      await expect.poll(() => events.count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it("marks the rollout chart (calendar, and each country's own events by months since launch) and the cost-centre bars", async () => {
    expect(
      await admin({ intent: "add-event", day: "2024-02-05", label_en: "New head office", label_fr: "" }),
    ).toContain("Event added");
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await signInContext(context, server, "finance");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const listed = (figure: number) => page.locator("figure.chart").nth(figure).locator(".chart__events li");
    try {
      // Calendar months: the company's event, and France's (chosen) at their months.
      await page.goto(`${server.baseUrl}/rollout?country=FR,DE&axis=calendar`);
      await page.waitForSelector("html[data-hydrated]");
      await expect
        .poll(() => listed(0).allTextContents())
        .toEqual(["◆1 5 February 2024: New head office", "◆2 3 June 2024: Shop opens in Lyon"]);
      // Months since launch: France's own event at France's age; the company's is at a different age in
      // every country, so it is not drawn there.
      await page.goto(`${server.baseUrl}/rollout?country=FR,DE`);
      await page.waitForSelector("html[data-hydrated]");
      await expect
        .poll(() => listed(0).allTextContents())
        .toEqual(["◆1 3 June 2024: France — Shop opens in Lyon"]);
      await expect
        .poll(() => page.locator("figure.chart").first().locator("svg text", { hasText: "◆1" }).count())
        .toBe(1);

      // The profitability page's monthly cost-centre bars mark the month too.
      await page.goto(`${server.baseUrl}/profitability?as_of=2024-06`);
      await page.waitForSelector("html[data-hydrated]");
      const texts = await page.locator(".chart__events li").allTextContents();
      expect(texts.filter((t) => t.includes("New head office")).length).toBeGreaterThanOrEqual(2);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

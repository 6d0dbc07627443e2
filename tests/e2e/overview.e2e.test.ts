// The overview in a real Chromium against the built server: every card, the charts, filters that live in
// the URL, both locales and themes, the keyboard, the 400 and empty states. Screenshots land in
// tests/e2e/screenshots/ (git-ignored) for a human to look at.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfitability } from "~/.server/profitability.server";
import { loadRegions } from "~/.server/regions.server";
import { parseCsv, readNumber } from "~/export/csv";
import { formatMetricValue } from "~/lib/format";
import { OVERVIEW_METRICS } from "~/metrics/catalogue";
import {
  type BrowserSuite,
  hasChromium,
  loadedView,
  SCREENSHOTS,
  startBrowserSuite,
} from "../helpers/browser";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { type RunningServer, signInContext, startServer } from "../helpers/server";

const METRICS = OVERVIEW_METRICS;
type TestLocale = "en-GB" | "fr-FR";

const SYNTHETIC_BADGE: Record<TestLocale, string> = {
  "en-GB": "Synthetic data",
  "fr-FR": "Données synthétiques",
};

/** Relative luminance (0 dark … 1 light) of a CSS `rgb(r, g, b)` colour. */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

describe.skipIf(!hasChromium())("the dashboard page in Chromium", () => {
  let dataDir: string | undefined;
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

  /** Opens a page in a fresh context, recording console errors (a failed hydration shows there). */
  async function open(options: BrowserContextOptions, path = "/") {
    if (!browser || !server) throw new Error("browser or server not started");
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
    await signInContext(context, server);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => errors.push(error.message));
    const response = await page.goto(`${server.baseUrl}${path}`, { waitUntil: "networkidle" });
    return { context, page, errors, status: response?.status() };
  }

  /** Every card shows a figure with digits, formatted for the locale; returns them by metric. */
  async function expectFigures(page: Page, locale: TestLocale): Promise<Record<string, string>> {
    const figures: Record<string, string> = {};
    for (const metric of METRICS) {
      const figure = page.locator(`article[data-metric="${metric}"] .kpi__value`);
      expect(await figure.isVisible(), metric).toBe(true);
      const text = (await figure.textContent()) ?? "";
      expect(text, metric).toMatch(/\d/);
      figures[metric] = text;
    }
    if (locale === "fr-FR") expect(figures.gmv_eur).toMatch(/^\d{1,3}(\u202f\d{3})*\u00a0€$/);
    else expect(figures.gmv_eur).toMatch(/^-?€\d{1,3}(,\d{3})*$/);
    return figures;
  }

  /** The trend and bar charts draw their SVG once hydrated. */
  async function expectCharts(page: Page): Promise<void> {
    await page.waitForSelector("svg.recharts-surface", { timeout: 15_000 });
    await expect.poll(() => page.locator(".recharts-wrapper").count()).toBe(2);
    await expect.poll(() => page.locator(".recharts-line-curve").count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(10);
  }

  for (const locale of ["en-GB", "fr-FR"] as const) {
    for (const colorScheme of ["light", "dark"] as const) {
      it(`shows the figures in ${locale}, ${colorScheme} theme`, async () => {
        const { context, page, errors, status } = await open({ locale, colorScheme });
        try {
          expect(status).toBe(200);
          expect(await page.getAttribute("html", "lang")).toBe(locale);
          expect(await page.title()).toBe("Overview · Backlight");
          await expectFigures(page, locale);
          await expectCharts(page);
          expect(await page.getByText(SYNTHETIC_BADGE[locale], { exact: true }).isVisible()).toBe(true);
          const background = await page.evaluate(
            () => getComputedStyle(document.documentElement).backgroundColor,
          );
          if (colorScheme === "dark") expect(luminance(background)).toBeLessThan(0.05);
          else expect(luminance(background)).toBeGreaterThan(0.8);
          await page.screenshot({ path: join(SCREENSHOTS, `${locale}-${colorScheme}.png`), fullPage: true });
          expect(errors).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it("keeps filters in the URL: a change updates the figures, Back restores them", async () => {
    const { context, page, errors } = await open({
      locale: "en-GB",
      colorScheme: "light",
      viewport: { width: 1440, height: 900 },
    });
    try {
      const before = await expectFigures(page, "en-GB");
      await expectCharts(page);
      await page.screenshot({ path: join(SCREENSHOTS, "overview-1440.png"), fullPage: true });

      // A change is staged (the URL stays, a sentence says so) until Apply.
      await page.selectOption("#f-region", "north_america");
      await page.getByText("Changes not applied yet").waitFor();
      expect(new URL(page.url()).search).toBe("");
      await Promise.all([
        page.waitForURL(/region=north_america/),
        page.getByRole("button", { name: "Apply" }).click(),
      ]);
      await page.getByText("Changes not applied yet").waitFor({ state: "detached" });
      await page.waitForFunction(
        (gmv) => document.querySelector('article[data-metric="gmv_eur"] .kpi__value')?.textContent !== gmv,
        before.gmv_eur,
      );
      const america = await expectFigures(page, "en-GB");
      expect(america.gmv_eur).not.toBe(before.gmv_eur);
      // Only North America's rows remain in the breakdown.
      expect(await page.locator(".data-table tbody").count()).toBe(1);
      expect(await page.locator("#f-region").inputValue()).toBe("north_america");
      await page.screenshot({ path: join(SCREENSHOTS, "overview-north-america.png"), fullPage: true });

      // A period applied, then the trend's metric: both land, each building on the URL before it.
      await page.selectOption("#f-range", "year_to_date");
      await Promise.all([
        page.waitForURL(/range=year_to_date/),
        page.getByRole("button", { name: "Apply" }).click(),
      ]);
      await page.selectOption("#trend-metric", "ebitda_eur");
      await page.waitForURL(
        (url) =>
          url.search.includes("range=year_to_date") &&
          url.search.includes("metric=ebitda_eur") &&
          url.search.includes("region=north_america"),
      );
      await page.waitForFunction(
        () => document.querySelector("#trend-title")?.textContent === "Trend: EBITDA",
      );

      // Back walks the history of filter URLs to the first (a navigation cut short by the next one
      // leaves no entry, so there are two or three steps).
      // Each Back is one person's click: the next comes once the page has answered (the address
      // changes at once, the figures when the loader has; two Backs inside that time would cut the
      // first short, which Remix logs as an AbortError).
      const settled = () =>
        page.waitForFunction(
          () =>
            (window as unknown as { __remixRouter?: { state: { navigation: { state: string } } } })
              .__remixRouter?.state.navigation.state === "idle",
        );
      await page.goBack();
      await page.waitForURL((url) => !url.search.includes("metric="));
      await settled();
      for (let step = 0; step < 3 && new URL(page.url()).search !== ""; step++) {
        const at = page.url();
        await page.goBack();
        await page.waitForURL((url) => url.href !== at);
        await settled();
      }
      expect(new URL(page.url()).search).toBe("");
      await page.waitForFunction(
        (gmv) => document.querySelector('article[data-metric="gmv_eur"] .kpi__value')?.textContent === gmv,
        before.gmv_eur,
      );
      expect(await page.locator("#f-region").inputValue()).toBe("");
      // One navigation per action: none is cut short by the next, so nothing is aborted or logged.
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("never sends a half-typed date: typing stages it, Enter applies it once", async () => {
    const { context, page, errors } = await open({ locale: "en-GB", colorScheme: "light" });
    try {
      const asked: string[] = [];
      page.on("request", (r) => {
        if (r.url().includes(".data")) asked.push(r.url());
      });
      const from = page.locator("#f-from");
      await from.focus();
      // 6 June 2024 typed key by key (day and month alike: the field's order follows the browser's own
      // locale): the year passes through 0002, 0020 and 0202 on its way to 2024.
      await from.pressSequentially("06062024", { delay: 30 });
      expect(await from.inputValue()).toBe("2024-06-06");
      await page.getByText("Changes not applied yet").waitFor();
      expect(asked).toEqual([]);
      expect(new URL(page.url()).search).toBe("");
      await Promise.all([page.waitForURL(/from=2024-06-06/), from.press("Enter")]);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain("from=2024-06-06");
      expect(await page.locator("#f-range").inputValue()).toBe("");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("sorts the breakdown by a column from its header, and says so to assistive technology", async () => {
    const { context, page, errors } = await open({ locale: "en-GB", colorScheme: "light" });
    try {
      const header = page.locator(".data-table thead th", { hasText: "Devices sold" });
      expect(await header.getAttribute("aria-sort")).toBe("none");
      await Promise.all([page.waitForURL(/sort=devices_sold/), header.locator("a").click()]);
      await page.waitForSelector('.data-table thead th[aria-sort="descending"] >> text=Devices sold');
      const europe = page.locator(".data-table tbody").first().locator("tr");
      const values = await europe.evaluateAll((rows) =>
        rows.slice(1).map((row) => Number((row.children[1]?.textContent ?? "").replace(/[^\d]/g, ""))),
      );
      expect(values.length).toBeGreaterThan(5);
      expect([...values].sort((a, b) => b - a)).toEqual(values);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows the path to profitability: break-even cards, both charts, a geography change kept in the URL", async () => {
    const { context, page, errors } = await open(
      { locale: "en-GB", colorScheme: "light", viewport: { width: 1440, height: 900 } },
      "/profitability",
    );
    try {
      expect(await page.title()).toBe("Profitability · Backlight");
      for (const metric of ["first_break_even", "rolling12_break_even", "forecast_break_even"]) {
        const text = await page.locator(`article[data-metric="${metric}"] .kpi__value`).textContent();
        expect(text, metric).toMatch(/\w/);
      }
      await page.waitForSelector("svg.recharts-surface", { timeout: 15_000 });
      // Monthly EBITDA, its rolling sums, the waterfall, headcount and opex by cost centre.
      await expect.poll(() => page.locator(".recharts-wrapper").count()).toBe(5);
      expect(await page.locator("table[data-table=pnl] tbody tr").count()).toBe(24);
      expect(await page.getByText(/Method: a straight line fitted by least squares/).isVisible()).toBe(true);
      // The figures shown are the loader's, computed here in the test over the same warehouse.
      const expected = await loadedView(dataDir as string, (w) =>
        loadProfitability(w, new URL("http://t/profitability"), "en-GB"),
      );
      expect(await page.locator('article[data-metric="first_break_even"] .kpi__value').textContent()).toBe(
        expected.breakEven.label ?? "Not yet",
      );
      expect(await page.locator('article[data-metric="forecast_break_even"] .kpi__value').textContent()).toBe(
        expected.forecast.label ?? "Not on the current trend",
      );
      const lastMonth = expected.months.filter((m) => Number.isFinite(m.ebitda)).at(-1);
      const firstRow = page.locator("table[data-table=pnl] tbody tr").first();
      expect(await firstRow.locator("th").textContent()).toBe(lastMonth?.label);
      expect(await firstRow.locator("td").last().textContent()).toBe(lastMonth?.display.ebitda_eur);
      await page.screenshot({ path: join(SCREENSHOTS, "profitability-1440.png"), fullPage: true });

      const before = await page.locator("table[data-table=pnl] tbody tr").first().textContent();
      await page.selectOption("#p-geo", "country:US");
      await Promise.all([page.waitForURL(/country=US/), page.getByRole("button", { name: "Apply" }).click()]);
      await page.waitForFunction(
        (row) => document.querySelector("table[data-table=pnl] tbody tr")?.textContent !== row,
        before,
      );
      expect(await page.locator("#p-geo").inputValue()).toBe("country:US");
      await page.goBack();
      await page.waitForURL((url) => url.pathname === "/profitability" && url.search === "");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows one country's P&L in its own currency, with the rule stated, and back in EUR", async () => {
    const { context, page, errors } = await open(
      { locale: "en-GB", colorScheme: "light", viewport: { width: 1280, height: 900 } },
      "/profitability?country=GB",
    );
    try {
      await page.waitForSelector("svg.recharts-surface", { timeout: 15_000 });
      const lastRow = page.locator("table[data-table=pnl] tbody tr").first();
      expect(await lastRow.locator("td").last().textContent()).toMatch(/^-?€/);
      expect(await page.getByTestId("currency-note").textContent()).toContain("Amounts in EUR");
      await page.selectOption("#p-currency", "local");
      await Promise.all([
        page.waitForURL(/currency=local/),
        page.getByRole("button", { name: "Apply" }).click(),
      ]);
      await page.waitForFunction(() =>
        /£/.test(document.querySelector("table[data-table=pnl] tbody tr td:last-child")?.textContent ?? ""),
      );
      const expected = await loadedView(dataDir as string, (w) =>
        loadProfitability(w, new URL("http://t/profitability?country=GB&currency=local"), "en-GB"),
      );
      const lastMonth = expected.months.filter((m) => Number.isFinite(m.ebitda)).at(-1);
      expect(await lastRow.locator("td").last().textContent()).toBe(lastMonth?.display.ebitda_eur);
      expect(await page.getByTestId("currency-note").textContent()).toContain(
        "Amounts in GBP as recorded (United Kingdom), not converted.",
      );
      await page.screenshot({ path: join(SCREENSHOTS, "profitability-gbp-1280.png"), fullPage: true });
      // The overview keeps the choice for the same country, and refuses it politely for two.
      await page.goto(`${server?.baseUrl}/?country=GB&currency=local`, { waitUntil: "networkidle" });
      expect(await page.locator('article[data-metric="gmv_eur"] .kpi__value').textContent()).toMatch(/^£/);
      await page.goto(`${server?.baseUrl}/?country=GB,FR&currency=local`, { waitUntil: "networkidle" });
      expect(await page.getByTestId("currency-note").textContent()).toBe(
        "Local currency needs a single country: amounts are in EUR.",
      );
      expect(await page.locator('article[data-metric="gmv_eur"] .kpi__value').textContent()).toMatch(/^€/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("downloads a table from its menu: the file the server names, the figures on screen", async () => {
    const { context, page, errors } = await open(
      {
        locale: "fr-FR",
        colorScheme: "light",
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      },
      "/?lang=fr&country=FR&range=last_12_months",
    );
    try {
      const menu = page.locator("details[data-export=breakdown]");
      await menu.locator("summary").focus();
      await page.keyboard.press("Enter");
      const link = menu.getByRole("link", { name: "CSV pour Excel (français)" });
      expect(await link.isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, "download-menu-fr.png") });
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      expect(download.suggestedFilename()).toMatch(
        /^backlight-breakdown-fr-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const file = join(SCREENSHOTS, "download-breakdown-fr.csv");
      await download.saveAs(file);
      const text = readFileSync(file, "utf8");
      expect(text.startsWith("\uFEFFseries;level;region;country_code")).toBe(true);
      const [header, ...rows] = parseCsv(text, "csv-excel-fr");
      const france = rows.find((r) => r[0] === "current" && r[3] === "FR");
      const gmv = readNumber(france?.[(header ?? []).indexOf("gmv_eur")] ?? "", "csv-excel-fr");
      // The table's France row shows the same GMV, in whole euros.
      const shown = await page
        .locator("table.data-table tbody tr", { hasText: "France" })
        .first()
        .textContent();
      expect(shown?.replace(/\s/g, "")).toContain(formatMetricValue(gmv, "eur", "fr-FR").replace(/\s/g, ""));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows the profitability page in French and dark, and a 400 for a bad month", async () => {
    const { context, page, errors } = await open({ locale: "fr-FR", colorScheme: "dark" }, "/profitability");
    try {
      await page.waitForSelector("svg.recharts-surface", { timeout: 15_000 });
      expect(await page.locator("h2").first().textContent()).toBe("Trajectoire de rentabilité");
      await page.screenshot({ path: join(SCREENSHOTS, "profitability-fr-dark.png"), fullPage: true });
      const response = await page.goto(`${server?.baseUrl}/profitability?as_of=2024-13`);
      expect(response?.status()).toBe(400);
      expect(await page.getByText("as_of: must be a month written YYYY-MM").isVisible()).toBe(true);
      // The one console error is the browser reporting the 400 itself.
      expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows margins by region and country, drilling from a region to its countries to a country's P&L", async () => {
    const { context, page, errors } = await open(
      { locale: "en-GB", colorScheme: "light", viewport: { width: 1440, height: 900 } },
      "/regions",
    );
    try {
      expect(await page.title()).toBe("Regions · Backlight");
      expect(await page.locator("table[data-table=margins] tbody").count()).toBe(3);
      expect(await page.locator("table[data-table=units] tbody").count()).toBe(3);
      expect(await page.locator("table[data-table=categories] tbody tr").count()).toBe(7);
      const expected = await loadedView(dataDir as string, (w) =>
        loadRegions(w, new URL("http://t/regions"), "en-GB"),
      );
      const france = expected.regions[0]?.countries.find((c) => c.key === "FR");
      const frRow = page.locator("table[data-table=margins] tr", { hasText: "France" });
      expect(await frRow.locator("td").first().textContent()).toBe(
        `${france?.cells.gmv_eur.display}${france?.cells.gmv_eur.change ?? ""}`,
      );
      await page.waitForSelector("svg.recharts-surface", { timeout: 15_000 });
      await expect.poll(() => page.locator(".multiples .recharts-wrapper").count()).toBe(3);
      await page.screenshot({ path: join(SCREENSHOTS, "regions-1440.png"), fullPage: true });

      // Central costs: where recorded (France, the headquarters) by default, and said so; allocated by
      // net revenue on request, with France's share in its row (ADR 0019).
      const note = page.getByTestId("central-costs-note");
      expect(await note.textContent()).toContain("count in France, where they are recorded");
      const centralCell = () => frRow.locator("td").nth(6);
      expect(await centralCell().textContent()).toBe(
        `${france?.cells.central_costs_eur.display}${france?.cells.central_costs_eur.change ?? ""}`,
      );
      await page.getByLabel("Central costs").selectOption("allocated");
      await Promise.all([
        page.waitForURL(/costs=allocated/),
        page.getByRole("button", { name: "Apply" }).click(),
      ]);
      const allocated = await loadedView(dataDir as string, (w) =>
        loadRegions(w, new URL("http://t/regions?costs=allocated"), "en-GB"),
      );
      const share = allocated.regions[0]?.countries.find((c) => c.key === "FR")?.cells.central_costs_eur;
      expect(share?.display).not.toBe(france?.cells.central_costs_eur.display);
      await expect.poll(() => centralCell().textContent()).toBe(`${share?.display}${share?.change ?? ""}`);
      expect(await note.textContent()).toContain("allocated to every country by its share of net revenue");

      await Promise.all([
        page.waitForURL(/region=north_america/),
        page.getByRole("link", { name: "Show North America's countries only" }).click(),
      ]);
      await page.waitForFunction(
        () => document.querySelectorAll("table[data-table=margins] tbody").length === 1,
      );
      await Promise.all([
        page.waitForURL(/\/profitability\?country=US/),
        page.getByRole("link", { name: /^United States: monthly P&L/ }).click(),
      ]);
      await page.waitForSelector("h2:has-text('Path to profitability')");
      expect(await page.locator("#p-geo").inputValue()).toBe("country:US");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const { context, page, errors } = await open({
      locale: "fr-FR",
      colorScheme: "light",
      viewport: { width: 375, height: 740 },
      isMobile: true,
    });
    try {
      await expectFigures(page, "fr-FR");
      await expectCharts(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, "fr-FR-light-phone.png"), fullPage: true });
      // Every page: wide tables scroll inside their own region, the page itself never sideways, on a
      // phone or on a laptop (the regions tables once widened the whole page at 1280 px).
      for (const width of [375, 1280])
        for (const path of [
          "/profitability?lang=fr",
          "/regions?lang=fr",
          "/regions?country=GB&currency=local",
        ]) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(`${server?.baseUrl}${path}`, { waitUntil: "networkidle" });
          const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(wider, `${path} at ${width} px`).toBeLessThanOrEqual(0);
        }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows a readable 400 page for a bad filter in the URL", async () => {
    const { context, page, status } = await open(
      { locale: "en-GB", colorScheme: "light" },
      "/?from=2024-13-01&to=2024-12-31",
    );
    try {
      expect(status).toBe(400);
      // Inside the site's frame: the title under the site's heading, the navigation, a way back.
      expect(await page.locator("main h2").textContent()).toBe("Bad request");
      expect(await page.getByText("from: 2024-13-01 is not a calendar date").isVisible()).toBe(true);
      expect(await page.locator("nav.page-nav a").count()).toBeGreaterThan(3);
      expect(await page.locator("[data-retry]").getAttribute("href")).toBe("/");
      await page.screenshot({ path: join(SCREENSHOTS, "error-400-filter.png") });
    } finally {
      await context.close();
    }
  });

  it("shows a readable 400 page for an unsupported ?lang=", async () => {
    const { context, page, status } = await open({ locale: "en-GB", colorScheme: "dark" }, "/?lang=xx");
    try {
      expect(status).toBe(400);
      expect(await page.locator("main h2").textContent()).toBe("Bad request");
      expect(await page.getByText("use lang=en or lang=fr").isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, "error-400-dark.png") });
    } finally {
      await context.close();
    }
  });

  it("explains how to get data when no warehouse is published", async () => {
    if (!browser) throw new Error("browser not started");
    const emptyParent = await makeTempDir("empty");
    const emptyServer = await startServer({ dataDir: join(emptyParent, "data") });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: "en-GB" });
    try {
      await signInContext(context, emptyServer);
      const page = await context.newPage();
      const response = await page.goto(`${emptyServer.baseUrl}/`, { waitUntil: "networkidle" });
      expect(response?.status()).toBe(200);
      const message = page.getByText(
        "No warehouse has been published yet. Run npm run demo to build the sample one.",
      );
      expect(await message.isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, "empty-state-light.png") });
    } finally {
      await context.close();
      await emptyServer.stop();
      await removeDir(emptyParent);
    }
  });

  it("lets a keyboard user skip to the figures and switch language", async () => {
    const { context, page, errors } = await open({ locale: "en-GB", colorScheme: "light" });
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        const box = element?.getBoundingClientRect();
        return {
          tag: element?.tagName.toLowerCase(),
          id: element?.id,
          text: element?.textContent?.trim(),
          visible:
            box !== undefined &&
            box.width > 0 &&
            box.height > 0 &&
            box.bottom > 0 &&
            box.top < window.innerHeight,
        };
      });
    try {
      await page.keyboard.press("Tab");
      expect(await focused()).toEqual({ tag: "a", id: "", text: "Skip to the figures", visible: true });
      await page.screenshot({ path: join(SCREENSHOTS, "keyboard-skip-link.png") });

      await page.keyboard.press("Enter");
      expect((await focused()).id).toBe("main");
      // The skip link's #main is a history entry: the router then scrolls to it once more, a few frames
      // later. A person's next key comes long after; the test waits for that scroll, or the key's own
      // scroll to the focused link could land first and be undone.
      await page.waitForFunction(() => window.location.hash === "#main");
      await page.evaluate(
        () => new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => resolve(null)), 200)),
      );

      await page.keyboard.press("Shift+Tab");
      // Back from the figures: "Save this view" beside the data's badges, then the language.
      await expect
        .poll(focused, { timeout: 5000 })
        .toMatchObject({ tag: "summary", text: "☆ Save this view", visible: true });
      await page.keyboard.press("Shift+Tab");
      // The browser scrolls the focused link into view; on a busy machine that may land a frame later.
      await expect
        .poll(focused, { timeout: 5000 })
        .toMatchObject({ tag: "a", text: "Français", visible: true });
      await page.screenshot({ path: join(SCREENSHOTS, "keyboard-language-link.png") });

      await Promise.all([page.waitForURL(/\?lang=fr$/), page.keyboard.press("Enter")]);
      await page.waitForSelector('html[lang="fr-FR"]');
      await page.waitForLoadState("networkidle");
      expect(await page.getAttribute("html", "lang")).toBe("fr-FR");
      await expectFigures(page, "fr-FR");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

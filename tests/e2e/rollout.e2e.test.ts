// The rollout comparison in a real Chromium against the built server, signed in as the product role:
// the chart and the milestones for the default countries (checked against the loader over the same
// warehouse), a change of countries, metric and axis that lands in the URL, the URL opened afresh,
// Back, both languages and themes. Screenshots land in tests/e2e/screenshots/ (git-ignored).

import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRollout } from "~/.server/rollout.server";
import { sectionTablesOf } from "~/.server/sections/present.server";
import { rolloutTables } from "~/.server/sections/rollout.server";
import { ROWS_IN_HTML, ROWS_ON_SCREEN } from "~/components/data-table";
import { formatMetricValue } from "~/lib/format";
import { ROLLOUT_SECTIONS } from "~/sections/rollout";
import { presentTable } from "~/sections/table";
import {
  type BrowserSuite,
  hasChromium,
  loadedView,
  SCREENSHOTS,
  startBrowserSuite,
} from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

describe.skipIf(!hasChromium())("the rollout comparison in Chromium", () => {
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
    return loadedView(dataDir, (warehouse) => loadRollout(warehouse, new URL(`http://t/rollout?${query}`)));
  }

  it("compares countries by age, and keeps a change of countries, metric and axis in the URL", async () => {
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
      await page.goto(`${server.baseUrl}/rollout`, { waitUntil: "networkidle" });
      const first = await expected("");
      // The default: the five most recent launches, each a line with its name at its end.
      expect(first.countries).toHaveLength(5);
      expect(first.countries).not.toContain("FR");
      expect(await page.locator('table[data-table="rollout-milestones"] tbody tr').count()).toBe(5);
      // France (ten years of history) is one tick away.
      const withFrance = ["FR", ...first.countries].join(",");
      await page.goto(`${server.baseUrl}/rollout?country=${withFrance}`, { waitUntil: "networkidle" });
      const view = await expected(`country=${withFrance}`);
      const rows = page.locator('table[data-table="rollout-milestones"] tbody tr');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")))).toEqual(
        view.countries,
      );
      for (const country of view.countries)
        expect(await page.locator(`input[name="country"][value="${country}"]`).isChecked(), country).toBe(
          true,
        );
      expect(await page.locator("figure.chart").first().locator(".recharts-line").count()).toBe(
        view.countries.length + (view.median.length ? 1 : 0),
      );
      expect(await page.locator("figure.chart text", { hasText: "Median of all countries" }).count()).toBe(1);
      // France reached 10,000 devices in the month of age the loader says.
      const france = view.milestones.find((m) => m.country === "FR");
      const months = france?.monthsToDevices[10_000];
      expect(
        await page
          .locator(
            'table[data-table="rollout-milestones"] tr[data-key="FR"] td[data-col="months_to_10000_devices"]',
          )
          .textContent(),
      ).toBe(months === null || months === undefined ? "—" : formatMetricValue(months, "count", "en-GB"));
      // Every table and chart of the page has its section's download, in reading order.
      expect(
        await page
          .locator("[data-section] details.download-menu")
          .evaluateAll((d) => d.map((e) => e.getAttribute("data-export"))),
      ).toEqual([...ROLLOUT_SECTIONS]);
      // The app: a marker on France's line where its app launched, and its share before and after.
      const app = view.appShare.find((a) => a.country === "FR");
      expect(app).toBeDefined();
      expect(await page.locator('[data-app-marker="FR"]').textContent()).toBe("App · France");
      const appRow = page.locator('table[data-table="rollout-app-windows"] tr[data-key="FR"]');
      const pct = (v: number | null | undefined) => formatMetricValue(v ?? Number.NaN, "ratio", "en-GB");
      expect(await appRow.locator('td[data-col="app_share_before"]').textContent()).toBe(pct(app?.before));
      expect(await appRow.locator('td[data-col="app_share_after"]').textContent()).toBe(pct(app?.after));
      await page.screenshot({ path: join(SCREENSHOTS, "rollout-en-light.png"), fullPage: true });

      // Eight countries at most: with eight ticked, the others cannot be, and a sentence says why.
      const boxes = page.locator('input[name="country"]');
      for (const box of await boxes.all()) {
        if ((await page.locator('input[name="country"]:checked').count()) >= 8) break;
        await box.check();
      }
      expect(await page.locator('input[name="country"]:not(:checked)').first().isDisabled()).toBe(true);
      expect(await page.getByText("8 countries at most: untick one to choose another.").isVisible()).toBe(
        true,
      );
      await page.reload({ waitUntil: "networkidle" });

      // Change: keep France, add the United States and Germany, drop the rest; repeat rate, calendar.
      for (const box of await page.locator('input[name="country"]').all()) await box.uncheck();
      for (const c of ["FR", "US", "DE"]) await page.locator(`input[name="country"][value="${c}"]`).check();
      await page.getByLabel("Metric").selectOption("repeat_rate");
      await page.getByLabel("Time axis").selectOption("calendar");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/axis=calendar/);
      await page.getByRole("heading", { name: "Repeat-purchase rate by month" }).waitFor();
      const url = new URL(page.url());
      expect(url.searchParams.getAll("country")).toEqual(["FR", "DE", "US"]);
      expect(url.searchParams.get("metric")).toBe("repeat_rate");
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")))).toEqual([
        "FR",
        "DE",
        "US",
      ]);
      // No median on the calendar axis: only the three countries' lines.
      expect(await page.locator("figure.chart").first().locator(".recharts-line").count()).toBe(3);

      // The address opened afresh shows the same view; Back returns to the view before.
      const fresh = await context.newPage();
      await fresh.goto(page.url(), { waitUntil: "networkidle" });
      expect(await fresh.getByLabel("Metric").inputValue()).toBe("repeat_rate");
      expect(await fresh.getByLabel("Time axis").inputValue()).toBe("calendar");
      expect(
        await fresh
          .locator('input[name="country"]:checked')
          .evaluateAll((i) => i.map((e) => (e as HTMLInputElement).value)),
      ).toEqual(["FR", "DE", "US"]);
      await fresh.close();
      await page.goBack();
      await page.getByRole("heading", { name: "Devices sold by month" }).waitFor();

      // Per 1,000 inhabitants: GMV per inhabitant, France's last point as the loader has it.
      await page.getByLabel("Metric").selectOption("gmv_eur");
      await page.getByLabel("Figures", { exact: true }).selectOption("per_capita");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/basis=per_capita/);
      await page.getByRole("heading", { name: "GMV per 1,000 inhabitants, by month" }).waitFor();
      const perCapita = await expected(`${new URL(page.url()).searchParams}`);
      expect(perCapita.perCapita).toBe(true);
      const franceLast = perCapita.series.find((s) => s.country === "FR")?.points.at(-1)?.y ?? 0;
      const absolute =
        (await expected(`metric=gmv_eur&country=${withFrance}`)).series
          .find((s) => s.country === "FR")
          ?.points.at(-1)?.y ?? 0;
      expect(franceLast).toBeCloseTo(absolute / 68_170, 9);
      expect(
        await page.getByText("Population: 2023 estimates (World Bank WDI SP.POP.TOTL).").isVisible(),
      ).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, "rollout-per-capita-en-light.png"), fullPage: true });
      // The download holds the chosen countries' months, every metric, whatever the chart shows.
      const href =
        (await page.locator('details[data-export="rollout"] a[data-format="csv"]').getAttribute("href")) ??
        "";
      expect(href).toContain("basis=per_capita");
      const file = await context.request.get(`${server.baseUrl}${href}`);
      expect(file.status()).toBe(200);
      const lines = (await file.text()).trim().split("\r\n");
      expect(lines[0]?.split(",").slice(0, 5)).toEqual([
        "country_code",
        "launched_on",
        "month",
        "months_since_launch",
        "population",
      ]);
      expect(new Set(lines.slice(1).map((l) => l.split(",")[0]))).toEqual(new Set(perCapita.countries));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("draws a long table's first rows in the HTML, the screen's once live, and every row on demand", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    try {
      await signInContext(context, server, "product");
      const view = await expected("country=FR,DE");
      const total = sectionTablesOf(view, "en-GB", rolloutTables)["rollout-lines"].rows.length;
      // France's ten years of months: longer than the rows a screen draws.
      expect(total).toBeGreaterThan(ROWS_ON_SCREEN);
      const address = `${server.baseUrl}/rollout?country=FR,DE`;
      // The server's HTML: the first ROWS_IN_HTML rows, and the button for all of them already there.
      const response = await context.request.get(address);
      const html = await response.text();
      const table = html.slice(html.indexOf('data-table="rollout-lines"'));
      const body = table.slice(table.indexOf("<tbody>"), table.indexOf("</tbody>"));
      expect(body.split("<tr").length - 1).toBe(ROWS_IN_HTML);
      expect(html).toContain(`Show all ${total.toLocaleString("en-GB")} rows`);

      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(address);
      await page.waitForSelector("html[data-hydrated]");
      const rows = page.locator('table[data-table="rollout-lines"] tbody tr');
      await expect.poll(() => rows.count()).toBe(ROWS_ON_SCREEN);
      await page.getByRole("button", { name: `Show all ${total.toLocaleString("en-GB")} rows` }).click();
      await expect.poll(() => rows.count()).toBe(total);
      // The page data holds the text of the HTML's rows only; the browser wrote the others' (ADR 0046):
      // every cell as the server writes it.
      const cells = (of: typeof rows) =>
        of.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? "")));
      const written = (locale: "en-GB" | "fr-FR") =>
        presentTable(
          "rollout-lines",
          sectionTablesOf(view, locale, rolloutTables)["rollout-lines"],
          locale,
        ).rows.map((r) => r.text);
      expect(await cells(rows)).toEqual(written("en-GB"));
      expect(errors).toEqual([]);
      // And in French, the rows the screen draws once live.
      const french = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } });
      try {
        await signInContext(french, server, "product");
        const inFrench = await french.newPage();
        inFrench.on("pageerror", (e) => errors.push(e.message));
        await inFrench.goto(address);
        await inFrench.waitForSelector("html[data-hydrated]");
        const frenchRows = inFrench.locator('table[data-table="rollout-lines"] tbody tr');
        await expect.poll(() => frenchRows.count()).toBe(ROWS_ON_SCREEN);
        expect(await cells(frenchRows)).toEqual(written("fr-FR").slice(0, ROWS_ON_SCREEN));
      } finally {
        await french.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("reads in French and in the dark theme, and refuses nine countries with a sentence", async () => {
    if (!browser || !server) throw new Error("not started");
    const context = await browser.newContext({
      locale: "fr-FR",
      colorScheme: "dark",
      viewport: { width: 1280, height: 900 },
    });
    try {
      await signInContext(context, server, "executive");
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/rollout?metric=gmv_eur`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Déploiement par pays");
      expect(await page.getByRole("heading", { name: "Volume d’affaires (GMV) par mois" }).isVisible()).toBe(
        true,
      );
      await page.screenshot({ path: join(SCREENSHOTS, "rollout-fr-dark.png"), fullPage: true });
      const nine = "FR,DE,ES,IT,NL,BE,AT,PT,SE";
      const refused = await page.goto(`${server.baseUrl}/rollout?country=${nine}`, {
        waitUntil: "networkidle",
      });
      expect(refused?.status()).toBe(400);
      expect(await page.locator("main").textContent()).toMatch(/country/);
    } finally {
      await context.close();
    }
  });
});

// The dashboard page in a real Chromium: figures visible in both locales and themes, keyboard reachable.
// Screenshots land in tests/e2e/screenshots/ (git-ignored) for a human to look at.

import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDemoDataDir,
  type HeadlineRow,
  makeTempDir,
  queryHeadlineFile,
  readPointer,
  removeDir,
} from "../helpers/fixture-warehouse";
import { expectedFigures, type TestLocale } from "../helpers/formats";
import { REPO_ROOT } from "../helpers/repo";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = join(REPO_ROOT, "tests", "e2e", "screenshots");
const METRICS = ["customers", "devices_sold", "gmv_eur"] as const;

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

describe.skipIf(!existsSync(CHROMIUM))("the dashboard page in Chromium", () => {
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let headline: HeadlineRow;

  beforeAll(async () => {
    await buildApp();
    dataDir = await createDemoDataDir();
    const pointer = await readPointer(dataDir);
    headline = await queryHeadlineFile(join(dataDir, pointer.path));
    server = await startServer({ dataDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await removeDir(dataDir);
  });

  /** Opens a page in a fresh context, recording console errors (a failed hydration shows there). */
  async function open(options: BrowserContextOptions, path = "/") {
    if (!browser || !server) throw new Error("browser or server not started");
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => errors.push(error.message));
    const response = await page.goto(`${server.baseUrl}${path}`, { waitUntil: "networkidle" });
    return { context, page, errors, status: response?.status() };
  }

  async function expectFigures(page: Page, locale: TestLocale): Promise<void> {
    const expected = expectedFigures(headline, locale);
    for (const metric of METRICS) {
      const figure = page.locator(`article[data-metric="${metric}"] .card__value`);
      expect(await figure.isVisible(), metric).toBe(true);
      expect(await figure.textContent(), metric).toBe(expected[metric]);
    }
  }

  for (const locale of ["en-GB", "fr-FR"] as const) {
    for (const colorScheme of ["light", "dark"] as const) {
      it(`shows the figures in ${locale}, ${colorScheme} theme`, async () => {
        const { context, page, errors, status } = await open({ locale, colorScheme });
        try {
          expect(status).toBe(200);
          expect(await page.getAttribute("html", "lang")).toBe(locale);
          expect(await page.title()).toBe("Backlight");
          await expectFigures(page, locale);
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

  it("fits a phone screen without sideways scrolling", async () => {
    const { context, page, errors } = await open({
      locale: "fr-FR",
      colorScheme: "light",
      viewport: { width: 375, height: 740 },
      isMobile: true,
    });
    try {
      await expectFigures(page, "fr-FR");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, "fr-FR-light-phone.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows a readable 400 page for an unsupported ?lang=", async () => {
    const { context, page, status } = await open({ locale: "en-GB", colorScheme: "dark" }, "/?lang=xx");
    try {
      expect(status).toBe(400);
      expect(await page.locator("h1").textContent()).toBe("Bad request");
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
          visible: box !== undefined && box.width > 0 && box.height > 0 && box.top >= 0,
        };
      });
    try {
      await page.keyboard.press("Tab");
      expect(await focused()).toEqual({ tag: "a", id: "", text: "Skip to the figures", visible: true });
      await page.screenshot({ path: join(SCREENSHOTS, "keyboard-skip-link.png") });

      await page.keyboard.press("Enter");
      expect((await focused()).id).toBe("main");

      await page.keyboard.press("Shift+Tab");
      expect(await focused()).toMatchObject({ tag: "a", text: "Français", visible: true });
      await page.screenshot({ path: join(SCREENSHOTS, "keyboard-language-link.png") });

      await Promise.all([page.waitForURL(/\?lang=fr$/), page.keyboard.press("Enter")]);
      await page.waitForLoadState("networkidle");
      expect(await page.getAttribute("html", "lang")).toBe("fr-FR");
      await expectFigures(page, "fr-FR");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

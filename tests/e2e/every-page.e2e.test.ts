// Every page, as the role that uses it, in a real Chromium against the built server: at 1440 × 900 in
// light and English, and at 390 × 844 in dark and French. None scrolls sideways, none logs a console error,
// and an accessibility scan (axe-core, WCAG 2.2 A/AA rules) finds no serious or critical violation.
// Screenshots of each land in tests/e2e/screenshots/every-page/ (git-ignored) for a human to look at.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "~/auth/policy";
import { type BrowserSuite, hasChromium, SCREENSHOTS, startBrowserSuite } from "../helpers/browser";
import { type RunningServer, signInContext } from "../helpers/server";

/** Each page with the role that opens it (product cannot see profitability; admin has its own page). */
const PAGES: [string, Role][] = [
  ["/", "executive"],
  ["/profitability", "finance"],
  ["/regions", "finance"],
  ["/rollout", "product"],
  ["/quality", "product"],
  ["/pricing", "product"],
  ["/channels", "product"],
  ["/market", "product"],
  ["/changes", "product"],
  ["/admin", "admin"],
  ["/views", "finance"],
];

// Two looks cover both widths, both themes and both languages; the other two pairings add ~3 minutes
// to CI for little (run them by hand with `.shots`-style scripts when the theme or layout changes).
const LOOKS = [
  { name: "desktop-light-en", viewport: { width: 1440, height: 900 }, colorScheme: "light", lang: "en" },
  { name: "phone-dark-fr", viewport: { width: 390, height: 844 }, colorScheme: "dark", lang: "fr" },
] as const;

describe.skipIf(!hasChromium())("every page, at 1440 and 390 px, light and dark", () => {
  let suite: BrowserSuite | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const shots = join(SCREENSHOTS, "every-page");

  beforeAll(async () => {
    suite = await startBrowserSuite();
    ({ server, browser } = suite);
    await mkdir(shots, { recursive: true });
  });

  afterAll(async () => {
    await suite?.stop();
  });

  for (const look of LOOKS)
    it(`${look.name}: fits the screen, logs no error, and passes the accessibility scan`, async () => {
      if (!browser || !server) throw new Error("browser or server not started");
      const problems: string[] = [];
      for (const [path, role] of PAGES) {
        // The scan reads the page as the browser has it; its script is injected past the page's CSP.
        const context = await browser.newContext({
          viewport: look.viewport,
          colorScheme: look.colorScheme,
          locale: look.lang === "fr" ? "fr-FR" : "en-GB",
          bypassCSP: true,
        });
        try {
          await signInContext(context, server, role);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("console", (m) => {
            if (m.type() === "error") errors.push(m.text());
          });
          page.on("pageerror", (e) => errors.push(e.message));
          const url = `${server.baseUrl}${path}${path.includes("?") ? "&" : "?"}lang=${look.lang}`;
          const response = await page.goto(url, { waitUntil: "networkidle" });
          if (response?.status() !== 200) problems.push(`${path}: status ${response?.status()}`);
          // Nothing touches the page before React has taken it over (the scan sets styles for a moment);
          // charts draw after hydration and measuring.
          await page.waitForSelector("html[data-hydrated]", { state: "attached", timeout: 30_000 });
          await page
            .waitForFunction(
              () =>
                document.querySelectorAll(".recharts-wrapper").length ===
                document.querySelectorAll("figure.chart").length,
              undefined,
              { timeout: 10_000 },
            )
            .catch(() => undefined);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          if (overflow > 0) problems.push(`${path}: ${overflow} px of sideways scroll`);
          // Every dashboard page can be saved (and so mailed): "Save this view" beside its badges.
          const dashboard = path !== "/admin" && path !== "/views";
          if (dashboard && (await page.locator(".save-view summary").count()) !== 1)
            problems.push(`${path}: no "Save this view"`);
          const name = `${look.name}${path.replaceAll("/", "-") || "-overview"}`;
          await page.screenshot({
            path: join(shots, `${name === `${look.name}-` ? `${look.name}-overview` : name}.png`),
            fullPage: true,
          });
          const scan = await new AxeBuilder({ page })
            .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
            .analyze();
          for (const v of scan.violations)
            if (v.impact === "serious" || v.impact === "critical")
              problems.push(
                `${path}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(" "))
                  .join("; ")}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`,
              );
          // On a phone the pages fold behind one button, which opens them (and says so to a screen reader).
          if (look.viewport.width < 600) {
            const toggle = page.locator(".page-nav__toggle");
            const links = page.locator("#page-nav-list a");
            if (!(await toggle.isVisible())) problems.push(`${path}: no menu button on a phone`);
            else if (await links.first().isVisible())
              problems.push(`${path}: pages shown before the menu is opened`);
            else {
              await toggle.focus();
              await page.keyboard.press("Enter");
              if (
                (await toggle.getAttribute("aria-expanded")) !== "true" ||
                !(await links.first().isVisible())
              )
                problems.push(`${path}: the menu button does not open the pages`);
            }
            // The filters fold the same way, so the first screen shows figures; Apply is one tap away.
            const filters = page.locator(".filter-fold__toggle");
            const apply = page.locator(".filter-fold button[type=submit]");
            if ((await filters.count()) > 0) {
              if (await apply.isVisible()) problems.push(`${path}: filters shown before they are opened`);
              await filters.click();
              if ((await filters.getAttribute("aria-expanded")) !== "true" || !(await apply.isVisible()))
                problems.push(`${path}: the Filters button does not open the filters`);
            } else if (!["/admin", "/views"].includes(path))
              problems.push(`${path}: no Filters button on a phone`);
          }
          for (const e of errors) problems.push(`${path}: console error: ${e}`);
        } finally {
          await context.close();
        }
      }
      expect(problems).toEqual([]);
      // Every page of the dashboard, one after the other, with a scan each: 85–90 s on a quiet 2-core
      // machine, more beside other work. A slow machine must not fail it (the ground rules): 6 minutes.
    }, 360_000);
});

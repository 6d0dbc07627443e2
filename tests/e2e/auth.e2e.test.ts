// Signing in, roles and the admin pages in a real Chromium against the built server: the sign-in page by
// keyboard in both languages and themes, a shared link that survives the detour through sign-in, what a
// product user sees, the admin page making an API token, sign-out — and, on every page, not a single
// Content-Security-Policy violation. Screenshots land in tests/e2e/screenshots/ (git-ignored).

import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, hasChromium, SCREENSHOTS, startBrowserSuite } from "../helpers/browser";
import { emailOf, type RunningServer, signInContext, TEST_PASSWORD } from "../helpers/server";

/** Records CSP violations and console errors of every page of the context. */
async function watch(
  context: BrowserContext,
): Promise<{ violations: () => Promise<string[]>; errors: string[] }> {
  await context.addInitScript(() => {
    const found: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = found;
    document.addEventListener("securitypolicyviolation", (e) =>
      found.push(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
      ),
    );
  });
  const errors: string[] = [];
  const pages: Page[] = [];
  context.on("page", (page) => {
    pages.push(page);
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("status of 40")) errors.push(m.text());
    });
  });
  return {
    errors,
    violations: async () =>
      (
        await Promise.all(
          pages
            .filter((p) => !p.isClosed())
            .map((p) => p.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])),
        )
      ).flat(),
  };
}

describe.skipIf(!hasChromium())("signing in and roles in Chromium", () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const base = () => server?.baseUrl ?? "";

  let suite: BrowserSuite | undefined;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    ({ server, browser } = suite);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  async function newContext(locale: "en-GB" | "fr-FR", colorScheme: "light" | "dark" = "light") {
    if (!browser) throw new Error("browser not started");
    const context = await browser.newContext({ locale, colorScheme, viewport: { width: 1280, height: 800 } });
    return { context, watched: await watch(context) };
  }

  it("signs in by keyboard from a shared link and lands on that view, filters kept (en-GB, light)", async () => {
    const { context, watched } = await newContext("en-GB");
    try {
      const page = await context.newPage();
      const shared = "/regions?range=last_12_months&region=europe";
      await page.goto(`${base()}${shared}`, { waitUntil: "networkidle" });
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(new URL(page.url()).searchParams.get("next")).toBe(shared);
      await page.screenshot({ path: join(SCREENSHOTS, "sign-in-en-light.png") });

      // Keyboard only: Tab to the email field, type, Tab, type a wrong password, Enter.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
      await page.keyboard.type(emailOf("executive"));
      await page.keyboard.press("Tab");
      await page.keyboard.type("not the password at all");
      await page.keyboard.press("Enter");
      const alert = page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toBe("Email or password is incorrect.");
      expect(await page.getByLabel("Email").getAttribute("aria-describedby")).toBe("sign-in-error");
      await page.screenshot({ path: join(SCREENSHOTS, "sign-in-error-en-light.png") });

      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByLabel("Password").press("Enter");
      await page.waitForURL((url) => url.pathname === "/regions");
      await page.waitForLoadState("networkidle");
      expect(page.url()).toBe(`${base()}${shared}`);
      expect(await page.locator("#f-region").inputValue()).toBe("europe");
      expect(await page.getByText(`Signed in as ${emailOf("executive")}`).isVisible()).toBe(true);
      expect(await watched.violations()).toEqual([]);
      expect(watched.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows the French sign-in page in the dark theme, and a product user only what the role allows", async () => {
    const { context, watched } = await newContext("fr-FR", "dark");
    try {
      const page = await context.newPage();
      await page.goto(`${base()}/login`, { waitUntil: "networkidle" });
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Connexion");
      await page.screenshot({ path: join(SCREENSHOTS, "sign-in-fr-dark.png") });
      await page.getByLabel("Adresse e-mail").fill(emailOf("product"));
      await page.getByLabel("Mot de passe").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.waitForURL(`${base()}/`);
      await page.locator('article[data-metric="gmv_eur"]').waitFor();
      // Only the overview and the product views in the navigation; no EBITDA card, no EBITDA choice in the trend's menu.
      const nav = page.getByRole("navigation", { name: "Pages" });
      expect(await nav.getByRole("link").allTextContents()).toEqual([
        "Vue d’ensemble",
        "Déploiement",
        "Qualité",
        "Prix affichés",
        "Partenaires et appli",
        "Marché",
        "Ce qui a changé",
      ]);
      expect(await page.locator('article[data-metric="ebitda_eur"]').count()).toBe(0);
      expect(await page.locator("#trend-metric option").allTextContents()).not.toContain("EBITDA");
      expect(await page.content()).not.toMatch(/ebitda/i);
      await page.screenshot({ path: join(SCREENSHOTS, "product-overview-fr-dark.png"), fullPage: true });
      // The profitability page by its address: refused, with a page that says so.
      const refused = await page.goto(`${base()}/profitability`, { waitUntil: "networkidle" });
      expect(refused?.status()).toBe(403);
      expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Réservé à d’autres rôles");
      expect(await page.getByText("Votre rôle ne donne pas accès à cette page.").isVisible()).toBe(true);
      expect(await watched.violations()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("lets an admin create an API token (shown once) and read it in the audit log; signs out by the button", async () => {
    if (!server) throw new Error("server not started");
    const { context, watched } = await newContext("en-GB");
    try {
      await signInContext(context, server, "admin");
      const page = await context.newPage();
      await page.goto(`${base()}/admin`, { waitUntil: "networkidle" });
      await page.getByLabel("For").selectOption(emailOf("finance"));
      await page.getByLabel("Label", { exact: true }).fill("browser test");
      await page.getByRole("button", { name: "Create token" }).click();
      const secret = page.locator("#secret-value");
      await secret.waitFor();
      expect(await secret.inputValue()).toMatch(/^blt_[\w-]{43}$/);
      expect(await page.getByRole("status").textContent()).toContain(`created for ${emailOf("finance")}`);
      await page.screenshot({ path: join(SCREENSHOTS, "admin-token-en-light.png"), fullPage: true });

      // The token works for a download, as finance.
      const token = await secret.inputValue();
      const response = await fetch(`${base()}/export/kpis?range=last_30_days`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      await response.body?.cancel();

      await page.getByRole("link", { name: "Read the audit log" }).click();
      await page.waitForURL(`${base()}/admin/audit`);
      await page.getByRole("heading", { name: "Audit log", level: 2 }).waitFor();
      const first = page.locator("tbody tr").first();
      expect(await first.getAttribute("data-event")).toBe("export");
      expect(await page.locator('tr[data-event="token_created"]').first().textContent()).toContain(
        "browser test",
      );
      await page.screenshot({ path: join(SCREENSHOTS, "admin-audit-en-light.png"), fullPage: true });

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${base()}/login`);
      await page.goto(`${base()}/admin`, { waitUntil: "networkidle" });
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(await watched.violations()).toEqual([]);
      expect(watched.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("says a session expired: a download clicked afterwards leads to sign-in, then back to the page", async () => {
    const { context, watched } = await newContext("en-GB");
    try {
      const page = await context.newPage();
      const view = "/?region=europe";
      await page.goto(`${base()}${view}`);
      await page.getByLabel("Email").fill(emailOf("executive"));
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/"),
        page.getByLabel("Password").press("Enter"),
      ]);
      await page.waitForLoadState("networkidle");
      // This browser's session goes idle past the 60 minutes it may.
      const cookie = (await context.cookies()).find((c) => c.name.includes("backlight"))?.value ?? "";
      const { createHash } = await import("node:crypto");
      const { default: Database } = await import("better-sqlite3");
      const db = new Database(join(server?.stateDir ?? "", "backlight.sqlite"));
      const hash = createHash("sha256")
        .update(cookie.split(".")[0] ?? "")
        .digest("hex");
      expect(
        db
          .prepare("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
          .run(Date.now() - 61 * 60_000, hash).changes,
      ).toBe(1);
      db.close();
      // A download from a menu: the sign-in page says why, and no file is saved.
      let saved = false;
      page.on("download", () => {
        saved = true;
      });
      const menu = page.locator("details.download-menu").first();
      await menu.locator("summary").click();
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/login"),
        menu.locator('a[data-format="csv"]').click(),
      ]);
      await page.getByText("Your session has expired. Sign in again to go back to where you were.").waitFor();
      expect(saved).toBe(false);
      await page.screenshot({ path: join(SCREENSHOTS, "sign-in-expired-en-light.png") });
      await page.getByLabel("Email").fill(emailOf("executive"));
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/" && u.search === "?region=europe"),
        page.getByLabel("Password").press("Enter"),
      ]);
      expect(await watched.violations()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("runs every page under the CSP without a violation (finance, en-GB)", async () => {
    if (!server) throw new Error("server not started");
    const { context, watched } = await newContext("en-GB");
    try {
      await signInContext(context, server, "finance");
      const page = await context.newPage();
      for (const path of ["/", "/profitability", "/regions", "/channels", "/market"]) {
        const response = await page.goto(`${base()}${path}`, { waitUntil: "networkidle" });
        expect(response?.status(), path).toBe(200);
        expect(new URL(page.url()).pathname, path).toBe(path);
        // Charts draw once hydrated and measured, which may come after the network is idle.
        await page.locator("svg.recharts-surface").first().waitFor({ timeout: 15_000 });
      }
      // A client-side navigation too (a data request, not a document).
      await page.getByRole("link", { name: "Overview" }).click();
      await page.waitForURL(`${base()}/`);
      await page.waitForLoadState("networkidle");
      expect(await watched.violations()).toEqual([]);
      expect(watched.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

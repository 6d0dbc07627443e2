// Any length of history (issue 16): every page's default view answers 200, without an error state,
// for every role that may open it, on a warehouse holding one day and one holding two months — both
// loaded from batches with text ids. (Ten years, the generated demo, is what the other HTTP and browser
// tests run on.) A section that cannot be computed on so little data says why on the page.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canOpen, type PageId, ROLES } from "~/auth/policy";
import { hasChromium, launchChromium } from "../helpers/browser";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { oneDayBatch, publishLanding, TEXT_IDS, twoMonthBatch, writeCsvBatch } from "../helpers/real-extract";
import { buildApp, type RunningServer, signInContext, startServer } from "../helpers/server";

const PAGE_PATHS: Record<PageId, string> = {
  overview: "/",
  profitability: "/profitability",
  regions: "/regions",
  rollout: "/rollout",
  quality: "/quality",
  pricing: "/pricing",
  channels: "/channels",
  market: "/market",
  changes: "/changes",
  admin: "/admin",
};

const HISTORIES = {
  "one day": oneDayBatch,
  "two months": twoMonthBatch,
} as const;

describe.each(Object.entries(HISTORIES))("every page's default view on %s of history", (_name, batch) => {
  let root: string | undefined;
  let server: RunningServer | undefined;
  const running = (): RunningServer => {
    if (!server) throw new Error("server not started");
    return server;
  };

  beforeAll(async () => {
    if (_name === "one day") await buildApp();
    root = await makeTempDir("short-history");
    const dataDir = join(root, "data");
    const landing = join(root, "landing");
    writeCsvBatch(landing, "2025-01-01_first", batch());
    publishLanding(landing, dataDir);
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(root);
  });

  const cases = ROLES.flatMap((role) =>
    (Object.keys(PAGE_PATHS) as PageId[])
      .filter((page) => canOpen(role, page))
      .map((page) => [role, page] as const),
  );

  it.each(cases)("%s: %s answers 200 without an error", async (role, page) => {
    const response = await running().fetch(PAGE_PATHS[page], {}, role);
    const body = await response.text();
    expect(response.status, `${role} ${page}: ${body.slice(0, 300)}`).toBe(200);
    expect(body).not.toContain("notice--error");
  });

  it("says on /profitability that a forecast needs more months than the data holds", async () => {
    const body = await (await running().fetch("/profitability", {}, "finance")).text();
    expect(body).toContain("No forecast yet: it needs 3 whole months of data, and the data holds 1.");
  });

  it("shows the sellers' source ids in the /pricing worst-sellers table", async () => {
    const body = await (await running().fetch("/pricing", {}, "product")).text();
    const ids = Object.values(TEXT_IDS.seller_id ?? {});
    const shown = ids.filter((id) => body.includes(`data-key="${id}"`));
    expect(shown.length).toBeGreaterThan(0);
    for (const id of shown) expect(body).toMatch(new RegExp(`data-col="seller_id"[^>]*>${id}<`));
  });

  it.skipIf(!hasChromium())("opens every page in Chromium without a script error", async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ locale: "en-GB" });
      await signInContext(context, running(), "finance");
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      for (const path of Object.entries(PAGE_PATHS)
        .filter(([id]) => canOpen("finance", id as PageId))
        .map(([, p]) => p)) {
        const response = await page.goto(`${running().baseUrl}${path}`, { waitUntil: "networkidle" });
        expect(response?.status(), path).toBe(200);
        expect(await page.locator(".notice--error").count(), path).toBe(0);
        expect(await page.locator("main h2, main h1").count(), path).toBeGreaterThan(0);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

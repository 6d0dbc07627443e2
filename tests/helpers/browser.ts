// Debian's Chromium, started the way this machine needs: headless, no sandbox (root), and none of the
// background connections that a closed network refuses.

import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { Warehouse } from "~/.server/warehouse.server";
import { createDemoDataDir, removeDir } from "./fixture-warehouse";
import { REPO_ROOT } from "./repo";
import { buildApp, type RunningServer, startServer } from "./server";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = (): boolean => existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** Where browser tests save screenshots for a person to look at (git-ignored). */
export const SCREENSHOTS = join(REPO_ROOT, "tests", "e2e", "screenshots");

export interface BrowserSuite {
  dataDir: string;
  server: RunningServer;
  browser: Browser;
  /** Closes the browser, stops the server and removes the demo warehouse. */
  stop: () => Promise<void>;
}

/** What every browser test file starts with: the built app served over a demo warehouse, and Chromium. */
export async function startBrowserSuite(): Promise<BrowserSuite> {
  await buildApp();
  const dataDir = await createDemoDataDir();
  const server = await startServer({ dataDir });
  const browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    dataDir,
    server,
    browser,
    stop: async () => {
      await browser.close();
      await server.stop();
      await removeDir(dataDir);
    },
  };
}

/**
 * What a page's loader gives over the suite's warehouse, read afresh with no result cache: the figures
 * the page in the browser must show.
 */
export async function loadedView<L extends { state: string }>(
  dataDir: string,
  load: (warehouse: Warehouse) => Promise<L>,
): Promise<Extract<L, { state: "ready"; result: unknown }>["result"]> {
  const warehouse = new Warehouse({ dataDir, cacheEntries: 0 });
  try {
    const loaded = await load(warehouse);
    if (loaded.state !== "ready") throw new Error("no warehouse");
    return (loaded as Extract<L, { state: "ready"; result: unknown }>).result;
  } finally {
    warehouse.close();
  }
}

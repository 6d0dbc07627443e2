// The renders a fresh server makes of its own before it says it is warm (ADR 0037), against the built
// server over the hand-written warehouse: each sampled URL of every page answers 200 (the sampler draws
// only valid filter combinations), /healthz says warm only once they are done, and they keep nothing in
// the result cache and take nothing from it (its counters read as on a server that made none).

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { buildOverviewWarehouse } from "../helpers/overview-fixture";
import { buildApp, freePort, type RunningServer, startServer } from "../helpers/server";

const RENDERS = 48;

async function warm(server: RunningServer): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const health = (await (await fetch(`${server.baseUrl}/healthz`)).json()) as { warm?: boolean };
    if (health.warm) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not warm within 60 s:\n${server.output()}`);
}

async function resultCache(port: number): Promise<{ hits: number; misses: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  return {
    hits: read("backlight_result_cache_hits_total"),
    misses: read("backlight_result_cache_misses_total"),
  };
}

describe("a fresh server renders sample pages before it says it is warm", () => {
  let root: string | undefined;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("code-warming");
    buildOverviewWarehouse(join(root, "landing"), join(root, "data"));
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await removeDir(root);
  });

  async function started(renders: number) {
    const metricsPort = await freePort();
    const server = await startServer({
      dataDir: join(root as string, "data"),
      env: { BACKLIGHT_WARM_RENDERS: String(renders), BACKLIGHT_METRICS_PORT: String(metricsPort) },
    });
    servers.push(server);
    await warm(server);
    return { server, metricsPort, cache: await resultCache(metricsPort) };
  }

  it("renders every page's sampled URLs with 200, then says warm; the result cache is as without them", async () => {
    const withRenders = await started(RENDERS);
    // Logged before the warming ends, so before /healthz said warm.
    const line = /rendered (\d+) sample pages in \d+ ms \((\d+) answered 200\)/.exec(
      withRenders.server.output(),
    );
    expect(line?.[1]).toBe(String(RENDERS));
    expect(line?.[2]).toBe(String(RENDERS));
    expect(withRenders.server.output()).not.toContain("warming render");

    const without = await started(0);
    expect(without.server.output()).not.toContain("sample pages");
    expect(withRenders.cache.misses).toBeGreaterThan(0);
    expect(withRenders.cache).toEqual(without.cache);

    // A reader's pages afterwards go through the result cache as usual.
    const url = "/pricing?range=all_time&category=smartphone";
    expect((await withRenders.server.fetch(url)).status).toBe(200);
    const once = await resultCache(withRenders.metricsPort);
    expect(once.misses).toBeGreaterThan(withRenders.cache.misses);
    expect((await withRenders.server.fetch(`/pricing.data?range=all_time&category=smartphone`)).status).toBe(
      200,
    );
    expect((await resultCache(withRenders.metricsPort)).hits).toBeGreaterThan(once.hits);
  });
});

// What an operator reads (issue 20, item 4), against the built server over the hand-written warehouse:
// Prometheus metrics on their own port and, for an admin, on /metrics (nobody else gets them), with the
// requests just made counted by route and status, a failed sign-in counted, the snapshot served and its
// age; and the log, one JSON line per request carrying the X-Request-Id the response gave, with no
// cookie, token or query string in it.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { buildOverviewWarehouse } from "../helpers/overview-fixture";
import { buildApp, emailOf, freePort, type RunningServer, startServer } from "../helpers/server";

/** The samples of a metric whose labels include `labels` (Prometheus' text format, one sample a line). */
function samples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .map((line) => Number(line.slice(line.lastIndexOf(" ") + 1)));
}
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("metrics and logs an operator can read", () => {
  let root: string | undefined;
  let server: RunningServer | undefined;
  let metricsPort = 0;

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("operability");
    const dataDir = join(root, "data");
    buildOverviewWarehouse(join(root, "landing"), dataDir);
    metricsPort = await freePort();
    server = await startServer({ dataDir, env: { BACKLIGHT_METRICS_PORT: String(metricsPort) } });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(root);
  });

  const running = () => {
    if (!server) throw new Error("server not started");
    return server;
  };
  const scrape = async () => {
    const answer = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("text/plain");
    return answer.text();
  };

  it("counts requests by route and status, sign-in failures, downloads; names the snapshot and its age", async () => {
    const before = await scrape();
    const page = await running().fetch("/?from=2024-12-01&to=2024-12-31", {}, "finance");
    expect(page.status).toBe(200);
    expect((await running().fetch("/?from=nope", {}, "finance")).status).toBe(400);
    const file = await running().fetch(
      "/export/kpis?from=2024-12-01&to=2024-12-31&format=csv",
      {},
      "finance",
    );
    expect(file.status).toBe(200);
    await file.text();
    const wrong = await fetch(`${running().baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: running().baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: emailOf("executive"), password: "not the password at all" }),
    });
    expect([200, 400, 401]).toContain(wrong.status);
    const health = await running().fetch("/healthz");
    const snapshot = health.headers.get("x-backlight-snapshot");
    expect(snapshot).toBeTruthy();
    // The health check names the snapshot and its age too (replicas converging on a publish).
    const body = (await health.json()) as { snapshot: string; publishedAt: string; ageSeconds: number };
    expect(body.snapshot).toBe(snapshot);
    expect(body.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(body.publishedAt)).toBeLessThanOrEqual(Date.now());
    // And whether its warming is done: it ends (on this small snapshot, within seconds).
    const warm = async () => ((await (await running().fetch("/healthz")).json()) as { warm: boolean }).warm;
    await expect.poll(warm, { timeout: 60_000, interval: 250 }).toBe(true);

    const after = await scrape();
    const count = (text: string, labels: Record<string, string>) =>
      sum(samples(text, "backlight_http_request_duration_seconds_count", labels));
    expect(count(after, { route: "/", status: "200" }) - count(before, { route: "/", status: "200" })).toBe(
      1,
    );
    expect(count(after, { route: "/", status: "400" }) - count(before, { route: "/", status: "400" })).toBe(
      1,
    );
    expect(count(after, { route: "/export", status: "200" })).toBeGreaterThanOrEqual(1);
    const failures = (text: string) =>
      sum(samples(text, "backlight_audit_events_total", { event: "sign_in_failed" }));
    expect(failures(after) - failures(before)).toBe(1);
    expect(samples(after, "backlight_snapshot_info", { snapshot: snapshot as string })).toEqual([1]);
    const [age] = samples(after, "backlight_snapshot_age_seconds");
    expect(age).toBeGreaterThan(0);
    expect(samples(after, "backlight_downloads_in_flight")).toEqual([0]);
    expect(samples(after, "backlight_duckdb_queue_depth", { lane: "pages" })).toEqual([0]);
    expect(samples(after, "backlight_result_cache_misses_total")[0]).toBeGreaterThan(0);
    expect(samples(after, "backlight_cache_hit_ratio", { cache: "result" })).toHaveLength(1);
    expect(
      sum(samples(after, "backlight_duckdb_query_seconds_count", { route: "/" })),
    ).toBeGreaterThanOrEqual(1);
    // Process figures come along (CPU, memory, event loop lag).
    expect(samples(after, "backlight_process_resident_memory_bytes")[0]).toBeGreaterThan(0);
    // Nothing else on that port.
    expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
  });

  it("gives /metrics on the main port to an admin only", async () => {
    expect((await running().fetch("/metrics", {}, null)).status).toBe(401);
    expect((await running().fetch("/metrics", {}, "finance")).status).toBe(403);
    const admin = await running().fetch("/metrics", {}, "admin");
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain("backlight_http_request_duration_seconds_bucket");
  });

  it("logs one JSON line per request with its request id, never a cookie, a token or a query", async () => {
    const cookie = await running().cookie("finance");
    // A request id sent by a client is not trusted without BACKLIGHT_TRUST_PROXY: a new one is made.
    const answer = await running().fetch(
      "/regions?from=2024-12-01&to=2024-12-31",
      { headers: { "X-Request-Id": "forged-by-the-client" } },
      "finance",
    );
    expect(answer.status).toBe(200);
    await answer.text();
    const id = answer.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = running()
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const mine = lines.filter((l) => l.req_id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      msg: "request",
      method: "GET",
      path: "/regions",
      route: "/regions",
      status: 200,
      role: "finance",
    });
    expect(typeof mine[0]?.ms).toBe("number");
    const everything = running().output();
    expect(everything).not.toContain(cookie.split("=")[1] ?? "never");
    expect(everything).not.toContain("forged-by-the-client");
    expect(everything).not.toContain("from=2024-12-01");
  });
});

// The render threads' pool against stand-in builds (the real one is tested through the built server in
// tests/server/render-thread.test.ts): a page comes back from the thread; a thread that does not answer
// in time is stopped and replaced, its page rendered on the main thread (null here); one that stops is
// replaced; a build that cannot load leaves every page to the main thread; data that cannot be copied to
// a thread is rendered on the main thread too.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { type RenderJob, RenderThreads } from "./render-thread.server";

const dir = mkdtempSync(join(tmpdir(), "render-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in build whose entry answers a job by its URL: "hang" never, "die" by stopping its thread. */
function standIn(name: string, body: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, body);
  return pathToFileURL(file).href;
}

const ANSWERING = standIn(
  "answering",
  `export const entry = { module: { async serveRenders() {
  const { parentPort, threadId } = await import("node:worker_threads");
  parentPort.on("message", (job) => {
    if (job.url === "hang") return;
    if (job.url === "die") process.exit(3);
    const body = new TextEncoder().encode("page " + job.url + " from " + threadId);
    parentPort.postMessage({ id: job.id, status: 200, body }, [body.buffer]);
  });
  parentPort.postMessage({ ready: true });
} } };`,
);
const BROKEN = standIn("broken", `throw new Error("this build does not load");`);

const job = (url: string, extra: Partial<RenderJob> = {}): RenderJob => ({
  id: 0,
  url,
  status: 200,
  nonce: "n",
  handoff: [],
  serverHandoffString: undefined,
  criticalCss: undefined,
  context: {},
  ...extra,
});

/** The first page a thread renders, once it is ready (null until then). */
async function whenReady(threads: RenderThreads, url = "/"): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const out = await threads.render(job(url));
    if (out) return out.body.toString();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no render thread became ready");
}

describe("render threads", () => {
  it("renders on the thread, replaces one that hangs or stops, and leaves the rest to the main thread", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const threads = new RenderThreads(ANSWERING, 1, { timeoutMs: 300 });
    const first = await whenReady(threads, "/a");
    expect(first).toMatch(/^page \/a from \d+$/);

    // No answer in time: null (the caller renders it), and the thread is replaced.
    expect(await threads.render(job("hang"))).toBeNull();
    const second = await whenReady(threads, "/b");
    expect(second).toMatch(/^page \/b from \d+$/);
    expect(second.split(" from ")[1]).not.toBe(first.split(" from ")[1]);

    // A thread that stops mid-render: null, and a new thread.
    expect(await threads.render(job("die"))).toBeNull();
    const third = await whenReady(threads, "/c");
    expect(third.split(" from ")[1]).not.toBe(second.split(" from ")[1]);

    // Data that cannot go to another thread (a function): null, the main thread renders it.
    expect(await threads.render(job("/d", { context: { f: () => 1 } }))).toBeNull();
    expect((await threads.render(job("/e")))?.body.toString()).toMatch(/^page \/e/);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it("leaves every page to the main thread when the build cannot load in a thread", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const threads = new RenderThreads(BROKEN, 1);
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining("did not start")), {
      timeout: 10_000,
    });
    expect(await threads.render(job("/"))).toBeNull();
    warn.mockRestore();
  });
});

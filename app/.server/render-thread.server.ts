// React's render of a page on a thread of its own (issue 19, ADR 0041). A first visit spent about a third
// of the server's one JavaScript thread in React's render and the writing of its output, and under ten
// readers that thread was the bottleneck while the machine's other core was a quarter idle. So the main
// thread runs what needs the process's state (the gate, the loaders over the resident marts, the caches)
// and hands the render to a worker thread that loaded the same server build: the loaders' data (plain
// JSON: a page's is JSON text already, ADR 0039), the matched routes by id, the data stream's bytes. The
// worker renders the same component tree with the same function (entry.server's `renderDocument`) and
// sends the page's bytes back (moved, not copied).
//
// Anything unusual renders on the main thread as before: an error to show, data that cannot be copied to
// another thread, a worker that failed to start or to render (logged once). BACKLIGHT_RENDER_THREADS sets
// the number of render threads (default 1; 0: every page renders on the main thread).

import { Worker } from "node:worker_threads";
import type { EntryContext, ServerBuild } from "@remix-run/node";
import { deflatePartsHere, splitAt } from "./page-cache.server";
import { withInlinedText } from "./page-data.server";

/** What the main thread sends a render thread: everything the render reads, as plain data. */
export interface RenderJob {
  id: number;
  url: string;
  status: number;
  nonce: string;
  /** The data stream's chunks (turbo-stream's bytes), as the main thread read them. */
  handoff: Uint8Array[];
  serverHandoffString: string | undefined;
  criticalCss: string | undefined;
  context: Record<string, unknown>;
  /** Whether to compress the page too (cut at its nonce), for the rendered-page cache. */
  deflate?: boolean;
}

/** A render thread's answer. */
type RenderAnswer =
  | { id: number; status: number; body: Uint8Array; deflated?: Uint8Array[] }
  | { id: number; error: string }
  | { ready: true }
  | { failed: string };

/** The page as rendered: its status (500 when the render failed after its shell) and bytes. */
export interface Rendered {
  status: number;
  body: Buffer<ArrayBuffer>;
  /** The page cut at its nonce and each part compressed, when the job asked for it. */
  deflated?: Buffer[];
}

/** Renders a page's document: entry.server's function, the same on either thread. */
export type RenderDocument = (
  url: string,
  status: number,
  context: EntryContext,
  nonce: string,
) => Promise<Rendered>;

/** A stream of chunks already read. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/**
 * The job for a page, or null when it renders here (not a plain 200: an error or a status to show). Reads
 * the data stream: the caller gives its chunks back to the context when the page renders here after all
 * (no thread ready, data that cannot be copied to one, a thread that failed).
 */
export async function jobOf(
  url: string,
  status: number,
  context: EntryContext,
  nonce: string,
): Promise<{ job: RenderJob; handoff: Uint8Array[] } | null> {
  const handler = context.staticHandlerContext;
  if (status !== 200 || handler.errors || !context.serverHandoffStream) return null;
  const handoff: Uint8Array[] = [];
  const reader = context.serverHandoffStream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) handoff.push(r.value);
  return {
    handoff,
    job: {
      id: 0,
      url,
      status,
      nonce,
      handoff,
      serverHandoffString: context.serverHandoffString,
      criticalCss: context.criticalCss,
      context: {
        basename: handler.basename,
        location: handler.location,
        // A page load's inlined answer travels with its text (the symbol-keyed copy is not sent).
        loaderData: withInlinedText(handler.loaderData),
        actionData: handler.actionData,
        errors: null,
        statusCode: handler.statusCode,
        loaderHeaders: {},
        actionHeaders: {},
        activeDeferreds: null,
        _deepestRenderedBoundaryId: handler._deepestRenderedBoundaryId ?? null,
        // Routes by id: the render thread has the same routes (its own copy of the build).
        matches: handler.matches.map((m) => ({
          params: m.params,
          pathname: m.pathname,
          pathnameBase: m.pathnameBase,
          route: { id: m.route.id },
        })),
      },
    },
  };
}

/** Longer than any render may take (React's own limit is 5 s, entry.server's ABORT_DELAY). */
const RENDER_TIMEOUT_MS = 15_000;

/** The render threads of this process. */
export class RenderThreads {
  #workers: Worker[] = [];
  #ready: boolean[] = [];
  #load: number[] = [];
  #pending = new Map<number, { worker: number; done: (r: Rendered | null) => void }>();
  #next = 1;
  #warned = false;
  #restarts = 0;

  readonly #timeoutMs: number;

  constructor(buildUrl: string, count: number, options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? RENDER_TIMEOUT_MS;
    for (let i = 0; i < count; i++) this.#start(buildUrl, i);
  }

  #warn(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    console.warn(`backlight: a page rendered on the main thread (${message})`);
  }

  #start(buildUrl: string, i: number): void {
    // The same build, imported in the thread: its entry module's `serveRenders` answers jobs.
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
import(workerData.buildUrl).then(
  (build) => build.entry.module.serveRenders(build),
  (error) => parentPort.postMessage({ failed: String(error && error.stack || error) }),
);`,
      { eval: true, workerData: { buildUrl } },
    );
    worker.unref();
    this.#workers[i] = worker;
    this.#ready[i] = false;
    this.#load[i] = 0;
    worker.on("message", (answer: RenderAnswer) => {
      if ("ready" in answer) {
        this.#ready[i] = true;
        return;
      }
      if ("failed" in answer) {
        this.#warn(`a render thread did not start: ${answer.failed.split("\n")[0]}`);
        return;
      }
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      this.#load[i] = (this.#load[i] ?? 1) - 1;
      if ("error" in answer) {
        this.#warn(`the render thread failed: ${answer.error.split("\n")[0]}`);
        pending.done(null);
      } else {
        const { body, deflated } = answer;
        pending.done({
          status: answer.status,
          body: Buffer.from(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
          ...(deflated
            ? { deflated: deflated.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)) }
            : {}),
        });
      }
    });
    const fail = (error: Error) => {
      this.#ready[i] = false;
      this.#warn(`a render thread stopped: ${error.message}`);
      for (const [id, pending] of this.#pending)
        if (pending.worker === i) {
          this.#pending.delete(id);
          pending.done(null);
        }
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      const wasReady = this.#ready[i];
      fail(new Error(`exit code ${code}`));
      // A thread that served and stopped (out of memory, say) is replaced, a few times at most; one that
      // never started is not tried again (the same build would fail the same way).
      if (wasReady && this.#restarts++ < 3) this.#start(buildUrl, i);
    });
  }

  /** Whether a thread can take a page now (until then, or after all of them failed, pages render here). */
  ready(): boolean {
    return this.#ready.some(Boolean);
  }

  /** The page rendered on a thread, or null: render it here. */
  render(job: RenderJob): Promise<Rendered | null> {
    // The ready thread with the fewest renders under way.
    let best = -1;
    for (let i = 0; i < this.#workers.length; i++)
      if (this.#ready[i] && (best < 0 || (this.#load[i] ?? 0) < (this.#load[best] ?? 0))) best = i;
    if (best < 0) return Promise.resolve(null);
    const worker = this.#workers[best] as Worker;
    const id = this.#next++;
    return new Promise((done) => {
      // A thread that has not answered in time is stopped (and replaced): its renders, this one among
      // them, go to the main thread.
      const timer = setTimeout(() => {
        this.#warn(`a render thread took over ${this.#timeoutMs / 1000} s`);
        void worker.terminate();
      }, this.#timeoutMs);
      timer.unref();
      this.#pending.set(id, {
        worker: best,
        done: (rendered) => {
          clearTimeout(timer);
          done(rendered);
        },
      });
      this.#load[best] = (this.#load[best] ?? 0) + 1;
      try {
        worker.postMessage({ ...job, id });
      } catch (error) {
        // Data that cannot be copied to a thread (a function, a class instance): render here.
        clearTimeout(timer);
        this.#pending.delete(id);
        this.#load[best] = (this.#load[best] ?? 1) - 1;
        this.#warn(`its data cannot go to another thread: ${error instanceof Error ? error.message : error}`);
        done(null);
      }
    });
  }
}

let threads: RenderThreads | null = null;

/** Pages rendered so far, by thread (the metrics read them: backlight_page_renders_total). */
export const renderCounts = { render: 0, main: 0 };

/** server.js starts the render threads with the build's address (none in development or in tests' apps). */
export function startRenderThreads(buildUrl: string): void {
  const raw = process.env.BACKLIGHT_RENDER_THREADS;
  const n = raw === undefined || raw === "" ? 1 : Number(raw);
  if (threads || !Number.isInteger(n) || n <= 0) return;
  threads = new RenderThreads(buildUrl, n);
}

export function renderThreads(): RenderThreads | null {
  return threads;
}

/** Bytes whose memory is theirs alone, so it can be moved to another thread (not a slice of a pool). */
function movable(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : new Uint8Array(bytes);
}

/** In a render thread: answers the main thread's jobs with `render` (entry.server's renderDocument). */
export async function serveRenderJobs(build: ServerBuild, render: RenderDocument): Promise<void> {
  const { parentPort } = await import("node:worker_threads");
  if (!parentPort) throw new Error("serveRenders runs in a render thread");
  const port = parentPort;
  const routeModules = Object.fromEntries(Object.entries(build.routes).map(([id, r]) => [id, r.module]));
  port.on("message", (job: RenderJob) => {
    const context = {
      manifest: build.assets,
      routeModules,
      staticHandlerContext: job.context,
      criticalCss: job.criticalCss,
      serverHandoffString: job.serverHandoffString,
      serverHandoffStream: streamOf(job.handoff),
      renderMeta: {},
      future: build.future,
      isSpaMode: build.isSpaMode,
      serializeError: (error: Error) => ({ message: error.message, stack: undefined }),
    } as unknown as EntryContext;
    render(job.url, job.status, context, job.nonce).then(
      ({ status, body }) => {
        // Compressed here, on this thread, as the page cache's worker would (one hop less a first visit).
        const deflated = job.deflate
          ? deflatePartsHere(job.nonce ? splitAt(body, Buffer.from(job.nonce, "utf8")) : [body]).map(movable)
          : undefined;
        const out = movable(body);
        port.postMessage({ id: job.id, status, body: out, deflated }, [
          out.buffer as ArrayBuffer,
          ...(deflated ?? []).map((d) => d.buffer as ArrayBuffer),
        ]);
      },
      (error: unknown) => port.postMessage({ id: job.id, error: String((error as Error)?.stack ?? error) }),
    );
  });
  port.postMessage({ ready: true });
}

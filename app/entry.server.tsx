// The server entry: Remix's default for Node, plus the CSP nonce of each response (server.js makes it
// and sets the header; React and Remix put it on every inline script), and the server-side pieces that
// server.js needs from the build: the gate (sessions, tokens, security headers), the rendered-page cache
// and the scheduled reports' sender, the log and the metrics.

import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, ServerBuild } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { withoutNulBytes } from "~/.server/nul-bytes.server";
import { getPageCache, offerDeflated } from "~/.server/page-cache.server";
import { pageDataScript } from "~/.server/page-data.server";
import {
  jobOf,
  type Rendered,
  renderCounts,
  renderThreads,
  serveRenderJobs,
  streamOf,
} from "~/.server/render-thread.server";
import { NonceContext } from "~/lib/nonce";

export { ConfigError, openGate, securityHeaders } from "~/.server/auth/gate.server";
export { setPageRenderer } from "~/.server/ops/code-warming.server";
export { captureConsole, logger, requestIdFrom } from "~/.server/ops/log.server";
export { downloadStarted, observeRequest, routeOf, scrape } from "~/.server/ops/metrics.server";
export { DEFLATE_CHUNK, pageCacheMiddleware } from "~/.server/page-cache.server";
export { startRenderThreads } from "~/.server/render-thread.server";
export { startReportsFromEnv } from "~/.server/reports/sender.server";
export { currentTiming, serverTiming, withRequestTiming } from "~/.server/timing.server";
export { getWarehouse } from "~/.server/warehouse.server";

const ABORT_DELAY = 5_000;

/**
 * Remix's own logging, less the address nobody serves: a 404 for a mistyped URL logged "No route
 * matches URL" at error level with a stack, for a page the reader got as it should (404, in their
 * language). Every other error is logged as Remix does, unless its request was given up.
 */
export function handleError(error: unknown, { request }: { request: Request }): void {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) return;
    console.error((error as { error?: unknown }).error ?? error);
    return;
  }
  console.error(error);
}

/**
 * A page is answered whole, in one buffer, once React has written all of it: server.js sends a page in
 * one write at its end anyway (a replica that dies mid-answer must leave nothing half-sent, issue 20), so
 * streaming React's 2 KiB chunks through a Node stream, a web stream and Remix bought nothing and cost
 * each chunk its trips through both (3–5% of a first visit's JavaScript time in-process, issue 19). The
 * render runs on a render thread when the process has one (ADR 0041), else here.
 */
export default async function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
): Promise<Response> {
  const nonce = loadContext.backlight?.nonce ?? "";
  const threads = renderThreads();
  let rendered: Rendered | null = null;
  // Not while no thread is ready (the first second of a process): the data stream stays unread.
  if (threads?.ready()) {
    const sent = await jobOf(request.url, status, remixContext, nonce);
    if (sent) {
      rendered = await threads.render({ ...sent.job, deflate: getPageCache().enabled });
      // Rendered here after all: the data stream, read for the job, goes back to the context.
      if (!rendered) remixContext.serverHandoffStream = streamOf(sent.handoff);
    }
  }
  if (rendered) {
    renderCounts.render++;
    // Compressed on the thread: the page cache keeps these parts rather than compressing it again.
    if (rendered.deflated && loadContext.backlight)
      offerDeflated(loadContext.backlight, rendered.body, rendered.deflated);
  } else {
    renderCounts.main++;
    rendered = await renderDocument(request.url, status, remixContext, nonce);
  }
  headers.set("Content-Type", "text/html; charset=utf-8");
  // The page's bytes as a stream of one chunk: a Response made from the bytes themselves copies them
  // (undici's body extraction), and the page cache takes the chunk as it is (ADR 0043).
  return new Response(streamOf([rendered.body]), { headers, status: rendered.status });
}

/** A page's document, whole: React's render of Remix's tree, on whichever thread runs it. */
export function renderDocument(
  url: string,
  status: number,
  remixContext: EntryContext,
  nonce: string,
): Promise<Rendered> {
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      // An error after the shell is React's to recover in the browser: the page's status is the shell's.
      const shellStatus = status;
      const chunks: Buffer[] = [];
      let size = 0;
      pipe(
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            const clean = withoutNulBytes(chunk);
            chunks.push(clean);
            size += clean.length;
            callback();
          },
          final(callback) {
            clearTimeout(timer);
            const body = Buffer.concat(chunks, size);
            resolve({ status: shellStatus, body: withPageData(body, remixContext, nonce) });
            callback();
          },
        }),
      );
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        // Every reader, crawler or not, gets the whole document: it is sent in one buffer anyway, and no
        // page suspends. (Remix's default entry told crawlers from browsers with `isbot`; the package stays
        // in the dependencies, where Remix's build looks for it should this file ever go.)
        onAllReady: ready,
        onShellError: reject,
        onError(error: unknown) {
          status = 500;
          // Errors before the shell reject and are logged by Remix; later ones only here.
          if (shellRendered) console.error(error);
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

const HEAD_END = Buffer.from("</head>");

/**
 * The document with a page load's data at the end of its head (ADR 0045; ~/lib/page-data.ts): the
 * browser has read it before any script of the body asks for it, and React's hydration leaves a head's
 * extra last element alone.
 */
function withPageData(
  body: Buffer<ArrayBuffer>,
  remixContext: EntryContext,
  nonce: string,
): Buffer<ArrayBuffer> {
  const script = pageDataScript(remixContext.staticHandlerContext.loaderData, nonce);
  if (script === null) return body;
  const at = body.indexOf(HEAD_END);
  if (at < 0) throw new Error("a page with data to inline has no </head>");
  return Buffer.concat([body.subarray(0, at), Buffer.from(script), body.subarray(at)]);
}

/** In a render thread (app/.server/render-thread.server.ts): renders the pages the main thread sends. */
export function serveRenders(build: ServerBuild): Promise<void> {
  return serveRenderJobs(build, renderDocument);
}

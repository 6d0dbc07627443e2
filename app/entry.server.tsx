// The server entry: Remix's default for Node, plus the CSP nonce of each response (server.js makes it
// and sets the header; React and Remix put it on every inline script), and the server-side pieces that
// server.js needs from the build: the gate (sessions, tokens, security headers), the rendered-page cache
// and the scheduled reports' sender, the log and the metrics.

import { Transform } from "node:stream";
import { type AppLoadContext, createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/lib/nonce";

export { ConfigError, openGate, securityHeaders } from "~/.server/auth/gate.server";
export { setPageRenderer } from "~/.server/ops/code-warming.server";
export { captureConsole, logger, requestIdFrom } from "~/.server/ops/log.server";
export { downloadStarted, observeRequest, routeOf, scrape } from "~/.server/ops/metrics.server";
export { DEFLATE_CHUNK, pageCacheMiddleware } from "~/.server/page-cache.server";
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
 * React 18's streaming renderer can leave a zero byte where a multi-byte character (the "—" of an empty
 * cell, "€", "é") meets the end of its 2 KiB write buffer (facebook/react#24985, fixed only in React 19);
 * HTML never holds a NUL, so the chunks go out without them.
 */
function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
    },
  });
}

export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
): Promise<Response> {
  const nonce = loadContext.backlight?.nonce ?? "";
  // Crawlers get the whole document at once; browsers get the shell as soon as it is ready.
  const whole = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = withoutNulBytes();
      headers.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        ...(whole ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          status = 500;
          // Errors before the shell reject and are logged by Remix; later ones only here.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

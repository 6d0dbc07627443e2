// The production server behind `npm start` (and `npm run demo`): static assets, compression, the Remix
// handler, downloads streamed with backpressure (ADR 0009), and in front of all of it the gate
// (ADR 0010): security headers with a fresh CSP nonce on every response, the Origin check on every
// POST, who is asking (session cookie, or an API token for downloads), and errors without stack traces.
//
// `node server.js --dev` (npm run dev) serves the app through Vite instead (hot reload, no CSP: Vite's
// client injects inline scripts), with the same gate.
//
// Settings (environment): PORT, BACKLIGHT_METRICS_PORT, BACKLIGHT_METRICS_HOST, BACKLIGHT_LOG_LEVEL,
// BACKLIGHT_DATA_DIR, BACKLIGHT_STATE_DIR, BACKLIGHT_SESSION_SECRET
// (required when NODE_ENV=production), BACKLIGHT_SESSION_IDLE_MINUTES, BACKLIGHT_SESSION_HOURS,
// BACKLIGHT_TRUST_PROXY (express "trust proxy", to see TLS and client addresses behind a proxy),
// BACKLIGHT_PUBLIC_ORIGIN (the origin browsers use, when a proxy rewrites Host), BACKLIGHT_WARM_RENDERS (sample
// pages rendered at start before /healthz says warm, ADR 0037; default 320, 0 for none).
//
// UV_THREADPOOL_SIZE must be set by whoever starts this process (npm start, the demo and the tests set
// 16): DuckDB's queries, scrypt and file reads share libuv's thread pool, 4 threads by default, and a
// few long queries would hold all of it and stall sign-ins and the health check. Setting it here would
// be too late: loading this module already started the pool.

import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler, installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import onHeaders from "on-headers";

const dev = process.argv.includes("--dev");
process.env.NODE_ENV = process.env.NODE_ENV ?? (dev ? "development" : "production");

const buildPath = resolve(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "build/server/index.js");
const vite = dev
  ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined;
/** The server build: fixed in production; in development, Vite's current one (reloaded on change). */
const serverBuild = vite
  ? () => vite.ssrLoadModule("virtual:remix/server-build")
  : await import(pathToFileURL(buildPath).href).then((b) => () => Promise.resolve(b));
const build = await serverBuild();
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const {
  openGate,
  securityHeaders,
  withRequestTiming,
  currentTiming,
  serverTiming,
  pageCacheMiddleware,
  DEFLATE_CHUNK,
  startReportsFromEnv,
  getWarehouse,
  captureConsole,
  logger,
  requestIdFrom,
  observeRequest,
  routeOf,
  downloadStarted,
  scrape,
  setPageRenderer,
  startRenderThreads,
} = build.entry.module;
if (!build.routes["routes/export.$view"]?.module?.loader?.download || !openGate || !DEFLATE_CHUNK)
  throw new Error(`${buildPath} is not a Backlight build: run npm run build`);

let gate;
try {
  gate = await openGate();
} catch (error) {
  // Unusable settings, or an app state that cannot be opened (BACKLIGHT_STATE_URL's server down): one line.
  console.error(`backlight: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
// From here on everything the process writes is a JSON line (pino): requests, errors, the app's own.
captureConsole();

// DuckDB's temporary and export files live in <tmp>/backlight-server-<pid>/. Folders of processes that
// no longer run (killed, crashed) are swept at start; this process removes its own when it stops.
const TEMP_PREFIX = "backlight-server-";
const ownTemp = join(tmpdir(), `${TEMP_PREFIX}${process.pid}`);
function running(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return false;
  }
  // A zombie (killed, not yet reaped) is not running.
  try {
    return !/^\d+ \(.*\) [ZX] /s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}
function sweepTemp() {
  let names = [];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(TEMP_PREFIX.length));
    if (!name.startsWith(TEMP_PREFIX) || !Number.isInteger(pid) || pid <= 0) continue;
    if (pid === process.pid || running(pid)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}
sweepTemp();
process.on("exit", () => rmSync(ownTemp, { recursive: true, force: true }));
// On a signal: what must be handed back first (the report sender's lease, the app state's connections),
// for 2 s at most, then exit.
const beforeExit = [];
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"])
  process.on(signal, () => {
    const timeout = new Promise((done) => setTimeout(done, 2_000).unref());
    const inTurn = (async () => {
      for (const hook of beforeExit)
        await Promise.resolve()
          .then(hook)
          .catch(() => {});
    })();
    Promise.race([inTurn, timeout]).finally(() => process.exit(0));
  });

const app = express();
app.disable("x-powered-by");
if (process.env.BACKLIGHT_TRUST_PROXY) {
  const value = process.env.BACKLIGHT_TRUST_PROXY;
  app.set("trust proxy", /^\d+$/.test(value) ? Number(value) : value === "true" ? true : value);
}

const text = (res, status, message, headers = {}) =>
  res
    .status(status)
    .set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers })
    .end(`${message}\n`);

/**
 * The app state did not answer (PostgreSQL restarting, say): a 503 with one readable line, the cause in
 * the log, never a stack trace to the reader. The balancer retries an idempotent request elsewhere.
 */
const stateUnavailable = (res) => (error) => {
  console.error(`app state unavailable: ${error instanceof Error ? error.message : String(error)}`);
  if (!res.headersSent)
    text(res, 503, "Backlight cannot reach its app state just now. Try again in a moment.", {
      "Retry-After": "5",
    });
};

// Every request gets a timing record (queries, DuckDB time, slot waits), sent as Server-Timing with the
// headers: developer tools show it, the bench sums it. And a request id (X-Request-Id: a trusted proxy's,
// or a new one), carried in its log line; when it ends, its line and its metrics (route, status, time).
const trustedProxy = Boolean(process.env.BACKLIGHT_TRUST_PROXY);
app.use((req, res, next) =>
  withRequestTiming(() => {
    const timing = currentTiming();
    const started = performance.now();
    const id = requestIdFrom(req.get("x-request-id"), trustedProxy) ?? randomUUID();
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    // Which replica answered, behind a balancer (npm run cluster names them r1, r2…).
    if (process.env.BACKLIGHT_REPLICA) res.setHeader("X-Backlight-Replica", process.env.BACKLIGHT_REPLICA);
    onHeaders(res, () => res.setHeader("Server-Timing", serverTiming(timing)));
    res.on("close", () => {
      const seconds = (performance.now() - started) / 1000;
      const path = req.path;
      observeRequest({ path, method: req.method, status: res.statusCode, seconds, timing });
      const route = routeOf(path);
      const viewer = res.locals.backlight?.viewer;
      logger[route === "asset" || route === "/healthz" || route === "/metrics" ? "debug" : "info"](
        {
          req_id: id,
          method: req.method,
          path,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 10000) / 10,
          db_ms: Math.round(timing.dbMs * 10) / 10,
          wait_ms: Math.round(timing.waitMs * 10) / 10,
          cached: timing.cache === "page" || undefined,
          user: viewer?.id,
          role: viewer?.role,
          via: viewer?.via,
          // The client went away before the answer ended (a cut download, a closed tab).
          cut: !res.writableFinished || undefined,
        },
        "request",
      );
    });
    next();
  }),
);

// Every response: its own nonce and the security headers (pages, data requests, downloads, assets).
app.use((req, res, next) => {
  res.locals.nonce = randomBytes(16).toString("base64");
  const headers = securityHeaders(res.locals.nonce, req.secure);
  if (dev) delete headers["Content-Security-Policy"];
  res.set(headers);
  next();
});

// Before anything reads them: URLs of a sane size, and no NUL or control characters anywhere in them.
app.use((req, res, next) => {
  if (req.originalUrl.length > 8192) return text(res, 414, "This address is too long.");
  let decoded;
  try {
    decoded = decodeURIComponent(req.originalUrl.replaceAll("+", " "));
  } catch {
    return text(res, 400, "This address is not valid percent-encoding.");
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(decoded))
    return text(res, 400, "This address contains control characters.");
  next();
});

// Request bodies: only small forms are ever posted (sign-in, sign-out, the admin pages). The length is
// checked before a byte is read: above the limit 413, without a declared length 411.
const BODY_LIMIT = Number(process.env.BACKLIGHT_BODY_LIMIT) || 64 * 1024;
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const declared = req.get("content-length");
  const close = { Connection: "close" };
  if (declared === undefined) {
    if (!req.get("transfer-encoding")) return next();
    return text(res, 411, "Send the length of the request body (Content-Length).", close);
  }
  if (!/^\d+$/.test(declared)) return text(res, 400, "This request could not be read.", close);
  if (Number(declared) > BODY_LIMIT)
    return text(res, 413, `This request is too large: forms take at most ${BODY_LIMIT / 1024} KiB.`, close);
  next();
});

// ?_data= is the data protocol of Remix before single fetch; this app speaks single fetch (.data
// URLs). Refused here, before Remix would write a warning with a stack to the log for each one.
app.use((req, res, next) => {
  if (!new URL(req.originalUrl, "http://backlight.invalid").searchParams.has("_data")) return next();
  text(res, 400, "The _data parameter is not supported: ask for the page, or its .data address.");
});

// A page or data answer goes out in one write once it is whole (issue 20): a replica that dies mid-answer
// then leaves the balancer an empty answer, which it retries on another replica, never half a page it
// cannot retry. Downloads stream as before. Used twice: outside compression (the socket gets the gzip
// bytes in one write) and inside it, so that compression gets the page in one piece too: React writes a
// page in 2 KiB chunks, and each chunk was one zlib job on libuv's threads, 1.9 s of the JavaScript
// thread's time over the 320 random first visits of the pages bench (a fifth of it; issue 19).
function wholeAnswer(req, res, next) {
  if (req.method !== "GET" || req.path.startsWith("/export/") || req.path === "/healthz") return next();
  const chunks = [];
  const end = res.end.bind(res);
  const keep = (chunk, encoding) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    chunks.push(
      Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8"),
    );
  };
  res.write = (chunk, encoding, callback) => {
    keep(chunk, encoding);
    const done = typeof encoding === "function" ? encoding : callback;
    if (done) process.nextTick(done);
    return true;
  };
  res.end = (chunk, encoding, callback) => {
    keep(chunk, encoding);
    const done = [chunk, encoding, callback].find((a) => typeof a === "function");
    // One piece (a page the page cache held whole, or the compression's one output) goes as it is.
    if (chunks.length === 0) return end(done);
    return end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), done);
  };
  next();
}
app.use(wholeAnswer);

// gzip level 1: a 130 KiB page in 2.5 ms instead of 5.5 at the default level 6, for 30 KiB instead of 26.5
// (measured on /rollout): on 2 cores under 10 clients, the CPU is worth more than the 15% of bytes.
app.use(
  compression({
    level: 1,
    // A page's output in one piece rather than 16 KiB ones, each a trip back to the JavaScript thread
    // (the page cache deflates its copies in pieces of the same size).
    chunkSize: DEFLATE_CHUNK,
    filter: (req, res) => !req.path.startsWith("/export/") && compression.filter(req, res),
  }),
);
app.use(wholeAnswer);
// Fingerprinted assets are immutable; the rest of the client build may change with a deploy. Assets are
// code and styles only (no figures), so they are served without sign-in, the sign-in page needs them.
if (vite) app.use(vite.middlewares);
else {
  // Mounted on the assets' own folder: at the public path ("/") every page request was looked for on disk
  // first (a stat, then send's ENOENT Error with its stack: ~0.15 ms of the JavaScript thread a page).
  app.use(
    `${build.publicPath}assets`,
    express.static(`${build.assetsBuildDirectory}/assets`, { immutable: true, maxAge: "1y" }),
  );
  // The rest of the client build (a public/ folder's files, if one is added) are files with an extension:
  // a page's path is not looked for on disk. It was, for every page request: a stat, and for its ENOENT
  // an Error with its stack built by `send` (~2% of a first visit's JavaScript thread, profiled).
  const rootFiles = express.static("build/client", { maxAge: "1h", index: false });
  app.use((req, res, next) =>
    /\.[^/]+$/.test(req.path) && !req.path.endsWith(".data") ? rootFiles(req, res, next) : next(),
  );
}

// CSRF, first line: a state-changing request must come from a page of this site. Browsers send Origin
// on every POST; a request without one is refused too (actions also check the session's CSRF token).
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
app.use((req, res, next) => {
  if (SAFE.has(req.method)) return next();
  // A report's one-click unsubscribe (RFC 8058) is posted by the reader's mail service, from no page of
  // this site: its link's own secret authorises it (routes/unsubscribe.tsx), and it changes nothing else.
  if (req.path === "/unsubscribe") return next();
  const expected = process.env.BACKLIGHT_PUBLIC_ORIGIN || `${req.protocol}://${req.get("host")}`;
  if (req.get("origin") !== expected) return text(res, 403, "Cross-site request refused.");
  next();
});

// Who is asking. API tokens count for downloads only; pages and actions need a browser session.
app.use((req, res, next) => {
  gate
    .context({
      cookie: req.get("cookie"),
      authorization: req.get("authorization"),
      acceptToken: req.path.startsWith("/export/") || req.path === "/metrics",
      ip: req.ip ?? req.socket.remoteAddress ?? "",
      secure: req.secure,
      nonce: res.locals.nonce,
    })
    .then((context) => {
      res.locals.backlight = context;
      next();
    }, stateUnavailable(res));
});

// The newest snapshot this browser was shown (a cookie each answer naming a newer one updates): a replica
// still on an older one reads current.json again before answering, so after a publish nobody goes back
// to older figures when the balancer sends their next request to a replica that has not switched yet.
const SEEN_COOKIE = "backlight_seen";
const SNAPSHOT_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;
app.use((req, res, next) => {
  const seen = /(?:^|;\s*)backlight_seen=([^;]+)/.exec(req.get("cookie") ?? "")?.[1];
  onHeaders(res, () => {
    const shown = res.getHeader("X-Backlight-Snapshot");
    if (typeof shown === "string" && SNAPSHOT_ID.test(shown) && (!seen || shown > seen)) {
      const previous = res.getHeader("Set-Cookie");
      const cookies = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
      res.setHeader("Set-Cookie", [
        ...cookies,
        `${SEEN_COOKIE}=${shown}; Path=/; HttpOnly; SameSite=Lax${req.secure ? "; Secure" : ""}`,
      ]);
    }
  });
  if (!seen || !SNAPSHOT_ID.test(seen)) return next();
  getWarehouse()
    .atLeast(seen)
    .then(
      () => next(),
      () => next(),
    );
});

// A dashboard page asked again in the same session, on the same snapshot and day, comes from memory
// (ADR 0020): the lookup and the compression instead of the loaders and React's render.
app.use(pageCacheMiddleware());

// A sign-in that the throttle refuses anyway is answered here, before Remix renders the sign-in page:
// a burst of hundreds of refused attempts must cost next to nothing, or the real user's sign-in queues
// behind their rendering. The form (at most BODY_LIMIT bytes, checked above) is read, then handed back
// to the stream unread for Remix when the attempt goes ahead. Page posts only: /login.data (the
// signed-in page's script) is cheap already and keeps its own answer format.
const escapeHtml = (value) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
app.post("/login", (req, res, next) => {
  const length = Number(req.get("content-length") ?? 0);
  if (!length || !req.is("application/x-www-form-urlencoded")) return next();
  const chunks = [];
  let got = 0;
  const done = () => {
    req.off("readable", onReadable);
    req.off("end", onEnd);
  };
  const onEnd = () => {
    done();
    next();
  };
  const onReadable = () => {
    for (let chunk = req.read(); chunk !== null; chunk = got < length ? req.read() : null) {
      chunks.push(chunk);
      got += chunk.length;
    }
    if (got < length) return;
    done();
    const body = Buffer.concat(chunks);
    req.unshift(body);
    const email = new URLSearchParams(body.toString("utf8")).get("email");
    const ip = req.ip ?? req.socket.remoteAddress ?? "";
    (email ? gate.refuseIfThrottled(email, ip) : Promise.resolve(null)).then((refusal) => {
      if (!refusal) return next();
      res
        .status(429)
        .set({
          "Content-Type": "text/html; charset=utf-8",
          "Cache-Control": "no-store",
          "Retry-After": String(refusal.retryAfterSeconds ?? 60),
          Connection: "close",
        })
        .end(
          `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Backlight</title></head><body><main id="main"><h1>Sign in</h1><p id="sign-in-error" role="alert">${escapeHtml(refusal.message)}</p><p><a href="/login">Back to sign-in</a></p></main></body></html>\n`,
        );
    }, stateUnavailable(res));
  };
  req.on("readable", onReadable);
  req.on("end", onEnd);
});

// The metrics (Prometheus' text format): an admin's, by API token or session; otherwise on their own port
// (BACKLIGHT_METRICS_PORT, loopback unless BACKLIGHT_METRICS_HOST says otherwise), below.
app.get("/metrics", async (_req, res, next) => {
  const viewer = res.locals.backlight?.viewer;
  if (!viewer)
    return text(res, 401, "Metrics are for admins: send an admin's API token, or read the metrics port.", {
      "WWW-Authenticate": 'Bearer realm="backlight"',
    });
  if (viewer.role !== "admin") return text(res, 403, "Metrics are for admins.");
  try {
    const { contentType, body } = await scrape();
    res.status(200).set({ "Content-Type": contentType, "Cache-Control": "no-store" }).end(body);
  } catch (error) {
    next(error);
  }
});

app.get("/export/:view", async (req, res, next) => {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  try {
    const url = new URL(req.originalUrl, `http://${req.headers.host ?? "localhost"}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const request = new Request(url, { headers, signal: controller.signal });
    const { download } = (await serverBuild()).routes["routes/export.$view"].module.loader;
    const answer = await download(request, req.params.view, res.locals.backlight);
    res.status(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    if (typeof answer.body === "string") return res.end(answer.body);
    // pipeline pulls the next chunk only when the socket has room: backpressure end to end; a closed
    // socket ends the iterator, which stops the export.
    const streamed = downloadStarted();
    try {
      await pipeline(Readable.from(answer.body, { objectMode: false }), res);
    } finally {
      streamed();
    }
  } catch (error) {
    if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
    else next(error);
  }
});

// Pages render on a thread of their own (ADR 0041; BACKLIGHT_RENDER_THREADS), which loads this build.
if (!vite) startRenderThreads(pathToFileURL(buildPath).href);
// The same handler, without Express, renders sample pages when the process starts (ADR 0037).
if (!vite) setPageRenderer(createFetchHandler(build, process.env.NODE_ENV));

app.all(
  "*",
  createRequestHandler({
    build: vite ? serverBuild : build,
    mode: process.env.NODE_ENV,
    // A page load's data goes in the document's head, a `.data` request's in Remix's stream (ADR 0045).
    getLoadContext: (req, res) => ({
      backlight: res.locals.backlight,
      document: !req.path.endsWith(".data"),
    }),
  }),
);

// Anything that escaped: logged here (with the request's id), one sentence to the reader, never a stack or
// a path.
app.use((error, _req, res, _next) => {
  logger.error({ req_id: res.locals.requestId, err: error }, "backlight: request failed");
  if (res.headersSent) return res.destroy();
  const status = error?.type === "entity.too.large" ? 413 : error?.status === 400 ? 400 : 500;
  text(
    res,
    status,
    status === 500
      ? "Something went wrong on our side. Try again in a moment."
      : "This request could not be read.",
  );
});

// The metrics on a port of their own, for a scraper on the machine or the private network: no sign-in.
if (process.env.BACKLIGHT_METRICS_PORT) {
  const metricsHost = process.env.BACKLIGHT_METRICS_HOST || "127.0.0.1";
  createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Only /metrics here.\n");
      return;
    }
    scrape().then(
      ({ contentType, body }) => res.writeHead(200, { "Content-Type": contentType }).end(body),
      (error) => {
        logger.error({ err: error }, "backlight: metrics failed");
        res.writeHead(500).end();
      },
    );
  }).listen(Number(process.env.BACKLIGHT_METRICS_PORT), metricsHost, () =>
    console.log(`[backlight] metrics on http://${metricsHost}:${process.env.BACKLIGHT_METRICS_PORT}/metrics`),
  );
}

beforeExit.push(() => gate.state.close());

const port = Number(process.env.PORT) || 3000;
app.listen(port, () => {
  console.log(`[backlight] http://localhost:${port}`);
  // Scheduled reports by mail (issue 21), when an SMTP server is configured: one sender across
  // processes (a lease in the app state), each due report claimed once.
  const stopReports = startReportsFromEnv?.(gate, getWarehouse());
  if (stopReports) {
    console.log("[backlight] sending scheduled reports through BACKLIGHT_SMTP_URL");
    // A server stopping hands the sender's lease over at once (a killed one, after the lease runs out).
    beforeExit.unshift(stopReports);
  }
});

// The rendered pages of the current snapshot, kept per session (ADR 0020). A dashboard page is a pure
// function of the snapshot, the address, the reader's language, the session (its email, role and CSRF
// token are in the header) and the day (the header says how many days old the data is): a repeated
// request for the same page costs a lookup and the compression instead of the loaders' work, React's
// render and the serialisation of the loader data (20–75 ms of the one JavaScript thread per page).
//
// Only what a dashboard page answered from a snapshot is kept: GET, signed in with a browser session,
// status 200, the snapshot header set, no cookie set. An entry is served only while its snapshot is the
// current one; the response's CSP nonce is fresh each time (the stored one is replaced in the body).
// Bounded in entries and bytes (least recently used goes first); BACKLIGHT_PAGE_CACHE_MB=0 turns it
// off, and so does BACKLIGHT_CACHE_ENTRIES=0 (the uncached bench).

import type { IncomingMessage, ServerResponse } from "node:http";
import { Worker } from "node:worker_threads";
import { constants, crc32, createDeflateRaw, deflateRawSync } from "node:zlib";
import { currentGate } from "./auth/gate.server";
import { localeFromAcceptLanguage } from "./locale.server";
import { currentTiming } from "./timing.server";
import { getWarehouse, SNAPSHOT_HEADER } from "./warehouse.server";

interface Entry {
  snapshot: string;
  status: number;
  headers: Record<string, string>;
  /** The nonce the page was rendered with: each response puts its own between these parts. */
  nonce: string;
  /** The body cut at its nonces. */
  parts: Buffer[];
  /**
   * The parts compressed once, as soon as the page is kept, in a worker thread (raw deflate, flushed to a
   * byte boundary): neither the first visit nor a hit compresses the page on the JavaScript thread.
   */
  deflated: Promise<Buffer[]>;
  bytes: number;
}

/** zlib's output buffer for a page (see deflateParts). */
export const DEFLATE_CHUNK = 256 * 1024;

/** The headers a stored page keeps (the security headers and CSP are set afresh on every response). */
const KEPT = ["content-type", "cache-control", "vary", SNAPSHOT_HEADER.toLowerCase()];

/**
 * Each part raw-deflated with no reference to another (each ends with a full flush: the window starts
 * afresh, so a nonce of any length may go between them) and on a byte boundary, level 1 as the
 * compression of any answer. In a worker thread, one message each way a page: through a zlib stream on
 * libuv's threads, a write and a flush per part were ~16 trips back to the JavaScript thread a first
 * visit (~1 ms of it, ~8% of a visit's; issue 19). Falls back to the stream if the worker cannot run.
 */
export function deflateParts(
  parts: readonly Buffer[],
  inWorker: (parts: readonly Buffer[]) => Promise<Buffer[]> = (p) => deflater.run(p),
): Promise<Buffer[]> {
  return inWorker(parts).catch(() => deflatePartsOnStream(parts));
}

/** How every part is compressed, by the worker and on a render thread alike: the same bytes either way. */
const PART_DEFLATE = { level: 1, finishFlush: constants.Z_FULL_FLUSH } as const;

/** The same on the calling thread: a render thread compresses the page it rendered (ADR 0041). */
export function deflatePartsHere(parts: readonly Uint8Array[]): Buffer[] {
  return parts.map((part) => deflateRawSync(part, PART_DEFLATE));
}

/** Pages a render thread compressed, by the request's context (res.locals.backlight), until kept. */
const OFFERED = new WeakMap<object, { body: Buffer; deflated: Buffer[] }>();

/**
 * A page rendered and compressed on a render thread (cut at its nonce, as the cache cuts it): the cache
 * keeps these parts instead of compressing the page again in its worker, one hop less for a first visit.
 */
export function offerDeflated(request: object, body: Buffer, deflated: Buffer[]): void {
  OFFERED.set(request, { body, deflated });
}

/** The parts offered for this body (the same bytes, so the same cuts), once. */
function takeDeflated(request: object | undefined, body: Buffer): Buffer[] | null {
  if (!request) return null;
  const offered = OFFERED.get(request);
  OFFERED.delete(request);
  return offered && offered.body.length === body.length && offered.body.equals(body)
    ? offered.deflated
    : null;
}

/** The worker's code: CommonJS, evaluated as it is (no file to bundle). */
const DEFLATE_WORKER = `
const { parentPort } = require("node:worker_threads");
const { deflateRawSync } = require("node:zlib");
parentPort.on("message", ({ id, parts }) => {
  try {
    const out = parts.map((part) => deflateRawSync(part, ${JSON.stringify(PART_DEFLATE)}));
    parentPort.postMessage({ id, out });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

/** One worker thread, started on first use, that does not keep the process alive. */
class Deflater {
  #worker: Worker | null = null;
  #next = 0;
  readonly #pending = new Map<number, { resolve: (out: Buffer[]) => void; reject: (e: Error) => void }>();

  run(parts: readonly Buffer[]): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const worker = this.#start();
      const id = this.#next++;
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, parts });
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(DEFLATE_WORKER, { eval: true });
    worker.unref();
    worker.on("message", ({ id, out, error }: { id: number; out?: Uint8Array[]; error?: string }) => {
      const waiting = this.#pending.get(id);
      this.#pending.delete(id);
      if (!waiting) return;
      if (error || !out) waiting.reject(new Error(error ?? "no output"));
      else waiting.resolve(out.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)));
    });
    const fail = (error: unknown) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const waiting of this.#pending.values())
        waiting.reject(error instanceof Error ? error : new Error(String(error)));
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`deflate worker exited (${code})`)));
    this.#worker = worker;
    return worker;
  }
}

const deflater = new Deflater();

/** The same through one zlib stream on libuv's threads (output in DEFLATE_CHUNK pieces). */
export function deflatePartsOnStream(parts: readonly Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const stream = createDeflateRaw({ level: 1, chunkSize: DEFLATE_CHUNK });
    const out: Buffer[] = [];
    let current: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => current.push(chunk));
    stream.on("error", reject);
    let next = 0;
    const one = () => {
      if (next === parts.length) {
        stream.close();
        resolve(out);
        return;
      }
      stream.write(parts[next++] as Buffer);
      stream.flush(constants.Z_FULL_FLUSH, () => {
        out.push(Buffer.concat(current));
        current = [];
        one();
      });
    };
    one();
  });
}

/** A page larger than this is not kept (none is near it: the largest is ~300 KiB). */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

export class PageCache {
  readonly #maxBytes: number;
  #bytes = 0;
  #snapshot: string | undefined;
  readonly #entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get enabled(): boolean {
    return this.#maxBytes > 0;
  }

  /** The entry for `key` if it was rendered from `snapshot`; a new snapshot empties the cache. */
  get(key: string, snapshot: string): Entry | undefined {
    if (snapshot !== this.#snapshot) this.#reset(snapshot);
    const entry = this.#entries.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Entry): void {
    if (entry.snapshot !== this.#snapshot || entry.bytes > MAX_ENTRY_BYTES) return;
    const old = this.#entries.get(key);
    if (old) this.#bytes -= old.bytes;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    while (this.#bytes > this.#maxBytes) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry];
      this.#entries.delete(oldestKey);
      this.#bytes -= oldest.bytes;
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #reset(snapshot: string): void {
    this.#snapshot = snapshot;
    this.#entries.clear();
    this.#bytes = 0;
  }
}

function maxBytesFromEnv(): number {
  if (process.env.BACKLIGHT_CACHE_ENTRIES === "0") return 0;
  const mb = process.env.BACKLIGHT_PAGE_CACHE_MB;
  return (mb === undefined || mb === "" ? 128 : Math.max(0, Number(mb) || 0)) * 1024 * 1024;
}

let shared: PageCache | undefined;
export function getPageCache(): PageCache {
  shared ??= new PageCache(maxBytesFromEnv());
  return shared;
}

/** What server.js's gate put in res.locals: only what the cache needs of it. */
interface Locals {
  backlight?: {
    viewer: { id: number; role: string; via: string } | null;
    sessionId: string | null;
    nonce: string;
  };
}

type Res = ServerResponse & { locals: Locals };
type Next = (error?: unknown) => void;

/** The key of a request's page, or null when the request is not one to keep or serve from the cache. */
function keyOf(req: IncomingMessage, res: Res): string | null {
  const ctx = res.locals.backlight;
  if (req.method !== "GET" || !ctx?.viewer || ctx.viewer.via !== "session" || !ctx.sessionId) return null;
  const url = req.url ?? "";
  if (url.startsWith("/export/") || url.startsWith("/admin") || url.startsWith("/healthz")) return null;
  const day = new Date().toISOString().slice(0, 10);
  const locale = localeFromAcceptLanguage(req.headers["accept-language"] ?? null);
  return [day, ctx.viewer.id, ctx.viewer.role, ctx.sessionId, locale, url].join("\n");
}

/**
 * The Express middleware (after compression and the gate, before the Remix handler): answers a kept page
 * from memory, or lets the request through and keeps what it answered.
 */
export function pageCacheMiddleware(cache: PageCache = getPageCache()) {
  return (req: IncomingMessage, res: Res, next: Next): void => {
    const base = cache.enabled ? keyOf(req, res) : null;
    if (!base) {
      next();
      return;
    }
    // The business events drawn on the charts live in the app state: a page rendered before one was
    // added or removed is not served again (their version is part of the key).
    Promise.all([getWarehouse().status(), currentGate().state.eventsVersion()]).then(([status, events]) => {
      if (status.state !== "ready") return next();
      const key = `${base}\n${events}`;
      const snapshot = status.snapshot.id;
      const nonce = res.locals.backlight?.nonce ?? "";
      const entry = cache.get(key, snapshot);
      if (entry) return serve(req, res, entry, nonce).catch(next);
      hold(res, async (status, headers, body) => {
        if (status !== 200 || headers[SNAPSHOT_HEADER.toLowerCase()] !== snapshot) return null;
        const parts = nonce ? splitAt(body, Buffer.from(nonce, "utf8")) : [body];
        const offered = takeDeflated(res.locals.backlight, body);
        const deflated = offered ? Promise.resolve(offered) : deflateParts(parts);
        // A failed compression (none is expected) serves that page uncompressed.
        deflated.catch(() => undefined);
        cache.set(key, {
          snapshot,
          status,
          headers,
          nonce,
          parts,
          deflated,
          // With its compressed parts (a fifth to a third of the size).
          bytes: Math.ceil(body.length * 1.4),
        });
        // The first answer is the kept copy's compressed parts too: the page is compressed once.
        const compressed = acceptsGzip(req.headers["accept-encoding"])
          ? await deflated.catch(() => null)
          : null;
        return compressed ? gzipWithNonce(parts, compressed, nonce) : null;
      });
      next();
    }, next);
  };
}

async function serve(req: IncomingMessage, res: Res, entry: Entry, nonce: string): Promise<void> {
  const deflated = acceptsGzip(req.headers["accept-encoding"])
    ? await entry.deflated.catch(() => null)
    : null;
  const timing = currentTiming();
  if (timing) timing.cache = "page";
  res.statusCode = entry.status;
  for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
  if (deflated) {
    res.end(gzipped(res, gzipWithNonce(entry.parts, deflated, nonce || entry.nonce), entry.headers.vary));
    return;
  }
  res.end(Buffer.concat(entry.parts.flatMap((part, i) => (i ? [Buffer.from(nonce), part] : [part]))));
}

/** Marks a response as the gzip body it will send (the compression middleware leaves it as it is). */
function gzipped(res: Res, body: Buffer, vary: string | undefined): Buffer {
  res.setHeader("Content-Encoding", "gzip");
  res.setHeader("Vary", varyWith(vary, "Accept-Encoding"));
  res.setHeader("Content-Length", body.length);
  return body;
}

/** The pieces of `body` between the occurrences of `separator` (views of it, not copies). */
export function splitAt(body: Buffer, separator: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(separator); at !== -1; at = body.indexOf(separator, from)) {
    parts.push(body.subarray(from, at));
    from = at + separator.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value
    .split(",")
    .map((part) => part.trim().split(";"))
    .some(
      ([coding, ...params]) =>
        coding?.trim().toLowerCase() === "gzip" && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p)),
    );
}

function varyWith(vary: string | undefined, name: string): string {
  const names = (vary ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  return names.some((v) => v.toLowerCase() === name.toLowerCase())
    ? names.join(", ")
    : [...names, name].join(", ");
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/**
 * A few bytes as a stored (uncompressed) deflate block, not the last one, on a byte boundary (where every
 * deflated part ends: a full flush). A nonce is 24 random characters: compressing it gained nothing, and
 * a zlib stream set up and torn down for each answer cost ~1.4% of the main thread's time a first visit.
 */
function storedBlock(bytes: Buffer): Buffer {
  const n = bytes.length;
  if (n > 0xffff) throw new Error("a stored block holds at most 65,535 bytes");
  return Buffer.concat([Buffer.from([0x00, n & 0xff, n >>> 8, ~n & 0xff, (~n >>> 8) & 0xff]), bytes]);
}

/** A final, empty block with fixed codes: it ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * A gzip body (RFC 1952) made of pieces compressed apart: a deflate stream may be cut into independently
 * compressed pieces when each but the last ends flushed to a byte boundary (Z_SYNC_FLUSH, no final
 * block; RFC 1951 §3.2.3). So a hit compresses only its new nonce (24 bytes), not the whole page:
 * header, the parts with the nonce between them, a final empty block, CRC-32 and length.
 */
export function gzipWithNonce(parts: Buffer[], deflated: Buffer[], nonce: string): Buffer {
  const nonceBytes = Buffer.from(nonce, "utf8");
  const nonceDeflated = parts.length > 1 ? storedBlock(nonceBytes) : Buffer.alloc(0);
  const out: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  parts.forEach((part, i) => {
    if (i > 0) {
      out.push(nonceDeflated);
      crc = crc32(nonceBytes, crc);
      size += nonceBytes.length;
    }
    out.push(deflated[i] as Buffer);
    crc = crc32(part, crc);
    size += part.length;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  out.push(FINAL_BLOCK, trailer);
  return Buffer.concat(out);
}

/**
 * Holds what the response writes until its end (server.js sends a page in one write at its end anyway),
 * then asks `page` with the whole body: a page to keep, unless it set a cookie; `page` may return the
 * body to send in its place (the page compressed, its headers set), else the body goes as written.
 */
function hold(
  res: Res,
  page: (status: number, headers: Record<string, string>, body: Buffer) => Promise<Buffer | null>,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const add = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buffer =
      typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              (chunk as Uint8Array).buffer,
              (chunk as Uint8Array).byteOffset,
              (chunk as Uint8Array).byteLength,
            );
    size += buffer.length;
    chunks.push(buffer);
  };
  const end = res.end;
  res.write = function (this: Res, chunk: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    const done = rest.find((a) => typeof a === "function") as (() => void) | undefined;
    if (done) process.nextTick(done);
    return true;
  } as typeof res.write;
  res.end = function (this: Res, chunk?: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    const done = rest.find((a) => typeof a === "function") as (() => void) | undefined;
    // A page written in one chunk (entry.server's) is kept as it is: no copy of the whole page.
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    const send = (out: Buffer) => (end as (chunk: Buffer, done?: () => void) => Res).call(this, out, done);
    // A page that sets a cookie (a session's) is not kept; the newest-snapshot marker server.js adds to
    // every page (backlight_seen) does not count: it is set again on the copy's every answer.
    const cookies = res.getHeader("set-cookie");
    const setsCookie = (
      Array.isArray(cookies) ? cookies : cookies === undefined ? [] : [String(cookies)]
    ).some((c) => !c.startsWith("backlight_seen="));
    if (setsCookie || size > MAX_ENTRY_BYTES) return send(body);
    const headers: Record<string, string> = {};
    for (const name of KEPT) {
      const value = res.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    page(res.statusCode, headers, body).then(
      (compressed) => send(compressed ? gzipped(res, compressed, headers.vary) : body),
      () => send(body),
    );
    return this;
  } as typeof res.end;
}

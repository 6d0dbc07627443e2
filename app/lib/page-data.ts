// A dashboard page's loader data travels as one JSON string (ADR 0039). Remix sends loader data with
// turbo-stream, which walks every value in JavaScript (a table's rows, a chart's points) and then turns
// its output into bytes and back into text to put it in the page: 1.1–1.9 ms of the server's one
// JavaScript thread a first visit, for 15–45 KiB of data, where `JSON.stringify` (native) takes a tenth of
// that. So a page's loader returns `pageData(value)`: the value as JSON text, which turbo-stream sends as
// one string, and the value itself under a symbol key, which turbo-stream does not see (it reads an
// object's own string keys) and the server's render reads without parsing anything. The browser parses
// the text once per loader answer. Page data is plain JSON (objects, arrays, strings, finite numbers,
// booleans, null): the test servers check every value they pack (`BACKLIGHT_CHECK_PAGE_DATA`). The
// server's half is `pageData` (app/.server/page-data.server.ts); this is the part both sides share.

import { useLoaderData } from "@remix-run/react";

/** Where a packed answer keeps its value on the server (turbo-stream skips symbol keys). */
export const RAW: unique symbol = Symbol.for("backlight.page-data") as never;

/** A page's loader data as it travels: JSON text (and, on the server, the value itself). */
export interface Packed<T> {
  readonly json: string;
  readonly [RAW]?: T;
}

/** What a loader returning `pageData(…)` gives its page (a union when it returns several shapes). */
export type PageData<L extends (...args: never[]) => unknown> = Unpack<Awaited<ReturnType<L>>>;
type Unpack<R> = R extends { data: Packed<infer T> } ? T : R extends Packed<infer T> ? T : never;

/** Why a value is not plain JSON, or null. */
export function notPlainJson(value: unknown, path = "data"): string | null {
  if (value === null || typeof value === "string" || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : `${path} is ${value}`;
  if (value === undefined) return null;
  if (typeof value !== "object") return `${path} is a ${typeof value}`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const why =
        value[i] === undefined ? `${path}[${i}] is undefined` : notPlainJson(value[i], `${path}[${i}]`);
      if (why) return why;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    return `${path} is a ${value.constructor?.name ?? "class instance"}`;
  for (const [key, item] of Object.entries(value)) {
    const why = notPlainJson(item, `${path}.${key}`);
    if (why) return why;
  }
  return null;
}

const PARSED = new WeakMap<object, unknown>();

/** The value a `Packed` carries: itself on the server, its text parsed once in the browser. */
export function unpack<T>(packed: Packed<T>): T {
  const raw = packed[RAW];
  if (raw !== undefined) return raw;
  let parsed = PARSED.get(packed) as T | undefined;
  if (parsed === undefined) {
    parsed = JSON.parse(packed.json) as T;
    PARSED.set(packed, parsed);
  }
  return parsed;
}

/** `useLoaderData` for a page whose loader answers `pageData(…)`. */
export function usePageData<L extends (...args: never[]) => unknown>(): PageData<L> {
  return unpack(useLoaderData() as unknown as Packed<PageData<L>>);
}

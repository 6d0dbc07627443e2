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
//
// A page load (not a client-side navigation's `.data`) carries the text once more cheaply (ADR 0045):
// inside turbo-stream it was escaped twice (a string in turbo-stream's JSON, then that JSON as a string
// in a script), each quote written as four characters, and walked on its way by turbo-stream, a text
// encoder and decoder, and the script's own escaping. So a page load's packed answer is `inline` and
// empty, and the server writes the text as it is in a `<script type="application/json">` at the end of
// the document's head (PAGE_DATA_ID), where the browser reads it when the page first asks. React leaves a
// head's extra last element alone when it hydrates.

import { useLoaderData } from "@remix-run/react";

/** Where a packed answer keeps its value on the server (turbo-stream skips symbol keys). */
export const RAW: unique symbol = Symbol.for("backlight.page-data") as never;

/** Where a packed answer keeps its JSON text on the server when the text is inlined (not sent in `json`). */
export const TEXT: unique symbol = Symbol.for("backlight.page-data-text") as never;

/** The id of the script that holds a page load's data (`inline` answers). */
export const PAGE_DATA_ID = "backlight-page-data";

/** A page's loader data as it travels: JSON text (and, on the server, the value itself). */
export interface Packed<T> {
  /** The value as JSON; empty when `inline` (the text is in the document's PAGE_DATA_ID script). */
  readonly json: string;
  /** A page load's answer, whose text the document carries in its head. */
  readonly inline?: true;
  readonly [RAW]?: T;
  readonly [TEXT]?: string;
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

/**
 * The value a `Packed` carries: itself on the server, its text parsed once in the browser (from the
 * document's script for a page load's answer).
 */
export function unpack<T>(packed: Packed<T>): T {
  const raw = packed[RAW];
  if (raw !== undefined) return raw;
  let parsed = PARSED.get(packed) as T | undefined;
  if (parsed === undefined) {
    parsed = JSON.parse(packed.inline && !packed.json ? inlinedText() : packed.json) as T;
    PARSED.set(packed, parsed);
  }
  return parsed;
}

/** The text of the document's page-data script (in the browser; a server's render has `json` or RAW). */
function inlinedText(): string {
  const text = typeof document === "undefined" ? null : document.getElementById(PAGE_DATA_ID)?.textContent;
  if (!text) throw new Error("the page's data is missing from the document");
  return text;
}

/** `useLoaderData` for a page whose loader answers `pageData(…)`. */
export function usePageData<L extends (...args: never[]) => unknown>(): PageData<L> {
  return unpack(useLoaderData() as unknown as Packed<PageData<L>>);
}

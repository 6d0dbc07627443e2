// The server's half of a page's packed loader data (ADR 0039, ADR 0045; app/lib/page-data.ts says why).

import { data } from "@remix-run/node";
import { notPlainJson, PAGE_DATA_ID, type Packed, RAW, TEXT } from "~/lib/page-data";

/**
 * A page loader's answer: `data(value, init)` with the value as JSON text, the value itself kept. `inline`
 * (a page load, not a `.data` request): the text is kept aside for the document's head, not in `json`.
 */
export function pageData<T extends object>(value: T, init?: number | ResponseInit, inline = false) {
  if (process.env.BACKLIGHT_CHECK_PAGE_DATA === "1") {
    const why = notPlainJson(value);
    if (why) throw new Error(`page data is not plain JSON: ${why}`);
  }
  const json = JSON.stringify(value);
  const packed: Packed<T> = inline
    ? { json: "", inline: true, [RAW]: value, [TEXT]: json }
    : { json, [RAW]: value };
  return data(packed, init);
}

/** A loader's data as it is in a Remix context (a packed answer or anything else a route returned). */
type LoaderData = Record<string, unknown>;

const isInline = (value: unknown): value is Packed<unknown> =>
  typeof value === "object" && value !== null && (value as Packed<unknown>).inline === true;

/**
 * The loaders' data with each inlined answer's text in its `json` again, for a render thread (which gets a
 * copy of the data, without the symbol-keyed text and value).
 */
export function withInlinedText(loaderData: LoaderData): LoaderData {
  let out: LoaderData | null = null;
  for (const [id, value] of Object.entries(loaderData))
    if (isInline(value) && value[TEXT] !== undefined) {
      out ??= { ...loaderData };
      out[id] = { json: value[TEXT], inline: true };
    }
  return out ?? loaderData;
}

/**
 * The document's page-data script for the inlined answer among the loaders' data, or null when there is
 * none. A `<` is written `\u003c` (the same JSON), so the text can never end the script or open a comment.
 * It carries the response's nonce like every other script of the page (a data block runs nothing, but
 * the page's rule stays simple: no script without it).
 */
export function pageDataScript(loaderData: LoaderData, nonce = ""): string | null {
  let text: string | null = null;
  for (const value of Object.values(loaderData)) {
    if (!isInline(value)) continue;
    if (text !== null) throw new Error("two routes answered page data to inline: only a page's route may");
    text = value[TEXT] ?? value.json;
  }
  if (text === null) return null;
  const attrs = nonce ? ` nonce="${nonce.replace(/[^A-Za-z0-9+/=_-]/g, "")}"` : "";
  return `<script type="application/json" id="${PAGE_DATA_ID}"${attrs}>${text.replaceAll("<", "\\u003c")}</script>`;
}

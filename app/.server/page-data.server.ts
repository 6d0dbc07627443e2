// The server's half of a page's packed loader data (ADR 0039; app/lib/page-data.ts says why).

import { data } from "@remix-run/node";
import { notPlainJson, type Packed, RAW } from "~/lib/page-data";

/** A page loader's answer: `data(value, init)` with the value as JSON text, the value itself kept. */
export function pageData<T extends object>(value: T, init?: number | ResponseInit) {
  if (process.env.BACKLIGHT_CHECK_PAGE_DATA === "1") {
    const why = notPlainJson(value);
    if (why) throw new Error(`page data is not plain JSON: ${why}`);
  }
  const packed: Packed<T> = { json: JSON.stringify(value), [RAW]: value };
  return data(packed, init);
}

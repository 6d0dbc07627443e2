// A page's loader data travels as JSON text (ADR 0039): what would read differently once parsed in the
// browser (the server renders the value itself) is refused with where it is.

import { describe, expect, it } from "vitest";
import { notPlainJson, type Packed, RAW, unpack } from "./page-data";

describe("page data as JSON text", () => {
  it("accepts what JSON carries, undefined fields included (a missing key reads the same)", () => {
    expect(notPlainJson({ state: "ready", n: -0.5, list: [1, "a", null, true], lang: undefined })).toBeNull();
  });

  it("names the first value JSON would change, with its path", () => {
    expect(notPlainJson({ view: { months: [{ share: Number.NaN }] } })).toBe(
      "data.view.months[0].share is NaN",
    );
    expect(notPlainJson({ total: Number.POSITIVE_INFINITY })).toBe("data.total is Infinity");
    expect(notPlainJson({ at: new Date(0) })).toBe("data.at is a Date");
    expect(notPlainJson({ byCountry: new Map() })).toBe("data.byCountry is a Map");
    expect(notPlainJson({ rows: [1, undefined] })).toBe("data.rows[1] is undefined");
    expect(notPlainJson({ sold: 3n })).toBe("data.sold is a bigint");
  });

  it("gives the server's value as it is and the browser's parsed once", () => {
    const value = { state: "ready", rows: [{ text: ["1 234,50 €"] }] };
    const onServer: Packed<typeof value> = { json: JSON.stringify(value), [RAW]: value };
    expect(unpack(onServer)).toBe(value);
    const inBrowser: Packed<typeof value> = { json: JSON.stringify(value) };
    const parsed = unpack(inBrowser);
    expect(parsed).toEqual(value);
    expect(unpack(inBrowser)).toBe(parsed);
  });
});

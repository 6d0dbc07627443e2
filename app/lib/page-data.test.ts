// A page's loader data travels as JSON text (ADR 0039): what would read differently once parsed in the
// browser (the server renders the value itself) is refused with where it is.

import { describe, expect, it } from "vitest";
import { pageDataScript, withInlinedText } from "~/.server/page-data.server";
import { notPlainJson, PAGE_DATA_ID, type Packed, RAW, TEXT, unpack } from "./page-data";

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

  it("writes a page load's text in a script that nothing in it can end, the same JSON once read", () => {
    // ADR 0045: `<` is the only character that could end the script (`</script>`) or open a comment.
    const value = { state: "ready", names: ["</script><script>alert(1)</script>", "<!-- x -->", "a < b"] };
    const text = JSON.stringify(value);
    const inline: Packed<typeof value> = { json: "", inline: true, [RAW]: value, [TEXT]: text };
    const script = pageDataScript({ root: { locale: "fr-FR" }, "routes/quality": inline }) as string;
    const body = /^<script type="application\/json" id="([^"]+)">(.*)<\/script>$/s.exec(script);
    expect(body?.[1]).toBe(PAGE_DATA_ID);
    expect(body?.[2]).not.toContain("<");
    expect(JSON.parse(body?.[2] ?? "")).toEqual(value);
    // No inlined answer (a `.data` request's, an error page's): no script.
    expect(pageDataScript({ "routes/quality": { json: text } })).toBeNull();
    // A render thread gets the text in `json` (its copy has no symbol keys), and writes the same script.
    const copied = withInlinedText({ "routes/quality": inline, root: { locale: "fr-FR" } });
    expect(copied["routes/quality"]).toEqual({ json: text, inline: true });
    expect(pageDataScript(structuredClone(copied))).toBe(script);
    // With the response's nonce, like every script of the page.
    expect(pageDataScript(copied, "abc+/=")).toMatch(
      /^<script type="application\/json" id="[^"]+" nonce="abc\+\/=">/,
    );
    expect(() => pageDataScript({ a: inline, b: inline })).toThrow(/two routes/);
  });
});

import { describe, expect, it } from "vitest";
import { chooseLocale, localeFromAcceptLanguage } from "./locale.server";

const request = (query: string, acceptLanguage?: string) =>
  new Request(`http://localhost/${query}`, {
    headers: acceptLanguage === undefined ? {} : { "Accept-Language": acceptLanguage },
  });

describe("localeFromAcceptLanguage", () => {
  it.each([
    [null, "en-GB"],
    ["", "en-GB"],
    ["fr-FR", "fr-FR"],
    ["fr-CA,fr;q=0.9", "fr-FR"],
    ["en-US,en;q=0.9", "en-GB"],
    ["de-DE,fr;q=0.5,en;q=0.3", "fr-FR"],
    ["en;q=0.4, fr;q=0.8", "fr-FR"],
    ["fr;q=0, en", "en-GB"],
    ["de-DE, es", "en-GB"],
    ["*", "en-GB"],
  ])("%j gives %s", (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});

describe("chooseLocale", () => {
  it("prefers ?lang= over Accept-Language", () => {
    expect(chooseLocale(request("?lang=fr", "en-GB"))).toEqual({ ok: true, locale: "fr-FR" });
    expect(chooseLocale(request("?lang=en", "fr-FR"))).toEqual({ ok: true, locale: "en-GB" });
  });

  it("falls back to Accept-Language without ?lang=", () => {
    expect(chooseLocale(request("", "fr-FR"))).toEqual({ ok: true, locale: "fr-FR" });
  });

  it("refuses an unsupported value, saying which and what to use, in the reader's language", () => {
    expect(chooseLocale(request("?lang=xx"))).toEqual({
      ok: false,
      locale: "en-GB",
      message: 'Unsupported language "xx" in the lang parameter: use lang=en or lang=fr.',
    });
    const french = chooseLocale(request("?lang=de", "fr"));
    expect(french).toMatchObject({ ok: false, locale: "fr-FR" });
    expect(french.ok ? "" : french.message).toContain("« de »");
  });

  it("refuses an empty or repeated lang", () => {
    expect(chooseLocale(request("?lang="))).toMatchObject({ ok: false });
    expect(chooseLocale(request("?lang=en&lang=fr"))).toMatchObject({
      ok: false,
      message: "The lang parameter was given more than once: give it once, as lang=en or lang=fr.",
    });
  });

  it("echoes at most a short excerpt of what was sent", () => {
    const choice = chooseLocale(request(`?lang=${"x".repeat(500)}`));
    expect(choice.ok ? "" : choice.message).toContain(`"${"x".repeat(24)}"`);
    expect(choice.ok ? "" : choice.message).not.toContain("x".repeat(25));
  });
});

// Which locale a request asks for: `?lang=en|fr` first, then Accept-Language, then en-GB.

import { z } from "zod";
import { DEFAULT_LOCALE, LANG_PARAMS, type Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";

export type LocaleChoice = { ok: true; locale: Locale } | { ok: false; locale: Locale; message: string };

const MAX_ECHOED_CHARS = 24;

const LANG_SCHEMAS = new Map<Locale, ReturnType<typeof makeLangSchema>>();

/** The `lang` query parameter: absent, or exactly one of the supported values (made once per locale). */
function langSchema(locale: Locale) {
  let schema = LANG_SCHEMAS.get(locale);
  if (!schema) {
    // Made per request, zod's schema cost 0.1–0.2 ms of every page's request (two calls each).
    schema = makeLangSchema(locale);
    LANG_SCHEMAS.set(locale, schema);
  }
  return schema;
}

function makeLangSchema(locale: Locale) {
  const messages = MESSAGES[locale];
  return z
    .array(
      z.enum(Object.keys(LANG_PARAMS) as [keyof typeof LANG_PARAMS], {
        error: (issue) => messages.unsupportedLang(String(issue.input).slice(0, MAX_ECHOED_CHARS)),
      }),
    )
    .max(1, { error: messages.repeatedLang });
}

/**
 * The request's locale. When `?lang=` is invalid the choice is not ok: `locale` is then the
 * Accept-Language fallback, and `message` (in that locale) says what was wrong.
 */
export function chooseLocale(request: Request): LocaleChoice {
  const fallback = localeFromAcceptLanguage(request.headers.get("Accept-Language"));
  const values = new URL(request.url).searchParams.getAll("lang");
  const parsed = langSchema(fallback).safeParse(values);
  if (!parsed.success) return { ok: false, locale: fallback, message: parsed.error.issues[0]?.message ?? "" };
  const lang = parsed.data[0];
  return { ok: true, locale: lang ? LANG_PARAMS[lang] : fallback };
}

/** The first supported language in Accept-Language order of preference (q-values), else en-GB. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.split(";").map((piece) => piece.trim());
      const qParam = params.find((param) => /^q\s*=/i.test(param));
      const q = qParam === undefined ? 1 : Number(qParam.replace(/^q\s*=\s*/i, ""));
      return { primary: tag.toLowerCase().split("-")[0] ?? "", q, index };
    })
    .filter((range) => range.primary !== "" && Number.isFinite(range.q) && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { primary } of ranges) {
    if (primary === "fr") return "fr-FR";
    if (primary === "en" || primary === "*") return "en-GB";
  }
  return DEFAULT_LOCALE;
}

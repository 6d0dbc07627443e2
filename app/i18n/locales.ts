// The locales the dashboard speaks. Browser-safe: no server imports here.

export const LOCALES = ["en-GB", "fr-FR"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "en-GB";

/** Values of the `?lang=` query parameter and the locale each one selects. */
export const LANG_PARAMS = { en: "en-GB", fr: "fr-FR" } as const satisfies Record<string, Locale>;
export type LangParam = keyof typeof LANG_PARAMS;

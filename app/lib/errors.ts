// What a reader did wrong, as an error the loaders, the download route and the command line all turn
// into the same answer: a 400 (or exit code 2) with one sentence, in the reader's language when known.
// Browser-safe.

import type { Locale } from "~/i18n/locales";

export class BadRequest extends Error {
  override name = "BadRequest";
  /** The sentence in the reader's language (English when no translation was given). */
  in(_locale: Locale): string {
    return this.message;
  }
}

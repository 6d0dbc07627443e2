import type { Locale } from "~/i18n/locales";
import { type HeadlineText, PROFITABILITY_MESSAGES } from "~/i18n/profitability";

/**
 * The executive headline: one sentence that answers "are we profitable, since when, and how is this
 * month against the same month last year", from the profitability page's own figures.
 */
export function Headline({
  headline,
  locale,
  href,
}: {
  headline: HeadlineText;
  locale: Locale;
  href?: string;
}) {
  const messages = PROFITABILITY_MESSAGES[locale];
  return (
    <section className="headline" aria-label={messages.headlineLabel} data-headline>
      <p>
        {messages.headline(headline)}
        {href ? (
          <>
            {" "}
            <a href={href}>{messages.headlineMore}</a>
          </>
        ) : null}
      </p>
    </section>
  );
}

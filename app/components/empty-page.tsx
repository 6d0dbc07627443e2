import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { SiteHeader } from "./site-header";

/** Any page before a warehouse is published: why it is empty, and how to fill it. */
export function EmptyPage({ locale }: { locale: Locale }) {
  const messages = MESSAGES[locale];
  return (
    <>
      <SiteHeader locale={locale} />
      <main id="main" className="page" tabIndex={-1}>
        <section className="notice" aria-labelledby="empty-title">
          <h2 id="empty-title">{messages.emptyTitle}</h2>
          <p>{messages.emptyMessage}</p>
        </section>
      </main>
    </>
  );
}

import type { ReactNode } from "react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { Account } from "./account";
import { LanguageSwitcher } from "./language-switcher";
import { PageNav } from "./page-nav";

/** The page banner: skip link, title, language choice, and whatever status badges the page passes. */
export function SiteHeader({ locale, children }: { locale: Locale; children?: ReactNode }) {
  const messages = MESSAGES[locale];
  return (
    <>
      <a className="skip-link" href="#main">
        {messages.skipToContent}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <div className="site-header__title">
            <h1>Backlight</h1>
            <p className="tagline">{messages.tagline}</p>
          </div>
          <PageNav locale={locale} />
          <Account locale={locale} />
          <LanguageSwitcher locale={locale} />
        </div>
        {children ? <div className="site-header__status">{children}</div> : null}
      </header>
    </>
  );
}

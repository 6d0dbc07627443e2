import { useLocation } from "@remix-run/react";
import { LANG_PARAMS, type LangParam, type Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";

export function LanguageSwitcher({ locale }: { locale: Locale }) {
  const messages = MESSAGES[locale];
  const params = Object.entries(LANG_PARAMS) as [LangParam, Locale][];
  // Switching language keeps the filters: the rest of the query string stays as it is.
  const { search } = useLocation();
  const hrefFor = (param: LangParam) => {
    const query = new URLSearchParams(search);
    query.set("lang", param);
    return `?${query.toString()}`;
  };
  return (
    <nav className="language-switcher" aria-label={messages.languageNav}>
      <ul>
        {params.map(([param, target]) => (
          <li key={param}>
            <a
              href={hrefFor(param)}
              hrefLang={target}
              lang={target}
              aria-current={target === locale ? "true" : undefined}
            >
              {messages.languageNames[target]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

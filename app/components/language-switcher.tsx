import { LANG_PARAMS, type LangParam, type Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";

export function LanguageSwitcher({ locale }: { locale: Locale }) {
  const messages = MESSAGES[locale];
  const params = Object.entries(LANG_PARAMS) as [LangParam, Locale][];
  return (
    <nav className="language-switcher" aria-label={messages.languageNav}>
      <ul>
        {params.map(([param, target]) => (
          <li key={param}>
            <a
              href={`?lang=${param}`}
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

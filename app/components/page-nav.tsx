import { NavLink, useLocation } from "@remix-run/react";
import type { Locale } from "~/i18n/locales";
import { PROFITABILITY_MESSAGES } from "~/i18n/profitability";

/** The dashboard's pages; the language choice travels with the link. */
export function PageNav({ locale }: { locale: Locale }) {
  const { nav } = PROFITABILITY_MESSAGES[locale];
  const lang = new URLSearchParams(useLocation().search).get("lang");
  const suffix = lang ? `?lang=${encodeURIComponent(lang)}` : "";
  return (
    <nav className="page-nav" aria-label={nav.label}>
      <ul>
        <li>
          <NavLink to={`/${suffix}`} end>
            {nav.overview}
          </NavLink>
        </li>
        <li>
          <NavLink to={`/profitability${suffix}`}>{nav.profitability}</NavLink>
        </li>
        <li>
          <NavLink to={`/regions${suffix}`}>{nav.regions}</NavLink>
        </li>
      </ul>
    </nav>
  );
}

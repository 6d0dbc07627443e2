import { NavLink, useLocation } from "@remix-run/react";
import { canOpen, type PageId } from "~/auth/policy";
import type { Locale } from "~/i18n/locales";
import { PROFITABILITY_MESSAGES } from "~/i18n/profitability";
import { useViewer } from "./account";
import { useFold } from "./use-fold";

/**
 * The pages the signed-in role may open (the server refuses the others); the language travels along.
 * On a phone, once the page is hydrated, the list folds behind a "Pages" button so that the first
 * screen shows figures, not links (without JavaScript the list stays open).
 */
export function PageNav({ locale }: { locale: Locale }) {
  const { nav } = PROFITABILITY_MESSAGES[locale];
  const { viewer } = useViewer();
  const may = (page: PageId) => viewer !== null && canOpen(viewer.role, page);
  const location = useLocation();
  const lang = new URLSearchParams(location.search).get("lang");
  const suffix = lang ? `?lang=${encodeURIComponent(lang)}` : "";
  // A page chosen from the menu closes it.
  const [open, toggle] = useFold(location.pathname);
  return (
    <nav className="page-nav" aria-label={nav.label}>
      <button
        type="button"
        className="page-nav__toggle"
        aria-expanded={open}
        aria-controls="page-nav-list"
        onClick={toggle}
      >
        <span aria-hidden="true">☰</span> {nav.menu}
      </button>
      <ul id="page-nav-list" data-open={open ? "" : undefined}>
        {may("overview") ? (
          <li>
            <NavLink to={`/${suffix}`} end>
              {nav.overview}
            </NavLink>
          </li>
        ) : null}
        {may("profitability") ? (
          <li>
            <NavLink to={`/profitability${suffix}`}>{nav.profitability}</NavLink>
          </li>
        ) : null}
        {may("regions") ? (
          <li>
            <NavLink to={`/regions${suffix}`}>{nav.regions}</NavLink>
          </li>
        ) : null}
        {may("rollout") ? (
          <li>
            <NavLink to={`/rollout${suffix}`}>{nav.rollout}</NavLink>
          </li>
        ) : null}
        {may("quality") ? (
          <li>
            <NavLink to={`/quality${suffix}`}>{nav.quality}</NavLink>
          </li>
        ) : null}
        {may("pricing") ? (
          <li>
            <NavLink to={`/pricing${suffix}`}>{nav.pricing}</NavLink>
          </li>
        ) : null}
        {may("channels") ? (
          <li>
            <NavLink to={`/channels${suffix}`}>{nav.channels}</NavLink>
          </li>
        ) : null}
        {may("market") ? (
          <li>
            <NavLink to={`/market${suffix}`}>{nav.market}</NavLink>
          </li>
        ) : null}
        {may("changes") ? (
          <li>
            <NavLink to={`/changes${suffix}`}>{nav.changes}</NavLink>
          </li>
        ) : null}
        {may("admin") ? (
          <li>
            <NavLink to={`/admin${suffix}`}>{nav.admin}</NavLink>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

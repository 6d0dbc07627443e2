import { useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { useFold } from "./use-fold";

/**
 * A page's filter form, folded behind a "Filters" button on a phone once the page is hydrated, so that
 * the first screen shows figures (issue 18: the overview's filters took the whole first screen). The
 * period stays in the page's heading; a change of view folds it again. Without JavaScript, and on
 * wider screens, the form is always open.
 */
export function FilterFold({ locale, children }: { locale: Locale; children: ReactNode }) {
  const m = MESSAGES[locale].filters;
  const { search, pathname } = useLocation();
  const [open, toggle] = useFold(`${pathname}${search}`);
  return (
    <div className="filter-fold" data-open={open ? "" : undefined}>
      <button
        type="button"
        className="filter-fold__toggle"
        aria-expanded={open}
        aria-controls="filter-fold-body"
        onClick={toggle}
      >
        <span aria-hidden="true">⚙</span> {open ? m.hide : m.show}
      </button>
      <div id="filter-fold-body" className="filter-fold__body">
        {children}
      </div>
    </div>
  );
}

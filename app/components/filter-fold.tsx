import { useLocation } from "@remix-run/react";
import { type ReactNode, useEffect, useState } from "react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";

/**
 * A page's filter form, folded behind a "Filters" button on a phone once the page is hydrated, so that
 * the first screen shows figures (issue 18: the overview's filters took the whole first screen). The
 * period stays in the page's heading; a change of view folds it again. Without JavaScript, and on
 * wider screens, the form is always open.
 */
export function FilterFold({ locale, children }: { locale: Locale; children: ReactNode }) {
  const m = MESSAGES[locale].filters;
  const [open, setOpen] = useState(false);
  const { search, pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: folds again on every new view
  useEffect(() => setOpen(false), [search, pathname]);
  return (
    <div className="filter-fold" data-open={open ? "" : undefined}>
      <button
        type="button"
        className="filter-fold__toggle"
        aria-expanded={open}
        aria-controls="filter-fold-body"
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">⚙</span> {open ? m.hide : m.show}
      </button>
      <div id="filter-fold-body" className="filter-fold__body">
        {children}
      </div>
    </div>
  );
}

// What every dashboard page wraps its figures in: the site header with the data's badges (synthetic
// data, as of when), the loading bar that announces a navigation to screen readers, the main landmark
// (busy while loading, the skip link's target) and the footer naming the snapshot the figures came from.

import type { ReactNode } from "react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { SaveView } from "./save-view";
import { SiteHeader } from "./site-header";
import { StatusBadges } from "./status-badges";

export function PageFrame({
  locale,
  synthetic,
  createdAt,
  createdAtDisplay,
  snapshotId,
  loading,
  loadingText,
  children,
}: {
  locale: Locale;
  synthetic: boolean;
  /** The snapshot's creation instant (ISO) and how the reader's locale writes it. */
  createdAt: string;
  createdAtDisplay: string;
  snapshotId: string;
  /** Whether a navigation to this page is loading (its figures are dimmed meanwhile). */
  loading: boolean;
  loadingText: string;
  children: ReactNode;
}) {
  return (
    <>
      <SiteHeader locale={locale}>
        <div className="status-row">
          <StatusBadges
            locale={locale}
            synthetic={synthetic}
            createdAt={createdAt}
            createdAtDisplay={createdAtDisplay}
          />
          <SaveView locale={locale} />
        </div>
      </SiteHeader>
      <div className={`progress${loading ? " progress--active" : ""}`} role="status" aria-live="polite">
        {loading ? <span className="visually-hidden">{loadingText}</span> : null}
      </div>
      <main id="main" className="page" tabIndex={-1} aria-busy={loading}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          {MESSAGES[locale].snapshot} <code>{snapshotId}</code>
        </p>
      </footer>
    </>
  );
}

import { Form, useLocation } from "@remix-run/react";
import { AUTH_MESSAGES } from "~/i18n/auth";
import type { Locale } from "~/i18n/locales";
import { SHARE_ROLES, VIEWS_MESSAGES } from "~/i18n/views";
import { useViewer } from "./account";

/**
 * "Save this view": the page's address with its filters, under a name, for oneself or shared with a role
 * (a POST to /views with the session's CSRF token; the list is on /views). A disclosure like the
 * download menus: no JavaScript needed, keyboard reachable, labelled fields.
 */
export function SaveView({ locale }: { locale: Locale }) {
  const { viewer, csrf } = useViewer();
  const location = useLocation();
  if (!viewer) return null;
  const t = VIEWS_MESSAGES[locale];
  const roles = AUTH_MESSAGES[locale].roles;
  const path = `${location.pathname}${location.search}`;
  return (
    <details className="save-view" data-save-view="">
      <summary aria-label={t.save}>{t.saveSummary}</summary>
      <div className="download-menu__panel">
        {/* Keyed by the address: the hidden path follows a client-side navigation. */}
        <Form method="post" action={locale === "fr-FR" ? "/views?lang=fr" : "/views"} key={path}>
          <input type="hidden" name="csrf" value={csrf ?? ""} />
          <input type="hidden" name="path" value={path} />
          <div className="field">
            <label htmlFor="save-view-name">{t.name}</label>
            <input id="save-view-name" name="name" required maxLength={80} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="save-view-share">{t.share}</label>
            <select id="save-view-share" name="share" defaultValue="">
              <option value="">{t.onlyMe}</option>
              {SHARE_ROLES.map((role) => (
                <option key={role} value={role}>
                  {t.sharedWith(roles[role])}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t.submit}</button>
        </Form>
        <p className="download-menu__note">
          <a href={locale === "fr-FR" ? "/views?lang=fr" : "/views"}>{t.link}</a>
        </p>
      </div>
    </details>
  );
}

import { Form, Link, useRouteLoaderData } from "@remix-run/react";
import type { Role } from "~/auth/policy";
import { AUTH_MESSAGES } from "~/i18n/auth";
import type { Locale } from "~/i18n/locales";
import { VIEWS_MESSAGES } from "~/i18n/views";

export interface ViewerInfo {
  email: string;
  role: Role;
}

/** A business event as the charts draw it, in the reader's language. */
export interface ChartEvent {
  day: string;
  label: string;
  country: string | null;
}

interface RootData {
  viewer: ViewerInfo | null;
  csrf: string | null;
  events?: ChartEvent[];
}

/** The business events (admin-entered, app state), from the root loader. */
export function useEvents(): ChartEvent[] {
  const root = useRouteLoaderData("root") as RootData | undefined;
  return root?.events ?? [];
}

/** The signed-in person and the session's CSRF token, from the root loader. */
export function useViewer(): RootData {
  const root = useRouteLoaderData("root") as RootData | undefined;
  return { viewer: root?.viewer ?? null, csrf: root?.csrf ?? null };
}

/** Who is signed in, in which role, and the sign-out button (a POST with the CSRF token). */
export function Account({ locale }: { locale: Locale }) {
  const { viewer, csrf } = useViewer();
  if (!viewer) return null;
  const t = AUTH_MESSAGES[locale];
  return (
    <section className="account" aria-label={t.accountMenu}>
      <p className="account__who">
        <span className="account__email">{t.signedInAs(viewer.email)}</span>{" "}
        <span className="account__role">{t.roles[viewer.role]}</span>
      </p>
      <Link className="account__views" to={locale === "fr-FR" ? "/views?lang=fr" : "/views"}>
        {VIEWS_MESSAGES[locale].link}
      </Link>
      <Form method="post" action="/logout" reloadDocument>
        <input type="hidden" name="csrf" value={csrf ?? ""} />
        <button type="submit" className="button--quiet">
          {t.signOut}
        </button>
      </Form>
    </section>
  );
}

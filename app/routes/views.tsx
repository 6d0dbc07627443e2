// /views: saved views (issue 21). A dashboard page with its filters, kept under a name in the app state:
// its owner's alone, or shared with everyone of a role; an admin sees them all. "Save this view" on every
// dashboard page posts here (with the session's CSRF token); saving and deleting land in the audit log.
// The list lives on this page, not in every page's header: a page's HTML stays the same whatever views
// exist, so the rendered-page cache (ADR 0020) never shows a stale list.

import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireSession } from "~/.server/auth/access.server";
import { currentGate } from "~/.server/auth/gate.server";
import type { SavedView } from "~/.server/auth/state.server";
import { chooseLocale } from "~/.server/locale.server";
import { canOpen, PAGE_PATHS, type PageId, type Role } from "~/auth/policy";
import { useViewer } from "~/components/account";
import { SiteHeader } from "~/components/site-header";
import { AUTH_MESSAGES } from "~/i18n/auth";
import type { Locale } from "~/i18n/locales";
import { PROFITABILITY_MESSAGES } from "~/i18n/profitability";
import { SHARE_ROLES, VIEWS_MESSAGES } from "~/i18n/views";
import { formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";

export const headers = forwardHeaders;

export const meta: MetaFunction = () => [{ title: "Saved views · Backlight" }];

const NO_STORE = { "Cache-Control": "no-store" };
export const VIEW_NAME_MAX = 80;
const PATH_MAX = 2000;

/** The dashboard page an address opens, or null (admin pages, other sites, anything else). */
export function pageOfPath(path: string): PageId | null {
  if (!path.startsWith("/") || path.startsWith("//") || path.length > PATH_MAX) return null;
  let url: URL;
  try {
    url = new URL(path, "http://backlight.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://backlight.invalid") return null;
  const found = (Object.entries(PAGE_PATHS) as [PageId, string][]).find(([, p]) => p === url.pathname);
  return found && found[0] !== "admin" ? found[0] : null;
}

/** The views a viewer sees, each with its page, leaving out those whose page their role cannot open. */
function visibleViews(viewer: { id: number; role: Role }, locale: Locale) {
  return currentGate()
    .state.savedViewsFor(viewer)
    .flatMap((view: SavedView) => {
      const page = pageOfPath(view.path);
      // An admin sees every view (they open no dashboard page themselves); others, those they can open.
      if (!page || (viewer.role !== "admin" && !canOpen(viewer.role, page))) return [];
      return [
        {
          ...view,
          page,
          mine: view.ownerId === viewer.id,
          createdDisplay: formatTimestamp(new Date(view.createdAt).toISOString(), locale),
        },
      ];
    });
}

export function loader(args: LoaderFunctionArgs) {
  const { viewer } = requireSession(args);
  const { locale } = chooseLocale(args.request);
  const url = new URL(args.request.url);
  const views = visibleViews(viewer, locale);
  const notice = (() => {
    const saved = Number(url.searchParams.get("saved"));
    const deleted = url.searchParams.get("deleted");
    const t = VIEWS_MESSAGES[locale];
    if (saved) {
      const view = views.find((v) => v.id === saved);
      return view ? t.saved(view.name) : null;
    }
    return deleted ? t.deleted(deleted.slice(0, VIEW_NAME_MAX)) : null;
  })();
  return data({ locale, views, notice }, { headers: NO_STORE });
}

export async function action(args: ActionFunctionArgs) {
  const { ctx, viewer } = requireSession(args);
  const { locale } = chooseLocale(args.request);
  const t = VIEWS_MESSAGES[locale];
  const form = await args.request.formData();
  const gate = currentGate();
  if (!gate.checkCsrf(ctx, form.get("csrf")))
    throw data({ message: "This form has expired. Reload the page and try again." }, { status: 403 });
  const refuse = (message: string, status = 400) => data({ message }, { status, headers: NO_STORE });
  const lang = locale === "fr-FR" ? "&lang=fr" : "";
  const audit = { actor: viewer.email, role: viewer.role, ip: ctx.ip };
  if (form.get("intent") === "delete") {
    const view = gate.state.savedView(Number(form.get("id")));
    if (!view) throw refuse(t.errors.notFound, 404);
    if (view.ownerId !== viewer.id && viewer.role !== "admin") throw refuse(t.errors.notYours, 403);
    gate.state.deleteView(view.id);
    gate.state.audit({ ...audit, event: "view_deleted", target: view.path, detail: { name: view.name } });
    return redirect(`/views?deleted=${encodeURIComponent(view.name)}${lang}`, { headers: NO_STORE });
  }
  const name = String(form.get("name") ?? "").trim();
  if (name.length === 0 || name.length > VIEW_NAME_MAX) throw refuse(t.errors.name);
  const path = String(form.get("path") ?? "");
  const page = pageOfPath(path);
  if (!page || !canOpen(viewer.role, page)) throw refuse(t.errors.path);
  const share = String(form.get("share") ?? "");
  if (share !== "" && !(SHARE_ROLES as readonly string[]).includes(share)) throw refuse(t.errors.share);
  const view = gate.state.saveView(viewer.id, name, path, share === "" ? null : (share as Role));
  gate.state.audit({
    ...audit,
    event: "view_saved",
    target: path,
    detail: { name, shared_with: share || null },
  });
  return redirect(`/views?saved=${view.id}${lang}`, { headers: NO_STORE });
}

export default function Views() {
  const { locale, views, notice } = useLoaderData<typeof loader>();
  const { csrf, viewer } = useViewer();
  const busy = useNavigation().state !== "idle";
  const t = VIEWS_MESSAGES[locale];
  const roles = AUTH_MESSAGES[locale].roles;
  const pages = PROFITABILITY_MESSAGES[locale].nav;
  return (
    <>
      <SiteHeader locale={locale} />
      <main id="main" className="page" tabIndex={-1} aria-busy={busy}>
        <div className="page__heading">
          <h2>{t.title}</h2>
          <p className="period">{t.intro}</p>
        </div>
        {notice ? (
          <section className="notice notice--ok" role="status" aria-live="polite">
            <p>{notice}</p>
          </section>
        ) : null}
        <section className="panel" aria-labelledby="views-title">
          <div className="panel__head">
            <h3 id="views-title">{t.title}</h3>
          </div>
          {views.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table views-table">
                <caption className="visually-hidden">{t.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.colName}</th>
                    <th scope="col">{t.colPage}</th>
                    <th scope="col">{t.colShared}</th>
                    <th scope="col">{t.colOwner}</th>
                    <th scope="col">{t.colCreated}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t.removeButton}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {views.map((view) => (
                    <tr key={view.id} data-view={view.id}>
                      <th scope="row">
                        <Link to={view.path}>{view.name}</Link>
                      </th>
                      <td>{pages[view.page]}</td>
                      <td>{view.sharedWith ? roles[view.sharedWith] : t.onlyMe}</td>
                      <td>{view.mine ? t.mine : view.ownerEmail}</td>
                      <td>{view.createdDisplay}</td>
                      <td>
                        {view.mine || viewer?.role === "admin" ? (
                          <Form method="post" reloadDocument>
                            <input type="hidden" name="csrf" value={csrf ?? ""} />
                            <input type="hidden" name="intent" value="delete" />
                            <input type="hidden" name="id" value={view.id} />
                            <button type="submit" className="button--quiet" aria-label={t.remove(view.name)}>
                              {t.removeButton}
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </main>
    </>
  );
}

// /admin/audit: the audit log, newest first, 100 entries a page, filtered by event and by person. The
// URL is checked strictly (known parameters once each, an event from the list, bounded lengths): a bad
// one answers 400 with a sentence.

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePage } from "~/.server/auth/access.server";
import { currentGate } from "~/.server/auth/gate.server";
import { chooseLocale } from "~/.server/locale.server";
import { AUDIT_EVENTS, type AuditEvent, EMAIL_MAX } from "~/auth/policy";
import { SiteHeader } from "~/components/site-header";
import { AUTH_MESSAGES } from "~/i18n/auth";
import { forwardHeaders } from "~/lib/headers";

export const headers = forwardHeaders;

export const meta: MetaFunction = () => [{ title: "Audit log · Backlight" }];

const PAGE_SIZE = 100;
const PARAMS = ["event", "actor", "before", "lang"];

function bad(message: string): never {
  throw data({ message }, { status: 400 });
}

export async function loader(args: LoaderFunctionArgs) {
  requirePage(args, "admin");
  const { locale } = chooseLocale(args.request);
  const params = new URL(args.request.url).searchParams;
  for (const name of new Set(params.keys())) {
    if (!PARAMS.includes(name)) bad(`unknown parameter "${name.slice(0, 40)}"`);
    if (params.getAll(name).length > 1) bad(`the ${name} parameter was given more than once`);
  }
  const event = params.get("event") || undefined;
  if (event && !(AUDIT_EVENTS as readonly string[]).includes(event))
    bad(`event must be one of ${AUDIT_EVENTS.join(", ")}`);
  const actor = params.get("actor")?.trim() || undefined;
  if (actor && actor.length > EMAIL_MAX) bad("actor is too long");
  const beforeText = params.get("before");
  const before = beforeText ? Number(beforeText) : undefined;
  if (before !== undefined && !(Number.isSafeInteger(before) && before > 0))
    bad("before must be a positive whole number");
  const entries = await currentGate().state.readAudit({
    limit: PAGE_SIZE + 1,
    before,
    event: event as AuditEvent | undefined,
    actor,
  });
  const more = entries.length > PAGE_SIZE;
  return data(
    {
      locale,
      entries: entries.slice(0, PAGE_SIZE),
      more,
      event: event ?? "",
      actor: actor ?? "",
      paged: before !== undefined,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function AuditLog() {
  const page = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const t = AUTH_MESSAGES[page.locale].admin;
  const last = page.entries[page.entries.length - 1];
  const olderHref = () => {
    const q = new URLSearchParams();
    if (page.event) q.set("event", page.event);
    if (page.actor) q.set("actor", page.actor);
    if (last) q.set("before", String(last.id));
    return `?${q.toString()}`;
  };
  return (
    <>
      <SiteHeader locale={page.locale} />
      <main id="main" className="page admin" tabIndex={-1} aria-busy={busy}>
        <div className="page__heading">
          <h2>{t.auditTitle}</h2>
          <p className="period">{t.auditIntro}</p>
        </div>
        <p>
          <Link to="/admin">{t.usersLink}</Link>
        </p>
        <Form method="get" className="inline-form">
          <div className="field">
            <label htmlFor="audit-event">{t.event}</label>
            <select id="audit-event" name="event" defaultValue={page.event}>
              <option value="">{t.allEvents}</option>
              {AUDIT_EVENTS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-actor">{t.who}</label>
            <input id="audit-actor" name="actor" defaultValue={page.actor} maxLength={EMAIL_MAX} />
          </div>
          <button type="submit">{t.filter}</button>
        </Form>
        <section className="panel" aria-labelledby="audit-title">
          <h3 id="audit-title" className="visually-hidden">
            {t.auditTitle}
          </h3>
          {page.entries.length === 0 ? (
            <p>{t.noEntries}</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table admin-table">
                <thead>
                  <tr>
                    <th scope="col">{t.at}</th>
                    <th scope="col">{t.event}</th>
                    <th scope="col">{t.who}</th>
                    <th scope="col">{t.role}</th>
                    <th scope="col">{t.address}</th>
                    <th scope="col">{t.target}</th>
                    <th scope="col">{t.detail}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.entries.map((e) => (
                    <tr key={e.id} data-event={e.event}>
                      <td>
                        <time dateTime={new Date(e.at).toISOString()}>
                          {new Date(e.at).toISOString().slice(0, 19).replace("T", " ")}
                        </time>
                      </td>
                      <td>{e.event}</td>
                      <td>{e.actor}</td>
                      <td>{e.role}</td>
                      <td>{e.ip}</td>
                      <td>{e.target}</td>
                      <td className="audit-detail">
                        {Object.entries(e.detail)
                          .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
                          .join(" · ")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page.paged || page.more ? (
            <p className="inline-form">
              {page.paged ? (
                <Link
                  to={
                    page.event || page.actor
                      ? `?event=${encodeURIComponent(page.event)}&actor=${encodeURIComponent(page.actor)}`
                      : "?"
                  }
                >
                  {t.newest}
                </Link>
              ) : null}
              {page.more ? <Link to={olderHref()}>{t.older}</Link> : null}
            </p>
          ) : null}
        </section>
      </main>
    </>
  );
}

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
import { useEffect, useState } from "react";
import { requireSession } from "~/.server/auth/access.server";
import { currentGate } from "~/.server/auth/gate.server";
import {
  ALERT_OPS,
  type AlertOp,
  CADENCES,
  type Cadence,
  type SavedView,
  type Subscription,
} from "~/.server/auth/state.server";
import { chooseLocale } from "~/.server/locale.server";
import { describeRule } from "~/.server/reports/alerts.server";
import { DEFAULT_TIME_ZONE, isTimeZone, nextDue } from "~/.server/reports/schedule.server";
import { ALERT_PAGES, canWatch, WATCHABLE } from "~/.server/reports/watch.server";
import { getWarehouse } from "~/.server/warehouse.server";
import { canOpen, canSeeMetric, type PageId, pageOfPath, type Role } from "~/auth/policy";
import { useViewer } from "~/components/account";
import { Csrf, PostButton } from "~/components/post-button";
import { SiteHeader } from "~/components/site-header";
import { AUTH_MESSAGES } from "~/i18n/auth";
import type { Locale } from "~/i18n/locales";
import { PROFITABILITY_MESSAGES } from "~/i18n/profitability";
import { REPORT_MESSAGES } from "~/i18n/reports";
import { SHARE_ROLES, VIEWS_MESSAGES } from "~/i18n/views";
import { formatExact, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { CATALOGUE, type CatalogueId, isCatalogueId, isMetricId } from "~/metrics/catalogue";

export const headers = forwardHeaders;

export const meta: MetaFunction = () => [{ title: "Saved views · Backlight" }];

const NO_STORE = { "Cache-Control": "no-store" };
export const VIEW_NAME_MAX = 80;

/** The views a viewer sees, each with its page, leaving out those whose page their role cannot open. */
async function visibleViews(viewer: { id: number; role: Role }, locale: Locale) {
  return (await currentGate().state.savedViewsFor(viewer)).flatMap((view: SavedView) => {
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

/**
 * The figures an alert may watch, grouped by the pages of the viewer's saved views that show them (the
 * overview and the regions page show the same ones: one group named for both), in the reader's language.
 */
function alertGroups(role: Role, pages: readonly PageId[], locale: Locale) {
  const names = PROFITABILITY_MESSAGES[locale].nav;
  const groups: { label: string; pages: PageId[]; metrics: { id: CatalogueId; name: string }[] }[] = [];
  const seen = new Map<readonly string[], (typeof groups)[number]>();
  for (const page of ALERT_PAGES) {
    if (!pages.includes(page)) continue;
    const ids = WATCHABLE[page] as readonly CatalogueId[];
    const found = seen.get(ids);
    if (found) {
      found.label = `${found.label} · ${names[page]}`;
      found.pages.push(page);
      continue;
    }
    const metrics = ids
      .filter((id) => canWatch(role, page, id))
      .map((id) => ({ id, name: CATALOGUE[id].label[locale] }));
    if (metrics.length === 0) continue;
    const group = { label: names[page], pages: [page as PageId], metrics };
    seen.set(ids, group);
    groups.push(group);
  }
  return groups;
}

/** When a subscription is next due and was last sent, in the reader's words. */
async function subscriptionsOf(viewer: { id: number }, locale: Locale) {
  const state = currentGate().state;
  const r = REPORT_MESSAGES[locale];
  const now = new Date();
  const subscriptions = await state.subscriptionsOf(viewer.id);
  const sends = await Promise.all(subscriptions.map((s) => state.sendsOf(s.id)));
  return subscriptions.map((s, i) => {
    const next = nextDue(s, now);
    const last = sends[i]?.find((x) => x.status === "sent");
    const when =
      s.cadence === "weekly"
        ? `${r.cadences.weekly}, ${r.weekdays[(s.weekday ?? 1) - 1]}`
        : s.cadence === "monthly"
          ? `${r.cadences.monthly}, ${s.dayOfMonth}`
          : r.cadences.daily;
    return {
      id: s.id,
      viewName: s.viewName,
      path: s.path,
      schedule: `${when}, ${s.time} (${s.timeZone})`,
      format: r.formats[s.format as keyof typeof r.formats] ?? s.format,
      language: s.locale === "fr-FR" ? "Français" : "English",
      next: next ? formatInZone(next, s.timeZone, locale) : "—",
      lastSent: last?.sentAt ? formatTimestamp(new Date(last.sentAt).toISOString(), locale) : r.never,
    };
  });
}

/** An instant as the subscriber reads it, in their time zone. */
function formatInZone(instant: Date, zone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: zone,
  }).format(instant);
}

/** A viewer's alerts, each in words with its last check, and how many fired on the current data. */
async function alertsOf(viewer: { id: number }, locale: Locale) {
  const state = currentGate().state;
  const r = REPORT_MESSAGES[locale];
  const status = await getWarehouse()
    .status()
    .catch(() => null);
  const current = status?.state === "ready" ? status.snapshot.id : null;
  const rules = await state.alertsOf(viewer.id);
  const checks = await Promise.all(rules.map((a) => state.alertChecks(a.id, 1)));
  const alerts = rules.map((a, i) => {
    const [last] = checks[i] ?? [];
    const unit = isCatalogueId(a.metric) ? CATALOGUE[a.metric].unit : "rate";
    const value = last?.value ?? null;
    const shown = value === null ? null : formatExact(value, unit, locale);
    return {
      id: a.id,
      rule: describeRule(a, locale),
      path: a.path,
      firedNow: Boolean(last?.fired && last.snapshotId === current),
      last: !last
        ? r.notChecked
        : last.status === "no_value"
          ? r.noValue
          : shown === null
            ? r.notChecked
            : last.fired
              ? r.firedOn(shown)
              : r.quiet(shown),
      checkedAt: last ? formatTimestamp(new Date(last.checkedAt).toISOString(), locale) : null,
    };
  });
  return { alerts, fired: alerts.filter((a) => a.firedNow).length };
}

export async function loader(args: LoaderFunctionArgs) {
  const { viewer } = requireSession(args);
  const { locale } = chooseLocale(args.request);
  const url = new URL(args.request.url);
  const views = await visibleViews(viewer, locale);
  const subscriptions = viewer.role === "admin" ? [] : await subscriptionsOf(viewer, locale);
  const { alerts, fired } =
    viewer.role === "admin" ? { alerts: [], fired: 0 } : await alertsOf(viewer, locale);
  const notice = (() => {
    const saved = Number(url.searchParams.get("saved"));
    const deleted = url.searchParams.get("deleted");
    const subscribed = Number(url.searchParams.get("subscribed"));
    const unsubscribed = url.searchParams.get("unsubscribed");
    const t = VIEWS_MESSAGES[locale];
    const r = REPORT_MESSAGES[locale];
    if (saved) {
      const view = views.find((v) => v.id === saved);
      return view ? t.saved(view.name) : null;
    }
    if (subscribed) {
      const s = subscriptions.find((x) => x.id === subscribed);
      return s ? r.subscribed(s.viewName, s.next) : null;
    }
    if (unsubscribed) return r.unsubscribed(unsubscribed.slice(0, VIEW_NAME_MAX));
    const alerted = Number(url.searchParams.get("alert"));
    if (alerted) {
      const a = alerts.find((x) => x.id === alerted);
      return a ? r.alertAdded(a.rule) : null;
    }
    if (url.searchParams.has("alert_removed")) return r.alertRemoved;
    return deleted ? t.deleted(deleted.slice(0, VIEW_NAME_MAX)) : null;
  })();
  return data(
    {
      locale,
      views,
      notice,
      subscriptions,
      // Views this viewer may subscribe to: those whose page their role opens (an admin opens none).
      subscribable: viewer.role === "admin" ? [] : views.map((v) => ({ id: v.id, name: v.name })),
      mailConfigured: Boolean(process.env.BACKLIGHT_SMTP_URL),
      alerts,
      fired,
      // Views an alert can watch, and the figures the role may watch on them, grouped by the pages that
      // show them (the overview and the regions page show the same figures: one group).
      alertViews:
        viewer.role === "admin"
          ? []
          : views
              .filter((v) => (ALERT_PAGES as readonly string[]).includes(v.page))
              .map((v) => ({ id: v.id, name: v.name, page: v.page })),
      alertMetrics: alertGroups(viewer.role, viewer.role === "admin" ? [] : views.map((v) => v.page), locale),
    },
    { headers: NO_STORE },
  );
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const FORMATS = ["xlsx", "csv-excel-fr", "csv-excel-en", "none"] as const;

/** A subscription from the form, or the sentence saying what is wrong. */
function readSubscription(
  form: FormData,
  locale: Locale,
):
  | Omit<
      Subscription,
      "id" | "userId" | "email" | "role" | "disabled" | "viewName" | "path" | "createdAt" | "viewId"
    >
  | string {
  const e = REPORT_MESSAGES[locale].errors;
  const cadence = String(form.get("cadence") ?? "");
  if (!(CADENCES as readonly string[]).includes(cadence)) return e.cadence;
  const weekday = Number(form.get("weekday") ?? 1);
  if (cadence === "weekly" && !(Number.isInteger(weekday) && weekday >= 1 && weekday <= 7)) return e.weekday;
  const day = Number(form.get("day") ?? 1);
  if (cadence === "monthly" && !(Number.isInteger(day) && day >= 1 && day <= 28)) return e.day;
  const time = String(form.get("time") ?? "");
  if (!TIME.test(time)) return e.time;
  const timeZone = String(form.get("zone") ?? "").trim() || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) return e.zone;
  const language = String(form.get("language") ?? "");
  if (language !== "en-GB" && language !== "fr-FR") return e.language;
  const format = String(form.get("format") ?? "");
  if (!(FORMATS as readonly string[]).includes(format)) return e.format;
  return {
    cadence: cadence as Cadence,
    weekday: cadence === "weekly" ? weekday : null,
    dayOfMonth: cadence === "monthly" ? day : null,
    time,
    timeZone,
    locale: language,
    format,
  };
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
  if (form.get("intent") === "subscribe") {
    const r = REPORT_MESSAGES[locale];
    const viewId = Number(form.get("view"));
    const view = (await visibleViews(viewer, locale)).find((v) => v.id === viewId);
    if (!view || viewer.role === "admin") throw refuse(r.errors.view);
    const schedule = readSubscription(form, locale);
    if (typeof schedule === "string") throw refuse(schedule);
    const created = await gate.state.subscribe({ ...schedule, userId: viewer.id, viewId: view.id }, (id) =>
      gate.unsubscribeToken(id),
    );
    await gate.state.audit({
      ...audit,
      event: "report_subscribed",
      target: view.path,
      detail: {
        subscription: created.id,
        cadence: created.cadence,
        time: created.time,
        time_zone: created.timeZone,
        format: created.format,
      },
    });
    return redirect(`/views?subscribed=${created.id}${lang}`, { headers: NO_STORE });
  }
  if (form.get("intent") === "alert-add") {
    const r = REPORT_MESSAGES[locale];
    const view = (await visibleViews(viewer, locale)).find((v) => v.id === Number(form.get("view")));
    if (!view || viewer.role === "admin" || !(ALERT_PAGES as readonly string[]).includes(view.page))
      throw refuse(r.errors.alertView);
    const metric = String(form.get("metric") ?? "");
    if (!isCatalogueId(metric) || !canWatch(viewer.role, view.page, metric))
      throw refuse(
        isCatalogueId(metric) && (!isMetricId(metric) || canSeeMetric(viewer.role, metric))
          ? r.errors.metricPage
          : r.errors.metric,
      );
    const op = String(form.get("op") ?? "");
    if (!(ALERT_OPS as readonly string[]).includes(op)) throw refuse(r.errors.threshold);
    const typed = String(form.get("threshold") ?? "")
      .trim()
      .replace(",", ".")
      .replace(/\s/g, "");
    if (!/^-?\d+(\.\d+)?$/.test(typed) || typed.length > 20) throw refuse(r.errors.threshold);
    // A rate is typed as a percentage (5 for 5 %); the rule keeps the ratio, as the catalogue does.
    const threshold = CATALOGUE[metric].unit === "ratio" ? Number(typed) / 100 : Number(typed);
    const language = String(form.get("language") ?? locale);
    const rule = await gate.state.addAlert({
      userId: viewer.id,
      viewId: view.id,
      metric,
      op: op as AlertOp,
      threshold,
      locale: language === "fr-FR" ? "fr-FR" : "en-GB",
    });
    await gate.state.audit({
      ...audit,
      event: "alert_added",
      target: view.path,
      detail: { alert: rule.id, metric, op, threshold },
    });
    return redirect(`/views?alert=${rule.id}${lang}`, { headers: NO_STORE });
  }
  if (form.get("intent") === "alert-remove") {
    const r = REPORT_MESSAGES[locale];
    const found = await gate.state.alert(Number(form.get("id")));
    if (!found || found.userId !== viewer.id) throw refuse(r.errors.notFound, 404);
    await gate.state.removeAlert(found.id);
    await gate.state.audit({
      ...audit,
      event: "alert_removed",
      target: found.path,
      detail: { alert: found.id },
    });
    return redirect(`/views?alert_removed=1${lang}`, { headers: NO_STORE });
  }
  if (form.get("intent") === "unsubscribe") {
    const r = REPORT_MESSAGES[locale];
    const found = await gate.state.subscription(Number(form.get("id")));
    if (!found || found.userId !== viewer.id) throw refuse(r.errors.notFound, 404);
    await gate.state.unsubscribe(found.id);
    await gate.state.audit({
      ...audit,
      event: "report_unsubscribed",
      target: found.path,
      detail: { subscription: found.id, via: "views" },
    });
    return redirect(`/views?unsubscribed=${encodeURIComponent(found.viewName)}${lang}`, {
      headers: NO_STORE,
    });
  }
  if (form.get("intent") === "delete") {
    const view = await gate.state.savedView(Number(form.get("id")));
    if (!view) throw refuse(t.errors.notFound, 404);
    if (view.ownerId !== viewer.id && viewer.role !== "admin") throw refuse(t.errors.notYours, 403);
    await gate.state.deleteView(view.id);
    await gate.state.audit({
      ...audit,
      event: "view_deleted",
      target: view.path,
      detail: { name: view.name },
    });
    return redirect(`/views?deleted=${encodeURIComponent(view.name)}${lang}`, { headers: NO_STORE });
  }
  const name = String(form.get("name") ?? "").trim();
  if (name.length === 0 || name.length > VIEW_NAME_MAX) throw refuse(t.errors.name);
  const path = String(form.get("path") ?? "");
  const page = pageOfPath(path);
  if (!page || !canOpen(viewer.role, page)) throw refuse(t.errors.path);
  const share = String(form.get("share") ?? "");
  if (share !== "" && !(SHARE_ROLES as readonly string[]).includes(share)) throw refuse(t.errors.share);
  const view = await gate.state.saveView(viewer.id, name, path, share === "" ? null : (share as Role));
  await gate.state.audit({
    ...audit,
    event: "view_saved",
    target: path,
    detail: { name, shared_with: share || null },
  });
  return redirect(`/views?saved=${view.id}${lang}`, { headers: NO_STORE });
}

/**
 * The alert's view and figure. Without JavaScript the figure list holds every page's group (the server
 * refuses a figure the view's page does not show, and says so); once the page runs, it holds the chosen
 * view's page's figures only.
 */
function AlertTarget({
  views,
  groups,
  viewLabel,
  metricLabel,
}: {
  views: { id: number; name: string; page: PageId }[];
  groups: { label: string; pages: PageId[]; metrics: { id: string; name: string }[] }[];
  viewLabel: string;
  metricLabel: string;
}) {
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);
  const [viewId, setViewId] = useState(views[0]?.id);
  const page = views.find((v) => v.id === viewId)?.page;
  const shown = live ? groups.filter((g) => page !== undefined && g.pages.includes(page)) : groups;
  const [asked, setAsked] = useState("ebitda_eur");
  const offered = shown.flatMap((g) => g.metrics.map((m) => m.id));
  const metric = offered.includes(asked) ? asked : (offered[0] ?? "");
  return (
    <>
      <div className="field">
        <label htmlFor="a-view">{viewLabel}</label>
        <select
          id="a-view"
          name="view"
          aria-describedby="a-view-hint"
          value={viewId}
          onChange={(e) => setViewId(Number(e.target.value))}
        >
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="a-metric">{metricLabel}</label>
        <select id="a-metric" name="metric" value={metric} onChange={(e) => setAsked(e.target.value)}>
          {shown.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.metrics.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
    </>
  );
}

export default function Views() {
  const {
    locale,
    views,
    notice,
    subscriptions,
    subscribable,
    mailConfigured,
    alerts,
    fired,
    alertViews,
    alertMetrics,
  } = useLoaderData<typeof loader>();
  const r = REPORT_MESSAGES[locale];
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
        {fired > 0 ? (
          <section className="notice notice--alert" role="status" aria-live="polite">
            <p>
              <strong>{r.firedNotice(fired)}</strong>{" "}
              {alerts
                .filter((a) => a.firedNow)
                .map((a) => `${a.rule} (${a.last})`)
                .join(" · ")}
            </p>
          </section>
        ) : null}
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
                          <PostButton
                            csrf={csrf}
                            intent="delete"
                            fields={{ id: view.id }}
                            label={t.remove(view.name)}
                            reloadDocument
                          >
                            {t.removeButton}
                          </PostButton>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {subscribable.length > 0 ? (
          <section className="panel" aria-labelledby="reports-title">
            <div className="panel__head">
              <h3 id="reports-title">{r.subscribeTitle}</h3>
            </div>
            <p className="panel__subtitle">{r.subscribeIntro}</p>
            {mailConfigured ? null : <p className="empty-note">{r.noMail}</p>}
            <Form
              method="post"
              reloadDocument
              className="filter-bar subscribe-form"
              aria-labelledby="reports-title"
            >
              <Csrf value={csrf} />
              <input type="hidden" name="intent" value="subscribe" />
              <div className="filter-bar__group">
                <div className="field">
                  <label htmlFor="r-view">{r.view}</label>
                  <select id="r-view" name="view">
                    {subscribable.map((v) => (
                      <option key={v.id} value={v.id}>
                        {v.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="r-cadence">{r.cadence}</label>
                  <select id="r-cadence" name="cadence" defaultValue="weekly">
                    {(["daily", "weekly", "monthly"] as const).map((c) => (
                      <option key={c} value={c}>
                        {r.cadences[c]}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="r-weekday">{r.weekday}</label>
                  <select id="r-weekday" name="weekday" defaultValue="1">
                    {r.weekdays.map((d, i) => (
                      <option key={d} value={i + 1}>
                        {d}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="r-day">{r.dayOfMonth}</label>
                  <input id="r-day" name="day" type="number" min={1} max={28} defaultValue={1} />
                </div>
                <div className="field">
                  <label htmlFor="r-time">{r.time}</label>
                  <input id="r-time" name="time" type="time" defaultValue="08:00" required />
                </div>
                <div className="field">
                  <label htmlFor="r-zone">{r.timeZone}</label>
                  <input
                    id="r-zone"
                    name="zone"
                    type="text"
                    defaultValue="Europe/Paris"
                    maxLength={64}
                    required
                  />
                </div>
                <div className="field">
                  <label htmlFor="r-language">{r.language}</label>
                  <select id="r-language" name="language" defaultValue={locale}>
                    <option value="en-GB">English</option>
                    <option value="fr-FR">Français</option>
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="r-format">{r.format}</label>
                  <select id="r-format" name="format" defaultValue="xlsx">
                    {(["xlsx", "csv-excel-fr", "csv-excel-en", "none"] as const).map((f) => (
                      <option key={f} value={f}>
                        {r.formats[f]}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div className="filter-bar__actions">
                <button type="submit">{r.subscribeButton}</button>
              </div>
            </Form>
            <h4 id="my-reports">{r.mySubscriptions}</h4>
            {subscriptions.length === 0 ? (
              <p className="empty-note">{r.noSubscriptions}</p>
            ) : (
              <div className="table-scroll">
                <table className="data-table views-table" aria-labelledby="my-reports">
                  <thead>
                    <tr>
                      <th scope="col">{r.view}</th>
                      <th scope="col">{r.cadence}</th>
                      <th scope="col">{r.format}</th>
                      <th scope="col">{r.language}</th>
                      <th scope="col">{r.nextRun}</th>
                      <th scope="col">{r.lastSent}</th>
                      <th scope="col">
                        <span className="visually-hidden">{r.unsubscribeButton}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {subscriptions.map((s) => (
                      <tr key={s.id} data-subscription={s.id}>
                        <th scope="row">
                          <Link to={s.path}>{s.viewName}</Link>
                        </th>
                        <td>{s.schedule}</td>
                        <td>{s.format}</td>
                        <td>{s.language}</td>
                        <td>{s.next}</td>
                        <td>{s.lastSent}</td>
                        <td>
                          <PostButton
                            csrf={csrf}
                            intent="unsubscribe"
                            fields={{ id: s.id }}
                            label={r.unsubscribeLabel(s.viewName)}
                            reloadDocument
                          >
                            {r.unsubscribeButton}
                          </PostButton>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ) : null}
        {subscribable.length + alerts.length > 0 ? (
          <section className="panel" aria-labelledby="alerts-title">
            <div className="panel__head">
              <h3 id="alerts-title">{r.alertsTitle}</h3>
            </div>
            <p className="panel__subtitle">{r.alertsIntro}</p>
            {alertViews.length === 0 ? (
              <p className="empty-note">{r.noAlertViews}</p>
            ) : (
              <Form method="post" reloadDocument className="filter-bar" aria-labelledby="alerts-title">
                <Csrf value={csrf} />
                <input type="hidden" name="intent" value="alert-add" />
                <input type="hidden" name="language" value={locale} />
                <div className="filter-bar__group">
                  <AlertTarget
                    views={alertViews}
                    groups={alertMetrics}
                    viewLabel={r.view}
                    metricLabel={r.alertMetric}
                  />
                  <div className="field">
                    <label htmlFor="a-op">{r.alertWhen}</label>
                    <select id="a-op" name="op" defaultValue="lt">
                      <option value="lt">{r.below}</option>
                      <option value="gt">{r.above}</option>
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor="a-threshold">{r.threshold}</label>
                    <input
                      id="a-threshold"
                      name="threshold"
                      inputMode="decimal"
                      defaultValue="0"
                      required
                      maxLength={20}
                      aria-describedby="a-threshold-hint"
                    />
                  </div>
                </div>
                <p className="footnote" id="a-view-hint">
                  {r.alertViewHint}
                </p>
                <p className="footnote" id="a-threshold-hint">
                  {r.thresholdHint}
                </p>
                <div className="filter-bar__actions">
                  <button type="submit">{r.addAlert}</button>
                </div>
              </Form>
            )}
            <h4 id="my-alerts">{r.myAlerts}</h4>
            {alerts.length === 0 ? (
              <p className="empty-note">{r.noAlerts}</p>
            ) : (
              <ul className="alert-list" aria-labelledby="my-alerts">
                {alerts.map((a) => (
                  <li key={a.id} data-alert={a.id} data-fired={a.firedNow ? "" : undefined}>
                    <span className="alert-list__rule">
                      {a.firedNow ? <span aria-hidden="true">⚠ </span> : null}
                      <Link to={a.path}>{a.rule}</Link>
                    </span>
                    <span className="alert-list__last">
                      {r.lastCheck} {a.last}
                      {a.checkedAt ? ` (${a.checkedAt})` : ""}
                    </span>
                    <PostButton
                      csrf={csrf}
                      intent="alert-remove"
                      fields={{ id: a.id }}
                      label={r.removeAlertLabel(a.rule)}
                      reloadDocument
                    >
                      {r.removeAlert}
                    </PostButton>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </main>
    </>
  );
}

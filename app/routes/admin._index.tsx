// /admin: accounts, roles and API tokens, for the admin role only. Every change is a POST carrying the
// session's CSRF token, goes through the same rules as `npm run users` (~/.server/auth/users.server.ts)
// and lands in the audit log. New passwords and tokens are generated here, shown once, stored hashed.

import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireAction, requirePage } from "~/.server/auth/access.server";
import { currentGate } from "~/.server/auth/gate.server";
import {
  addUser,
  createToken,
  generatedPassword,
  resetPassword,
  revokeToken,
  setDisabled,
  setRole,
  UserError,
} from "~/.server/auth/users.server";
import { chooseLocale } from "~/.server/locale.server";
import { EMAIL_MAX, ROLES } from "~/auth/policy";
import { useViewer } from "~/components/account";
import { Csrf, PostButton } from "~/components/post-button";
import { SiteHeader } from "~/components/site-header";
import { AUTH_MESSAGES } from "~/i18n/auth";
import { EVENTS_MESSAGES } from "~/i18n/events";
import { forwardHeaders } from "~/lib/headers";

export const headers = forwardHeaders;

export const meta: MetaFunction = () => [{ title: "Users and audit · Backlight" }];

const NO_STORE = { "Cache-Control": "no-store" };

export async function loader(args: LoaderFunctionArgs) {
  requirePage(args, "admin");
  const { locale } = chooseLocale(args.request);
  const state = currentGate().state;
  return data(
    {
      locale,
      users: await state.listUsers(),
      tokens: await state.listTokens(),
      events: await state.events(),
    },
    { headers: NO_STORE },
  );
}

const INTENTS = [
  "add",
  "set-role",
  "disable",
  "enable",
  "reset-password",
  "create-token",
  "revoke-token",
  "add-event",
  "remove-event",
] as const;
type Intent = (typeof INTENTS)[number];

/** A form field as a bounded string, or a UserError. */
function field(form: FormData, name: string, max = EMAIL_MAX): string {
  const value = form.get(name);
  if (typeof value !== "string" || value.length === 0 || value.length > max)
    throw new UserError(`the form's "${name}" field is missing or too long`);
  return value;
}

type Outcome =
  | { ok: true; message: string; secret?: { kind: "password" | "token"; email: string; value: string } }
  | { ok: false; message: string };

export async function action(args: ActionFunctionArgs) {
  const form = await args.request.formData();
  const { viewer, ctx } = requireAction(args, "admin", form);
  const state = currentGate().state;
  const actor = { name: viewer.email, role: viewer.role, ip: ctx.ip };
  const intent = form.get("intent");
  const { locale } = chooseLocale(args.request);
  const reply = (outcome: Outcome, status = 200) => data(outcome, { status, headers: NO_STORE });
  if (typeof intent !== "string" || !(INTENTS as readonly string[]).includes(intent))
    return reply({ ok: false, message: "Unknown action." }, 400);
  try {
    switch (intent as Intent) {
      case "add": {
        const password = generatedPassword();
        const user = await addUser(state, actor, field(form, "email"), field(form, "role", 20), password);
        return reply({
          ok: true,
          message: `Added ${user.email} (${user.role}).`,
          secret: { kind: "password", email: user.email, value: password },
        });
      }
      case "set-role": {
        const user = await setRole(state, actor, field(form, "email"), field(form, "role", 20));
        return reply({ ok: true, message: `${user.email} is now ${user.role}.` });
      }
      case "disable":
      case "enable": {
        const user = await setDisabled(state, actor, field(form, "email"), intent === "disable");
        return reply({ ok: true, message: `${user.email} is ${user.disabled ? "disabled" : "enabled"}.` });
      }
      case "reset-password": {
        const email = field(form, "email");
        const password = generatedPassword();
        await resetPassword(state, actor, email, password);
        return reply({
          ok: true,
          message: `New password for ${email}; their sessions have ended.`,
          secret: { kind: "password", email, value: password },
        });
      }
      case "create-token": {
        const { token, info } = await createToken(
          state,
          actor,
          field(form, "email"),
          form.get("label")?.toString() ?? "",
        );
        return reply({
          ok: true,
          message: `Token ${info.id} created for ${info.email}.`,
          secret: { kind: "token", email: info.email, value: token },
        });
      }
      case "add-event": {
        const e = EVENTS_MESSAGES[locale].errors;
        const day = String(form.get("day") ?? "");
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
          throw new UserError(e.day);
        const en = String(form.get("label_en") ?? "").trim();
        const fr = String(form.get("label_fr") ?? "").trim() || en;
        if (en.length === 0 || en.length > 80 || fr.length > 80) throw new UserError(e.label);
        const country = String(form.get("country") ?? "").trim();
        if (country !== "" && !/^[A-Z]{2}$/.test(country)) throw new UserError(e.country);
        const added = await state.addEvent(
          { day, label: { "en-GB": en, "fr-FR": fr }, country: country || null },
          viewer.email,
        );
        await state.audit({
          event: "event_added",
          actor: viewer.email,
          role: viewer.role,
          ip: ctx.ip,
          target: day,
          detail: { id: added.id, label: en, country: added.country },
        });
        return reply({ ok: true, message: EVENTS_MESSAGES[locale].added(en) });
      }
      case "remove-event": {
        const removed = await state.removeEvent(Number(form.get("id")));
        if (!removed) throw new UserError(EVENTS_MESSAGES[locale].errors.notFound);
        await state.audit({
          event: "event_removed",
          actor: viewer.email,
          role: viewer.role,
          ip: ctx.ip,
          target: removed.day,
          detail: { id: removed.id, label: removed.label["en-GB"] },
        });
        return reply({ ok: true, message: EVENTS_MESSAGES[locale].removed(removed.label[locale]) });
      }
      case "revoke-token": {
        const id = Number(field(form, "id", 12));
        if (!Number.isInteger(id) || id <= 0) throw new UserError("not a token id");
        const token = await revokeToken(state, actor, id);
        return reply({ ok: true, message: `Token ${id} of ${token.email} revoked.` });
      }
    }
  } catch (error) {
    if (error instanceof UserError)
      return reply(
        { ok: false, message: `${error.message[0]?.toUpperCase()}${error.message.slice(1)}.` },
        400,
      );
    throw error;
  }
}

const utc = (ms: number | null) =>
  ms === null ? null : new Date(ms).toISOString().slice(0, 16).replace("T", " ");

export default function Admin() {
  const { locale, users, tokens, events } = useLoaderData<typeof loader>();
  const ev = EVENTS_MESSAGES[locale];
  const outcome = useActionData<typeof action>();
  const { csrf, viewer } = useViewer();
  const busy = useNavigation().state !== "idle";
  const t = AUTH_MESSAGES[locale].admin;
  const roles = AUTH_MESSAGES[locale].roles;
  return (
    <>
      <SiteHeader locale={locale} />
      <main id="main" className="page admin" tabIndex={-1} aria-busy={busy}>
        <div className="page__heading">
          <h2>{t.title}</h2>
          <p className="period">{t.intro}</p>
        </div>
        <p>
          <Link to="/admin/audit">{t.auditLink}</Link>
        </p>
        {outcome ? (
          <section
            className={`notice ${outcome.ok ? "notice--ok" : "notice--error"}`}
            role={outcome.ok ? "status" : "alert"}
            aria-live="polite"
          >
            <p>{outcome.message}</p>
            {outcome.ok && outcome.secret ? (
              <div className="secret">
                <label htmlFor="secret-value">
                  {outcome.secret.kind === "password"
                    ? t.secretPassword(outcome.secret.email)
                    : t.secretToken(outcome.secret.email)}
                </label>
                <input id="secret-value" readOnly value={outcome.secret.value} className="secret__value" />
                <p className="footnote">{t.secretOnce}</p>
              </div>
            ) : null}
          </section>
        ) : null}

        <section className="panel" aria-labelledby="users-title">
          <div className="panel__head">
            <h3 id="users-title">{t.usersTitle}</h3>
          </div>
          <div className="table-scroll">
            <table className="data-table admin-table">
              <thead>
                <tr>
                  <th scope="col">{t.email}</th>
                  <th scope="col">{t.role}</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">{t.lastSignIn}</th>
                  <th scope="col">{t.actions}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id} data-user={u.email}>
                    <th scope="row">{u.email}</th>
                    <td>
                      <Form method="post" className="inline-form">
                        <Csrf value={csrf} />
                        <input type="hidden" name="intent" value="set-role" />
                        <input type="hidden" name="email" value={u.email} />
                        <select name="role" defaultValue={u.role} aria-label={t.changeRole(u.email)}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {roles[r]}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button--quiet">
                          {t.save}
                        </button>
                      </Form>
                    </td>
                    <td>{u.disabled ? t.disabled : t.active}</td>
                    <td>{utc(u.lastSignInAt) ?? t.never}</td>
                    <td>
                      <div className="inline-form">
                        {u.email !== viewer?.email ? (
                          <PostButton
                            csrf={csrf}
                            intent={u.disabled ? "enable" : "disable"}
                            fields={{ email: u.email }}
                            label={`${u.disabled ? t.enable : t.disable} ${u.email}`}
                          >
                            {u.disabled ? t.enable : t.disable}
                          </PostButton>
                        ) : null}
                        <PostButton
                          csrf={csrf}
                          intent="reset-password"
                          fields={{ email: u.email }}
                          label={`${t.resetPassword}: ${u.email}`}
                        >
                          {t.resetPassword}
                        </PostButton>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4 className="panel__subtitle">{t.addTitle}</h4>
          <Form method="post" className="inline-form">
            <Csrf value={csrf} />
            <input type="hidden" name="intent" value="add" />
            <div className="field">
              <label htmlFor="add-email">{t.email}</label>
              <input
                id="add-email"
                name="email"
                type="email"
                required
                maxLength={EMAIL_MAX}
                autoComplete="off"
              />
            </div>
            <div className="field">
              <label htmlFor="add-role">{t.role}</label>
              <select id="add-role" name="role" defaultValue="executive">
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roles[r]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">{t.add}</button>
          </Form>
        </section>

        <section className="panel" aria-labelledby="tokens-title">
          <div className="panel__head">
            <h3 id="tokens-title">{t.tokensTitle}</h3>
          </div>
          {tokens.length === 0 ? (
            <p className="footnote">{t.noTokens}</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table admin-table">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t.email}</th>
                    <th scope="col">{t.label}</th>
                    <th scope="col">{t.prefix}</th>
                    <th scope="col">{t.created}</th>
                    <th scope="col">{t.lastUsed}</th>
                    <th scope="col">{t.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((k) => (
                    <tr key={k.id}>
                      <td>{k.id}</td>
                      <th scope="row">{k.email}</th>
                      <td>{k.label}</td>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td>{utc(k.createdAt)}</td>
                      <td>{utc(k.lastUsedAt) ?? t.never}</td>
                      <td>
                        {k.revokedAt ? (
                          `${t.revoked} ${utc(k.revokedAt)}`
                        ) : (
                          <PostButton
                            csrf={csrf}
                            intent="revoke-token"
                            fields={{ id: k.id }}
                            label={`${t.revoke} #${k.id}`}
                          >
                            {t.revoke}
                          </PostButton>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h4 className="panel__subtitle">{t.newToken}</h4>
          <Form method="post" className="inline-form">
            <Csrf value={csrf} />
            <input type="hidden" name="intent" value="create-token" />
            <div className="field">
              <label htmlFor="token-email">{t.tokenFor}</label>
              <select id="token-email" name="email">
                {users
                  .filter((u) => !u.disabled)
                  .map((u) => (
                    <option key={u.id} value={u.email}>
                      {u.email} ({roles[u.role]})
                    </option>
                  ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="token-label">{t.label}</label>
              <input id="token-label" name="label" maxLength={80} placeholder="nightly P&L export" />
            </div>
            <button type="submit">{t.createToken}</button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="events-title">
          <div className="panel__head">
            <h3 id="events-title">{ev.title}</h3>
          </div>
          <p className="panel__subtitle">{ev.intro}</p>
          {events.length === 0 ? (
            <p className="empty-note">{ev.none}</p>
          ) : (
            <ul className="alert-list">
              {events.map((e) => (
                <li key={e.id} data-event={e.id}>
                  <span className="alert-list__rule">
                    {e.day} · {e.label[locale]} ({e.country ?? ev.wholeCompany})
                  </span>
                  <PostButton
                    csrf={csrf}
                    intent="remove-event"
                    fields={{ id: e.id }}
                    label={ev.remove(e.label[locale])}
                  >
                    {ev.removeButton}
                  </PostButton>
                </li>
              ))}
            </ul>
          )}
          <Form method="post" className="inline-form">
            <Csrf value={csrf} />
            <input type="hidden" name="intent" value="add-event" />
            <div className="field">
              <label htmlFor="event-day">{ev.day}</label>
              <input id="event-day" name="day" type="date" required />
            </div>
            <div className="field">
              <label htmlFor="event-en">{ev.labelEn}</label>
              <input id="event-en" name="label_en" required maxLength={80} />
            </div>
            <div className="field">
              <label htmlFor="event-fr">{ev.labelFr}</label>
              <input id="event-fr" name="label_fr" maxLength={80} />
            </div>
            <div className="field">
              <label htmlFor="event-country">{ev.country}</label>
              <input id="event-country" name="country" maxLength={2} pattern="[A-Z]{2}" />
            </div>
            <button type="submit">{ev.add}</button>
          </Form>
        </section>
      </main>
    </>
  );
}

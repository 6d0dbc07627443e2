// /unsubscribe?t=<secret>: the link in every report mail. Opening it asks to confirm (mail services
// open links to preview them: a GET changes nothing); the button, or the mail service's own one-click
// unsubscribe (RFC 8058: a POST of List-Unsubscribe=One-Click to the same address), ends the
// subscription. No sign-in: the link's secret (the subscription's id signed by the server) is the
// authority, and all it can do is stop one report. The stop is in the audit log.

import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { currentGate } from "~/.server/auth/gate.server";
import type { Subscription } from "~/.server/auth/state.server";
import { chooseLocale } from "~/.server/locale.server";
import type { Locale } from "~/i18n/locales";
import { REPORT_MESSAGES } from "~/i18n/reports";
import { forwardHeaders } from "~/lib/headers";

export const headers = forwardHeaders;

export const meta: MetaFunction = () => [
  { title: "Unsubscribe · Backlight" },
  { name: "robots", content: "noindex" },
];

const NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

async function lookup(token: unknown): Promise<Subscription | null> {
  if (typeof token !== "string" || token.length === 0 || token.length > 128) return null;
  return currentGate().state.subscriptionByUnsubscribeToken(token);
}

/** The subscriber's language when the link is known (the mail was in it), else the browser's. */
function localeOf(request: Request, sub: Subscription | null): Locale {
  if (new URL(request.url).searchParams.has("lang")) return chooseLocale(request).locale;
  if (sub) return sub.locale === "fr-FR" ? "fr-FR" : "en-GB";
  return chooseLocale(request).locale;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("t");
  const sub = await lookup(token);
  const locale = localeOf(request, sub);
  const t = REPORT_MESSAGES[locale];
  // An unknown link answers 200 with its sentence: this page also renders after the POST that ended the
  // subscription (its loader runs again), where a 404 would replace the action's 200.
  if (!sub)
    return data(
      { locale, token: null, question: null, message: t.unsubscribeUnknown },
      { status: token ? 200 : 400, headers: NO_STORE },
    );
  return data(
    {
      locale,
      token,
      question: t.unsubscribeAsk(sub.viewName, t.cadences[sub.cadence], sub.email),
      message: null,
    },
    { headers: NO_STORE },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = form.get("t") ?? new URL(request.url).searchParams.get("t");
  const sub = await lookup(token);
  const locale = localeOf(request, sub);
  const t = REPORT_MESSAGES[locale];
  if (!sub) return data({ done: false, message: t.unsubscribeUnknown }, { status: 404, headers: NO_STORE });
  const state = currentGate().state;
  await state.unsubscribe(sub.id);
  await state.audit({
    event: "report_unsubscribed",
    actor: sub.email,
    role: sub.role,
    ip: null,
    target: sub.path,
    detail: {
      subscription: sub.id,
      via: form.get("List-Unsubscribe") === "One-Click" ? "one-click" : "link",
    },
  });
  return data({ done: true, message: t.unsubscribeDone(sub.viewName) }, { headers: NO_STORE });
}

export default function Unsubscribe() {
  const page = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const t = REPORT_MESSAGES[page.locale];
  return (
    <main id="main" className="page" tabIndex={-1}>
      <h1>Backlight</h1>
      <section className="panel" aria-labelledby="unsubscribe-title">
        <h2 id="unsubscribe-title">{t.unsubscribePage}</h2>
        {done ? (
          <p role="status">{done.message}</p>
        ) : page.question && page.token ? (
          <Form method="post" reloadDocument>
            <p>{page.question}</p>
            <input type="hidden" name="t" value={page.token} />
            <button type="submit">{t.unsubscribeButton}</button>
          </Form>
        ) : (
          <p role="alert">{page.message}</p>
        )}
      </section>
    </main>
  );
}

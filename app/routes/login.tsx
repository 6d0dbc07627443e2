// /login: email + password → a session cookie, then the page that was asked for. The same answer for
// an unknown email, a wrong password or a disabled account; 429 after repeated failures (per account
// and per address). Works without JavaScript (a plain form post); server.js refuses foreign Origins.

import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requestContext } from "~/.server/auth/access.server";
import { currentGate } from "~/.server/auth/gate.server";
import { chooseLocale } from "~/.server/locale.server";
import { EMAIL_MAX, homeOf, PASSWORD_MAX } from "~/auth/policy";
import { AUTH_MESSAGES } from "~/i18n/auth";
import { forwardHeaders } from "~/lib/headers";

export const headers = forwardHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in · Backlight" }];

/**
 * Only a plain path of this site: never another origin (`//evil`, `/\evil`, `/\t/evil`, which browsers
 * read as `//evil` once they drop the tab) or a scheme. No backslash, control character or whitespace
 * anywhere, and the path must stay on this origin when resolved.
 */
function safeNext(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 2000) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (!value.startsWith("/") || value.startsWith("//") || /[\\\s\u0000-\u001f\u007f]/.test(value))
    return null;
  const base = "http://backlight.invalid";
  try {
    return new URL(value, base).origin === base ? value : null;
  } catch {
    return null;
  }
}

export function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = requestContext(context);
  const url = new URL(request.url);
  const next = safeNext(url.searchParams.get("next"));
  if (ctx.viewer?.via === "session") throw redirect(next ?? homeOf(ctx.viewer.role));
  const { locale } = chooseLocale(request);
  const expired = url.searchParams.get("expired") === "1";
  return data({ locale, next, expired }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = requestContext(context);
  const form = await request.formData();
  const email = form.get("email");
  const password = form.get("password");
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (typeof email !== "string" || typeof password !== "string" || !email.trim() || !password)
    return data({ error: "missing" as const, minutes: 0 }, { status: 400, headers });
  if (email.length > EMAIL_MAX || password.length > PASSWORD_MAX)
    return data({ error: "too_long" as const, minutes: 0 }, { status: 400, headers });
  const result = await currentGate().signIn(email, password, ctx);
  if (!result.ok) {
    if (!result.retryAfterSeconds)
      return data({ error: "failed" as const, minutes: 0 }, { status: 401, headers });
    headers["Retry-After"] = String(result.retryAfterSeconds);
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return data({ error: "throttled" as const, minutes }, { status: 429, headers });
  }
  const next = safeNext(form.get("next")) ?? homeOf(result.user.role);
  return redirect(next, { headers: { "Set-Cookie": result.cookie, "Cache-Control": "no-store" } });
}

export default function Login() {
  const { locale, next, expired } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = AUTH_MESSAGES[locale];
  return (
    <main id="main" className="sign-in">
      <section className="sign-in__card" aria-labelledby="sign-in-title">
        <p className="brand">Backlight</p>
        <h1 id="sign-in-title">{t.signInTitle}</h1>
        {expired && !failed ? (
          <p className="sign-in__expired" role="status">
            {t.expired}
          </p>
        ) : null}
        <p className="sign-in__intro">{t.signInIntro}</p>
        <Form method="post" className="sign-in__form" replace>
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <div className="field">
            <label htmlFor="email">{t.email}</label>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              maxLength={EMAIL_MAX}
              aria-describedby={failed ? "sign-in-error" : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="password">{t.password}</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={PASSWORD_MAX}
              aria-describedby={failed ? "sign-in-error" : undefined}
            />
          </div>
          {failed ? (
            <p id="sign-in-error" className="sign-in__error" role="alert">
              {t.errors[failed.error](failed.minutes)}
            </p>
          ) : null}
          <button type="submit" disabled={busy}>
            {busy ? t.signingIn : t.signIn}
          </button>
        </Form>
      </section>
    </main>
  );
}

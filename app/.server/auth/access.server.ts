// The rule of ~/auth/policy.ts applied to a request: every page loader asks requirePage, every action
// requireAction (session + CSRF token), every download canExport. No session: the sign-in page (with
// the page asked for as `next`). A session whose role may not: 403, written to the audit log.

import { type AppLoadContext, data, redirect } from "@remix-run/node";
import { canOpen, homeOf, type PageId } from "~/auth/policy";
import { MESSAGES } from "~/i18n/messages";
import { chooseLocale } from "../locale.server";
import { currentGate, type RequestContext, type Viewer } from "./gate.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    backlight?: RequestContext;
    /**
     * A page load (a document), not a `.data` request: a page's data goes in the document's head rather
     * than in Remix's data stream (ADR 0045). Absent: the data stream, as always.
     */
    document?: boolean;
  }
}

/** A figure or a view the viewer's role may not see, asked for by name (a URL parameter). */
export class Forbidden extends Error {
  override name = "Forbidden";
}

export function requestContext(context: AppLoadContext | undefined): RequestContext {
  const found = context?.backlight;
  // Only server.js builds the context; anything else serving the app has no way to tell who asks.
  if (!found)
    throw data(
      { message: "Sign-in is handled by server.js: start the app with npm start or npm run dev." },
      503,
    );
  return found;
}

/** Where to send someone who is not signed in, keeping what they asked for. */
export function signInRedirect(request: Request, expired = false): Response {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\.data$/, "") || "/";
  const next = `${path === "/_root" ? "/" : path}${url.search}`;
  return redirect(signInPath(next, expired));
}

/** The sign-in page's address, back to `next` afterwards; `expired` has it say that the session is over. */
export function signInPath(next: string, expired: boolean): string {
  const q = new URLSearchParams();
  if (next !== "/") q.set("next", next);
  if (expired) q.set("expired", "1");
  const search = q.toString();
  return search ? `/login?${search}` : "/login";
}

export function forbidden(ctx: RequestContext, viewer: Viewer, what: string, message: string): never {
  // Not awaited (the refusal is thrown from synchronous checks): SQLite writes it at once, PostgreSQL
  // moments later; a failed write is logged, never the reader's error.
  void currentGate()
    .state.audit({
      event: "forbidden",
      actor: viewer.email,
      role: viewer.role,
      ip: ctx.ip,
      target: what.slice(0, 200),
    })
    .catch((error: unknown) =>
      console.error(
        `audit: a refusal was not logged: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  throw data({ message }, { status: 403 });
}

/** The viewer signed in with a browser session, whatever their role; otherwise the sign-in redirect. */
export function requireSession(args: { request: Request; context: AppLoadContext }): {
  viewer: Viewer;
  ctx: RequestContext;
} {
  const ctx = requestContext(args.context);
  const viewer = ctx.viewer;
  if (viewer?.via !== "session") throw signInRedirect(args.request, ctx.expired === true);
  return { viewer, ctx };
}

/** The signed-in viewer, if their role may open the page; otherwise a redirect or a 403 is thrown. */
export function requirePage(
  args: { request: Request; context: AppLoadContext },
  page: PageId,
): { viewer: Viewer; ctx: RequestContext } {
  const { viewer, ctx } = requireSession(args);
  if (!canOpen(viewer.role, page)) {
    const url = new URL(args.request.url);
    // The home page of a role that has another one (an admin at /): there, rather than a dead end.
    if (page === "overview" && homeOf(viewer.role) !== "/") throw redirect(homeOf(viewer.role));
    // Lenient about ?lang=: a bad one is the page's 400 to report, once access is settled.
    forbidden(ctx, viewer, url.pathname, MESSAGES[chooseLocale(args.request).locale].forbiddenPage);
  }
  return { viewer, ctx };
}

/** requirePage for a POST, plus the session's CSRF token from the form (field `csrf`). */
export function requireAction(
  args: { request: Request; context: AppLoadContext },
  page: PageId,
  form: FormData,
): { viewer: Viewer; ctx: RequestContext } {
  const allowed = requirePage(args, page);
  if (!currentGate().checkCsrf(allowed.ctx, form.get("csrf")))
    throw data({ message: "This form has expired. Reload the page and try again." }, { status: 403 });
  return allowed;
}

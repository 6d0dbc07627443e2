// POST /logout (with the session's CSRF token): ends the session here and in the database. A GET only
// goes back to the dashboard: signing out is never a link that another site could make you follow.

import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requestContext } from "~/.server/auth/access.server";
import { currentGate } from "~/.server/auth/gate.server";

export function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = requestContext(context);
  const gate = currentGate();
  const form = await request.formData();
  // Without a valid token nothing happens (a forged post cannot sign anyone out either).
  if (ctx.viewer && !gate.checkCsrf(ctx, form.get("csrf"))) return redirect("/");
  return redirect("/login", {
    headers: { "Set-Cookie": await gate.signOut(ctx), "Cache-Control": "no-store" },
  });
}

// Saved views over HTTP, on the built server (issue 21, item 1): a page's address kept under a name,
// private or shared with a role; who sees which; what is refused; the audit log.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppState } from "~/.server/auth/state.server";
import type { Role } from "~/auth/policy";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { buildOverviewWarehouse } from "../helpers/overview-fixture";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

describe("saved views over HTTP, on the built server", () => {
  let root: string | undefined;
  let server: RunningServer | undefined;

  const running = (): RunningServer => {
    if (!server) throw new Error("server not started");
    return server;
  };

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("saved-views-http");
    const dataDir = join(root, "data");
    buildOverviewWarehouse(join(root, "landing"), dataDir);
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(root);
  });

  /** The session's CSRF token, from a page's sign-out form. */
  async function csrfOf(role: Role): Promise<string> {
    const html = await (await running().fetch("/views", {}, role)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no CSRF token for ${role}`);
    return token;
  }

  async function post(role: Role, fields: Record<string, string>, csrf?: string) {
    return running().fetch(
      "/views",
      {
        method: "POST",
        redirect: "manual",
        headers: { Origin: running().baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: csrf ?? (await csrfOf(role)), ...fields }),
      },
      role,
    );
  }

  const list = async (role: Role) => (await running().fetch("/views", {}, role)).text();

  it("keeps a page with its filters under a name, for its owner or shared with a role, and lists what each role may see", async () => {
    // Every dashboard page offers to save itself, its address in the form.
    const page = await (await running().fetch("/regions?range=year_to_date&costs=allocated")).text();
    expect(page).toContain("Save this view");
    expect(page).toContain('name="path" value="/regions?range=year_to_date&amp;costs=allocated"');

    const mine = await post("finance", {
      name: "YTD, central costs allocated",
      path: "/regions?range=year_to_date&costs=allocated",
      share: "",
    });
    expect(mine.status).toBe(302);
    expect(mine.headers.get("location")).toMatch(/^\/views\?saved=\d+$/);
    const confirmed = await (await running().fetch(mine.headers.get("location") as string)).text();
    expect(confirmed).toContain("Saved “YTD, central costs allocated”.");
    expect(confirmed).toContain('href="/regions?range=year_to_date&amp;costs=allocated"');

    expect(
      (await post("finance", { name: "Grades, all time", path: "/quality?range=all_time", share: "product" }))
        .status,
    ).toBe(302);

    // Product sees what was shared with its role, not finance's own view; an executive sees neither.
    const product = await list("product");
    expect(product).toContain("Grades, all time");
    expect(product).not.toContain("YTD, central costs allocated");
    expect(product).toContain("finance@backlight.test");
    const executive = await list("executive");
    expect(executive).not.toContain("Grades, all time");
    expect(executive).toContain("No saved view yet");
    // The admin sees every view.
    const admin = await list("admin");
    expect(admin).toContain("Grades, all time");
    expect(admin).toContain("YTD, central costs allocated");
    // In French too.
    expect(await (await running().fetch("/views?lang=fr", {}, "product")).text()).toContain(
      "Vues enregistrées",
    );
  });

  it("refuses what is not a dashboard page of this site, a bad name or share, and a form without its token", async () => {
    const refused = async (
      fields: Record<string, string>,
      status: number,
      message: RegExp,
      csrf?: string,
    ) => {
      const response = await post("finance", fields, csrf);
      expect(response.status, JSON.stringify(fields)).toBe(status);
      expect(await response.text()).toMatch(message);
    };
    const ok = { name: "x", path: "/", share: "" };
    await refused({ ...ok, path: "https://evil.example/" }, 400, /Only a dashboard page of this site/);
    await refused({ ...ok, path: "//evil.example/regions" }, 400, /Only a dashboard page of this site/);
    await refused({ ...ok, path: "/admin" }, 400, /Only a dashboard page of this site/);
    await refused({ ...ok, name: "   " }, 400, /a name of 1 to 80 characters/);
    await refused({ ...ok, name: "n".repeat(81) }, 400, /a name of 1 to 80 characters/);
    await refused({ ...ok, share: "admin" }, 400, /Share with one of the roles/);
    await refused(ok, 403, /This form has expired/, "not-the-token");
    // Product cannot keep a page its role cannot open.
    const product = await post("product", { name: "P&L", path: "/profitability", share: "" });
    expect(product.status).toBe(400);
  });

  it("lets the owner or an admin delete a view, and logs saving and deleting", async () => {
    const saved = await post("finance", { name: "To delete", path: "/market", share: "executive" });
    const id = /saved=(\d+)/.exec(saved.headers.get("location") ?? "")?.[1] as string;
    expect(await list("executive")).toContain("To delete");
    // The executive it was shared with cannot delete it.
    const refused = await post("executive", { intent: "delete", id });
    expect(refused.status).toBe(403);
    const deleted = await post("finance", { intent: "delete", id });
    expect(deleted.status).toBe(302);
    expect(await (await running().fetch(deleted.headers.get("location") as string)).text()).toContain(
      "Deleted “To delete”.",
    );
    expect(await list("executive")).not.toContain("To delete");
    expect((await post("finance", { intent: "delete", id })).status).toBe(404);

    const state = await AppState.open(running().stateDir);
    try {
      const events = (await state.readAudit({ limit: 50 })).filter((e) => e.event.startsWith("view_"));
      expect(events.map((e) => [e.event, e.actor, e.detail.name])).toContainEqual([
        "view_saved",
        "finance@backlight.test",
        "To delete",
      ]);
      expect(events.map((e) => [e.event, e.actor, e.detail.name])).toContainEqual([
        "view_deleted",
        "finance@backlight.test",
        "To delete",
      ]);
    } finally {
      await state.close();
    }
  });
});

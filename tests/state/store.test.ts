// One suite, both app-state stores (issue 20): SQLite (the default) and PostgreSQL (BACKLIGHT_STATE_URL),
// the latter a real PostgreSQL 15 started on a loopback port for this file. Each test opens two AppState
// instances on the same store, as two replicas (or a server and `npm run users`) would, and checks that
// what one writes the other sees, and that the claims meant to happen once happen once across both.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StateLocation } from "~/.server/auth/sql.server";
import { AppState, type Limit } from "~/.server/auth/state.server";
import { postgresUnavailableReason, startPostgres } from "../../core/local-postgres";
import { freePort } from "../../core/net";
import { REPO_ROOT } from "../helpers/repo";

type Store = { kind: "sqlite" | "postgres"; fresh: () => Promise<StateLocation> };

let postgres: Awaited<ReturnType<typeof startPostgres>> | null = null;
const dirs: string[] = [];
let databases = 0;

const sqlite: Store = {
  kind: "sqlite",
  fresh: async () => {
    const directory = mkdtempSync(join(tmpdir(), "backlight-state-"));
    dirs.push(directory);
    return { directory };
  },
};

const postgresStore: Store = {
  kind: "postgres",
  // A database per test: the tests stay independent, on one server.
  fresh: async () => {
    if (!postgres) throw new Error("PostgreSQL did not start");
    const name = `t${++databases}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = `/${name}`;
    return { url: url.toString() };
  },
};

const unavailable = postgresUnavailableReason();
// CI installs PostgreSQL (.ci/run): there, this suite must not be skipped.
if (unavailable && process.env.CI) throw new Error(`PostgreSQL is required in CI: ${unavailable}`);

beforeAll(async () => {
  if (!unavailable) postgres = await startPostgres();
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const stores: Store[] = unavailable ? [sqlite] : [sqlite, postgresStore];

/** Two handles on one fresh store: two replicas. */
async function twoReplicas(store: Store): Promise<[AppState, AppState, () => Promise<void>, StateLocation]> {
  const where = await store.fresh();
  // Opened together: the migrations run once (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE).
  const [a, b] = await Promise.all([AppState.open(where), AppState.open(where)]);
  return [a, b, async () => void (await Promise.all([a.close(), b.close()])), where];
}

const LIMIT: Limit = { limit: 5, windowMs: 60_000, lockMs: 60_000 };

describe.each(stores)("the app state in $kind", (store) => {
  it("keeps users, case-blind emails, sessions and tokens, seen by every replica", async () => {
    const [a, b, close] = await twoReplicas(store);
    try {
      expect(a.kind).toBe(store.kind);
      const ann = await a.addUser("ann@example.com", "finance", "hash-1");
      await a.addUser("Bob@example.com", "admin", "hash-2");
      await expect(b.addUser("ANN@example.com", "product", "hash-3")).rejects.toThrow();
      expect((await b.userByEmail("Ann@Example.com"))?.id).toBe(ann.id);
      expect((await b.listUsers()).map((u) => u.email)).toEqual(["ann@example.com", "Bob@example.com"]);

      const session = await a.createSession(ann.id, 3600_000);
      const seen = await b.sessionUser(session, 600_000);
      expect(seen?.user).toMatchObject({
        id: ann.id,
        email: "ann@example.com",
        role: "finance",
        disabled: false,
      });
      expect(typeof seen?.expiresAt).toBe("number");
      expect((await b.userById(ann.id))?.lastSignInAt).toBeGreaterThan(0);

      const { token, info } = await b.createToken(ann.id, "sheets");
      expect(info).toMatchObject({
        userId: ann.id,
        email: "ann@example.com",
        label: "sheets",
        revokedAt: null,
      });
      expect((await a.tokenUser(token))?.tokenId).toBe(info.id);
      expect((await a.listTokens(ann.id)).map((t) => t.id)).toEqual([info.id]);

      // Disabled on one replica: the session and the token are refused on the other, at once.
      await b.setDisabled(ann.id, true);
      expect(await a.sessionUser(session, 600_000)).toBeNull();
      expect(await a.tokenUser(token)).toBeNull();
      expect((await a.tokenById(info.id))?.revokedAt).toBeGreaterThan(0);
      await b.setDisabled(ann.id, false);
      expect(await a.tokenUser(token)).toBeNull(); // revoked for good

      // Signed out on one, gone on the other; a new password ends every session.
      const second = await a.createSession(ann.id, 3600_000);
      await b.deleteSession(second);
      expect(await a.sessionUser(second, 600_000)).toBeNull();
      const third = await a.createSession(ann.id, 3600_000);
      await b.setPassword(ann.id, "hash-4");
      expect(await a.sessionUser(third, 600_000)).toBeNull();
      expect((await a.userByEmail("ann@example.com"))?.passwordHash).toBe("hash-4");
      // Idle too long: refused.
      const idle = await a.createSession(ann.id, 3600_000);
      expect(await b.sessionUser(idle, -1)).toBeNull();
    } finally {
      await close();
    }
  });

  it("counts sign-in failures across replicas: a concurrent burst gets exactly the limit", async () => {
    const [a, b, close] = await twoReplicas(store);
    try {
      const keys = [{ key: "pair:x@example.com|10.0.0.1", limit: LIMIT }];
      // 24 attempts at once, half on each replica: 5 reserved, then the key is locked for the rest.
      const outcomes = await Promise.all(
        Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? a : b).reserveAttempt(keys)),
      );
      expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
      const until = await b.lockedUntil(keys[0]?.key ?? "");
      expect(until).toBeGreaterThan(Date.now() + 50_000);
      for (const o of outcomes.filter((o) => !o.ok)) expect(o).toMatchObject({ ok: false });

      // A success taken back on the other replica clears its keys.
      const other = [{ key: "pair:y@example.com|10.0.0.2", limit: LIMIT }];
      const reserved = await a.reserveAttempt(other);
      if (!reserved.ok) throw new Error("not reserved");
      await b.settleSuccess(reserved.reservation, ["pair:y@example.com|10.0.0.2"]);
      expect(await a.lockedUntil("pair:y@example.com|10.0.0.2")).toBe(0);

      await a.rememberAddress("x@example.com", "10.0.0.9");
      expect(await b.isKnownAddress("x@example.com", "10.0.0.9")).toBe(true);
      expect(await b.isKnownAddress("x@example.com", "10.0.0.8")).toBe(false);
    } finally {
      await close();
    }
  });

  it("claims each report run, alert check and lease once, whichever replica asks", async () => {
    const [a, b, close] = await twoReplicas(store);
    try {
      const user = await a.addUser("cfo@example.com", "finance", "h");
      const view = await a.saveView(user.id, "Europe, last month", "/?range=last_month", "executive");
      expect((await b.savedViewsFor({ id: 999, role: "executive" })).map((v) => v.id)).toEqual([view.id]);
      expect(await b.savedViewsFor({ id: 999, role: "product" })).toEqual([]);

      const sub = await b.subscribe(
        {
          userId: user.id,
          viewId: view.id,
          cadence: "weekly",
          weekday: 1,
          dayOfMonth: null,
          time: "08:00",
          timeZone: "Europe/Paris",
          locale: "fr-FR",
          format: "xlsx",
        },
        (id) => `secret-${id}`,
      );
      expect((await a.subscriptionByUnsubscribeToken(`secret-${sub.id}`))?.id).toBe(sub.id);
      expect((await a.activeSubscriptions()).map((s) => s.id)).toEqual([sub.id]);

      const due = Date.UTC(2026, 11, 7, 7);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claimSend(sub.id, due, `r${i}`)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      await a.finishSend(sub.id, due, { sent: false, error: "SMTP down" });
      expect(await b.claimSend(sub.id, due, "r-retry")).toBe(true); // a failed run may be tried again
      await b.finishSend(sub.id, due, { sent: true });
      expect(await a.claimSend(sub.id, due, "late")).toBe(false);
      expect((await a.sendsOf(sub.id))[0]).toMatchObject({ dueAt: due, status: "sent", attempts: 2 });

      expect(await a.acquireLease("reports", "replica-a", 60_000)).toBe(true);
      expect(await b.acquireLease("reports", "replica-b", 60_000)).toBe(false);
      expect(await a.acquireLease("reports", "replica-a", 60_000)).toBe(true); // renewed
      await a.releaseLease("reports", "replica-a");
      expect(await b.acquireLease("reports", "replica-b", 60_000)).toBe(true);

      const rule = await a.addAlert({
        userId: user.id,
        viewId: view.id,
        metric: "ebitda",
        op: "lt",
        threshold: -0.5,
        locale: "en-GB",
      });
      expect(rule).toMatchObject({ metric: "ebitda", threshold: -0.5, viewName: "Europe, last month" });
      const checks = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? a : b).claimAlertCheck(rule.id, "20261204T000000Z-00000000"),
        ),
      );
      expect(checks.filter(Boolean)).toHaveLength(1);
      await b.finishAlertCheck(rule.id, "20261204T000000Z-00000000", {
        status: "checked",
        value: -1.25,
        fired: true,
      });
      expect((await a.alertChecks(rule.id))[0]).toMatchObject({
        value: -1.25,
        fired: true,
        status: "checked",
      });

      // Deleting the view takes its subscription and alert with it.
      expect(await b.deleteView(view.id)).toBe(true);
      expect(await a.subscription(sub.id)).toBeNull();
      expect(await a.alert(rule.id)).toBeNull();
    } finally {
      await close();
    }
  });

  it("keeps business events and the audit log in order, from both replicas", async () => {
    const [a, b, close, where] = await twoReplicas(store);
    try {
      const before = await b.eventsVersion();
      const added = await a.addEvent(
        {
          day: "2026-03-01",
          label: { "en-GB": "Launch in Spain", "fr-FR": "Lancement en Espagne" },
          country: "ES",
        },
        "admin@example.com",
      );
      // This replica sees its own change at once; the other within its freshness window (5 s), or at
      // once when it had not read them yet.
      expect((await a.events()).map((e) => e.id)).toEqual([added.id]);
      const fresh = await AppState.open(where);
      try {
        expect((await fresh.events())[0]).toMatchObject({ day: "2026-03-01", country: "ES" });
        expect(await fresh.eventsVersion()).not.toBe(before);
      } finally {
        await fresh.close();
      }
      expect((await b.removeEvent(added.id))?.label["fr-FR"]).toBe("Lancement en Espagne");
      expect(await b.removeEvent(added.id)).toBeNull();

      for (let i = 0; i < 20; i++)
        await (i % 2 ? a : b).audit({ event: "export", actor: `User${i % 3}@Example.com`, detail: { n: i } });
      const all = await a.readAudit({ limit: 100 });
      expect(all.map((e) => e.detail.n)).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
      expect(all.every((e, i) => i === 0 || (all[i - 1]?.id ?? 0) > e.id)).toBe(true);
      const page = await b.readAudit({ limit: 5, before: all[4]?.id });
      expect(page.map((e) => e.detail.n)).toEqual([14, 13, 12, 11, 10]);
      const byActor = await b.readAudit({ limit: 100, actor: "user1@example.com", event: "export" });
      expect(byActor.map((e) => e.detail.n)).toEqual([19, 16, 13, 10, 7, 4, 1]);
    } finally {
      await close();
    }
  });
});

describe.skipIf(unavailable)("npm run users against PostgreSQL", () => {
  const users = (args: string[], env: Record<string, string>, input = "") =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--import", "tsx", "cli/users.ts", ...args],
        { cwd: REPO_ROOT, env: { ...process.env, ...env } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(input);
    });

  it("migrates, adds and lists accounts in BACKLIGHT_STATE_URL; a server it cannot reach is one line", async () => {
    const where = await postgresStore.fresh();
    if (!("url" in where)) throw new Error("not a URL");
    const env = { BACKLIGHT_STATE_URL: where.url };
    const migrated = await users(["migrate"], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(
      /app state up to date \(postgres: postgres:\/\/…@127\.0\.0\.1:\d+\/t\d+\)/,
    );
    const added = await users(
      ["add", "ops@example.com", "--role", "admin"],
      env,
      "a long enough passphrase 42\n",
    );
    expect(added.code, added.stderr).toBe(0);
    const listed = await users(["list"], env);
    expect(listed.stdout).toMatch(/ops@example\.com\s+admin\s+active/);
    // The same account, seen by the server's store.
    const state = await AppState.open(where);
    try {
      expect((await state.userByEmail("ops@example.com"))?.role).toBe("admin");
      expect((await state.readAudit({ limit: 5 }))[0]).toMatchObject({
        event: "user_added",
        target: "ops@example.com",
      });
    } finally {
      await state.close();
    }
    // Nobody listening there: exit 1 and one readable line, no stack trace, no password.
    const port = await freePort();
    const down = await users(["list"], { BACKLIGHT_STATE_URL: `postgres://ops:secret@127.0.0.1:${port}/x` });
    expect(down.code).not.toBe(0);
    expect(down.stderr.trim().split("\n")).toHaveLength(1);
    expect(down.stderr).toMatch(/cannot open the app state at postgres:\/\/…@127\.0\.0\.1:\d+\/x/);
    expect(down.stderr).not.toContain("secret");
    const bad = await users(["list"], { BACKLIGHT_STATE_URL: "mysql://somewhere/x" });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/BACKLIGHT_STATE_URL must be a postgres/);
  }, 60_000);
});

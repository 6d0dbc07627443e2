// Issue 17, rows 1, 3, 6 and 13, replayed against the built server: a burst of concurrent wrong
// sign-ins for one account (how many passwords get checked, and how long the real user waits meanwhile),
// a lock-out of the real user from elsewhere, huge form bodies, and a `next` that leaves the site.
// Bursts come from loopback addresses only (127.0.0.0/8), with bounded counts.

import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THROTTLE } from "~/.server/auth/gate.server";
import { loopback, postForm, rssMiB, send } from "../../bench/loopback";
import { createDemoDataDir, removeDir } from "../helpers/fixture-warehouse";
import { buildApp, emailOf, type RunningServer, startServer, TEST_PASSWORD } from "../helpers/server";

/** The real user's usual address; attackers use 127.0.0.10 and above. */
const USUAL = loopback(1);

let dataDir: string | undefined;
let server: RunningServer | undefined;
const running = (): RunningServer => {
  if (!server) throw new Error("server not started");
  return server;
};
const db = () => new Database(join(running().stateDir, "backlight.sqlite"));
const clearThrottle = () => {
  const state = db();
  state.prepare("DELETE FROM throttle").run();
  state.close();
};
/** Passwords checked for an account since an audit id: every hash ends in sign_in or sign_in_failed. */
const hashesSince = (email: string, afterId: number): { failed: number; signedIn: number } => {
  const state = db();
  const rows = state
    .prepare("SELECT event, count(*) AS n FROM audit WHERE actor = ? AND id > ? GROUP BY event")
    .all(email, afterId) as { event: string; n: number }[];
  state.close();
  const n = (event: string) => rows.find((r) => r.event === event)?.n ?? 0;
  return { failed: n("sign_in_failed"), signedIn: n("sign_in") };
};
const lastAuditId = (): number => {
  const state = db();
  const row = state.prepare("SELECT coalesce(max(id), 0) AS id FROM audit").get() as { id: number };
  state.close();
  return row.id;
};
const signIn = (email: string, password: string, from: string, extra: Record<string, string> = {}) =>
  postForm(running().baseUrl, "/login", { email, password, ...extra }, from);

beforeAll(async () => {
  [dataDir] = await Promise.all([createDemoDataDir(), buildApp()]);
  server = await startServer({ dataDir });
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe("row 1: a burst of 200 concurrent wrong sign-ins for one account", () => {
  it("checks at most the configured number of passwords; the real user signs in from their usual address meanwhile", async () => {
    clearThrottle();
    const email = emailOf("executive");
    // The real user has signed in from their usual address before: how long it takes on a quiet server
    // (this machine is shared, so the bound below is also checked against this same-run figure).
    const quiet: number[] = [];
    for (let i = 0; i < 2; i++) {
      const alone = await signIn(email, TEST_PASSWORD, USUAL);
      expect(alone.status).toBe(302);
      quiet.push(alone.ms);
    }
    const before = lastAuditId();
    // 199 wrong passwords from 10 addresses at once, then the right one (an attacker who has it among
    // the guesses): the throttle must stop checking long before it.
    const burst = Array.from({ length: 199 }, (_, i) =>
      signIn(email, `wrong password number ${i}`, loopback(10 + (i % 10))),
    );
    const right = signIn(email, TEST_PASSWORD, loopback(10));
    // The real user, from their usual address, while the burst is being answered.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const real = await signIn(email, TEST_PASSWORD, USUAL);
    const answers = await Promise.all(burst);
    const guessed = await right;
    const hashes = hashesSince(email, before);
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    console.log(
      `[security] burst of 200: ${hashes.failed} wrong passwords checked (limit ${THROTTLE.account.limit}), statuses ${JSON.stringify(Object.fromEntries(statuses))}, the right one among them ${guessed.status}; real user ${real.status} in ${real.ms.toFixed(0)} ms during the burst (${quiet.map((q) => q.toFixed(0)).join(", ")} ms alone)`,
    );
    expect(hashes.failed).toBeLessThanOrEqual(THROTTLE.account.limit);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    expect(guessed.status).toBe(429);
    expect(real.status).toBe(302);
    // How fast (issue 17's bar: within 1 s) depends on the machine and what else runs on it, so that
    // figure is measured by `npm run bench -- --only auth`, not asserted here; this test checks that
    // the real user is let in, not queued behind the throttled guesses.
  });
});

describe("row 6: failures from elsewhere never lock the real user out of their usual address", () => {
  it("locks the attacker's address for that account, not the user's", async () => {
    clearThrottle();
    const email = emailOf("product");
    expect((await signIn(email, TEST_PASSWORD, USUAL)).status).toBe(302);
    const attacker = loopback(40);
    for (let i = 0; i < THROTTLE.pair.limit; i++) await signIn(email, `wrong password ${i}`, attacker);
    // The attacker's address is locked for this account, even with the right password…
    const locked = await signIn(email, TEST_PASSWORD, attacker);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    // …the real user, from their usual address, is not.
    expect((await signIn(email, TEST_PASSWORD, USUAL)).status).toBe(302);
    // Nor after failures from many addresses (the per-account limit applies to new addresses only).
    for (let a = 0; a < 6; a++)
      for (let i = 0; i < 3; i++) await signIn(email, `wrong password ${i}`, loopback(50 + a));
    expect((await signIn(email, TEST_PASSWORD, USUAL)).status).toBe(302);
    // A new address is refused for a while (the account limit), whatever the password.
    expect((await signIn(email, TEST_PASSWORD, loopback(70))).status).toBe(429);
  });
});

describe("row 3: huge form bodies", () => {
  it("answers 413 before reading them; memory and /healthz stay unaffected", async () => {
    clearThrottle();
    const { baseUrl, pid } = running();
    const rssBefore = await rssMiB(pid);
    const chunk = Buffer.alloc(1024 * 1024, "a");
    const huge = (mib: number) =>
      send(baseUrl, "/login", {
        method: "POST",
        from: loopback(80),
        headers: {
          Origin: baseUrl,
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": String(mib * 1024 * 1024),
        },
        // Written as the socket takes it, stopped once the server has answered (after the first MiB,
        // a pause for the answer: a client racing on would only see the closed connection).
        stream: async (write, done) => {
          for (let i = 0; i < mib && !done(); i++) {
            if (!write(chunk) || i === 0)
              await new Promise((resolve) => setTimeout(resolve, i === 0 ? 500 : 5));
          }
        },
      });
    const started = performance.now();
    const bodies = [300, 400, 500, 600, 300, 400].map((mib) => huge(mib));
    const health = await send(baseUrl, "/healthz");
    const answers = await Promise.all(bodies);
    const rssAfter = await rssMiB(pid);
    console.log(
      `[security] six 300-600 MB bodies: ${answers.map((a) => a.status).join(", ")} in ${(performance.now() - started).toFixed(0)} ms; /healthz ${health.ms.toFixed(0)} ms; RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MiB`,
    );
    for (const a of answers) {
      expect(a.status).toBe(413);
      expect(a.body).toContain("64 KiB");
    }
    expect(health.status).toBe(200);
    // Not queued behind the uploads (which would take tens of seconds): a bound that separates the two,
    // not a speed target.
    expect(health.ms).toBeLessThan(5000);
    expect(rssAfter - rssBefore).toBeLessThan(100);
    // Without a declared length: 411, nothing read.
    const chunked = await send(baseUrl, "/login", {
      method: "POST",
      headers: { Origin: baseUrl, "Transfer-Encoding": "chunked", "Content-Type": "text/plain" },
      stream: async (write) => {
        write(Buffer.from("email=a"));
      },
    });
    expect(chunked.status).toBe(411);
    // A normal form still works.
    expect((await signIn(emailOf("finance"), TEST_PASSWORD, USUAL)).status).toBe(302);
  });
});

describe("row 13: a next that leaves the site", () => {
  it.each([
    "/\t/evil.test",
    "/\n/evil.test",
    "/ /evil.test",
    "/\\evil.test",
    "//evil.test",
    "https://evil.test",
  ])("next=%j goes home instead", async (next) => {
    clearThrottle();
    const answer = await signIn(emailOf("finance"), TEST_PASSWORD, USUAL, { next });
    expect(answer.status).toBe(302);
    const location = String(answer.headers.location);
    expect(location).not.toContain("evil");
    expect(location.startsWith("/")).toBe(true);
    expect(/^\/[^/\\\s]/.test(location) || location === "/").toBe(true);
  });

  it("keeps a plain path of the site", async () => {
    clearThrottle();
    const answer = await signIn(emailOf("finance"), TEST_PASSWORD, USUAL, {
      next: "/market?category=laptop",
    });
    expect(answer.headers.location).toBe("/market?category=laptop");
  });
});

// Build the app (once per test run) and run the built server as a real child process, with its own app
// state (one account per role, all with TEST_PASSWORD) and a session secret of its own.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { hashPassword } from "~/.server/auth/passwords.server";
import { AppState } from "~/.server/auth/state.server";
import { ROLES, type Role } from "~/auth/policy";
import { freePort } from "../../core/net";
import { SERVER_NODE_OPTIONS, serverThreadpool } from "../../core/server-process";
import { REPO_ROOT } from "./repo";
import { builtOnce } from "./run-cache";

export const TEST_PASSWORD = "test password, long enough";
export const emailOf = (role: Role) => `${role}@backlight.test`;

const run = promisify(execFile);

/** `npm run build`: the production build the server serves, made once per test run (run-cache.ts). */
export async function buildApp(): Promise<void> {
  const build = async () => {
    await run("npm", ["run", "build"], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  };
  if (!(await builtOnce("app-build", build))) await build();
}

export { freePort };

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** Where users, sessions, tokens and the audit log live (SQLite, readable while the server runs). */
  stateDir: string;
  /** `Cookie` header value of a signed-in session of that role (signed in once, then reused). */
  cookie: (role: Role) => Promise<string>;
  /** fetch on this server, signed in as `role` (null: anonymous). */
  fetch: (path: string, init?: RequestInit, role?: Role | null) => Promise<Response>;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A state directory with one account per role. */
export async function seedState(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "backlight-state-"));
  const state = await AppState.open(dir);
  const hash = await hashPassword(TEST_PASSWORD);
  for (const role of ROLES) await state.addUser(emailOf(role), role, hash);
  await state.close();
  return dir;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<Response> {
  return fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
}

export async function startServer(options: {
  dataDir: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Another server's app state (a second replica, or a restart): kept when this one stops. */
  stateDir?: string;
}): Promise<RunningServer> {
  const port = await freePort();
  const stateDir = options.stateDir ?? (await seedState());
  const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, "server.js"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      UV_THREADPOOL_SIZE: serverThreadpool(),
      PORT: String(port),
      BACKLIGHT_DATA_DIR: options.dataDir,
      BACKLIGHT_STATE_DIR: stateDir,
      BACKLIGHT_SESSION_SECRET: randomBytes(32).toString("base64url"),
      // The start-up renders (ADR 0037) would compete with a test's own requests for the two cores, with
      // nothing to show on a warehouse this small: off, except in tests/server/code-warming.test.ts.
      BACKLIGHT_WARM_RENDERS: "0",
      // Every page's loader data is checked to be plain JSON before it is sent as JSON text (ADR 0039):
      // a Date, a Map or a NaN would read differently in the browser than in the server's render.
      BACKLIGHT_CHECK_PAGE_DATA: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const cookies = new Map<Role, Promise<string>>();
  const cookie = (role: Role): Promise<string> => {
    let found = cookies.get(role);
    if (!found) {
      found = signIn(baseUrl, emailOf(role), TEST_PASSWORD).then((response) => {
        const set = response.headers.get("set-cookie");
        if (response.status !== 302 || !set) throw new Error(`sign-in as ${role} failed: ${response.status}`);
        return set.split(";")[0] as string;
      });
      cookies.set(role, found);
    }
    return found;
  };
  const server: RunningServer = {
    baseUrl,
    pid: child.pid ?? -1,
    stateDir,
    cookie,
    fetch: async (path, init = {}, role = "finance") => {
      const headers = new Headers(init.headers);
      if (role) headers.set("Cookie", await cookie(role));
      return fetch(`${baseUrl}${path}`, { ...init, headers });
    },
    output: () => output,
    stop: async () => {
      await stopChild(child);
      if (!options.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
  try {
    await waitForHealthz(server, child, options.timeoutMs ?? 30_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Waits until /healthz answers at all: 200 with a snapshot, 503 without one. */
async function waitForHealthz(server: RunningServer, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `server exited (${child.exitCode ?? child.signalCode}) before answering:\n${server.output()}`,
      );
    }
    try {
      const response = await fetch(`${server.baseUrl}/healthz`);
      await response.body?.cancel();
      if (response.status === 200 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not answer /healthz within ${timeoutMs} ms:\n${server.output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Signs a browser context in as `role` (the session cookie of server.cookie). */
export async function signInContext(
  context: { addCookies: (cookies: { name: string; value: string; url: string }[]) => Promise<void> },
  server: RunningServer,
  role: Role = "finance",
): Promise<void> {
  const [name = "", value = ""] = (await server.cookie(role)).split("=");
  await context.addCookies([{ name, value, url: server.baseUrl }]);
}

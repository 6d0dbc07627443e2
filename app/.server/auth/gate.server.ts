// Who is asking: cookie sessions for people, bearer tokens for scripted exports, sign-in with
// throttling, sign-out, CSRF tokens, and the security headers of every response. server.js calls
// `openGate()` at start (it refuses to start in production without BACKLIGHT_SESSION_SECRET) and
// `gate.context(...)` on every request; loaders and actions read the result from their load context
// (~/.server/auth/access.server.ts). Decisions in docs/decisions/0010-sign-in-roles-and-app-state.md.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "~/auth/policy";
import { decoyHash, hashPassword, verifyPassword } from "./passwords.server";
import { AppState, stateDirectory, stateLocation, TOKEN_PREFIX, type User } from "./state.server";

export interface Viewer {
  id: number;
  email: string;
  role: Role;
  /** How the request proved who it is: a browser session or an API token (downloads only). */
  via: "session" | "token";
}

/** What server.js hands every loader and action. */
export interface RequestContext {
  viewer: Viewer | null;
  /** The raw session id (from the verified cookie), for sign-out and the CSRF token. */
  sessionId: string | null;
  /** A genuine session cookie came with the request, but its session is over (idle, lifetime, signed out). */
  expired?: boolean;
  /** The CSP nonce of this response. */
  nonce: string;
  ip: string;
  secure: boolean;
}

export interface GateConfig {
  secret: string;
  idleMs: number;
  absoluteMs: number;
  stateDir: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Sign-in failures before a lock (15-minute window, 15-minute lock, doubling while failures go on):
 * - per account and address pair (any email typed, known or not): 5;
 * - per address, whatever the emails: 20;
 * - per account, from addresses it has never signed in from: 10. An account's usual addresses (a
 *   successful sign-in there in the last 90 days) are exempt from this one, so failures elsewhere can
 *   never lock the real user out of them.
 * Each failure is counted before the password is hashed (reserve, then settle), so a burst checks at
 * most the limit's number of passwords.
 */
export const THROTTLE = {
  pair: { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ip: { limit: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  account: { limit: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const;

export const SIGN_IN_FAILED = "Email or password is incorrect.";

export type SignInResult =
  | { ok: true; user: User; cookie: string }
  | { ok: false; status: 400 | 401 | 429; message: string; retryAfterSeconds?: number };

function minutesFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number`);
  return value;
}

export function configFromEnv(): GateConfig {
  let secret = process.env.BACKLIGHT_SESSION_SECRET ?? "";
  if (!secret) {
    if (process.env.NODE_ENV === "production")
      throw new ConfigError(
        "BACKLIGHT_SESSION_SECRET is not set: the server will not start in production without it (32+ random characters, e.g. `openssl rand -base64 32`)",
      );
    // Development only: sessions do not outlive the process.
    secret = randomBytes(32).toString("base64url");
  }
  if (secret.length < 32) throw new ConfigError("BACKLIGHT_SESSION_SECRET must be at least 32 characters");
  return {
    secret,
    idleMs: minutesFromEnv("BACKLIGHT_SESSION_IDLE_MINUTES", 60) * 60_000,
    absoluteMs: minutesFromEnv("BACKLIGHT_SESSION_HOURS", 12) * 3600_000,
    stateDir: stateDirectory(),
  };
}

const viewerOf = (user: User, via: Viewer["via"]): Viewer => ({
  id: user.id,
  email: user.email,
  role: user.role,
  via,
});

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header || header.length > 8192) return cookies;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}

/**
 * The password hashes' slots: urgent work (a sign-in from the account's usual address) may take any free
 * slot and goes first; other work never takes the last free one. A burst of guesses from elsewhere thus
 * never makes the real user wait for a slot: their hash starts at once.
 */
class HashSlots {
  #free: number;
  readonly #urgent: (() => void)[] = [];
  readonly #waiting: (() => void)[] = [];

  constructor(slots: number) {
    this.#free = slots;
  }

  async run<T>(urgent: boolean, work: () => Promise<T>): Promise<T> {
    if (this.#free > (urgent ? 0 : 1)) this.#free -= 1;
    else await new Promise<void>((resolve) => (urgent ? this.#urgent : this.#waiting).push(resolve));
    try {
      return await work();
    } finally {
      this.#free += 1;
      this.#next();
    }
  }

  #next(): void {
    const urgent = this.#urgent.shift();
    if (urgent) {
      this.#free -= 1;
      urgent();
      return;
    }
    if (this.#free > 1) {
      const next = this.#waiting.shift();
      if (next) {
        this.#free -= 1;
        next();
      }
    }
  }
}

export class Gate {
  /** At most a few password hashes at once: each takes 32 MiB and a core for ~0.3 s. */
  private readonly hashing = new HashSlots(2);

  private constructor(
    readonly config: GateConfig,
    readonly state: AppState,
  ) {
    // Made now, not at the first unknown email: that one would otherwise take two hashes' time.
    void decoyHash();
  }

  /** A gate over the app state the configuration names (SQLite directory, or BACKLIGHT_STATE_URL). */
  static async open(config: GateConfig): Promise<Gate> {
    return new Gate(config, await AppState.open(stateLocation(config.stateDir)));
  }

  /** `__Host-` pins the cookie to this origin and path /, but needs Secure, so only behind TLS. */
  cookieName(secure: boolean): string {
    return secure ? "__Host-backlight_session" : "backlight_session";
  }

  private sign(value: string): string {
    return createHmac("sha256", this.config.secret).update(value).digest("base64url");
  }

  private verified(cookie: string | undefined): string | null {
    if (!cookie) return null;
    const [id, mac] = cookie.split(".");
    if (!id || !mac || id.length > 64 || mac.length > 64) return null;
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
  }

  /** Who the request is from. Bearer tokens count only where `acceptToken` (downloads). */
  async context(request: {
    cookie?: string;
    authorization?: string;
    acceptToken: boolean;
    ip: string;
    secure: boolean;
    nonce: string;
  }): Promise<RequestContext> {
    const base = { nonce: request.nonce, ip: request.ip, secure: request.secure };
    if (request.acceptToken && request.authorization) {
      const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(request.authorization);
      const found = match?.[1]?.startsWith(TOKEN_PREFIX) ? await this.state.tokenUser(match[1]) : null;
      return { ...base, viewer: found ? viewerOf(found.user, "token") : null, sessionId: null };
    }
    const sessionId = this.verified(parseCookies(request.cookie).get(this.cookieName(request.secure)));
    const found = sessionId ? await this.state.sessionUser(sessionId, this.config.idleMs) : null;
    return {
      ...base,
      viewer: found ? viewerOf(found.user, "session") : null,
      sessionId: found ? sessionId : null,
      expired: Boolean(sessionId && !found),
    };
  }

  sessionCookie(id: string, secure: boolean): string {
    const maxAge = Math.floor(this.config.absoluteMs / 1000);
    return [
      `${this.cookieName(secure)}=${id}.${this.sign(id)}`,
      "Path=/",
      "HttpOnly",
      "SameSite=Lax",
      `Max-Age=${maxAge}`,
      ...(secure ? ["Secure"] : []),
    ].join("; ");
  }

  clearCookie(secure: boolean): string {
    return [
      `${this.cookieName(secure)}=`,
      "Path=/",
      "HttpOnly",
      "SameSite=Lax",
      "Max-Age=0",
      ...(secure ? ["Secure"] : []),
    ].join("; ");
  }

  /**
   * The secret of a report subscription's unsubscribe link: its id signed with the session secret, so
   * every mail can carry it and none can be guessed (the app state keeps only its digest).
   */
  unsubscribeToken(subscriptionId: number): string {
    return this.sign(`unsubscribe:${subscriptionId}`);
  }

  /** The CSRF token of a session: bound to it, so a token from another session is worthless. */
  csrfToken(sessionId: string): string {
    return this.sign(`csrf:${sessionId}`);
  }

  checkCsrf(context: RequestContext, token: unknown): boolean {
    if (!context.sessionId || typeof token !== "string" || token.length > 128) return false;
    const expected = Buffer.from(this.csrfToken(context.sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Email + password → a new session (a new id every time: no fixation), or why not. Unknown emails,
   * wrong passwords and disabled accounts get the same answer after the same work; locks apply to any
   * email typed, known or not, and to the address.
   */
  /** The throttle keys of a sign-in attempt, and whether the address is one of the account's usual. */
  private async attemptKeys(normalised: string, ip: string) {
    const pairKey = `pair:${normalised}|${ip}`;
    const ipKey = `ip:${ip}`;
    const accountKey = `account:${normalised}`;
    const usual = await this.state.isKnownAddress(normalised, ip);
    const keys = [
      { key: pairKey, limit: THROTTLE.pair },
      { key: ipKey, limit: THROTTLE.ip },
      ...(usual ? [] : [{ key: accountKey, limit: THROTTLE.account }]),
    ];
    return { pairKey, accountKey, usual, keys };
  }

  /**
   * A refusal for an attempt that is throttled now (server.js answers it before the page is rendered:
   * a burst of refused attempts must cost next to nothing), or null. Audited like any refusal.
   */
  async refuseIfThrottled(email: string, ip: string): Promise<(SignInResult & { ok: false }) | null> {
    const normalised = email.trim().toLowerCase().slice(0, 320);
    const { keys } = await this.attemptKeys(normalised, ip);
    const until = await this.lockedUntil(keys);
    if (until <= Date.now()) return null;
    await this.state.audit({ event: "sign_in_throttled", actor: normalised, ip });
    return this.throttled(until) as SignInResult & { ok: false };
  }

  async signIn(email: string, password: string, context: RequestContext): Promise<SignInResult> {
    const normalised = email.trim().toLowerCase();
    const { pairKey, accountKey, usual, keys } = await this.attemptKeys(normalised, context.ip);
    // Counted as a failure before the hash: a concurrent burst cannot get past the limit.
    const reserved = await this.state.reserveAttempt(keys);
    if (!reserved.ok) {
      await this.state.audit({ event: "sign_in_throttled", actor: normalised, ip: context.ip });
      return this.throttled(reserved.lockedUntil);
    }
    const user = await this.state.userByEmail(normalised);
    // Every hash ends in one audit row (sign_in or sign_in_failed): the count of passwords checked.
    const verdict = await this.hashing.run(usual, () => verifyPassword(password, user?.passwordHash ?? null));
    if (!user || !verdict.ok || user.disabled) {
      await this.state.audit({
        event: "sign_in_failed",
        actor: normalised,
        ip: context.ip,
        detail: { reason: !user ? "unknown_account" : user.disabled ? "disabled" : "wrong_password" },
      });
      const until = await this.lockedUntil(keys);
      if (until > Date.now()) return this.throttled(until);
      return { ok: false, status: 401, message: SIGN_IN_FAILED };
    }
    await this.state.settleSuccess(reserved.reservation, [pairKey, accountKey]);
    await this.state.rememberAddress(normalised, context.ip);
    if (verdict.rehash) await this.state.upgradeHash(user.id, await hashPassword(password));
    if (context.sessionId) await this.state.deleteSession(context.sessionId);
    const id = await this.state.createSession(user.id, this.config.absoluteMs);
    await this.state.audit({ event: "sign_in", actor: user.email, role: user.role, ip: context.ip });
    return { ok: true, user, cookie: this.sessionCookie(id, context.secure) };
  }

  /** The latest lock among `keys` (epoch ms), or 0. */
  private async lockedUntil(keys: readonly { key: string }[]): Promise<number> {
    let until = 0;
    for (const { key } of keys) until = Math.max(until, await this.state.lockedUntil(key));
    return until;
  }

  private throttled(until: number): SignInResult {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    return {
      ok: false,
      status: 429,
      message: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      retryAfterSeconds: seconds,
    };
  }

  async signOut(context: RequestContext): Promise<string> {
    if (context.sessionId) await this.state.deleteSession(context.sessionId);
    if (context.viewer)
      await this.state.audit({
        event: "sign_out",
        actor: context.viewer.email,
        role: context.viewer.role,
        ip: context.ip,
      });
    return this.clearCookie(context.secure);
  }
}

/**
 * The headers every response carries. The CSP allows scripts from this origin and inline scripts
 * with this response's nonce only; inline style attributes (charts position their labels with them)
 * but no inline style sheets; no frames, no plugins, no form posts elsewhere.
 */
export function securityHeaders(nonce: string, secure: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(secure ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}

// One gate per process, kept on globalThis so that a development reload of this module reuses it.
const registry = globalThis as typeof globalThis & {
  __backlightGate?: Gate;
  __backlightGateOpening?: Promise<Gate>;
};

/**
 * The process's gate (one app-state connection or pool); rejects with ConfigError when the settings are
 * unusable, or with the store's error when it cannot be opened (PostgreSQL down, say).
 */
export async function openGate(): Promise<Gate> {
  if (registry.__backlightGate) return registry.__backlightGate;
  registry.__backlightGateOpening ??= Gate.open(configFromEnv()).then(
    (gate) => {
      registry.__backlightGate = gate;
      return gate;
    },
    (error: unknown) => {
      registry.__backlightGateOpening = undefined;
      throw error;
    },
  );
  return registry.__backlightGateOpening;
}

export function currentGate(): Gate {
  const gate = registry.__backlightGate;
  if (!gate) throw new Error("the gate is not open: the server opens it at start (server.js)");
  return gate;
}

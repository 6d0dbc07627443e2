// App state — users, sessions, API tokens, the audit log and sign-in throttling — in one SQLite file
// under the state directory (default <data dir>/state, or BACKLIGHT_STATE_DIR), apart from the
// warehouse snapshots: publishing a snapshot never touches it, and it is written by the server and by
// `npm run users` at the same time (SQLite's WAL and busy timeout serialise them; DuckDB could not,
// one writer process per file). See docs/decisions/0010-sign-in-roles-and-app-state.md.
//
// Secrets are never stored: passwords as scrypt hashes, session ids and API tokens as SHA-256 digests
// (both are 256-bit random values, so a fast digest is enough). Times are epoch milliseconds.

import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { type AuditEvent, isRole, type Role } from "~/auth/policy";

export interface User {
  id: number;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  lastSignInAt: number | null;
}

export interface TokenInfo {
  id: number;
  userId: number;
  email: string;
  label: string;
  /** The first characters of the token, to tell tokens apart; never enough to use one. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  event: AuditEvent;
  actor: string | null;
  role: string | null;
  ip: string | null;
  target: string | null;
  detail: Record<string, unknown>;
}

export { AUDIT_EVENTS, type AuditEvent } from "~/auth/policy";

/** A dashboard address kept under a name: its owner's alone, or shared with everyone of a role. */
export interface SavedView {
  id: number;
  name: string;
  /** Path and query of a dashboard page, e.g. "/regions?range=year_to_date&costs=allocated". */
  path: string;
  sharedWith: Role | null;
  ownerId: number;
  ownerEmail: string;
  createdAt: number;
}

interface SavedViewRow {
  id: number;
  name: string;
  path: string;
  shared_with: string | null;
  user_id: number;
  email: string;
  created_at: number;
}

const SAVED_VIEW_SELECT =
  "SELECT v.id, v.name, v.path, v.shared_with, v.user_id, u.email, v.created_at FROM saved_views v JOIN users u ON u.id = v.user_id";

function toSavedView(row: SavedViewRow): SavedView {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    sharedWith: row.shared_with && isRole(row.shared_with) ? row.shared_with : null,
    ownerId: row.user_id,
    ownerEmail: row.email,
    createdAt: row.created_at,
  };
}

const SCHEMA = [
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     email TEXT NOT NULL UNIQUE COLLATE NOCASE,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     last_sign_in_at INTEGER
   )`,
  `CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   )`,
  "CREATE INDEX sessions_user ON sessions(user_id)",
  `CREATE TABLE api_tokens (
     id INTEGER PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     label TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     prefix TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER,
     revoked_at INTEGER
   )`,
  `CREATE TABLE audit (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     event TEXT NOT NULL,
     actor TEXT,
     role TEXT,
     ip TEXT,
     target TEXT,
     detail TEXT NOT NULL DEFAULT '{}'
   )`,
  "CREATE INDEX audit_at ON audit(at)",
  `CREATE TABLE throttle (
     key TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     window_start INTEGER NOT NULL,
     locked_until INTEGER NOT NULL DEFAULT 0
   )`,
];

/**
 * Version 2: the addresses each account signed in from (its usual addresses: the per-account sign-in
 * limit does not apply there, so nobody elsewhere can lock the user out of them).
 */
const SCHEMA_2 = [
  `CREATE TABLE known_addresses (
     account TEXT NOT NULL,
     ip TEXT NOT NULL,
     last_success_at INTEGER NOT NULL,
     PRIMARY KEY (account, ip)
   )`,
];
/**
 * Version 3: saved views (issue 21): a dashboard address under a name, the owner's alone or shared with
 * everyone of a role.
 */
const SCHEMA_3 = [
  `CREATE TABLE saved_views (
     id INTEGER PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     path TEXT NOT NULL,
     shared_with TEXT,
     created_at INTEGER NOT NULL
   )`,
  "CREATE INDEX saved_views_user ON saved_views(user_id)",
];
/**
 * Version 4: scheduled reports (issue 21). A subscription mails a saved view to its user on a schedule;
 * each due run is claimed once in `report_sends` (its primary key: the subscription and the instant it
 * was due) before the mail goes, so no instant is ever mailed twice, whichever process or replica
 * claims it; `leases` names the one process that sends at a time.
 */
const SCHEMA_4 = [
  `CREATE TABLE report_subscriptions (
     id INTEGER PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     view_id INTEGER NOT NULL REFERENCES saved_views(id) ON DELETE CASCADE,
     cadence TEXT NOT NULL,
     weekday INTEGER,
     day_of_month INTEGER,
     time TEXT NOT NULL,
     time_zone TEXT NOT NULL,
     locale TEXT NOT NULL,
     format TEXT NOT NULL,
     unsubscribe_hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   )`,
  "CREATE INDEX report_subscriptions_user ON report_subscriptions(user_id)",
  `CREATE TABLE report_sends (
     subscription_id INTEGER NOT NULL REFERENCES report_subscriptions(id) ON DELETE CASCADE,
     due_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     claimed_by TEXT NOT NULL,
     claimed_at INTEGER NOT NULL,
     sent_at INTEGER,
     error TEXT,
     PRIMARY KEY (subscription_id, due_at)
   )`,
  `CREATE TABLE leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   )`,
];
/**
 * Version 5: alerts (issue 21). A rule watches one metric of a saved view ("Europe's EBITDA of the last
 * whole month < 0"); each published snapshot is checked once per rule (`alert_checks`, keyed by rule
 * and snapshot, claimed before the check), with the figure found and whether it fired.
 */
const SCHEMA_5 = [
  `CREATE TABLE alert_rules (
     id INTEGER PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     view_id INTEGER NOT NULL REFERENCES saved_views(id) ON DELETE CASCADE,
     metric TEXT NOT NULL,
     op TEXT NOT NULL,
     threshold REAL NOT NULL,
     locale TEXT NOT NULL,
     created_at INTEGER NOT NULL
   )`,
  "CREATE INDEX alert_rules_user ON alert_rules(user_id)",
  `CREATE TABLE alert_checks (
     rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
     snapshot_id TEXT NOT NULL,
     status TEXT NOT NULL,
     value REAL,
     fired INTEGER NOT NULL DEFAULT 0,
     checked_at INTEGER NOT NULL,
     PRIMARY KEY (rule_id, snapshot_id)
   )`,
];
/**
 * Version 6: business events (issue 21): partnership starts, launches, a reorganisation, entered by an
 * admin, drawn as labelled markers on the time charts and listed in the workbooks.
 */
const SCHEMA_6 = [
  `CREATE TABLE business_events (
     id INTEGER PRIMARY KEY,
     day TEXT NOT NULL,
     label_en TEXT NOT NULL,
     label_fr TEXT NOT NULL,
     country TEXT,
     created_by TEXT,
     created_at INTEGER NOT NULL
   )`,
  "CREATE INDEX business_events_day ON business_events(day)",
];
const SCHEMA_VERSION = 6;

/** How long the kept business events are trusted before they are read again (changes by this process drop them at once). */
const EVENTS_FRESH_MS = 5_000;

/** A dated business event: shown on every time chart whose period holds it. */
export interface BusinessEvent {
  id: number;
  /** YYYY-MM-DD */
  day: string;
  label: { "en-GB": string; "fr-FR": string };
  /** The country it concerns, or null for the whole company. */
  country: string | null;
}

/** An alert's comparison: the figure below or above the threshold. */
export const ALERT_OPS = ["lt", "gt"] as const;
export type AlertOp = (typeof ALERT_OPS)[number];

export interface AlertRule {
  id: number;
  userId: number;
  email: string;
  role: Role;
  disabled: boolean;
  viewId: number;
  viewName: string;
  path: string;
  metric: string;
  op: AlertOp;
  /** In the metric's own unit: euros, a count, or a ratio (0.05 = 5 %). */
  threshold: number;
  /** The language of its mails. */
  locale: string;
  createdAt: number;
}

export interface AlertCheck {
  ruleId: number;
  snapshotId: string;
  status: string;
  value: number | null;
  fired: boolean;
  checkedAt: number;
}

const ALERT_SELECT = `SELECT a.id, a.user_id, u.email, u.role, u.disabled, a.view_id, v.name, v.path, a.metric, a.op,
  a.threshold, a.locale, a.created_at FROM alert_rules a JOIN users u ON u.id = a.user_id JOIN saved_views v ON v.id = a.view_id`;

interface AlertRow {
  id: number;
  user_id: number;
  email: string;
  role: Role;
  disabled: number;
  view_id: number;
  name: string;
  path: string;
  metric: string;
  op: AlertOp;
  threshold: number;
  locale: string;
  created_at: number;
}

const toAlert = (r: AlertRow): AlertRule => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  role: r.role,
  disabled: r.disabled === 1,
  viewId: r.view_id,
  viewName: r.name,
  path: r.path,
  metric: r.metric,
  op: r.op,
  threshold: r.threshold,
  locale: r.locale,
  createdAt: r.created_at,
});

/** How often a report is sent. */
export const CADENCES = ["daily", "weekly", "monthly"] as const;
export type Cadence = (typeof CADENCES)[number];

/** A saved view mailed to its subscriber on a schedule, in their time zone and language. */
export interface Subscription {
  id: number;
  userId: number;
  email: string;
  role: Role;
  disabled: boolean;
  viewId: number;
  viewName: string;
  path: string;
  cadence: Cadence;
  /** 1 = Monday … 7 = Sunday (weekly). */
  weekday: number | null;
  /** 1–28 (monthly: every month has it). */
  dayOfMonth: number | null;
  /** HH:MM in `timeZone`. */
  time: string;
  timeZone: string;
  locale: string;
  /** The attachments' format: csv-excel-fr, csv-excel-en, xlsx, or none. */
  format: string;
  createdAt: number;
}

interface SubscriptionRow {
  id: number;
  user_id: number;
  email: string;
  role: Role;
  disabled: number;
  view_id: number;
  name: string;
  path: string;
  cadence: Cadence;
  weekday: number | null;
  day_of_month: number | null;
  time: string;
  time_zone: string;
  locale: string;
  format: string;
  created_at: number;
}

const SUBSCRIPTION_SELECT = `SELECT s.id, s.user_id, u.email, u.role, u.disabled, s.view_id, v.name, v.path, s.cadence,
  s.weekday, s.day_of_month, s.time, s.time_zone, s.locale, s.format, s.created_at
  FROM report_subscriptions s JOIN users u ON u.id = s.user_id JOIN saved_views v ON v.id = s.view_id`;

const toSubscription = (r: SubscriptionRow): Subscription => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  role: r.role,
  disabled: r.disabled === 1,
  viewId: r.view_id,
  viewName: r.name,
  path: r.path,
  cadence: r.cadence,
  weekday: r.weekday,
  dayOfMonth: r.day_of_month,
  time: r.time,
  timeZone: r.time_zone,
  locale: r.locale,
  format: r.format,
  createdAt: r.created_at,
});

/** How long an address stays an account's usual one after its last successful sign-in from it. */
export const KNOWN_ADDRESS_MS = 90 * 24 * 3600_000;

/** A sign-in limit: `limit` failures within `windowMs` lock the key for `lockMs` (doubling after). */
export interface Limit {
  limit: number;
  windowMs: number;
  lockMs: number;
}

/** What `reserveAttempt` took: settle it with `settleAttempt` once the password is checked. */
export interface Reservation {
  keys: { key: string; limit: Limit; lockedByThis: boolean }[];
}

export const digest = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** A 256-bit random value, base64url. */
export const randomSecret = (): string => randomBytes(32).toString("base64url");

export const TOKEN_PREFIX = "blt_";

export function stateDirectory(dataDir?: string): string {
  if (process.env.BACKLIGHT_STATE_DIR) return resolve(process.env.BACKLIGHT_STATE_DIR);
  return join(resolve(dataDir ?? (process.env.BACKLIGHT_DATA_DIR || "data")), "state");
}

interface UserRow {
  id: number;
  email: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: number;
  last_sign_in_at: number | null;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  role: row.role,
  disabled: row.disabled === 1,
  createdAt: row.created_at,
  lastSignInAt: row.last_sign_in_at,
});

/** Who is told of each audited event as it is written (the /metrics counters, by event). */
const auditObservers = new Set<(event: AuditEvent) => void>();
export function observeAudit(observe: (event: AuditEvent) => void): () => void {
  auditObservers.add(observe);
  return () => auditObservers.delete(observe);
}

export class AppState {
  readonly file: string;
  private readonly db: Database.Database;

  constructor(directory: string) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    this.file = join(directory, "backlight.sqlite");
    this.db = new Database(this.file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    // The server and the users CLI may write at the same moment: wait for the other instead of failing.
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
  }

  private migrate(): void {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return;
    this.db
      .transaction(() => {
        const now = this.db.pragma("user_version", { simple: true }) as number;
        if (now < 1) for (const statement of SCHEMA) this.db.exec(statement);
        if (now < 2) for (const statement of SCHEMA_2) this.db.exec(statement);
        if (now < 3) for (const statement of SCHEMA_3) this.db.exec(statement);
        if (now < 4) for (const statement of SCHEMA_4) this.db.exec(statement);
        if (now < 5) for (const statement of SCHEMA_5) this.db.exec(statement);
        if (now < 6) for (const statement of SCHEMA_6) this.db.exec(statement);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      .immediate();
  }

  close(): void {
    this.db.close();
  }

  /** Statements are compiled once: the session lookup runs on every request. */
  private readonly statements = new Map<string, Database.Statement>();
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  // ── users ──────────────────────────────────────────────────────────────────────────────────────

  userByEmail(email: string): (User & { passwordHash: string }) | null {
    const row = this.sql("SELECT * FROM users WHERE email = ?").get(email) as UserRow | undefined;
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  userById(id: number): User | null {
    const row = this.sql("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  listUsers(): User[] {
    return (this.sql("SELECT * FROM users ORDER BY email").all() as UserRow[]).map(toUser);
  }

  addUser(email: string, role: Role, passwordHash: string): User {
    const now = Date.now();
    const info = this.db
      .prepare(
        "INSERT INTO users (email, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(email, role, passwordHash, now, now);
    return this.userById(Number(info.lastInsertRowid)) as User;
  }

  setRole(id: number, role: Role): void {
    this.sql("UPDATE users SET role = ?, updated_at = ? WHERE id = ?").run(role, Date.now(), id);
  }

  /**
   * Disabling ends the user's sessions and revokes their API tokens at once: enabling the user again
   * does not bring old tokens back (whoever held one when the account was closed keeps nothing).
   */
  setDisabled(id: number, disabled: boolean): void {
    this.db.transaction(() => {
      const now = Date.now();
      this.db
        .prepare("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?")
        .run(disabled ? 1 : 0, now, id);
      if (disabled) {
        this.sql("DELETE FROM sessions WHERE user_id = ?").run(id);
        this.sql("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL").run(
          now,
          id,
        );
      }
    })();
  }

  /** A new password ends every session of the user (whoever knew the old one is signed out). */
  setPassword(id: number, passwordHash: string): void {
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")
        .run(passwordHash, Date.now(), id);
      this.sql("DELETE FROM sessions WHERE user_id = ?").run(id);
    })();
  }

  /** Rehash with today's parameters, without signing anyone out. */
  upgradeHash(id: number, passwordHash: string): void {
    this.sql("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, id);
  }

  // ── sessions ───────────────────────────────────────────────────────────────────────────────────

  createSession(userId: number, absoluteMs: number): string {
    const id = randomSecret();
    const now = Date.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .run(digest(id), userId, now, now, now + absoluteMs);
      this.sql("UPDATE users SET last_sign_in_at = ? WHERE id = ?").run(now, userId);
      // Housekeeping: sessions past their absolute expiry are gone for good.
      this.sql("DELETE FROM sessions WHERE expires_at < ?").run(now);
    })();
    return id;
  }

  /**
   * The user of a live session, or null: unknown, past its absolute expiry, idle too long, or its user
   * disabled. last_seen_at is written at most once a minute, not on every request.
   */
  sessionUser(id: string, idleMs: number): { user: User; sessionHash: string; expiresAt: number } | null {
    const hash = digest(id);
    const now = Date.now();
    const row = this.db
      .prepare(
        `SELECT u.*, s.last_seen_at AS seen, s.expires_at AS expires
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
      )
      .get(hash) as (UserRow & { seen: number; expires: number }) | undefined;
    if (!row) return null;
    if (row.disabled === 1 || row.expires <= now || row.seen + idleMs <= now) {
      this.sql("DELETE FROM sessions WHERE id_hash = ?").run(hash);
      return null;
    }
    if (now - row.seen > 60_000)
      this.sql("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?").run(now, hash);
    return { user: toUser(row), sessionHash: hash, expiresAt: row.expires };
  }

  deleteSession(id: string): void {
    this.sql("DELETE FROM sessions WHERE id_hash = ?").run(digest(id));
  }

  // ── API tokens ─────────────────────────────────────────────────────────────────────────────────

  /** A new token for the user: returned once, stored as a digest. */
  createToken(userId: number, label: string): { token: string; info: TokenInfo } {
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const info = this.db
      .prepare(
        "INSERT INTO api_tokens (user_id, label, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(userId, label, digest(token), token.slice(0, TOKEN_PREFIX.length + 6), Date.now());
    return { token, info: this.tokenById(Number(info.lastInsertRowid)) as TokenInfo };
  }

  tokenById(id: number): TokenInfo | null {
    return (this.tokens("WHERE t.id = ?", id)[0] ?? null) as TokenInfo | null;
  }

  listTokens(userId?: number): TokenInfo[] {
    return userId === undefined
      ? this.tokens("ORDER BY t.created_at DESC")
      : this.tokens("WHERE t.user_id = ? ORDER BY t.created_at DESC", userId);
  }

  private tokens(where: string, ...args: unknown[]): TokenInfo[] {
    const rows = this.db
      .prepare(
        `SELECT t.id, t.user_id, u.email, t.label, t.prefix, t.created_at, t.last_used_at, t.revoked_at
           FROM api_tokens t JOIN users u ON u.id = t.user_id ${where}`,
      )
      .all(...args) as {
      id: number;
      user_id: number;
      email: string;
      label: string;
      prefix: string;
      created_at: number;
      last_used_at: number | null;
      revoked_at: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      email: r.email,
      label: r.label,
      prefix: r.prefix,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
  }

  revokeToken(id: number): boolean {
    const info = this.db
      .prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
      .run(Date.now(), id);
    return info.changes === 1;
  }

  /** The user a bearer token stands for: not revoked, user not disabled. */
  tokenUser(token: string): { user: User; tokenId: number } | null {
    const row = this.db
      .prepare(
        `SELECT u.*, t.id AS token_id, t.last_used_at AS used FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`,
      )
      .get(digest(token)) as (UserRow & { token_id: number; used: number | null }) | undefined;
    if (!row) return null;
    const now = Date.now();
    if (row.used === null || now - row.used > 60_000)
      this.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(now, row.token_id);
    return { user: toUser(row), tokenId: row.token_id };
  }

  // ── sign-in throttling ─────────────────────────────────────────────────────────────────────────

  /** Until when the key is locked (epoch ms), or 0. */
  lockedUntil(key: string): number {
    const row = this.sql("SELECT locked_until FROM throttle WHERE key = ?").get(key) as
      | { locked_until: number }
      | undefined;
    return row && row.locked_until > Date.now() ? row.locked_until : 0;
  }

  /**
   * Reserve-then-settle: in one transaction, either refuse (a key is locked: the latest lock's end) or
   * count this attempt as a failure of every key *before* the password is checked. A burst of
   * concurrent attempts therefore gets at most `limit` hashes per key: the attempt that reaches the
   * limit locks the key for the ones behind it. `settleAttempt` takes the failure back on success.
   * At `limit` failures in the window the key is locked for `lockMs`, doubled for each further lock in
   * the same window (capped at a day).
   */
  reserveAttempt(
    keys: { key: string; limit: Limit }[],
  ): { ok: true; reservation: Reservation } | { ok: false; lockedUntil: number } {
    const now = Date.now();
    return this.db
      .transaction(() => {
        const locked = Math.max(0, ...keys.map(({ key }) => this.lockedUntil(key)));
        if (locked > now) return { ok: false as const, lockedUntil: locked };
        const reservation: Reservation = { keys: [] };
        for (const { key, limit } of keys) {
          const row = this.sql("SELECT * FROM throttle WHERE key = ?").get(key) as
            | { failures: number; window_start: number; locked_until: number }
            | undefined;
          const fresh = !row || row.window_start + limit.windowMs < now;
          const failures = fresh ? 1 : row.failures + 1;
          const start = fresh ? now : row.window_start;
          let lockedUntil = fresh ? 0 : row.locked_until;
          const lockedByThis = failures >= limit.limit && failures % limit.limit === 0;
          if (lockedByThis) {
            const doubling = 2 ** Math.min(Math.floor(failures / limit.limit) - 1, 6);
            lockedUntil = now + Math.min(limit.lockMs * doubling, 24 * 3600_000);
          }
          this.sql(
            `INSERT INTO throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
             ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
               locked_until = excluded.locked_until`,
          ).run(key, failures, start, lockedUntil);
          reservation.keys.push({ key, limit, lockedByThis });
        }
        return { ok: true as const, reservation };
      })
      .immediate();
  }

  /**
   * The password was right: the reserved failure is taken back (and a lock it set is lifted), and
   * `clear` keys (the account and address pair) start afresh. A failure needs no settling: it was
   * counted when reserved. Returns nothing; a wrong password's lock is read with `lockedUntil`.
   */
  settleSuccess(reservation: Reservation, clear: readonly string[]): void {
    this.db.transaction(() => {
      for (const { key, limit, lockedByThis } of reservation.keys) {
        if (clear.includes(key)) {
          this.sql("DELETE FROM throttle WHERE key = ?").run(key);
          continue;
        }
        const row = this.sql("SELECT failures FROM throttle WHERE key = ?").get(key) as
          | { failures: number }
          | undefined;
        if (!row) continue;
        const failures = Math.max(0, row.failures - 1);
        const unlock = lockedByThis && failures < limit.limit;
        this.sql(
          `UPDATE throttle SET failures = ?, locked_until = CASE WHEN ? THEN 0 ELSE locked_until END WHERE key = ?`,
        ).run(failures, unlock ? 1 : 0, key);
      }
    })();
  }

  clearFailures(key: string): void {
    this.sql("DELETE FROM throttle WHERE key = ?").run(key);
  }

  /** Whether the account signed in successfully from this address within KNOWN_ADDRESS_MS. */
  isKnownAddress(account: string, ip: string): boolean {
    const row = this.sql("SELECT last_success_at FROM known_addresses WHERE account = ? AND ip = ?").get(
      account,
      ip,
    ) as { last_success_at: number } | undefined;
    return row !== undefined && row.last_success_at + KNOWN_ADDRESS_MS > Date.now();
  }

  rememberAddress(account: string, ip: string): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.sql(
        `INSERT INTO known_addresses (account, ip, last_success_at) VALUES (?, ?, ?)
         ON CONFLICT(account, ip) DO UPDATE SET last_success_at = excluded.last_success_at`,
      ).run(account, ip, now);
      this.sql("DELETE FROM known_addresses WHERE last_success_at < ?").run(now - KNOWN_ADDRESS_MS);
    })();
  }

  // ── saved views ────────────────────────────────────────────────────────────────────────────────

  saveView(userId: number, name: string, path: string, sharedWith: Role | null): SavedView {
    const now = Date.now();
    const { lastInsertRowid } = this.sql(
      "INSERT INTO saved_views (user_id, name, path, shared_with, created_at) VALUES (?, ?, ?, ?, ?)",
    ).run(userId, name, path, sharedWith, now);
    const view = this.savedView(Number(lastInsertRowid));
    if (!view) throw new Error("the saved view was not stored");
    return view;
  }

  savedView(id: number): SavedView | null {
    const row = this.sql(`${SAVED_VIEW_SELECT} WHERE v.id = ?`).get(id) as SavedViewRow | undefined;
    return row ? toSavedView(row) : null;
  }

  /** What a user sees: their own views and those shared with their role; an admin sees every view. */
  savedViewsFor(user: { id: number; role: Role }): SavedView[] {
    const rows = (
      user.role === "admin"
        ? this.sql(`${SAVED_VIEW_SELECT} ORDER BY v.name COLLATE NOCASE, v.id`).all()
        : this.sql(
            `${SAVED_VIEW_SELECT} WHERE v.user_id = ? OR v.shared_with = ? ORDER BY v.name COLLATE NOCASE, v.id`,
          ).all(user.id, user.role)
    ) as SavedViewRow[];
    return rows.map(toSavedView);
  }

  deleteView(id: number): boolean {
    return this.sql("DELETE FROM saved_views WHERE id = ?").run(id).changes > 0;
  }

  // ── scheduled reports ──────────────────────────────────────────────────────────────────────────

  /**
   * A new subscription. Its unsubscribe link's secret is `tokenFor(id)` (the server signs the id with its
   * session secret, so every mail can carry it again); only its digest is stored, to find it by.
   */
  subscribe(
    s: Omit<Subscription, "id" | "email" | "role" | "disabled" | "viewName" | "path" | "createdAt">,
    tokenFor: (id: number) => string,
  ): Subscription {
    const id = this.db
      .transaction(() => {
        const { lastInsertRowid } = this.sql(
          `INSERT INTO report_subscriptions (user_id, view_id, cadence, weekday, day_of_month, time, time_zone, locale,
             format, unsubscribe_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          s.userId,
          s.viewId,
          s.cadence,
          s.weekday,
          s.dayOfMonth,
          s.time,
          s.timeZone,
          s.locale,
          s.format,
          digest(randomSecret()),
          Date.now(),
        );
        const id = Number(lastInsertRowid);
        this.sql("UPDATE report_subscriptions SET unsubscribe_hash = ? WHERE id = ?").run(
          digest(tokenFor(id)),
          id,
        );
        return id;
      })
      .immediate();
    const subscription = this.subscription(id);
    if (!subscription) throw new Error("the subscription was not stored");
    return subscription;
  }

  subscription(id: number): Subscription | null {
    const row = this.sql(`${SUBSCRIPTION_SELECT} WHERE s.id = ?`).get(id) as SubscriptionRow | undefined;
    return row ? toSubscription(row) : null;
  }

  subscriptionByUnsubscribeToken(token: string): Subscription | null {
    const row = this.sql(`${SUBSCRIPTION_SELECT} WHERE s.unsubscribe_hash = ?`).get(digest(token)) as
      | SubscriptionRow
      | undefined;
    return row ? toSubscription(row) : null;
  }

  subscriptionsOf(userId: number): Subscription[] {
    return (
      this.sql(`${SUBSCRIPTION_SELECT} WHERE s.user_id = ? ORDER BY v.name COLLATE NOCASE, s.id`).all(
        userId,
      ) as SubscriptionRow[]
    ).map(toSubscription);
  }

  /** Every subscription of an enabled user (the scheduler's list). */
  activeSubscriptions(): Subscription[] {
    return (
      this.sql(`${SUBSCRIPTION_SELECT} WHERE u.disabled = 0 ORDER BY s.id`).all() as SubscriptionRow[]
    ).map(toSubscription);
  }

  unsubscribe(id: number): boolean {
    return this.sql("DELETE FROM report_subscriptions WHERE id = ?").run(id).changes > 0;
  }

  /**
   * Claims the run of a subscription due at `dueAt` for `holder`: true once, for one caller, ever (the
   * row's primary key); a failed run (status failed) may be claimed again up to `maxAttempts` times.
   */
  claimSend(subscriptionId: number, dueAt: number, holder: string, maxAttempts = 3): boolean {
    const now = Date.now();
    return this.db
      .transaction(() => {
        const inserted = this.sql(
          `INSERT OR IGNORE INTO report_sends (subscription_id, due_at, status, attempts, claimed_by, claimed_at)
             VALUES (?, ?, 'sending', 1, ?, ?)`,
        ).run(subscriptionId, dueAt, holder, now);
        if (inserted.changes > 0) return true;
        return (
          this.sql(
            `UPDATE report_sends SET status = 'sending', attempts = attempts + 1, claimed_by = ?, claimed_at = ?
               WHERE subscription_id = ? AND due_at = ? AND status = 'failed' AND attempts < ?`,
          ).run(holder, now, subscriptionId, dueAt, maxAttempts).changes > 0
        );
      })
      .immediate();
  }

  finishSend(
    subscriptionId: number,
    dueAt: number,
    outcome: { sent: true } | { sent: false; error: string },
  ): void {
    this.sql(
      "UPDATE report_sends SET status = ?, sent_at = ?, error = ? WHERE subscription_id = ? AND due_at = ?",
    ).run(
      outcome.sent ? "sent" : "failed",
      outcome.sent ? Date.now() : null,
      outcome.sent ? null : outcome.error.slice(0, 500),
      subscriptionId,
      dueAt,
    );
  }

  /** The runs of a subscription, newest first (status sending, sent or failed). */
  sendsOf(
    subscriptionId: number,
  ): { dueAt: number; status: string; attempts: number; sentAt: number | null }[] {
    return (
      this.sql(
        "SELECT due_at, status, attempts, sent_at FROM report_sends WHERE subscription_id = ? ORDER BY due_at DESC",
      ).all(subscriptionId) as { due_at: number; status: string; attempts: number; sent_at: number | null }[]
    ).map((r) => ({ dueAt: r.due_at, status: r.status, attempts: r.attempts, sentAt: r.sent_at }));
  }

  /**
   * Takes or renews the lease `name` for `holder` until now + ttlMs: true when this holder has it
   * (it was free, expired, or already this holder's), false when another holder's is still running.
   */
  acquireLease(name: string, holder: string, ttlMs: number): boolean {
    const now = Date.now();
    return (
      this.sql(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
      ).run(name, holder, now + ttlMs, now).changes > 0
    );
  }

  releaseLease(name: string, holder: string): void {
    this.sql("DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder);
  }

  // ── alerts ─────────────────────────────────────────────────────────────────────────────────────

  addAlert(a: {
    userId: number;
    viewId: number;
    metric: string;
    op: AlertOp;
    threshold: number;
    locale: string;
  }): AlertRule {
    const { lastInsertRowid } = this.sql(
      "INSERT INTO alert_rules (user_id, view_id, metric, op, threshold, locale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(a.userId, a.viewId, a.metric, a.op, a.threshold, a.locale, Date.now());
    const rule = this.alert(Number(lastInsertRowid));
    if (!rule) throw new Error("the alert was not stored");
    return rule;
  }

  alert(id: number): AlertRule | null {
    const row = this.sql(`${ALERT_SELECT} WHERE a.id = ?`).get(id) as AlertRow | undefined;
    return row ? toAlert(row) : null;
  }

  alertsOf(userId: number): AlertRule[] {
    return (this.sql(`${ALERT_SELECT} WHERE a.user_id = ? ORDER BY a.id`).all(userId) as AlertRow[]).map(
      toAlert,
    );
  }

  /** Every rule of an enabled user (the checker's list). */
  activeAlerts(): AlertRule[] {
    return (this.sql(`${ALERT_SELECT} WHERE u.disabled = 0 ORDER BY a.id`).all() as AlertRow[]).map(toAlert);
  }

  removeAlert(id: number): boolean {
    return this.sql("DELETE FROM alert_rules WHERE id = ?").run(id).changes > 0;
  }

  /** Claims the check of a rule on a snapshot: true once, for one caller, ever (a failed one: again). */
  claimAlertCheck(ruleId: number, snapshotId: string): boolean {
    const now = Date.now();
    return this.db
      .transaction(() => {
        if (
          this.sql(
            "INSERT OR IGNORE INTO alert_checks (rule_id, snapshot_id, status, checked_at) VALUES (?, ?, 'checking', ?)",
          ).run(ruleId, snapshotId, now).changes > 0
        )
          return true;
        return (
          this.sql(
            "UPDATE alert_checks SET status = 'checking', checked_at = ? WHERE rule_id = ? AND snapshot_id = ? AND status = 'failed'",
          ).run(now, ruleId, snapshotId).changes > 0
        );
      })
      .immediate();
  }

  finishAlertCheck(
    ruleId: number,
    snapshotId: string,
    outcome: { status: "checked" | "failed" | "no_value"; value: number | null; fired: boolean },
  ): void {
    this.sql(
      "UPDATE alert_checks SET status = ?, value = ?, fired = ?, checked_at = ? WHERE rule_id = ? AND snapshot_id = ?",
    ).run(outcome.status, outcome.value, outcome.fired ? 1 : 0, Date.now(), ruleId, snapshotId);
  }

  /** A rule's checks, newest first. */
  alertChecks(ruleId: number, limit = 10): AlertCheck[] {
    return (
      this.sql(
        "SELECT rule_id, snapshot_id, status, value, fired, checked_at FROM alert_checks WHERE rule_id = ? ORDER BY checked_at DESC LIMIT ?",
      ).all(ruleId, limit) as {
        rule_id: number;
        snapshot_id: string;
        status: string;
        value: number | null;
        fired: number;
        checked_at: number;
      }[]
    ).map((r) => ({
      ruleId: r.rule_id,
      snapshotId: r.snapshot_id,
      status: r.status,
      value: r.value,
      fired: r.fired === 1,
      checkedAt: r.checked_at,
    }));
  }

  // ── business events ────────────────────────────────────────────────────────────────────────────

  addEvent(e: Omit<BusinessEvent, "id">, by: string | null): BusinessEvent {
    const { lastInsertRowid } = this.sql(
      "INSERT INTO business_events (day, label_en, label_fr, country, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(e.day, e.label["en-GB"], e.label["fr-FR"], e.country, by, Date.now());
    this.eventsKept = null;
    return { ...e, id: Number(lastInsertRowid) };
  }

  /**
   * Every event, oldest first (a company has a few dozen). Every page asks for them, so they are kept in
   * memory: dropped when this process adds or removes one, and read again after EVENTS_FRESH_MS in case
   * another process sharing the state (a CLI, a second replica) changed them.
   */
  events(): BusinessEvent[] {
    return this.keptEvents().list;
  }

  /** Changes whenever the events change: part of a rendered page's cache key (ADR 0020). */
  eventsVersion(): string {
    return this.keptEvents().version;
  }

  private eventsKept: { list: BusinessEvent[]; version: string; at: number } | null = null;

  private keptEvents(): { list: BusinessEvent[]; version: string } {
    const now = Date.now();
    if (this.eventsKept && now - this.eventsKept.at < EVENTS_FRESH_MS) return this.eventsKept;
    const list = (
      this.sql("SELECT id, day, label_en, label_fr, country FROM business_events ORDER BY day, id").all() as {
        id: number;
        day: string;
        label_en: string;
        label_fr: string;
        country: string | null;
      }[]
    ).map((r) => ({
      id: r.id,
      day: r.day,
      label: { "en-GB": r.label_en, "fr-FR": r.label_fr },
      country: r.country,
    }));
    // The ids, labels and days together: an event edited in place by another process changes it too.
    const version = createHash("sha1").update(JSON.stringify(list)).digest("hex").slice(0, 16);
    this.eventsKept = { list, version, at: now };
    return this.eventsKept;
  }

  removeEvent(id: number): BusinessEvent | null {
    const row = this.sql("SELECT id, day, label_en, label_fr, country FROM business_events WHERE id = ?").get(
      id,
    ) as { id: number; day: string; label_en: string; label_fr: string; country: string | null } | undefined;
    if (!row) return null;
    this.sql("DELETE FROM business_events WHERE id = ?").run(id);
    this.eventsKept = null;
    return {
      id: row.id,
      day: row.day,
      label: { "en-GB": row.label_en, "fr-FR": row.label_fr },
      country: row.country,
    };
  }

  // ── audit ──────────────────────────────────────────────────────────────────────────────────────

  audit(entry: {
    event: AuditEvent;
    actor?: string | null;
    role?: string | null;
    ip?: string | null;
    target?: string | null;
    detail?: Record<string, unknown>;
  }): void {
    this.db
      .prepare("INSERT INTO audit (at, event, actor, role, ip, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(
        Date.now(),
        entry.event,
        entry.actor ?? null,
        entry.role ?? null,
        entry.ip ?? null,
        entry.target ?? null,
        JSON.stringify(entry.detail ?? {}),
      );
    for (const observe of auditObservers) observe(entry.event);
  }

  /** The newest entries first, `before` an id for the next page. */
  readAudit(options: { limit: number; before?: number; event?: AuditEvent; actor?: string }): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (options.before !== undefined) {
      where.push("id < ?");
      args.push(options.before);
    }
    if (options.event) {
      where.push("event = ?");
      args.push(options.event);
    }
    if (options.actor) {
      where.push("actor = ? COLLATE NOCASE");
      args.push(options.actor);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args, options.limit) as (Omit<AuditEntry, "detail"> & { detail: string })[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}

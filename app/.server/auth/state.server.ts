// App state — users, sessions, API tokens, the audit log, sign-in throttling, saved views, reports,
// alerts and business events — apart from the warehouse snapshots: publishing a snapshot never touches
// it. By default one SQLite file under the state directory (<data dir>/state, or BACKLIGHT_STATE_DIR),
// written by the server and by `npm run users` at the same time (SQLite's WAL and busy timeout serialise
// them; DuckDB could not, one writer process per file). With BACKLIGHT_STATE_URL=postgres://… it is in
// PostgreSQL, shared by every replica (issue 20). Both stores run the same code (./sql.server.ts).
// See docs/decisions/0010-sign-in-roles-and-app-state.md and 0026-app-state-in-postgresql.md.
//
// Secrets are never stored: passwords as scrypt hashes, session ids and API tokens as SHA-256 digests
// (both are 256-bit random values, so a fast digest is enough). Times are epoch milliseconds.

import { createHash, randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { type AuditEvent, isRole, type Role } from "~/auth/policy";
import {
  type Arg,
  type Migrations,
  openSql,
  type Sql,
  type SqlDatabase,
  type StateLocation,
} from "./sql.server";

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

/**
 * The same schema for PostgreSQL, at version 6 in one step (the SQLite file grew to it in six). Emails
 * are unique whatever their case (SQLite's COLLATE NOCASE); times are BIGINT epoch milliseconds.
 */
const PG_SCHEMA_6 = [
  `CREATE TABLE users (
     id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
     email TEXT NOT NULL,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     last_sign_in_at BIGINT
   )`,
  "CREATE UNIQUE INDEX users_email ON users (lower(email))",
  `CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at BIGINT NOT NULL,
     last_seen_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL
   )`,
  "CREATE INDEX sessions_user ON sessions(user_id)",
  "CREATE INDEX sessions_expiry ON sessions(expires_at)",
  `CREATE TABLE api_tokens (
     id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     label TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     prefix TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     last_used_at BIGINT,
     revoked_at BIGINT
   )`,
  `CREATE TABLE audit (
     id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
     at BIGINT NOT NULL,
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
     window_start BIGINT NOT NULL,
     locked_until BIGINT NOT NULL DEFAULT 0
   )`,
  `CREATE TABLE known_addresses (
     account TEXT NOT NULL,
     ip TEXT NOT NULL,
     last_success_at BIGINT NOT NULL,
     PRIMARY KEY (account, ip)
   )`,
  `CREATE TABLE saved_views (
     id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     path TEXT NOT NULL,
     shared_with TEXT,
     created_at BIGINT NOT NULL
   )`,
  "CREATE INDEX saved_views_user ON saved_views(user_id)",
  `CREATE TABLE report_subscriptions (
     id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
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
     created_at BIGINT NOT NULL
   )`,
  "CREATE INDEX report_subscriptions_user ON report_subscriptions(user_id)",
  `CREATE TABLE report_sends (
     subscription_id INTEGER NOT NULL REFERENCES report_subscriptions(id) ON DELETE CASCADE,
     due_at BIGINT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     claimed_by TEXT NOT NULL,
     claimed_at BIGINT NOT NULL,
     sent_at BIGINT,
     error TEXT,
     PRIMARY KEY (subscription_id, due_at)
   )`,
  `CREATE TABLE leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at BIGINT NOT NULL
   )`,
  `CREATE TABLE alert_rules (
     id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     view_id INTEGER NOT NULL REFERENCES saved_views(id) ON DELETE CASCADE,
     metric TEXT NOT NULL,
     op TEXT NOT NULL,
     threshold DOUBLE PRECISION NOT NULL,
     locale TEXT NOT NULL,
     created_at BIGINT NOT NULL
   )`,
  "CREATE INDEX alert_rules_user ON alert_rules(user_id)",
  `CREATE TABLE alert_checks (
     rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
     snapshot_id TEXT NOT NULL,
     status TEXT NOT NULL,
     value DOUBLE PRECISION,
     fired INTEGER NOT NULL DEFAULT 0,
     checked_at BIGINT NOT NULL,
     PRIMARY KEY (rule_id, snapshot_id)
   )`,
  `CREATE TABLE business_events (
     id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
     day TEXT NOT NULL,
     label_en TEXT NOT NULL,
     label_fr TEXT NOT NULL,
     country TEXT,
     created_by TEXT,
     created_at BIGINT NOT NULL
   )`,
  "CREATE INDEX business_events_day ON business_events(day)",
];

/** Every schema version of each store; a later issue adds its version to both. */
export const MIGRATIONS: Migrations = {
  sqlite: new Map([
    [1, SCHEMA],
    [2, SCHEMA_2],
    [3, SCHEMA_3],
    [4, SCHEMA_4],
    [5, SCHEMA_5],
    [6, SCHEMA_6],
  ]),
  postgres: new Map([[6, PG_SCHEMA_6]]),
};

/** Where this process keeps the app state: BACKLIGHT_STATE_URL (PostgreSQL) or the SQLite directory. */
export function stateLocation(directory: string): StateLocation {
  const url = process.env.BACKLIGHT_STATE_URL?.trim();
  return url ? { url } : { directory };
}

type EventRow = { id: number; day: string; label_en: string; label_fr: string; country: string | null };
const toEvent = (r: EventRow): BusinessEvent => ({
  id: r.id,
  day: r.day,
  label: { "en-GB": r.label_en, "fr-FR": r.label_fr },
  country: r.country,
});

/**
 * The app state, whichever store holds it. Every method is asynchronous (PostgreSQL answers over the
 * network); with SQLite a statement still runs at once. Open with `AppState.open`.
 */
export class AppState {
  private constructor(private readonly db: SqlDatabase) {}

  /** Opens the store at `where` (a SQLite directory or a PostgreSQL URL) and applies its migrations. */
  static async open(where: StateLocation | string): Promise<AppState> {
    return new AppState(await openSql(typeof where === "string" ? { directory: where } : where, MIGRATIONS));
  }

  /** "sqlite" or "postgres". */
  get kind(): SqlDatabase["kind"] {
    return this.db.kind;
  }

  /** The SQLite file, or the PostgreSQL server (without credentials). */
  get location(): string {
    return this.db.location;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // ── users ──────────────────────────────────────────────────────────────────────────────────────

  async userByEmail(email: string): Promise<(User & { passwordHash: string }) | null> {
    const row = await this.db.get<UserRow>("SELECT * FROM users WHERE lower(email) = lower(?)", email);
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  async userById(id: number): Promise<User | null> {
    const row = await this.db.get<UserRow>("SELECT * FROM users WHERE id = ?", id);
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<User[]> {
    return (await this.db.all<UserRow>("SELECT * FROM users ORDER BY lower(email), id")).map(toUser);
  }

  async addUser(email: string, role: Role, passwordHash: string): Promise<User> {
    const now = Date.now();
    const id = await this.db.insert(
      "INSERT INTO users (email, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
      email,
      role,
      passwordHash,
      now,
      now,
    );
    return (await this.userById(id)) as User;
  }

  async setRole(id: number, role: Role): Promise<void> {
    await this.db.run("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", role, Date.now(), id);
  }

  /**
   * Disabling ends the user's sessions and revokes their API tokens at once: enabling the user again
   * does not bring old tokens back (whoever held one when the account was closed keeps nothing).
   */
  async setDisabled(id: number, disabled: boolean): Promise<void> {
    await this.db.transaction([], async (sql) => {
      const now = Date.now();
      await sql.run("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", disabled ? 1 : 0, now, id);
      if (disabled) {
        await sql.run("DELETE FROM sessions WHERE user_id = ?", id);
        await sql.run(
          "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
          now,
          id,
        );
      }
    });
  }

  /** A new password ends every session of the user (whoever knew the old one is signed out). */
  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.db.transaction([], async (sql) => {
      await sql.run(
        "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
        passwordHash,
        Date.now(),
        id,
      );
      await sql.run("DELETE FROM sessions WHERE user_id = ?", id);
    });
  }

  /** Rehash with today's parameters, without signing anyone out. */
  async upgradeHash(id: number, passwordHash: string): Promise<void> {
    await this.db.run("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id);
  }

  // ── sessions ───────────────────────────────────────────────────────────────────────────────────

  async createSession(userId: number, absoluteMs: number): Promise<string> {
    const id = randomSecret();
    const now = Date.now();
    await this.db.transaction([], async (sql) => {
      await sql.run(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        digest(id),
        userId,
        now,
        now,
        now + absoluteMs,
      );
      await sql.run("UPDATE users SET last_sign_in_at = ? WHERE id = ?", now, userId);
      // Housekeeping: sessions past their absolute expiry are gone for good.
      await sql.run("DELETE FROM sessions WHERE expires_at < ?", now);
    });
    return id;
  }

  /**
   * The user of a live session, or null: unknown, past its absolute expiry, idle too long, or its user
   * disabled. last_seen_at is written at most once a minute, not on every request.
   */
  async sessionUser(
    id: string,
    idleMs: number,
  ): Promise<{ user: User; sessionHash: string; expiresAt: number } | null> {
    const hash = digest(id);
    const now = Date.now();
    const row = await this.db.get<UserRow & { seen: number; expires: number }>(
      `SELECT u.*, s.last_seen_at AS seen, s.expires_at AS expires
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
      hash,
    );
    if (!row) return null;
    if (row.disabled === 1 || row.expires <= now || row.seen + idleMs <= now) {
      await this.db.run("DELETE FROM sessions WHERE id_hash = ?", hash);
      return null;
    }
    if (now - row.seen > 60_000)
      await this.db.run("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", now, hash);
    return { user: toUser(row), sessionHash: hash, expiresAt: row.expires };
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.run("DELETE FROM sessions WHERE id_hash = ?", digest(id));
  }

  // ── API tokens ─────────────────────────────────────────────────────────────────────────────────

  /** A new token for the user: returned once, stored as a digest. */
  async createToken(userId: number, label: string): Promise<{ token: string; info: TokenInfo }> {
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const id = await this.db.insert(
      "INSERT INTO api_tokens (user_id, label, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
      userId,
      label,
      digest(token),
      token.slice(0, TOKEN_PREFIX.length + 6),
      Date.now(),
    );
    return { token, info: (await this.tokenById(id)) as TokenInfo };
  }

  async tokenById(id: number): Promise<TokenInfo | null> {
    return (await this.tokens("WHERE t.id = ?", id))[0] ?? null;
  }

  listTokens(userId?: number): Promise<TokenInfo[]> {
    return userId === undefined
      ? this.tokens("ORDER BY t.created_at DESC, t.id DESC")
      : this.tokens("WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id DESC", userId);
  }

  private async tokens(where: string, ...args: Arg[]): Promise<TokenInfo[]> {
    const rows = await this.db.all<{
      id: number;
      user_id: number;
      email: string;
      label: string;
      prefix: string;
      created_at: number;
      last_used_at: number | null;
      revoked_at: number | null;
    }>(
      `SELECT t.id, t.user_id, u.email, t.label, t.prefix, t.created_at, t.last_used_at, t.revoked_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id ${where}`,
      ...args,
    );
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

  async revokeToken(id: number): Promise<boolean> {
    return (
      (await this.db.run(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        Date.now(),
        id,
      )) === 1
    );
  }

  /** The user a bearer token stands for: not revoked, user not disabled. */
  async tokenUser(token: string): Promise<{ user: User; tokenId: number } | null> {
    const row = await this.db.get<UserRow & { token_id: number; used: number | null }>(
      `SELECT u.*, t.id AS token_id, t.last_used_at AS used FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`,
      digest(token),
    );
    if (!row) return null;
    const now = Date.now();
    if (row.used === null || now - row.used > 60_000)
      await this.db.run("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, row.token_id);
    return { user: toUser(row), tokenId: row.token_id };
  }

  // ── sign-in throttling ─────────────────────────────────────────────────────────────────────────

  /** Until when the key is locked (epoch ms), or 0. */
  lockedUntil(key: string): Promise<number> {
    return lockedUntilOn(this.db, key);
  }

  /**
   * Reserve-then-settle: in one transaction, either refuse (a key is locked: the latest lock's end) or
   * count this attempt as a failure of every key *before* the password is checked. A burst of
   * concurrent attempts therefore gets at most `limit` hashes per key: the attempt that reaches the
   * limit locks the key for the ones behind it. `settleAttempt` takes the failure back on success.
   * At `limit` failures in the window the key is locked for `lockMs`, doubled for each further lock in
   * the same window (capped at a day). The transaction holds the throttle table's write lock from its
   * start, so replicas sharing PostgreSQL count the same failures as one process would.
   */
  reserveAttempt(
    keys: { key: string; limit: Limit }[],
  ): Promise<{ ok: true; reservation: Reservation } | { ok: false; lockedUntil: number }> {
    const now = Date.now();
    return this.db.transaction(["throttle"], async (sql) => {
      let locked = 0;
      for (const { key } of keys) locked = Math.max(locked, await lockedUntilOn(sql, key));
      if (locked > now) return { ok: false as const, lockedUntil: locked };
      const reservation: Reservation = { keys: [] };
      for (const { key, limit } of keys) {
        const row = await sql.get<{ failures: number; window_start: number; locked_until: number }>(
          "SELECT * FROM throttle WHERE key = ?",
          key,
        );
        const fresh = !row || row.window_start + limit.windowMs < now;
        const failures = fresh ? 1 : row.failures + 1;
        const start = fresh ? now : row.window_start;
        let lockedUntil = fresh ? 0 : row.locked_until;
        const lockedByThis = failures >= limit.limit && failures % limit.limit === 0;
        if (lockedByThis) {
          const doubling = 2 ** Math.min(Math.floor(failures / limit.limit) - 1, 6);
          lockedUntil = now + Math.min(limit.lockMs * doubling, 24 * 3600_000);
        }
        await sql.run(
          `INSERT INTO throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
             locked_until = excluded.locked_until`,
          key,
          failures,
          start,
          lockedUntil,
        );
        reservation.keys.push({ key, limit, lockedByThis });
      }
      return { ok: true as const, reservation };
    });
  }

  /**
   * The password was right: the reserved failure is taken back (and a lock it set is lifted), and
   * `clear` keys (the account and address pair) start afresh. A failure needs no settling: it was
   * counted when reserved. Returns nothing; a wrong password's lock is read with `lockedUntil`.
   */
  async settleSuccess(reservation: Reservation, clear: readonly string[]): Promise<void> {
    await this.db.transaction(["throttle"], async (sql) => {
      for (const { key, limit, lockedByThis } of reservation.keys) {
        if (clear.includes(key)) {
          await sql.run("DELETE FROM throttle WHERE key = ?", key);
          continue;
        }
        const row = await sql.get<{ failures: number }>("SELECT failures FROM throttle WHERE key = ?", key);
        if (!row) continue;
        const failures = Math.max(0, row.failures - 1);
        const unlock = lockedByThis && failures < limit.limit;
        await sql.run(
          "UPDATE throttle SET failures = ?, locked_until = CASE WHEN ? = 1 THEN 0 ELSE locked_until END WHERE key = ?",
          failures,
          unlock ? 1 : 0,
          key,
        );
      }
    });
  }

  async clearFailures(key: string): Promise<void> {
    await this.db.run("DELETE FROM throttle WHERE key = ?", key);
  }

  /** Whether the account signed in successfully from this address within KNOWN_ADDRESS_MS. */
  async isKnownAddress(account: string, ip: string): Promise<boolean> {
    const row = await this.db.get<{ last_success_at: number }>(
      "SELECT last_success_at FROM known_addresses WHERE account = ? AND ip = ?",
      account,
      ip,
    );
    return row !== undefined && row.last_success_at + KNOWN_ADDRESS_MS > Date.now();
  }

  async rememberAddress(account: string, ip: string): Promise<void> {
    const now = Date.now();
    await this.db.transaction([], async (sql) => {
      await sql.run(
        `INSERT INTO known_addresses (account, ip, last_success_at) VALUES (?, ?, ?)
         ON CONFLICT(account, ip) DO UPDATE SET last_success_at = excluded.last_success_at`,
        account,
        ip,
        now,
      );
      await sql.run("DELETE FROM known_addresses WHERE last_success_at < ?", now - KNOWN_ADDRESS_MS);
    });
  }

  // ── saved views ────────────────────────────────────────────────────────────────────────────────

  async saveView(userId: number, name: string, path: string, sharedWith: Role | null): Promise<SavedView> {
    const id = await this.db.insert(
      "INSERT INTO saved_views (user_id, name, path, shared_with, created_at) VALUES (?, ?, ?, ?, ?)",
      userId,
      name,
      path,
      sharedWith,
      Date.now(),
    );
    const view = await this.savedView(id);
    if (!view) throw new Error("the saved view was not stored");
    return view;
  }

  async savedView(id: number): Promise<SavedView | null> {
    const row = await this.db.get<SavedViewRow>(`${SAVED_VIEW_SELECT} WHERE v.id = ?`, id);
    return row ? toSavedView(row) : null;
  }

  /** What a user sees: their own views and those shared with their role; an admin sees every view. */
  async savedViewsFor(user: { id: number; role: Role }): Promise<SavedView[]> {
    const rows =
      user.role === "admin"
        ? await this.db.all<SavedViewRow>(`${SAVED_VIEW_SELECT} ORDER BY lower(v.name), v.id`)
        : await this.db.all<SavedViewRow>(
            `${SAVED_VIEW_SELECT} WHERE v.user_id = ? OR v.shared_with = ? ORDER BY lower(v.name), v.id`,
            user.id,
            user.role,
          );
    return rows.map(toSavedView);
  }

  async deleteView(id: number): Promise<boolean> {
    return (await this.db.run("DELETE FROM saved_views WHERE id = ?", id)) > 0;
  }

  // ── scheduled reports ──────────────────────────────────────────────────────────────────────────

  /**
   * A new subscription. Its unsubscribe link's secret is `tokenFor(id)` (the server signs the id with its
   * session secret, so every mail can carry it again); only its digest is stored, to find it by.
   */
  async subscribe(
    s: Omit<Subscription, "id" | "email" | "role" | "disabled" | "viewName" | "path" | "createdAt">,
    tokenFor: (id: number) => string,
  ): Promise<Subscription> {
    const id = await this.db.transaction([], async (sql) => {
      const id = await sql.insert(
        `INSERT INTO report_subscriptions (user_id, view_id, cadence, weekday, day_of_month, time, time_zone, locale,
           format, unsubscribe_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      await sql.run(
        "UPDATE report_subscriptions SET unsubscribe_hash = ? WHERE id = ?",
        digest(tokenFor(id)),
        id,
      );
      return id;
    });
    const subscription = await this.subscription(id);
    if (!subscription) throw new Error("the subscription was not stored");
    return subscription;
  }

  async subscription(id: number): Promise<Subscription | null> {
    const row = await this.db.get<SubscriptionRow>(`${SUBSCRIPTION_SELECT} WHERE s.id = ?`, id);
    return row ? toSubscription(row) : null;
  }

  async subscriptionByUnsubscribeToken(token: string): Promise<Subscription | null> {
    const row = await this.db.get<SubscriptionRow>(
      `${SUBSCRIPTION_SELECT} WHERE s.unsubscribe_hash = ?`,
      digest(token),
    );
    return row ? toSubscription(row) : null;
  }

  async subscriptionsOf(userId: number): Promise<Subscription[]> {
    return (
      await this.db.all<SubscriptionRow>(
        `${SUBSCRIPTION_SELECT} WHERE s.user_id = ? ORDER BY lower(v.name), s.id`,
        userId,
      )
    ).map(toSubscription);
  }

  /** Every subscription of an enabled user (the scheduler's list). */
  async activeSubscriptions(): Promise<Subscription[]> {
    return (
      await this.db.all<SubscriptionRow>(`${SUBSCRIPTION_SELECT} WHERE u.disabled = 0 ORDER BY s.id`)
    ).map(toSubscription);
  }

  async unsubscribe(id: number): Promise<boolean> {
    return (await this.db.run("DELETE FROM report_subscriptions WHERE id = ?", id)) > 0;
  }

  /**
   * Claims the run of a subscription due at `dueAt` for `holder`: true once, for one caller, ever (the
   * row's primary key); a failed run (status failed) may be claimed again up to `maxAttempts` times.
   */
  claimSend(subscriptionId: number, dueAt: number, holder: string, maxAttempts = 3): Promise<boolean> {
    const now = Date.now();
    return this.db.transaction(["report_sends"], async (sql) => {
      const inserted = await sql.run(
        `INSERT INTO report_sends (subscription_id, due_at, status, attempts, claimed_by, claimed_at)
           VALUES (?, ?, 'sending', 1, ?, ?) ON CONFLICT DO NOTHING`,
        subscriptionId,
        dueAt,
        holder,
        now,
      );
      if (inserted > 0) return true;
      return (
        (await sql.run(
          `UPDATE report_sends SET status = 'sending', attempts = attempts + 1, claimed_by = ?, claimed_at = ?
             WHERE subscription_id = ? AND due_at = ? AND status = 'failed' AND attempts < ?`,
          holder,
          now,
          subscriptionId,
          dueAt,
          maxAttempts,
        )) > 0
      );
    });
  }

  async finishSend(
    subscriptionId: number,
    dueAt: number,
    outcome: { sent: true } | { sent: false; error: string },
  ): Promise<void> {
    await this.db.run(
      "UPDATE report_sends SET status = ?, sent_at = ?, error = ? WHERE subscription_id = ? AND due_at = ?",
      outcome.sent ? "sent" : "failed",
      outcome.sent ? Date.now() : null,
      outcome.sent ? null : outcome.error.slice(0, 500),
      subscriptionId,
      dueAt,
    );
  }

  /** The runs of a subscription, newest first (status sending, sent or failed). */
  async sendsOf(
    subscriptionId: number,
  ): Promise<{ dueAt: number; status: string; attempts: number; sentAt: number | null }[]> {
    return (
      await this.db.all<{ due_at: number; status: string; attempts: number; sent_at: number | null }>(
        "SELECT due_at, status, attempts, sent_at FROM report_sends WHERE subscription_id = ? ORDER BY due_at DESC",
        subscriptionId,
      )
    ).map((r) => ({ dueAt: r.due_at, status: r.status, attempts: r.attempts, sentAt: r.sent_at }));
  }

  /**
   * Takes or renews the lease `name` for `holder` until now + ttlMs: true when this holder has it
   * (it was free, expired, or already this holder's), false when another holder's is still running.
   */
  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return (
      (await this.db.run(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
        name,
        holder,
        now + ttlMs,
        now,
      )) > 0
    );
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.run("DELETE FROM leases WHERE name = ? AND holder = ?", name, holder);
  }

  // ── alerts ─────────────────────────────────────────────────────────────────────────────────────

  async addAlert(a: {
    userId: number;
    viewId: number;
    metric: string;
    op: AlertOp;
    threshold: number;
    locale: string;
  }): Promise<AlertRule> {
    const id = await this.db.insert(
      "INSERT INTO alert_rules (user_id, view_id, metric, op, threshold, locale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      a.userId,
      a.viewId,
      a.metric,
      a.op,
      a.threshold,
      a.locale,
      Date.now(),
    );
    const rule = await this.alert(id);
    if (!rule) throw new Error("the alert was not stored");
    return rule;
  }

  async alert(id: number): Promise<AlertRule | null> {
    const row = await this.db.get<AlertRow>(`${ALERT_SELECT} WHERE a.id = ?`, id);
    return row ? toAlert(row) : null;
  }

  async alertsOf(userId: number): Promise<AlertRule[]> {
    return (await this.db.all<AlertRow>(`${ALERT_SELECT} WHERE a.user_id = ? ORDER BY a.id`, userId)).map(
      toAlert,
    );
  }

  /** Every rule of an enabled user (the checker's list). */
  async activeAlerts(): Promise<AlertRule[]> {
    return (await this.db.all<AlertRow>(`${ALERT_SELECT} WHERE u.disabled = 0 ORDER BY a.id`)).map(toAlert);
  }

  async removeAlert(id: number): Promise<boolean> {
    return (await this.db.run("DELETE FROM alert_rules WHERE id = ?", id)) > 0;
  }

  /** Claims the check of a rule on a snapshot: true once, for one caller, ever (a failed one: again). */
  claimAlertCheck(ruleId: number, snapshotId: string): Promise<boolean> {
    const now = Date.now();
    return this.db.transaction(["alert_checks"], async (sql) => {
      if (
        (await sql.run(
          "INSERT INTO alert_checks (rule_id, snapshot_id, status, checked_at) VALUES (?, ?, 'checking', ?) ON CONFLICT DO NOTHING",
          ruleId,
          snapshotId,
          now,
        )) > 0
      )
        return true;
      return (
        (await sql.run(
          "UPDATE alert_checks SET status = 'checking', checked_at = ? WHERE rule_id = ? AND snapshot_id = ? AND status = 'failed'",
          now,
          ruleId,
          snapshotId,
        )) > 0
      );
    });
  }

  async finishAlertCheck(
    ruleId: number,
    snapshotId: string,
    outcome: { status: "checked" | "failed" | "no_value"; value: number | null; fired: boolean },
  ): Promise<void> {
    await this.db.run(
      "UPDATE alert_checks SET status = ?, value = ?, fired = ?, checked_at = ? WHERE rule_id = ? AND snapshot_id = ?",
      outcome.status,
      outcome.value,
      outcome.fired ? 1 : 0,
      Date.now(),
      ruleId,
      snapshotId,
    );
  }

  /** A rule's checks, newest first. */
  async alertChecks(ruleId: number, limit = 10): Promise<AlertCheck[]> {
    return (
      await this.db.all<{
        rule_id: number;
        snapshot_id: string;
        status: string;
        value: number | null;
        fired: number;
        checked_at: number;
      }>(
        "SELECT rule_id, snapshot_id, status, value, fired, checked_at FROM alert_checks WHERE rule_id = ? ORDER BY checked_at DESC LIMIT ?",
        ruleId,
        limit,
      )
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

  async addEvent(e: Omit<BusinessEvent, "id">, by: string | null): Promise<BusinessEvent> {
    const id = await this.db.insert(
      "INSERT INTO business_events (day, label_en, label_fr, country, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      e.day,
      e.label["en-GB"],
      e.label["fr-FR"],
      e.country,
      by,
      Date.now(),
    );
    this.eventsKept = null;
    return { ...e, id };
  }

  /**
   * Every event, oldest first (a company has a few dozen). Every page asks for them, so they are kept in
   * memory: dropped when this process adds or removes one, and read again after EVENTS_FRESH_MS in case
   * another process sharing the state (a CLI, a second replica) changed them.
   */
  async events(): Promise<BusinessEvent[]> {
    return (await this.keptEvents()).list;
  }

  /** Changes whenever the events change: part of a rendered page's cache key (ADR 0020). */
  async eventsVersion(): Promise<string> {
    return (await this.keptEvents()).version;
  }

  private eventsKept: { list: BusinessEvent[]; version: string; at: number } | null = null;
  private eventsReading: Promise<{ list: BusinessEvent[]; version: string; at: number }> | null = null;

  private async keptEvents(): Promise<{ list: BusinessEvent[]; version: string }> {
    const kept = this.eventsKept;
    if (kept && Date.now() - kept.at < EVENTS_FRESH_MS) return kept;
    // One read for every request that finds them stale at the same moment.
    this.eventsReading ??= (async () => {
      try {
        const at = Date.now();
        const list = (
          await this.db.all<EventRow>(
            "SELECT id, day, label_en, label_fr, country FROM business_events ORDER BY day, id",
          )
        ).map(toEvent);
        // The ids, labels and days together: an event edited in place by another process changes it too.
        const version = createHash("sha1").update(JSON.stringify(list)).digest("hex").slice(0, 16);
        this.eventsKept = { list, version, at };
        return this.eventsKept;
      } finally {
        this.eventsReading = null;
      }
    })();
    return this.eventsReading;
  }

  async removeEvent(id: number): Promise<BusinessEvent | null> {
    const row = await this.db.get<EventRow>(
      "SELECT id, day, label_en, label_fr, country FROM business_events WHERE id = ?",
      id,
    );
    if (!row) return null;
    await this.db.run("DELETE FROM business_events WHERE id = ?", id);
    this.eventsKept = null;
    return toEvent(row);
  }

  // ── audit ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * One entry, written before the promise resolves: await it where the entry must exist before going on
   * (a download's start is logged before its first byte).
   */
  async audit(entry: {
    event: AuditEvent;
    actor?: string | null;
    role?: string | null;
    ip?: string | null;
    target?: string | null;
    detail?: Record<string, unknown>;
  }): Promise<void> {
    await this.db.run(
      "INSERT INTO audit (at, event, actor, role, ip, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
  async readAudit(options: {
    limit: number;
    before?: number;
    event?: AuditEvent;
    actor?: string;
  }): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: Arg[] = [];
    if (options.before !== undefined) {
      where.push("id < ?");
      args.push(options.before);
    }
    if (options.event) {
      where.push("event = ?");
      args.push(options.event);
    }
    if (options.actor) {
      where.push("lower(actor) = lower(?)");
      args.push(options.actor);
    }
    const rows = await this.db.all<Omit<AuditEntry, "detail"> & { detail: string }>(
      `SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
      ...args,
      options.limit,
    );
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}

function lockedUntilOn(sql: Sql, key: string): Promise<number> {
  return sql
    .get<{ locked_until: number }>("SELECT locked_until FROM throttle WHERE key = ?", key)
    .then((row) => (row && row.locked_until > Date.now() ? row.locked_until : 0));
}

// Who may see what: the one table of roles × pages × exports × figures. Browser-safe (the navigation
// hides what a role cannot open), but the server is what enforces it: every page loader goes through
// requirePage (~/.server/auth/access.server.ts), every download through canExport, and the figures a
// role may not see are dropped on the server before anything is sent. The README's access table is this file in prose.

import type { MetricId } from "~/metrics/catalogue";
import { isSectionId, SECTION_PAGE, type SectionId } from "~/sections/registry";

export const ROLES = ["executive", "finance", "product", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The pages behind sign-in. */
export const PAGES = [
  "overview",
  "profitability",
  "regions",
  "rollout",
  "quality",
  "pricing",
  "channels",
  "market",
  "changes",
  "admin",
] as const;
export type PageId = (typeof PAGES)[number];

const PAGE_ROLES: Record<PageId, readonly Role[]> = {
  overview: ["executive", "finance", "product"],
  profitability: ["executive", "finance"],
  regions: ["executive", "finance"],
  /** Product views: how countries ramp up after launch (no cost below contribution margin in them). */
  rollout: ["executive", "finance", "product"],
  /** Grades and battery: sales, returns and their cost by grade, the Premium promise (no cost below it). */
  quality: ["executive", "finance", "product"],
  /** Price-display compliance: sellers' and models' displayed new prices against the market's. */
  pricing: ["executive", "finance", "product"],
  /** Partners and app: shares, take rate, contribution before marketing, returns, repeat customers. */
  channels: ["executive", "finance", "product"],
  /** Market context: the second-hand share of each market, and the company's devices in it. */
  market: ["executive", "finance", "product"],
  /** What changed since the last publish: restated figures (the product role without company costs). */
  changes: ["executive", "finance", "product"],
  admin: ["admin"],
};

export function canOpen(role: Role, page: PageId): boolean {
  return PAGE_ROLES[page].includes(role);
}

/** The page each download belongs to: whoever may open the page may download its views… */
export const EXPORT_PAGE = {
  kpis: "overview",
  trend: "overview",
  breakdown: "overview",
  categories: "overview",
  "region-trend": "regions",
  pnl: "profitability",
  profitability: "profitability",
  "cost-centres": "profitability",
  "order-items": "profitability",
  /** The business events the charts mark (every dashboard role opens the overview). */
  events: "overview",
} as const satisfies Record<string, PageId>;

/** …except the order-level ledger, which is finance's alone. */
const EXPORT_ONLY_FOR: Partial<Record<keyof typeof EXPORT_PAGE, readonly Role[]>> = {
  "order-items": ["finance"],
};

/** A download: one of the fixed views above, or a section of a page (~/sections/registry). */
export type Downloadable = keyof typeof EXPORT_PAGE | SectionId;

export function canExport(role: Role, view: Downloadable): boolean {
  if (isSectionId(view)) return canOpen(role, SECTION_PAGE[view]);
  const only = EXPORT_ONLY_FOR[view];
  return canOpen(role, EXPORT_PAGE[view]) && (!only || only.includes(role));
}

/**
 * Company-level cost figures: EBITDA, opex and headcount. The product role never receives them, in a
 * page, a data request or a download: the server drops them from what it sends.
 */
export const CONFIDENTIAL_METRICS = [
  "opex_eur",
  "own_opex_eur",
  "central_costs_eur",
  "ebitda_eur",
  "ebitda_margin_pct",
] as const satisfies readonly MetricId[];

export function canSeeMetric(role: Role, metric: MetricId): boolean {
  if (role !== "product") return true;
  return !(CONFIDENTIAL_METRICS as readonly MetricId[]).includes(metric);
}

/** The first page a role may open, where signing in lands when no page was asked for. */
export function homeOf(role: Role): string {
  if (canOpen(role, "overview")) return "/";
  return "/admin";
}

export const PAGE_PATHS: Record<PageId, string> = {
  overview: "/",
  profitability: "/profitability",
  regions: "/regions",
  rollout: "/rollout",
  quality: "/quality",
  pricing: "/pricing",
  channels: "/channels",
  market: "/market",
  changes: "/changes",
  admin: "/admin",
};

/** The longest dashboard address a saved view keeps. */
const PATH_MAX = 2000;

/** The dashboard page an address opens, or null (admin pages, other sites, anything else). */
export function pageOfPath(path: string): PageId | null {
  if (!path.startsWith("/") || path.startsWith("//") || path.length > PATH_MAX) return null;
  let url: URL;
  try {
    url = new URL(path, "http://backlight.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://backlight.invalid") return null;
  const found = (Object.entries(PAGE_PATHS) as [PageId, string][]).find(([, p]) => p === url.pathname);
  return found && found[0] !== "admin" ? found[0] : null;
}

/** Bounds of what a sign-in form accepts (the server checks them again). */
export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** What the audit log records (~/.server/auth/state.server.ts). */
export const AUDIT_EVENTS = [
  "sign_in",
  "sign_in_failed",
  "sign_in_throttled",
  "sign_out",
  "forbidden",
  "export_started",
  "export",
  "user_added",
  "role_changed",
  "user_disabled",
  "user_enabled",
  "password_reset",
  "token_created",
  "token_revoked",
  "view_saved",
  "view_deleted",
  "report_subscribed",
  "report_unsubscribed",
  "report_sent",
  "report_failed",
  "alert_added",
  "alert_removed",
  "alert_fired",
  "event_added",
  "event_removed",
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

// What an alert can watch (issue 21, item 3): the figures of a saved view's page, for the view's filters
// and period, exactly as that page shows them — each page's figures come from its own loader, which asks
// the metric layer (the overview's cards, the grades page's Premium promise, the price-display page's
// totals), and the pipeline's health from the run that published the snapshot (/changes). A rule names a
// catalogue id; a page lists the ids a rule on it may name.

import { canOpen, canSeeMetric, type PageId, type Role } from "~/auth/policy";
import { monthEnd } from "~/lib/grammar";
import { type CatalogueId, figureOf, isCatalogueId, isMetricId, METRIC_IDS } from "~/metrics/catalogue";
import { TOP_ROWS } from "~/metrics/pricing";
import { publishingRun } from "../changes.server";
import { exportTable } from "../export/views.server";
import { loadPricing } from "../pricing.server";
import { loadQuality } from "../quality.server";
import type { Warehouse } from "../warehouse.server";

/** The pages whose views an alert can watch, and the figures it may watch on each. */
export const WATCHABLE = {
  overview: METRIC_IDS,
  regions: METRIC_IDS,
  quality: ["premium_battery_breaches", "premium_battery_breach_share"],
  pricing: ["inflated_display_share", "inflated_sales", "claimed_saving_pct", "actual_saving_pct"],
  changes: ["quarantined_row_share"],
} as const satisfies Partial<Record<PageId, readonly CatalogueId[]>>;

export type WatchedPage = keyof typeof WATCHABLE;
export const ALERT_PAGES = Object.keys(WATCHABLE) as WatchedPage[];

export const isWatchedPage = (page: string | null): page is WatchedPage =>
  page !== null && Object.hasOwn(WATCHABLE, page);

/** Whether a role may watch `metric` on a view of `page`: it opens the page and may see the figure. */
export function canWatch(role: Role, page: string | null, metric: string): boolean {
  if (!isWatchedPage(page) || !canOpen(role, page) || !isCatalogueId(metric)) return false;
  if (!(WATCHABLE[page] as readonly string[]).includes(metric)) return false;
  return !isMetricId(metric) || canSeeMetric(role, metric);
}

export interface Watched {
  value: number | null;
  /** The days the figure covers (empty for the pipeline's figures: they are the run's). */
  from: string;
  to: string;
}

const days = (range: { from: string; to: string }) => ({ from: `${range.from}-01`, to: monthEnd(range.to) });

/** The figure a rule watches on the current snapshot, for its view's filters (null: the page has none). */
export async function watchedFigure(
  warehouse: Warehouse,
  page: WatchedPage,
  metric: CatalogueId,
  path: string,
): Promise<Watched | null> {
  const url = new URL(path, "http://backlight.invalid");
  switch (page) {
    case "overview":
    case "regions": {
      // The overview's cards for the view's filters (the regions page takes the same grammar).
      const table = await exportTable(warehouse, "kpis", url, "en-GB");
      if (!table) return null;
      const current = table.rows.find((r) => r[0] === "current");
      const cell = current?.[table.columns.findIndex((c) => c.id === metric)];
      return {
        value: typeof cell === "number" ? cell : null,
        from: String(current?.[1] ?? ""),
        to: String(current?.[2] ?? ""),
      };
    }
    case "quality": {
      const loaded = await loadQuality(warehouse, url);
      if (loaded.state === "empty") return null;
      const { compliance, range } = loaded.result;
      const value =
        metric === "premium_battery_breaches"
          ? figureOf("premium_battery_breaches", { premium_battery_breaches: compliance.under85 })
          : compliance.share;
      return { value, ...days(range) };
    }
    case "pricing": {
      // The page's view (its worst sellers and models only): a watch reads the totals, kept with it.
      const loaded = await loadPricing(warehouse, url, TOP_ROWS);
      if (loaded.state === "empty") return null;
      const view = loaded.result;
      const value = (view.totals as Record<string, number | null>)[metric] ?? null;
      return { value, ...days(view) };
    }
    case "changes": {
      const run = await publishingRun(warehouse);
      return run ? { value: run.share, from: "", to: "" } : null;
    }
  }
}

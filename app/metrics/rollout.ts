// The rollout comparison's choices, browser-safe: the page's menus and the server's grammar share them.
// The figures are the catalogue's (./catalogue.ts, ./product/rollout.ts).

import type { CatalogueId } from "./catalogue";

/** The `metric` parameter's values (a contract: links and bookmarks use them). */
export const ROLLOUT_METRICS = [
  "devices_sold",
  "gmv_eur",
  "active_customers",
  "cumulative_customers",
  "repeat_rate",
  "contribution_margin_pct",
  "take_rate",
] as const;
export type RolloutMetric = (typeof ROLLOUT_METRICS)[number];

/** Each `metric` value's catalogue metric, as it is and per 1,000 inhabitants (ratios: the same). */
const METRIC_IDS: Record<RolloutMetric, [absolute: CatalogueId, perCapita: CatalogueId]> = {
  devices_sold: ["devices_sold", "devices_sold_per_1k_inhabitants"],
  gmv_eur: ["gmv_eur", "gmv_per_1k_inhabitants"],
  active_customers: ["active_customers", "active_customers_per_1k_inhabitants"],
  cumulative_customers: ["cumulative_customers", "cumulative_customers_per_1k_inhabitants"],
  repeat_rate: ["repeat_purchase_rate", "repeat_purchase_rate"],
  contribution_margin_pct: ["contribution_margin_pct", "contribution_margin_pct"],
  take_rate: ["take_rate", "take_rate"],
};

/** The catalogue metric a `metric` value draws, per 1,000 inhabitants or not. */
export function rolloutMetricId(metric: RolloutMetric, perCapita: boolean): CatalogueId {
  return METRIC_IDS[metric][perCapita ? 1 : 0];
}

/** Cumulative devices sold that count as milestones. */
export const DEVICE_MILESTONES = [10_000, 100_000, 1_000_000] as const;
/** Months of age at which customers and contribution margin % are compared. */
export const AGE_CHECKPOINTS = [12, 24] as const;

/** The x axis: months since each country's launch, or calendar months. */
export const ROLLOUT_AXES = ["launch", "calendar"] as const;
export type RolloutAxis = (typeof ROLLOUT_AXES)[number];

/** Counts and amounts as they are, or per 1,000 inhabitants. */
export const ROLLOUT_BASES = ["absolute", "per_capita"] as const;
export type RolloutBasis = (typeof ROLLOUT_BASES)[number];

/** Ratios are the same per capita: the basis does not apply to them. */
export function isRatioMetric(metric: RolloutMetric): boolean {
  return metric === "repeat_rate" || metric === "contribution_margin_pct" || metric === "take_rate";
}

/** The app-share chart: months before and after each country's app launch. */
export const APP_WINDOW = { before: 12, after: 24 } as const;

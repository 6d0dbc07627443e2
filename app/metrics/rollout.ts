// The rollout comparison's choices, browser-safe: the page's menus and the server's schema share them.

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

/** Cumulative devices sold that count as milestones. */
export const DEVICE_MILESTONES = [10_000, 100_000, 1_000_000] as const;
/** Months of age at which customers and contribution margin % are compared. */
export const AGE_CHECKPOINTS = [12, 24] as const;

/** Counts and amounts as they are, or per PER_INHABITANTS inhabitants. */
export const ROLLOUT_BASES = ["absolute", "per_capita"] as const;
export type RolloutBasis = (typeof ROLLOUT_BASES)[number];
export const PER_INHABITANTS = 1000;

/** Ratios are the same per capita: the basis does not apply to them. */
export function isRatioMetric(metric: RolloutMetric): boolean {
  return metric === "repeat_rate" || metric === "contribution_margin_pct" || metric === "take_rate";
}

/** The app-share chart: months before and after each country's app launch. */
export const APP_WINDOW = { before: 12, after: 24 } as const;

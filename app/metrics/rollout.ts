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

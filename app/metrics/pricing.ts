// Price-display compliance, browser-safe: the thresholds a reader may choose (each is a column of the
// pricing marts, ADR 0011). The figures are the catalogue's (./product/pricing.ts).

/** "Inflated": the displayed "new" price is more than this many % above the market new price. */
export const THRESHOLDS = [1, 2, 3, 5, 10, 15, 20, 25, 30] as const;
export type Threshold = (typeof THRESHOLDS)[number];
export const DEFAULT_THRESHOLD: Threshold = 5;

export function isThreshold(value: number): value is Threshold {
  return (THRESHOLDS as readonly number[]).includes(value);
}

/** How many rows the page's seller and model tables show (the downloads hold every row). */
export const TOP_ROWS = 20;

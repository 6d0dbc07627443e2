// Price-display compliance, browser-safe: the thresholds a reader may choose (each is a column of the
// pricing marts, ADR 0011) and how the page's ratios are defined. The page's menus and the server share them.

/** "Inflated": the displayed "new" price is more than this many % above the market new price. */
export const THRESHOLDS = [1, 2, 3, 5, 10, 15, 20, 25, 30] as const;
export type Threshold = (typeof THRESHOLDS)[number];
export const DEFAULT_THRESHOLD: Threshold = 5;

export function isThreshold(value: number): value is Threshold {
  return (THRESHOLDS as readonly number[]).includes(value);
}

/** How many rows the page's seller and model tables show (the downloads hold every row). */
export const TOP_ROWS = 20;

/** Sums over a set of sales, as the marts hold them; `inflated[t]` counts priced sales over threshold t. */
export interface PricingSums {
  sales: number;
  /** Sales whose model had a market new price on the order date; the money sums are over these. */
  priced: number;
  price: number;
  displayed: number;
  market: number;
  inflated: Record<Threshold, number>;
}

/** The figures a reader sees for a set of sales at a threshold (null where a denominator is zero). */
export interface PricingFigures {
  sales: number;
  priced: number;
  unpriced: number;
  inflated: number;
  /** inflated ÷ priced sales */
  inflatedShare: number | null;
  /** 1 − Σ price ÷ Σ displayed "new" price: the saving the product pages claimed, weighted by price. */
  claimedSaving: number | null;
  /** 1 − Σ price ÷ Σ market new price: the saving against the real new price. */
  actualSaving: number | null;
  /** Σ displayed ÷ Σ market − 1: how far above the real new price the displayed ones were, overall. */
  overstatement: number | null;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function pricingFigures(s: PricingSums, threshold: Threshold): PricingFigures {
  const inflated = s.inflated[threshold];
  const claimed = ratio(s.price, s.displayed);
  const actual = ratio(s.price, s.market);
  const over = ratio(s.displayed, s.market);
  return {
    sales: s.sales,
    priced: s.priced,
    unpriced: s.sales - s.priced,
    inflated,
    inflatedShare: ratio(inflated, s.priced),
    claimedSaving: claimed === null ? null : 1 - claimed,
    actualSaving: actual === null ? null : 1 - actual,
    overstatement: over === null ? null : over - 1,
  };
}

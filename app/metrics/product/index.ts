// The product pages' metrics, one file per page, each defined once from measure sums like the ledger's
// (../catalogue.ts). A page asks for them by id (figureOf); it never divides or rounds a figure itself.
// A metric two pages share lives in the first page's file and is used by id by the second.

import { CHANNELS_METRICS } from "./channels";
import { MARKET_METRICS } from "./market";
import { PIPELINE_METRICS } from "./pipeline";
import { PRICING_METRICS } from "./pricing";
import { QUALITY_METRICS } from "./quality";
import { ROLLOUT_CATALOGUE } from "./rollout";

export const PRODUCT_METRICS = {
  ...QUALITY_METRICS,
  ...PRICING_METRICS,
  ...ROLLOUT_CATALOGUE,
  ...CHANNELS_METRICS,
  ...MARKET_METRICS,
  ...PIPELINE_METRICS,
} as const;

export type ProductMetricId = keyof typeof PRODUCT_METRICS;

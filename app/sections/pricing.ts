// The price-display page's sections: one id per table or chart (also its download's name). The
// sellers' and models' ids are the downloads' names from before the sections (contracts).
export const PRICING_SECTIONS = [
  "pricing-inflated-share",
  "pricing-savings",
  "pricing-countries",
  "pricing-categories",
  "pricing-sellers",
  "pricing-models",
] as const;

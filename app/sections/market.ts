// The market context page's sections: one id per table or chart's figures (also its download's name).
export const MARKET_SECTIONS = [
  "market-second-hand-share",
  "market-company-share",
  "market-countries",
  "market-without",
] as const;

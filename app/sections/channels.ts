// The partners and app page's sections: one id per table or chart's figures (also its download's name).
export const CHANNELS_SECTIONS = [
  "channels-partner-share",
  "channels-compare",
  "channels-repeat",
  "channels-repeat-months",
] as const;

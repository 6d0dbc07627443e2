// The grades page's sections: one id per table or chart (also its download's name).
export const QUALITY_SECTIONS = [
  "quality-grade-mix",
  "quality-grades",
  "quality-return-reasons",
  "quality-return-rates",
  "quality-battery",
  "quality-premium-sellers",
] as const;

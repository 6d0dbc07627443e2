// The rollout page's sections: one id per table or chart (also its download's name). `rollout` is the
// download's name from before the sections (a contract): the chosen countries month by month.
export const ROLLOUT_SECTIONS = [
  "rollout-lines",
  "rollout-app-share",
  "rollout-app-windows",
  "rollout-milestones",
  "rollout",
] as const;

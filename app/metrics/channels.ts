// The channel page's fixed choices, browser-safe: the page and the server share them. Months are the
// grammar's (~/lib/grammar: shiftMonth, monthList, monthEnd, lastWholeMonth); days after a first order here.

import { memoIn } from "~/lib/memo";

/** Windows (days after the first order's day) in which a second purchase counts as coming back. */
export const REPEAT_WINDOWS = [90, 365] as const;
export type RepeatWindow = (typeof REPEAT_WINDOWS)[number];

const daysAdded = new Map<number, Map<string, string>>();
/** `YYYY-MM-DD` plus n days (remembered per n: the channel pages ask it per cohort day and window). */
export function addDays(day: string, n: number): string {
  return memoIn(daysAdded, n, day, () => {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  });
}

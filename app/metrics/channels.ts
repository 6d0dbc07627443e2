// The channel page's fixed choices, browser-safe: the page and the server share them. Months are the
// grammar's (~/lib/grammar: shiftMonth, monthList, monthEnd, lastWholeMonth); days after a first order here.

/** Windows (days after the first order's day) in which a second purchase counts as coming back. */
export const REPEAT_WINDOWS = [90, 365] as const;
export type RepeatWindow = (typeof REPEAT_WINDOWS)[number];

/** `YYYY-MM-DD` plus n days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Round ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten, four or five of them. */
export function niceTicks(max: number): number[] {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Math.round(i * step * 1e6) / 1e6);
}

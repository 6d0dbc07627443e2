// The channel page's fixed choices and month arithmetic, browser-safe: the page and the server share them.

/** Windows (days after the first order's day) in which a second purchase counts as coming back. */
export const REPEAT_WINDOWS = [90, 365] as const;
export type RepeatWindow = (typeof REPEAT_WINDOWS)[number];

/** `YYYY-MM` plus n months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The last day of a `YYYY-MM` month, as `YYYY-MM-DD`. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus n days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The last month the data covers entirely: the last day's month if that day ends it, else the one before. */
export function lastWholeMonth(lastDay: string): string {
  const month = lastDay.slice(0, 7);
  return lastDayOf(month) === lastDay ? month : addMonths(month, -1);
}

/** Round ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten, four or five of them. */
export function niceTicks(max: number): number[] {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Math.round(i * step * 1e6) / 1e6);
}

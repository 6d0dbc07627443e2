// When a report is due: a subscription's cadence, day and time in its own time zone, as a cron pattern
// for croner (which knows the zones' summer time). The scheduler sends the latest due run not sent yet:
// a run missed while no server was up goes out once when one comes back, and older missed runs are not
// sent one after another (the latest figures are the ones worth reading).

import { Cron } from "croner";
import type { Cadence, Subscription } from "../auth/state.server";

export const DEFAULT_TIME_ZONE = "Europe/Paris";

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The cron pattern of a schedule (seconds first): HH:MM daily, on a weekday (1 = Monday), or a day. */
export function cronPattern(s: Pick<Subscription, "cadence" | "weekday" | "dayOfMonth" | "time">): string {
  const [hours, minutes] = s.time.split(":").map(Number) as [number, number];
  const at = `0 ${minutes} ${hours}`;
  const kinds: Record<Cadence, () => string> = {
    daily: () => `${at} * * *`,
    // croner's weekdays: 0 or 7 = Sunday, 1 = Monday.
    weekly: () => `${at} * * ${(s.weekday ?? 1) % 7}`,
    monthly: () => `${at} ${s.dayOfMonth ?? 1} * *`,
  };
  return kinds[s.cadence]();
}

/** The latest instant the subscription was due at, at or before `now` and after it was made; or null. */
export function lastDue(s: Subscription, now: Date): Date | null {
  const cron = new Cron(cronPattern(s), { timezone: s.timeZone, paused: true });
  const [last] = cron.previousRuns(1, now);
  return last && last.getTime() >= s.createdAt ? last : null;
}

/** The next instant it is due at, after `now`. */
export function nextDue(s: Subscription, now: Date): Date | null {
  return new Cron(cronPattern(s), { timezone: s.timeZone, paused: true }).nextRun(now);
}

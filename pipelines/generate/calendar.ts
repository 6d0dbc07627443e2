// Calendar helpers on ISO dates (UTC midnight), deliberately free of local time zones.

const DAY_MS = 86_400_000;

export function parseIsoDate(iso: string): number {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(iso) ||
    Number.isNaN(ms) ||
    new Date(ms).toISOString().slice(0, 10) !== iso
  ) {
    throw new Error(`not a valid date (YYYY-MM-DD): ${iso}`);
  }
  return ms / DAY_MS;
}

/** Day number (days since 1970-01-01) → YYYY-MM-DD. */
export function isoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function weekday(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCDay();
}

export function yearOf(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCFullYear();
}

/** Easter Sunday (Gregorian, anonymous algorithm) as a day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** TARGET2 closing days, on which the ECB publishes no reference rates (besides weekends). */
export function isFxHoliday(dayNumber: number): boolean {
  const date = isoDate(dayNumber);
  const md = date.slice(5);
  if (md === "01-01" || md === "05-01" || md === "12-25" || md === "12-26") return true;
  const easter = easterSunday(yearOf(dayNumber));
  return dayNumber === easter - 2 || dayNumber === easter + 1;
}

/** Day number of the fourth Thursday of November + 1: Black Friday. */
export function blackFriday(year: number): number {
  const nov1 = Date.UTC(year, 10, 1) / DAY_MS;
  const firstThursday = nov1 + ((4 - weekday(nov1) + 7) % 7);
  return firstThursday + 21 + 1;
}

/** Last day of the month of an ISO month string YYYY-MM, as a day number. */
export function monthEnd(month: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return Date.UTC(y, m, 1) / DAY_MS - 1;
}

export function monthOf(dayNumber: number): string {
  return isoDate(dayNumber).slice(0, 7);
}

/** Whole months between two day numbers (calendar months, day of month ignored). */
export function monthsBetween(fromDay: number, toDay: number): number {
  const a = new Date(fromDay * DAY_MS);
  const b = new Date(toDay * DAY_MS);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

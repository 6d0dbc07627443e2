// Calendar months written YYYY-MM (dates YYYY-MM-DD are read by their month): browser-safe helpers
// shared by the monthly pages. Strings compare as months.

const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const fromIndex = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;

/** Months from `from` to `to`: 0 for the same month, negative when `to` is earlier. */
export function monthsBetween(from: string, to: string): number {
  return index(to) - index(from);
}

/** The month `count` months before `to`, counting `to` itself: monthsBack("2024-12", 12) = "2024-01". */
export function monthsBack(to: string, count: number): string {
  return fromIndex(index(to) - (count - 1));
}

/** The last day of a month, YYYY-MM-DD. */
export function lastDayOf(month: string): string {
  const i = index(month);
  const day = new Date(Date.UTC(Math.floor(i / 12), (i % 12) + 1, 0)).getUTCDate();
  return `${month.slice(0, 7)}-${String(day).padStart(2, "0")}`;
}

/** The month of the data's last day when that day is not the month's last: a month not over yet. */
export function unfinishedMonth(lastDay: string | null): string | null {
  if (lastDay === null) return null;
  const month = lastDay.slice(0, 7);
  return lastDay < lastDayOf(month) ? month : null;
}

// Days as numbers (days since 1970-01-01, as the resident marts hold them) and as ISO dates: one pair
// for the resident marts, the customer-days index and the metrics over them.

/** The day number of an ISO date ('YYYY-MM-DD'). */
export const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The ISO date of a day number: dayNumber's inverse. */
export const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

// Number and date formats, one per kind, in the reader's locale. Loaders call these so the server
// renders final text and the browser never re-formats (no hydration mismatch between ICU versions).

import type { Locale } from "~/i18n/locales";
import type { MetricFormat } from "~/metrics/headline";

const NUMBER_OPTIONS: Record<MetricFormat, Intl.NumberFormatOptions> = {
  count: { maximumFractionDigits: 0 },
  eur_whole: { style: "currency", currency: "EUR", minimumFractionDigits: 0, maximumFractionDigits: 0 },
};

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatMetric(value: number, format: MetricFormat, locale: Locale): string {
  const key = `${locale}|${format}`;
  let formatter = numberFormats.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, NUMBER_OPTIONS[format]);
    numberFormats.set(key, formatter);
  }
  return formatter.format(value);
}

/** A calendar date (`YYYY-MM-DD`), e.g. "3 January 2021" / "3 janvier 2021". */
export function formatDate(isoDate: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/** An instant, in UTC so every reader sees the same time: "28 Nov 2025, 07:05 UTC". */
export function formatTimestamp(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  }).format(new Date(iso));
}

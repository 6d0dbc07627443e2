// Number and date formats, one per kind, in the reader's locale. Loaders call these so the server
// renders final text and the browser never re-formats (no hydration mismatch between ICU versions).

import type { Locale } from "~/i18n/locales";
import { memoIn } from "~/lib/memo";
import type { Unit } from "~/metrics/catalogue";

/**
 * One format per locale and kind, made on first use (`memoIn`: `make` runs only then): building one costs
 * tens of µs, and a table formats thousands of cells, each of which used to build its options and a key
 * string for a format already there (issue 19).
 */
type Kept<F> = Map<Locale, Map<string, F>>;

const numberFormats: Kept<Intl.NumberFormat> = new Map();
const dateFormats: Kept<Intl.DateTimeFormat> = new Map();

function formatter(locale: Locale, key: string, options: () => Intl.NumberFormatOptions): Intl.NumberFormat {
  return memoIn(numberFormats, locale, key, () => new Intl.NumberFormat(locale, options()));
}

function dateFormatter(
  locale: Locale,
  key: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  return memoIn(dateFormats, locale, key, () => new Intl.DateTimeFormat(locale, options));
}

/**
 * Whole numbers without a call into ICU. A format of no decimals (amounts in whole units, counts) writes a
 * prefix, the digits grouped by three and a suffix, each sign its own: read once from the format's own
 * parts, then checked against the format on probe values (halves, -0, four to nine digits); a locale or
 * currency whose output differs in any way (another grouping, a minimum of two digits before a separator)
 * keeps ICU. Intl's `format` cost ~1.5 µs a call, and a profitability page makes ~1,000 (every month's
 * P&L line, in its own text; issue 19, ADR 0043).
 */
type Whole = (n: number) => string;
const wholes = new WeakMap<Intl.NumberFormat, Whole | null>();
const WHOLE_PROBES = [
  0, -0, 0.4, -0.4, 0.5, -0.5, 2.5, -2.5, 7, -9, 12, 123, 999.5, 1234, -1234, 12345.49, 123456, 1234567.5,
  -1234567.5, 98765432.1,
];

/** The format's output for a number below 10^15 in magnitude, or null: ask ICU. */
export function wholeOf(nf: Intl.NumberFormat): Whole | null {
  let whole = wholes.get(nf);
  if (whole === undefined) {
    whole = readWhole(nf);
    wholes.set(nf, whole);
  }
  return whole;
}

function readWhole(nf: Intl.NumberFormat): Whole | null {
  const options = nf.resolvedOptions();
  if (options.maximumFractionDigits !== 0 || options.notation !== "standard") return null;
  const affixes = (n: number) => {
    const parts = nf.formatToParts(n);
    const first = parts.findIndex((p) => p.type === "integer");
    const last = parts.findLastIndex((p) => p.type === "integer");
    const digits = parts.slice(first, last + 1);
    if (first < 0 || digits.some((p) => p.type !== "integer" && p.type !== "group")) return null;
    const text = (list: Intl.NumberFormatPart[]) => list.map((p) => p.value).join("");
    return {
      prefix: text(parts.slice(0, first)),
      suffix: text(parts.slice(last + 1)),
      group: digits.find((p) => p.type === "group")?.value,
    };
  };
  const plus = affixes(1234567);
  const minus = affixes(-1234567);
  if (!plus || !minus || plus.group === undefined || plus.group !== minus.group) return null;
  const group = plus.group;
  const whole: Whole = (n) => {
    const digits = String(Math.round(Math.abs(n)));
    const head = digits.length % 3 || 3;
    let grouped = digits.slice(0, head);
    for (let i = head; i < digits.length; i += 3) grouped += group + digits.slice(i, i + 3);
    const sign = n < 0 || Object.is(n, -0) ? minus : plus;
    return sign.prefix + grouped + sign.suffix;
  };
  return WHOLE_PROBES.every((n) => whole(n) === nf.format(n)) ? whole : null;
}

/** `nf.format(value)`, through `wholeOf` where it can. */
function formatWhole(nf: Intl.NumberFormat, value: number): string {
  if (!(Math.abs(value) < 1e15)) return nf.format(value);
  const whole = wholeOf(nf);
  return whole ? whole(value) : nf.format(value);
}

/**
 * Money is EUR unless a view shows one country in its own currency: every function below takes the
 * ISO 4217 code as its last, optional argument. Whole units for amounts; 2 decimals for per-unit amounts
 * (or the currency's own minor unit, e.g. none for JPY).
 */
function money(currency: string) {
  // "£", "¥", "kr": the reader knows the currency from the page, and a code ("JPY") widens every figure.
  return { style: "currency", currency, currencyDisplay: "narrowSymbol" } as const;
}

const minorDigits = new Map<string, number>();
/** The currency's own decimals (2 for EUR, 0 for JPY). */
function decimalsOf(currency: string): number {
  let d = minorDigits.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en", money(currency)).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigits.set(currency, d);
  }
  return d;
}

/** A metric's value as a reader sees it on a card or in a table: whole euros, counts, ratios in %. */
export function formatMetricValue(value: number, unit: Unit, locale: Locale, currency = "EUR"): string {
  switch (unit) {
    case "eur":
      return formatWhole(
        formatter(locale, currency === "EUR" ? "eur" : `eur-${currency}`, () => ({
          ...money(currency),
          maximumFractionDigits: 0,
        })),
        value,
      );
    case "count":
      return formatWhole(
        formatter(locale, "count", () => ({ maximumFractionDigits: 0 })),
        value,
      );
    case "ratio":
      return formatter(locale, "ratio", () => ({
        style: "percent",
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      })).format(value);
    case "eur_unit":
      return formatter(locale, currency === "EUR" ? "eur2" : `eur2-${currency}`, () => ({
        ...money(currency),
        minimumFractionDigits: decimalsOf(currency),
        maximumFractionDigits: decimalsOf(currency),
      })).format(value);
    case "rate":
      // Two decimals; a small rate (a young country's devices per 1,000 inhabitants) keeps two
      // significant digits rather than reading 0.00.
      return value !== 0 && Math.abs(value) < 0.1
        ? formatter(locale, "rate-small", () => ({ maximumSignificantDigits: 2 })).format(value)
        : formatter(locale, "rate", () => ({ minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(
            value,
          );
  }
}

/** The same, exact to the cent (titles and tooltips: the figure finance will find in the CSV). */
export function formatExact(value: number, unit: Unit, locale: Locale, currency = "EUR"): string {
  if (unit === "eur" || unit === "eur_unit") return formatMetricValue(value, "eur_unit", locale, currency);
  if (unit === "ratio")
    return formatter(locale, "ratio2", () => ({
      style: "percent",
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    })).format(value);
  return formatMetricValue(value, unit, locale, currency);
}

/**
 * A share in percent with `min` to `max` decimals (0.25% on an axis whose step needs two, a whole
 * percentage on a small chart): one format per locale and digits, made once, like every other here.
 */
export function formatPercentDigits(value: number, locale: Locale, min: number, max = min): string {
  return formatter(locale, `pct-${min}-${max}`, () => ({
    style: "percent",
    minimumFractionDigits: min,
    maximumFractionDigits: max,
  })).format(value);
}

/** A short figure for chart axes: "€1.2M", "1,2 M€". */
export function formatCompact(value: number, unit: Unit, locale: Locale, currency = "EUR"): string {
  if (unit === "ratio" || unit === "rate" || unit === "eur_unit")
    return formatMetricValue(value, unit, locale, currency);
  const options: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };
  return formatter(locale, `compact-${unit}-${currency}`, () =>
    unit === "eur" ? { ...money(currency), ...options } : options,
  ).format(value);
}

/** A signed change: "+€1,234", "−3.2%", "+0.4 pt". */
export function formatChange(
  value: number,
  kind: Unit | "percent" | "points" | "fine_points",
  locale: Locale,
  currency = "EUR",
): string {
  const signed = { signDisplay: "exceptZero" } as const;
  switch (kind) {
    case "eur":
      return formatter(locale, `d-eur-${currency}`, () => ({
        ...money(currency),
        ...signed,
        maximumFractionDigits: 0,
      })).format(value);
    case "count":
      return formatter(locale, "d-count", () => ({ ...signed, maximumFractionDigits: 0 })).format(value);
    case "eur_unit":
      return formatter(locale, `d-eur2-${currency}`, () => ({
        ...money(currency),
        ...signed,
        minimumFractionDigits: decimalsOf(currency),
        maximumFractionDigits: decimalsOf(currency),
      })).format(value);
    case "rate":
      return formatter(locale, "d-rate", () => ({
        ...signed,
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      })).format(value);
    case "percent":
    case "ratio":
      return formatter(locale, "d-pct", () => ({
        ...signed,
        style: "percent",
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      })).format(value);
    case "fine_points":
      // Restated ratios (the "What changed" page): a move of 0.01 pt must not read as none.
      return `${formatter(locale, "d-pt2", () => ({ ...signed, minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(value * 100)} pt`;
    case "points":
      return `${formatter(locale, "d-pt", () => ({ ...signed, minimumFractionDigits: 1, maximumFractionDigits: 1 })).format(value * 100)} pt`;
  }
}

/** A calendar date (`YYYY-MM-DD`), e.g. "3 January 2021" / "3 janvier 2021". */
export function formatDate(isoDate: string, locale: Locale): string {
  return datesSeen(`date|${locale}|${isoDate}`, () =>
    dateFormatter(locale, "date", { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(`${isoDate}T00:00:00Z`),
    ),
  );
}

/** A month ("2024-03") by name: "March 2024" (long), "Mar 2024" (short), "Mar 24" (short, 2-digit year). */
export function formatMonth(
  month: string,
  locale: Locale,
  style: "long" | "short" = "long",
  year: "numeric" | "2-digit" = "numeric",
): string {
  return datesSeen(`month-${style}-${year}|${locale}|${month}`, () =>
    dateFormatter(locale, `month-${style}-${year}`, { month: style, year, timeZone: "UTC" }).format(
      new Date(`${month.slice(0, 7)}-01T00:00:00Z`),
    ),
  );
}

/**
 * Calendar dates already named: a table repeats the same months and days in every row, and each
 * Intl format costs a few microseconds (a 1,500-row table's month column was a third of /market's
 * loader). Bounded: the data holds a few thousand days.
 */
const namedDates = new Map<string, string>();
function datesSeen(key: string, name: () => string): string {
  const found = namedDates.get(key);
  if (found !== undefined) return found;
  if (namedDates.size >= 20_000) namedDates.clear();
  const made = name();
  namedDates.set(key, made);
  return made;
}

/** An instant, in UTC so every reader sees the same time: "28 Nov 2025, 07:05 UTC". */
export function formatTimestamp(iso: string, locale: Locale): string {
  return dateFormatter(locale, "timestamp", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** A period's name at its grain: "3 Mar 2024", "w/c 4 Mar 2024", "Mar 2024", "Q1 2024", "2024". */
export function formatPeriod(
  isoDate: string,
  grain: "day" | "week" | "month" | "quarter" | "year",
  locale: Locale,
): string {
  return datesSeen(`${grain}|${locale}|${isoDate}`, () => namePeriod(isoDate, grain, locale));
}

function namePeriod(isoDate: string, grain: "day" | "week" | "month" | "quarter" | "year", locale: Locale) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  const utc = { timeZone: "UTC" } as const;
  switch (grain) {
    case "day":
      return dateFormatter(locale, "day", { ...utc, day: "numeric", month: "short", year: "numeric" }).format(
        d,
      );
    case "week":
      return `${locale === "fr-FR" ? "sem. du" : "w/c"} ${dateFormatter(locale, "day", { ...utc, day: "numeric", month: "short", year: "numeric" }).format(d)}`;
    case "month":
      return dateFormatter(locale, "month", { ...utc, month: "short", year: "numeric" }).format(d);
    case "quarter":
      return `${locale === "fr-FR" ? "T" : "Q"}${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
    case "year":
      return String(d.getUTCFullYear());
  }
}

/** The narrow symbol of a currency in a locale: "£", "$", "¥", "kr". */
export function currencySymbol(currency: string, locale: Locale): string {
  return (
    formatter(locale, `symbol-${currency}`, () => money(currency))
      .formatToParts(0)
      .find((p) => p.type === "currency")?.value ?? currency
  );
}

/** A label naming euros ("per €1k of marketing"), in the currency the page shows. */
export function labelIn(label: string, currency: string, locale: Locale): string {
  return currency === "EUR" ? label : label.replaceAll("€", currencySymbol(currency, locale));
}

const collators = new Map<Locale, Intl.Collator>();

/** A list sorted by the names a reader sees, in the reader's language ("Allemagne" before "Autriche"). */
export function byName<T>(items: readonly T[], name: (item: T) => string, locale: Locale): T[] {
  let collator = collators.get(locale);
  if (!collator) {
    collator = new Intl.Collator(locale, { sensitivity: "base" });
    collators.set(locale, collator);
  }
  const c = collator;
  return [...items].sort((a, b) => c.compare(name(a), name(b)));
}

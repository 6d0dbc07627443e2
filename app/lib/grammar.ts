// One filter grammar for every page, download and the command line: the same parameter means the same
// thing everywhere. A page names the atoms it takes (months, countries, category…); parseParams reads
// the query string once (repeats, unknown names, empty form fields), checks each atom's values with its
// zod schema, and bounds every month by the data. A bad value is a ParamError that says what was wrong
// in English and in French. Browser-safe: the forms use the same lists and defaults.

import { z } from "zod";
import type { Locale } from "~/i18n/locales";
import { CATEGORIES, GRADES, ORDER_CHANNELS, PARTNERS, REGIONS } from "../../core/contract.ts";
import { BadRequest } from "./errors";

// No code generation: the dashboard's CSP refuses `new Function` (see ./filters.ts).
z.config({ jitless: true });

export type Region = (typeof REGIONS)[number];

/** A bad parameter: the sentence in each locale, and the parameter it is about. */
export class ParamError extends BadRequest {
  constructor(
    readonly param: string,
    readonly text: Record<Locale, string>,
  ) {
    super(text["en-GB"]);
  }
  override in(locale: Locale): string {
    return this.text[locale];
  }
}

export const fail = (param: string, en: string, fr: string): never => {
  throw new ParamError(param, { "en-GB": `${param}: ${en}`, "fr-FR": `${param} : ${fr}` });
};

// ── months ──────────────────────────────────────────────────────────────────────────────────────────

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' plus n months (n may be negative). */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Months from `from` to `to` ('YYYY-MM' or days, read by their month): 0 for the same month. */
export function monthsBetween(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return index(to) - index(from);
}

/** Every month from `from` to `to`, both included. */
export function monthList(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) out.push(m);
  return out;
}

const monthEnds = new Map<string, string>();
/** The last day of a 'YYYY-MM' month, as 'YYYY-MM-DD' (remembered: the pages ask it dozens of times). */
export function monthEnd(month: string): string {
  let end = monthEnds.get(month);
  if (end === undefined) {
    const [y, m] = month.split("-").map(Number) as [number, number];
    end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (monthEnds.size >= 10_000) monthEnds.clear();
    monthEnds.set(month, end);
  }
  return end;
}

/** The data's first and last day with a completed item. */
export interface DataSpan {
  from: string;
  to: string;
}

/** The last month the data covers entirely (the data's only month when it holds one, even partial). */
export function lastWholeMonth(data: DataSpan): string {
  const first = data.from.slice(0, 7);
  const last = data.to.slice(0, 7);
  return monthEnd(last) === data.to || last === first ? last : shiftMonth(last, -1);
}

export interface MonthRange {
  from: string;
  to: string;
}

/** The default period of the monthly pages: the last `n` whole months with data, never before it starts. */
export function lastWholeMonths(data: DataSpan, n = 12): MonthRange {
  const to = lastWholeMonth(data);
  const first = data.from.slice(0, 7);
  const from = shiftMonth(to, -(n - 1));
  return { from: from < first ? first : from, to };
}

/** A month range as days: the first day of `from` to the last day of `to`. */
export const monthRangeDays = (r: MonthRange): DataSpan => ({ from: `${r.from}-01`, to: monthEnd(r.to) });

function readMonth(param: string, value: string): string {
  if (!MONTH.test(value))
    fail(
      param,
      `"${value.slice(0, 20)}" is not a month written YYYY-MM, e.g. 2024-10`,
      `« ${value.slice(0, 20)} » n’est pas un mois écrit AAAA-MM, p. ex. 2024-10`,
    );
  return value;
}

/**
 * The period presets of the monthly pages: the overview's names (one grammar), in whole months ending
 * with the last whole month. "Last 30 days" has no whole-month meaning and is not offered.
 */
export const MONTH_PRESETS = [
  "last_12_months",
  "year_to_date",
  "this_quarter",
  "last_month",
  "all_time",
] as const;
export type MonthPreset = (typeof MONTH_PRESETS)[number];

/** The whole months a preset covers in the data. */
export function monthPresetRange(preset: MonthPreset, data: DataSpan): MonthRange {
  const to = lastWholeMonth(data);
  const first = data.from.slice(0, 7);
  const start =
    preset === "last_month"
      ? to
      : preset === "all_time"
        ? first
        : preset === "year_to_date"
          ? `${to.slice(0, 4)}-01`
          : preset === "this_quarter"
            ? `${to.slice(0, 4)}-${String(Math.floor((Number(to.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, "0")}`
            : shiftMonth(to, -11);
  // Months compare as text: never before the data.
  return { from: [start, first].sort().at(-1) ?? first, to };
}

/**
 * `from` and `to` as months ('YYYY-MM'), each inside the data, or a `range` preset; by default the last
 * `defaultMonths` whole months. A `from` alone runs to the last whole month (or its own month when later).
 */
export function resolveMonthRange(
  raw: { from?: string; to?: string; range?: string },
  data: DataSpan,
  defaultMonths = 12,
): MonthRange {
  if (raw.range !== undefined) {
    const preset = readChoice("range", raw.range, MONTH_PRESETS, "last_12_months");
    if (raw.from !== undefined || raw.to !== undefined)
      fail("range", "give either range or from/to, not both", "donnez range ou from/to, pas les deux");
    return monthPresetRange(preset, data);
  }
  const first = data.from.slice(0, 7);
  const last = data.to.slice(0, 7);
  const span = { en: `the data runs from ${first} to ${last}`, fr: `les données vont de ${first} à ${last}` };
  const months: Partial<MonthRange> = {};
  for (const key of ["from", "to"] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    const m = readMonth(key, value);
    if (m < first || m > last)
      fail(key, `no data in ${m} (${span.en})`, `aucune donnée en ${m} (${span.fr})`);
    months[key] = m;
  }
  const fallback = lastWholeMonths(data, defaultMonths);
  const to = months.to ?? (months.from && months.from > fallback.to ? last : fallback.to);
  const from =
    months.from ??
    (months.to ? ([shiftMonth(to, -(defaultMonths - 1)), first].sort().at(-1) ?? first) : fallback.from);
  if (from > to) fail("from", `${from} is after to (${to})`, `${from} est après to (${to})`);
  return { from, to };
}

// ── days ────────────────────────────────────────────────────────────────────────────────────────────

/** A calendar day written YYYY-MM-DD. */
export function readDay(param: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    fail(
      param,
      `"${value.slice(0, 20)}" is not a date written YYYY-MM-DD, e.g. 2024-10-31`,
      `« ${value.slice(0, 20)} » n’est pas une date écrite AAAA-MM-JJ, p. ex. 2024-10-31`,
    );
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    fail(param, `${value} is not a calendar date`, `${value} n’est pas une date du calendrier`);
  return value;
}

/**
 * A day inside the data's calendar years: a whole year or quarter around the data stays a fair question
 * (finance asks for 2024 when the data starts in November), a year 0006 or 9999 never reaches a query.
 */
export function boundDay(param: string, day: string, data: DataSpan): string {
  const first = `${data.from.slice(0, 4)}-01-01`;
  const last = `${data.to.slice(0, 4)}-12-31`;
  if (day < first || day > last)
    fail(
      param,
      `no data on ${day} (the data runs from ${data.from} to ${data.to})`,
      `aucune donnée le ${day} (les données vont du ${data.from} au ${data.to})`,
    );
  return day;
}

// ── lists ───────────────────────────────────────────────────────────────────────────────────────────

/** A comma-separated list (or one value per ticked box), each value once, in the order given. */
export function readList(param: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  if (value.length > 400)
    fail(param, "is too long (at most 400 characters)", "est trop long (400 caractères au plus)");
  return [...new Set(value.split(",").filter((v) => v !== ""))];
}

export function readEnumList<T extends string>(
  param: string,
  value: string | undefined,
  allowed: readonly T[],
  options: { keepOrder?: boolean } = {},
): T[] {
  const items = readList(param, value);
  for (const item of items)
    if (!(allowed as readonly string[]).includes(item))
      fail(
        param,
        `unknown value "${item.slice(0, 40)}" (one of: ${allowed.join(", ")})`,
        `valeur inconnue « ${item.slice(0, 40)} » (parmi : ${allowed.join(", ")})`,
      );
  // The catalogue's order, so that the same selection in another order reads (and caches) the same;
  // the overview keeps the URL's order, which its links write back as given.
  return options.keepOrder ? (items as T[]) : allowed.filter((a) => items.includes(a));
}

/** A country of the snapshot, with its region. */
export interface KnownCountry {
  country_code: string;
  region: string;
}

export interface CountryChoice {
  /** The countries selected (a country must also lie in a selected region), sorted; null for all. */
  countries: string[] | null;
  /** As given in the URL, for the form. */
  country: string[];
  region: Region[];
}

/**
 * `country` (codes of the snapshot) and `region` together: the countries of the selected regions, or
 * the countries named, or those named within the regions. `min`/`max` bound how many may be named.
 */
export function resolveCountries(
  raw: { country?: string; region?: string },
  known: readonly KnownCountry[],
  bounds: { min?: number; max?: number } = {},
): CountryChoice {
  const country = readList("country", raw.country);
  const region = readEnumList("region", raw.region, REGIONS);
  const codes = known.map((c) => c.country_code);
  for (const code of country)
    if (!codes.includes(code))
      fail(
        "country",
        `unknown country "${code.slice(0, 20)}" (one of: ${codes.join(", ")})`,
        `pays inconnu « ${code.slice(0, 20)} » (parmi : ${codes.join(", ")})`,
      );
  if (bounds.max !== undefined && country.length > bounds.max)
    fail("country", `choose at most ${bounds.max} countries`, `choisissez ${bounds.max} pays au plus`);
  if (bounds.min !== undefined && country.length > 0 && country.length < bounds.min)
    fail("country", `choose at least ${bounds.min} countries`, `choisissez au moins ${bounds.min} pays`);
  if (!country.length && !region.length) return { countries: null, country, region };
  const countries = known
    .filter((c) => !country.length || country.includes(c.country_code))
    .filter((c) => !region.length || (region as readonly string[]).includes(c.region))
    .map((c) => c.country_code)
    .sort();
  return { countries, country, region };
}

export const readCategories = (value: string | undefined) => readEnumList("category", value, CATEGORIES);
export const readGrades = (value: string | undefined) => readEnumList("grade", value, GRADES);
export const readChannels = (value: string | undefined) => readEnumList("channel", value, ORDER_CHANNELS);
export const readPartners = (value: string | undefined) => readEnumList("partner", value, PARTNERS);

/** One value of a fixed list, or the default. */
export function readChoice<T extends string>(
  param: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    fail(
      param,
      `unknown value "${value.slice(0, 40)}" (one of: ${allowed.join(", ")})`,
      `valeur inconnue « ${value.slice(0, 40)} » (parmi : ${allowed.join(", ")})`,
    );
  return value as T;
}

// ── the query string ────────────────────────────────────────────────────────────────────────────────

/** The list parameters: they may come as country=FR,DE or as country=FR&country=DE (ticked boxes). */
export const LIST_PARAMS = ["country", "region", "category", "grade", "channel", "partner"] as const;

/** The one parameter every page accepts and leaves to others: the language (downloads remove their own first). */
const PASSED_THROUGH = new Set(["lang"]);

/**
 * The raw values of the parameters a page takes: unknown names, a single-valued parameter given twice
 * and over-long values are refused; empty form fields mean "not set"; names starting with _ are Remix's.
 */
export function readQuery<const Names extends readonly string[]>(
  search: URLSearchParams,
  names: Names,
): Partial<Record<Names[number], string>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of search) {
    if (PASSED_THROUGH.has(key) || key.startsWith("_") || value === "") continue;
    if (!(names as readonly string[]).includes(key))
      fail(
        key,
        `unknown parameter (this page takes: ${names.join(", ")})`,
        `paramètre inconnu (cette page accepte : ${names.join(", ")})`,
      );
    if (key in raw) {
      if (!(LIST_PARAMS as readonly string[]).includes(key))
        fail(key, "was given more than once", "est donné plus d’une fois");
      raw[key] = `${raw[key]},${value}`;
    } else raw[key] = value;
    if ((raw[key] as string).length > 2000) fail(key, "is too long", "est trop long");
  }
  return raw as Partial<Record<Names[number], string>>;
}

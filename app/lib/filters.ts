// The dashboard's filters, parsed from the URL by one schema and written back to it by one function,
// so a link always reproduces the view. Browser-safe. Presets ("last 30 days"…) stay presets in the URL
// and resolve against the snapshot's last day of data, so a shared "year to date" link keeps its meaning.

import {
  addDays,
  addMonths,
  differenceInCalendarDays,
  endOfMonth,
  endOfQuarter,
  endOfWeek,
  endOfYear,
  formatISO,
  isValid,
  parseISO,
  startOfMonth,
  startOfQuarter,
  startOfYear,
  subMonths,
  subYears,
} from "date-fns";
import { z } from "zod";
import { isMetricId, type MetricId } from "~/metrics/catalogue";
import { CATEGORIES, GRADES, ORDER_CHANNELS, PARTNERS, REGIONS } from "../../core/contract.ts";
import {
  boundDay,
  fail,
  ParamError,
  readChoice,
  readDay,
  readEnumList,
  readList,
  readQuery,
} from "./grammar";

// No code generation: zod's fast path would first probe `new Function("")`, which the dashboard's CSP
// (no 'unsafe-eval') refuses and reports as a violation. These schemas are small; the plain path is enough.
z.config({ jitless: true });

export const PRESETS = [
  "last_30_days",
  "last_month",
  "this_quarter",
  "year_to_date",
  "last_12_months",
  "all_time",
] as const;
export type Preset = (typeof PRESETS)[number];
export const COMPARISONS = ["previous_period", "last_year", "none"] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const GRAINS = ["day", "week", "month", "quarter", "year"] as const;
export type Grain = (typeof GRAINS)[number];
export { CATEGORIES, GRADES, ORDER_CHANNELS as CHANNELS, PARTNERS, REGIONS };
export const CURRENCY_MODES = ["eur", "local"] as const;
export type CurrencyMode = (typeof CURRENCY_MODES)[number];
/**
 * Where central costs (the headquarters' teams that serve every country) count: in the country that
 * records them, or allocated to every country by its share of net revenue (ADR 0019).
 */
export const COST_BASES = ["recorded", "allocated"] as const;
export type CostBasis = (typeof COST_BASES)[number];

/** What a page that shows operating costs says of central costs: the basis chosen, the headquarters. */
export interface CentralCostsView {
  basis: CostBasis;
  /** The headquarters' name in the reader's language. */
  headquarters: string;
}

/** The longest range a grain may cover, so that a chart never has thousands of points. */
export const MAX_DAYS_PER_GRAIN: Record<Grain, number> = {
  day: 366,
  week: 366 * 3,
  month: 366 * 30,
  quarter: 366 * 30,
  year: 366 * 30,
};

export const isoDate = z.string().superRefine((v, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    ctx.addIssue({ code: "custom", message: `"${v.slice(0, 40)}" must be a date written YYYY-MM-DD` });
  else if (!isValid(parseISO(v)) || formatISO(parseISO(v), { representation: "date" }) !== v)
    ctx.addIssue({ code: "custom", message: `${v} is not a calendar date` });
});

/** The filters as the URL gives them, checked one by one by the shared grammar (~/lib/grammar). */
export interface FilterParams {
  range?: Preset | undefined;
  from?: string | undefined;
  to?: string | undefined;
  compare: Comparison;
  grain?: Grain | undefined;
  metric: MetricId;
  country: string[];
  region: (typeof REGIONS)[number][];
  category: (typeof CATEGORIES)[number][];
  grade: (typeof GRADES)[number][];
  channel: (typeof ORDER_CHANNELS)[number][];
  partner: (typeof PARTNERS)[number][];
  /** A column of the table: its name, or a metric id; never free text. */
  sort?: "name" | MetricId | undefined;
  dir: "asc" | "desc";
  /** Money in EUR, or in the single selected country's own currency (as recorded). */
  currency: CurrencyMode;
  /** Central costs where recorded, or allocated by net revenue. */
  costs: CostBasis;
}

const FILTER_NAMES = [
  "range",
  "from",
  "to",
  "compare",
  "grain",
  "metric",
  "country",
  "region",
  "category",
  "grade",
  "channel",
  "partner",
  "sort",
  "dir",
  "currency",
  "costs",
] as const;

export type ParseResult =
  | { ok: true; params: FilterParams; extra: Record<string, string> }
  | { ok: false; message: string; error: ParamError };

/** The filters of a query string, or the ParamError that says (in English and French) what is wrong. */
function readFilters(search: URLSearchParams, extraNames: readonly string[]) {
  const raw = readQuery(search, [...FILTER_NAMES, ...extraNames]) as Record<string, string | undefined>;
  const extra: Record<string, string> = {};
  // A page's own parameters are the page's to check, even where a name is also a filter's (from, to).
  for (const name of extraNames) {
    if (raw[name] !== undefined) extra[name] = raw[name] as string;
    delete raw[name];
  }
  const country = readList("country", raw.country);
  for (const code of country)
    if (!/^[A-Z]{2}$/.test(code))
      fail(
        "country",
        `"${code.slice(0, 20)}" is not a country code (two capital letters, e.g. FR)`,
        `« ${code.slice(0, 20)} » n’est pas un code pays (deux majuscules, p. ex. FR)`,
      );
  const metric = raw.metric ?? "gmv_eur";
  if (!isMetricId(metric))
    fail(
      "metric",
      `"${metric.slice(0, 40)}" is not a metric id`,
      `« ${metric.slice(0, 40)} » n’est pas un indicateur`,
    );
  const sort = raw.sort;
  if (sort !== undefined && sort !== "name" && !isMetricId(sort))
    fail("sort", "must be name or a metric id", "doit être name ou un indicateur");
  const params: FilterParams = {
    range: raw.range === undefined ? undefined : readChoice("range", raw.range, PRESETS, DEFAULT_PRESET),
    from: raw.from === undefined ? undefined : readDay("from", raw.from),
    to: raw.to === undefined ? undefined : readDay("to", raw.to),
    compare: readChoice("compare", raw.compare, COMPARISONS, "previous_period"),
    grain: raw.grain === undefined ? undefined : readChoice("grain", raw.grain, GRAINS, "month"),
    metric: metric as MetricId,
    country,
    region: readEnumList("region", raw.region, REGIONS, { keepOrder: true }),
    category: readEnumList("category", raw.category, CATEGORIES, { keepOrder: true }),
    grade: readEnumList("grade", raw.grade, GRADES, { keepOrder: true }),
    channel: readEnumList("channel", raw.channel, ORDER_CHANNELS, { keepOrder: true }),
    partner: readEnumList("partner", raw.partner, PARTNERS, { keepOrder: true }),
    sort: sort as FilterParams["sort"],
    dir: readChoice("dir", raw.dir, ["asc", "desc"] as const, "desc"),
    currency: readChoice("currency", raw.currency, CURRENCY_MODES, "eur"),
    costs: readChoice("costs", raw.costs, COST_BASES, "recorded"),
  };
  if (params.range && (params.from || params.to))
    fail("range", "give either range or from/to, not both", "donnez range ou from/to, pas les deux");
  if ((params.from && !params.to) || (!params.from && params.to))
    fail(params.from ? "from" : "to", "from and to go together", "from et to vont ensemble");
  if (params.from && params.to && params.from > params.to)
    fail("from", `${params.from} is after to (${params.to})`, `${params.from} est après to (${params.to})`);
  return { params, extra };
}

/**
 * Parses the query string. Repeated parameters, unknown names and bad values are errors; `extra` names
 * a page's own parameters, returned as given for the page's schema to check.
 */
export function parseFilters(search: URLSearchParams, extraNames: readonly string[] = []): ParseResult {
  try {
    return { ok: true, ...readFilters(search, extraNames) };
  } catch (error) {
    if (error instanceof ParamError) return { ok: false, message: error.message, error };
    throw error;
  }
}

export interface DateRange {
  from: string;
  to: string;
}

/** The span of a snapshot's data: a DateRange, and whether its last day is still in progress. */
export interface DataSpan extends DateRange {
  /**
   * The last whole day: `to`, or the day before when the extract stopped early on `to` (a UTC extract
   * that ends at midnight holds the first hour of the next day in Paris). The presets end on it.
   */
  through?: string | undefined;
  /** When `through` is before `to`: the local time of the last order on `to` ("00:54"). */
  cutoff?: string | undefined;
}

export interface ResolvedFilters {
  params: FilterParams;
  range: DateRange;
  comparison: DateRange | null;
  /**
   * The comparison asked for, when it was dropped because it ends before the first order (all time
   * vs. the ten years before launch): "none", with a note, rather than a +6,669,587% change.
   */
  comparisonBeforeData: DateRange | null;
  /** The comparison kept starts before the first order: part of it has no data, and pages say so. */
  comparisonStartsBeforeData: boolean;
  grain: Grain;
}

/**
 * A calendar day ('YYYY-MM-DD') as the local midnight that date-fns' parseISO gives for it, without its
 * general parser: the pages turn days into dates for every period they draw (date-fns' parsing was ~3%
 * of an overview's first visit; issue 19). Anything else goes to parseISO.
 */
export function parseDay(iso: string): Date {
  if (iso.length !== 10 || iso[4] !== "-" || iso[7] !== "-") return parseISO(iso);
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return parseISO(iso);
  const date = new Date(y, m - 1, d);
  // new Date(y, …) reads 0–99 as 1900–1999.
  if (y < 100) date.setFullYear(y);
  // A day that does not exist (2024-02-30) rolls over here: parseISO says Invalid Date.
  if (date.getMonth() !== m - 1 || date.getDate() !== d) return parseISO(iso);
  return date;
}

/** A date's local calendar day, as formatISO(date, { representation: "date" }) writes it. */
export function formatDay(date: Date): string {
  const y = date.getFullYear();
  const m = date.getMonth() + 1;
  const d = date.getDate();
  return `${y < 0 ? "-" : ""}${String(Math.abs(y)).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

const day = formatDay;
const date = parseDay;

/** A day the extract reaches past this local time counts as whole (the last hour is the quietest). */
const WHOLE_DAY_FROM = "23:00";

/**
 * The span of data, and whether its last day is whole: when the last order of all (any status) falls
 * on that day before 23:00 local time, the extract stopped during it, and the presets end the day
 * before (unless that is before the first day: then the one partial day is all there is).
 */
export function dataSpan(from: string, to: string, lastOrderLocal: string | null): DataSpan {
  if (!lastOrderLocal) return { from, to };
  const [lastDay, time] = lastOrderLocal.split(" ") as [string, string | undefined];
  if (lastDay !== to || !time || time >= WHOLE_DAY_FROM) return { from, to };
  const before = day(addDays(date(to), -1));
  return before < from ? { from, to } : { from, to, through: before, cutoff: time };
}

/**
 * The dates a preset covers, ending on the last whole day with data (a day the extract stopped early
 * on would read as a collapse); "all time" keeps every day.
 */
export function presetRange(preset: Preset, span: DataSpan): DateRange {
  const data = { from: span.from, to: span.through ?? span.to };
  // Less than a whole month of data: its last month is the month in progress (as the monthly pages read it).
  if (preset === "last_month" && day(lastWholeMonthEnd(data)) < data.from)
    return { from: data.from, to: data.to };
  const end = date(data.to);
  const from = {
    last_30_days: () => addDays(end, -29),
    last_month: () => startOfMonth(lastWholeMonthEnd(data)),
    this_quarter: () => startOfQuarter(end),
    year_to_date: () => startOfYear(end),
    last_12_months: () => startOfMonth(subMonths(lastWholeMonthEnd(data), 11)),
    all_time: () => date(data.from),
  }[preset]();
  // The last 12 months and the last month are whole months (finance's "LTM", an alert's "last whole
  // month"): the month in progress would skew them.
  const to =
    preset === "last_12_months" || preset === "last_month"
      ? day(lastWholeMonthEnd(data))
      : preset === "all_time"
        ? span.to
        : data.to;
  const [, later] = [day(from), data.from].sort() as [string, string];
  return { from: later > to ? data.from : later, to };
}

/** The last day of the last month the data covers entirely (the data's last day if it ends a month). */
function lastWholeMonthEnd(data: DateRange): Date {
  const end = date(data.to);
  return day(endOfMonth(end)) === data.to ? end : endOfMonth(subMonths(end, 1));
}

/** Whether a range is made of whole calendar months. */
export function isWholeMonths(range: DateRange): boolean {
  const from = date(range.from);
  const to = date(range.to);
  return from.getDate() === 1 && day(endOfMonth(to)) === range.to;
}

export function comparisonRange(range: DateRange, comparison: Comparison): DateRange | null {
  if (comparison === "none") return null;
  const from = date(range.from);
  const to = date(range.to);
  if (comparison === "last_year") return { from: day(subYears(from, 1)), to: day(subYears(to, 1)) };
  if (isWholeMonths(range)) {
    // Whole months compare with as many whole months before: Q4 with Q3, not with 92 days.
    const months = (to.getFullYear() - from.getFullYear()) * 12 + to.getMonth() - from.getMonth() + 1;
    const start = subMonths(from, months);
    return { from: day(start), to: day(endOfMonth(addMonths(start, months - 1))) };
  }
  const days = differenceInCalendarDays(to, from) + 1;
  return { from: day(addDays(from, -days)), to: day(addDays(from, -1)) };
}

export function defaultGrain(range: DateRange): Grain {
  const days = differenceInCalendarDays(date(range.to), date(range.from)) + 1;
  if (days <= 45) return "day";
  if (days <= 200) return "week";
  if (days <= 366 * 4) return "month";
  return "quarter";
}

export const DEFAULT_PRESET: Preset = "last_12_months";

/** The filters with their dates settled against the snapshot's data, or why they cannot be. */
export function resolveFilters(
  params: FilterParams,
  data: DataSpan,
): { ok: true; filters: ResolvedFilters } | { ok: false; message: string; error?: ParamError } {
  try {
    if (params.from) boundDay("from", params.from, data);
    if (params.to) boundDay("to", params.to, data);
  } catch (error) {
    if (error instanceof ParamError) return { ok: false, message: error.message, error };
    throw error;
  }
  const range =
    params.from && params.to
      ? { from: params.from, to: params.to }
      : presetRange(params.range ?? DEFAULT_PRESET, data);
  const days = differenceInCalendarDays(date(range.to), date(range.from)) + 1;
  const grain = params.grain ?? defaultGrain(range);
  if (days > MAX_DAYS_PER_GRAIN[grain]) {
    const max = MAX_DAYS_PER_GRAIN[grain];
    const error = new ParamError("grain", {
      "en-GB": `grain=${grain} covers at most ${max} days; this range has ${days}: choose a coarser grain`,
      "fr-FR": `grain=${grain} couvre ${max} jours au plus ; cette période en a ${days} : choisissez un pas plus large`,
    });
    return { ok: false, message: error.message, error };
  }
  const asked = comparisonRange(range, params.compare);
  // A comparison that ends before the first order compares with nothing: none, and the page says why.
  const before = asked !== null && asked.to < data.from;
  return {
    ok: true,
    filters: {
      params,
      range,
      comparison: before ? null : asked,
      comparisonBeforeData: before ? asked : null,
      comparisonStartsBeforeData: !before && asked !== null && asked.from < data.from,
      grain,
    },
  };
}

/** The query string of a set of filters, defaults left out; `changes` override single parameters. */
export function filtersToSearch(
  params: FilterParams,
  changes: Partial<Record<keyof FilterParams, string | string[] | undefined>> = {},
  lang?: string,
): string {
  const out = new URLSearchParams();
  const merged: Record<string, unknown> = { ...params, ...changes };
  if ("from" in changes || "to" in changes) delete merged.range;
  if ("range" in changes) {
    delete merged.from;
    delete merged.to;
  }
  const order: (keyof FilterParams)[] = [
    "range",
    "from",
    "to",
    "compare",
    "grain",
    "metric",
    "region",
    "country",
    "category",
    "grade",
    "channel",
    "partner",
    "sort",
    "dir",
    "currency",
    "costs",
  ];
  const defaults: Partial<Record<keyof FilterParams, string>> = {
    compare: "previous_period",
    metric: "gmv_eur",
    dir: "desc",
    currency: "eur",
    costs: "recorded",
  };
  for (const key of order) {
    const value = merged[key];
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.join(",") : String(value);
    if (text === "" || defaults[key] === text) continue;
    out.set(key, text);
  }
  if (lang) out.set("lang", lang);
  // Commas separate list items; left unescaped, a shared link stays readable (country=FR,DE).
  const s = out.toString().replaceAll("%2C", ",");
  return s ? `?${s}` : "";
}

/** The dimensions the filters restrict beyond geography (metrics that cannot honour them go blank). */
export function restrictedDimensions(params: FilterParams): ("category" | "grade" | "channel" | "partner")[] {
  const out: ("category" | "grade" | "channel" | "partner")[] = [];
  if (params.category.length) out.push("category");
  if (params.grade.length) out.push("grade");
  if (params.channel.length) out.push("channel");
  if (params.partner.length) out.push("partner");
  return out;
}

/** The last day of the period of `grain` that starts on `start` (browser-safe: charts place events by it). */
export function periodEnd(start: string, grain: Grain): string {
  const d = parseDay(start);
  const iso = formatDay;
  switch (grain) {
    case "day":
      return start;
    case "week":
      return iso(endOfWeek(d, { weekStartsOn: 1 }));
    case "month":
      return iso(endOfMonth(d));
    case "quarter":
      return iso(endOfQuarter(d));
    case "year":
      return iso(endOfYear(d));
  }
}

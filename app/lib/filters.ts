// The dashboard's filters, parsed from the URL by one schema and written back to it by one function,
// so a link always reproduces the view. Browser-safe. Presets ("last 30 days"…) stay presets in the URL
// and resolve against the snapshot's last day of data, so a shared "year to date" link keeps its meaning.

import {
  addDays,
  addMonths,
  differenceInCalendarDays,
  endOfMonth,
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
import { CATEGORIES, GRADES, ORDER_CHANNELS, PARTNERS, REGIONS } from "../../pipelines/contract.ts";

// No code generation: zod's fast path would first probe `new Function("")`, which the dashboard's CSP
// (no 'unsafe-eval') refuses and reports as a violation. These schemas are small; the plain path is enough.
z.config({ jitless: true });

export const PRESETS = [
  "last_30_days",
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

const list = <T extends string>(name: string, values: readonly T[] | null, pattern?: RegExp) =>
  z
    .string()
    .max(400, "is too long (at most 400 characters)")
    .transform((v, ctx) => {
      const items = [...new Set(v.split(",").filter((x) => x !== ""))];
      for (const item of items) {
        if (values && !(values as readonly string[]).includes(item)) {
          ctx.addIssue({
            code: "custom",
            message: `unknown ${name} "${item}" (one of: ${values.join(", ")})`,
          });
          return z.NEVER;
        }
        if (pattern && !pattern.test(item)) {
          ctx.addIssue({ code: "custom", message: `"${item}" is not a ${name} code` });
          return z.NEVER;
        }
      }
      return items as T[];
    })
    .optional()
    .transform((v) => v ?? []);

const filterSchema = z
  .strictObject({
    range: z.enum(PRESETS).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    compare: z.enum(COMPARISONS).default("previous_period"),
    grain: z.enum(GRAINS).optional(),
    metric: z
      .string()
      .refine(isMetricId, { message: "is not a metric id" })
      .transform((v) => v as MetricId)
      .default("gmv_eur"),
    country: list<string>("country", null, /^[A-Z]{2}$/),
    region: list("region", REGIONS),
    category: list("category", CATEGORIES),
    grade: list("grade", GRADES),
    channel: list("channel", ORDER_CHANNELS),
    partner: list("partner", PARTNERS),
    /** A column of the table: its name, or a metric id; never free text. */
    sort: z
      .string()
      .refine((v) => v === "name" || isMetricId(v), { message: "must be name or a metric id" })
      .optional(),
    dir: z.enum(["asc", "desc"]).default("desc"),
    /** Money in EUR, or in the single selected country's own currency (as recorded). */
    currency: z.enum(CURRENCY_MODES).default("eur"),
  })
  .superRefine((v, ctx) => {
    if (v.range && (v.from || v.to))
      ctx.addIssue({ code: "custom", message: "give either range or from/to, not both" });
    if ((v.from && !v.to) || (!v.from && v.to))
      ctx.addIssue({ code: "custom", message: "from and to go together" });
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: "custom", message: "from is after to" });
  });

export type FilterParams = z.output<typeof filterSchema>;

const LIST_PARAMS = ["country", "region", "category", "grade", "channel", "partner"] as const;

export type ParseResult =
  | { ok: true; params: FilterParams; extra: Record<string, string> }
  | { ok: false; message: string };

/**
 * Parses the query string. Repeated parameters, unknown names and bad values are errors; `extra` names
 * a page's own parameters, returned as given for the page's schema to check.
 */
export function parseFilters(search: URLSearchParams, extraNames: readonly string[] = []): ParseResult {
  const raw: Record<string, string> = {};
  const extra: Record<string, string> = {};
  for (const [key, value] of search) {
    // lang is the locale's (see locale.server.ts); names starting with _ belong to Remix.
    if (key === "lang" || key.startsWith("_")) continue;
    // An empty field of a submitted form means "not set".
    if (value === "") continue;
    if (extraNames.includes(key)) {
      if (key in extra) return { ok: false, message: `the ${key} parameter was given more than once` };
      extra[key] = value;
      continue;
    }
    if (key in raw) {
      // A list may come as country=FR,DE or as country=FR&country=DE (a multiple select).
      if (!(LIST_PARAMS as readonly string[]).includes(key))
        return { ok: false, message: `the ${key} parameter was given more than once` };
      raw[key] = `${raw[key]},${value}`;
    } else raw[key] = value;
  }
  const parsed = filterSchema.safeParse(raw);
  if (parsed.success) return { ok: true, params: parsed.data, extra };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  const message =
    issue?.code === "unrecognized_keys"
      ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(", ")}`
      : `${where}${issue?.message ?? "invalid filters"}`;
  return { ok: false, message };
}

export interface DateRange {
  from: string;
  to: string;
}

export interface ResolvedFilters {
  params: FilterParams;
  range: DateRange;
  comparison: DateRange | null;
  grain: Grain;
}

const day = (d: Date) => formatISO(d, { representation: "date" });
const date = (iso: string) => parseISO(iso);

/** The dates a preset covers, ending on the last day with data. */
export function presetRange(preset: Preset, data: DateRange): DateRange {
  const end = date(data.to);
  const from = {
    last_30_days: () => addDays(end, -29),
    this_quarter: () => startOfQuarter(end),
    year_to_date: () => startOfYear(end),
    last_12_months: () => startOfMonth(subMonths(lastWholeMonthEnd(data), 11)),
    all_time: () => date(data.from),
  }[preset]();
  // The last 12 months are whole months (finance's "LTM"): the month in progress would skew them.
  const to = preset === "last_12_months" ? day(lastWholeMonthEnd(data)) : data.to;
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
  data: DateRange,
): { ok: true; filters: ResolvedFilters } | { ok: false; message: string } {
  const range =
    params.from && params.to
      ? { from: params.from, to: params.to }
      : presetRange(params.range ?? DEFAULT_PRESET, data);
  const days = differenceInCalendarDays(date(range.to), date(range.from)) + 1;
  const grain = params.grain ?? defaultGrain(range);
  if (days > MAX_DAYS_PER_GRAIN[grain])
    return {
      ok: false,
      message: `grain=${grain} covers at most ${MAX_DAYS_PER_GRAIN[grain]} days; this range has ${days}: choose a coarser grain`,
    };
  return { ok: true, filters: { params, range, comparison: comparisonRange(range, params.compare), grain } };
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
  ];
  const defaults: Partial<Record<keyof FilterParams, string>> = {
    compare: "previous_period",
    metric: "gmv_eur",
    dir: "desc",
    currency: "eur",
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

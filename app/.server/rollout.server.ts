// The country rollout comparison (issue 6's /rollout, data side): each country's months counted from its
// own launch (mart_rollout_months), a metric per month, the median of all countries at each month of
// age, and each country's milestones. The mart is small (countries × months): read once per snapshot,
// then everything is computed here. The page itself is not built yet.

import { z } from "zod";
import { monthsBetween, unfinishedMonth } from "~/lib/months";
import {
  AGE_CHECKPOINTS,
  APP_WINDOW,
  DEVICE_MILESTONES,
  isRatioMetric,
  PER_INHABITANTS,
  ROLLOUT_BASES,
  ROLLOUT_METRICS,
  type RolloutMetric,
} from "~/metrics/rollout";
import type { MartRolloutMonths } from "./db/schema";
import { BadRequest } from "./overview.server";
import type { Warehouse } from "./warehouse.server";

export { AGE_CHECKPOINTS, DEVICE_MILESTONES, monthsBetween, ROLLOUT_METRICS, type RolloutMetric };

/** A row of mart_rollout_months, its month as YYYY-MM. */
export type RolloutMonth = Omit<MartRolloutMonths, "region">;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** A month's value of a metric; ratios are null where their denominator is zero. */
export function metricValue(row: RolloutMonth, metric: RolloutMetric): number | null {
  switch (metric) {
    case "repeat_rate":
      return ratio(row.returning_customers, row.active_customers);
    case "contribution_margin_pct":
      return ratio(row.contribution_margin_eur, row.net_revenue_eur);
    case "take_rate":
      return ratio(row.net_revenue_eur, row.gmv_eur);
    default:
      return row[metric];
  }
}

/** The middle value (the mean of the two middle ones for an even count), or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Milestones {
  country: string;
  launchedOn: string;
  /** Months of age at which cumulative devices sold first reached each milestone (null: not yet). */
  monthsToDevices: Record<(typeof DEVICE_MILESTONES)[number], number | null>;
  /** Cumulative customers at the end of month 12 and 24 of age (null: not that old yet). */
  customersAt: Record<(typeof AGE_CHECKPOINTS)[number], number | null>;
  /** That month's contribution margin ÷ net revenue (null: not that old, or no revenue). */
  contributionPctAt: Record<(typeof AGE_CHECKPOINTS)[number], number | null>;
  /** The first month of age with a contribution margin ≥ 0 (null: never yet). */
  breakEvenMonth: number | null;
  /**
   * Whether the data starts at the country's launch. When it starts later (a country older than the
   * history loaded), counts from launch are unknown: every milestone above is null.
   */
  historyFromLaunch: boolean;
}

/** One country's milestones from its months (any order). */
export function milestonesOf(country: string, months: readonly RolloutMonth[]): Milestones {
  const byAge = [...months].sort((a, b) => a.months_since_launch - b.months_since_launch);
  const historyFromLaunch = (byAge[0]?.months_since_launch ?? 1) <= 1;
  let devices = 0;
  const monthsToDevices = { 10000: null, 100000: null, 1000000: null } as Milestones["monthsToDevices"];
  for (const m of byAge) {
    devices += m.devices_sold;
    for (const goal of DEVICE_MILESTONES)
      if (monthsToDevices[goal] === null && devices >= goal) monthsToDevices[goal] = m.months_since_launch;
  }
  const at = (age: number) => byAge.find((m) => m.months_since_launch === age);
  const customersAt = { 12: null, 24: null } as Milestones["customersAt"];
  const contributionPctAt = { 12: null, 24: null } as Milestones["contributionPctAt"];
  for (const age of AGE_CHECKPOINTS) {
    const row = at(age);
    // A month with no row at all, before the last month with data, had no new customer: carry forward.
    const lastBefore = [...byAge].reverse().find((m) => m.months_since_launch <= age);
    const old = (byAge.at(-1)?.months_since_launch ?? 0) >= age;
    customersAt[age] = old ? (lastBefore?.cumulative_customers ?? 0) : null;
    contributionPctAt[age] = row ? metricValue(row, "contribution_margin_pct") : null;
  }
  const breakEven = byAge.find((m) => m.net_revenue_eur > 0 && m.contribution_margin_eur >= 0);
  const known = <T extends object>(value: T): T =>
    historyFromLaunch ? value : (Object.fromEntries(Object.keys(value).map((k) => [k, null])) as T);
  return {
    country,
    launchedOn: byAge[0]?.launched_on ?? "",
    monthsToDevices: known(monthsToDevices),
    customersAt: known(customersAt),
    contributionPctAt: known(contributionPctAt),
    breakEvenMonth: historyFromLaunch ? (breakEven?.months_since_launch ?? null) : null,
    historyFromLaunch,
  };
}

const countryList = z
  .string()
  .max(60)
  .transform((v) => [...new Set(v.split(",").filter(Boolean))])
  .pipe(
    z
      .array(z.string().regex(/^[A-Z]{2}$/, "countries are two-letter codes"))
      .min(2)
      .max(8),
  );

const rolloutSchema = z.strictObject({
  country: countryList.optional(),
  metric: z.enum(ROLLOUT_METRICS).default("devices_sold"),
  axis: z.enum(["launch", "calendar"]).default("launch"),
  /** Counts and amounts as they are, or per 1,000 inhabitants (ratios are the same either way). */
  basis: z.enum(ROLLOUT_BASES).default("absolute"),
});
export type RolloutParams = z.output<typeof rolloutSchema>;

/** The page's own parameters (its downloads take the same). */
export const ROLLOUT_PARAMS = ["metric", "axis", "basis"] as const;

/** The page's parameters, or a BadRequest saying what is wrong (known names only, each once but country). */
export function parseRolloutParams(search: URLSearchParams): RolloutParams {
  const raw: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key === "lang" || key.startsWith("_") || value === "") continue;
    // The countries are a list: one comma-separated value, or one value per ticked box of the form.
    if (key === "country" && key in raw) raw[key] = `${raw[key]},${value}`;
    else if (key in raw) throw new BadRequest(`the ${key} parameter was given more than once`);
    else raw[key] = value;
  }
  const parsed = rolloutSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequest(`${issue?.path.join(".") || "parameters"}: ${issue?.message ?? "not valid"}`);
  }
  return parsed.data;
}

/** The default comparison: the five most recent launches, and France (the first market). */
export function defaultCountries(launches: readonly { country: string; launchedOn: string }[]): string[] {
  const recent = [...launches]
    .sort((a, b) => b.launchedOn.localeCompare(a.launchedOn) || a.country.localeCompare(b.country))
    .slice(0, 5)
    .map((c) => c.country);
  const all = launches.map((l) => l.country);
  return [...new Set([...(all.includes("FR") ? ["FR"] : []), ...recent])];
}

export interface RolloutView {
  params: RolloutParams;
  /** Every country with sales, oldest launch first: the choices. */
  available: { country: string; launchedOn: string; appLaunchedOn: string | null }[];
  countries: string[];
  metric: RolloutMetric;
  /** Whether the values are per 1,000 inhabitants (never for ratios). */
  perCapita: boolean;
  /** One line per selected country: x = months since launch (or the calendar month), y = the metric. */
  series: {
    country: string;
    launchedOn: string;
    appLaunchedOn: string | null;
    /** Where the app's launch falls on the x axis (null: no app, or launched before the data). */
    appX: number | string | null;
    /** Per capita but no population known: the line is left out rather than guessed. */
    noPopulation: boolean;
    points: { x: number | string; y: number | null }[];
  }[];
  /**
   * The app's share of devices sold around each selected country's app launch: x = months from the app's
   * launch month (0), from APP_WINDOW before to after; only countries whose app launch the data covers.
   */
  appShare: {
    country: string;
    appLaunchedOn: string;
    points: { x: number; y: number | null }[];
    /** The app's share over the 12 months before its launch month, and the 12 after. */
    before: number | null;
    after: number | null;
  }[];
  /** The data's last month when the lines leave it out (less than half of it has data), and its last day. */
  leftOut: { month: string; lastDay: string } | null;
  /** Population figures used, and their source (per capita only). */
  population: { year: number; source: string } | null;
  /** The median of all countries (selected or not) at each month of age that 3 or more have reached. */
  median: { x: number; y: number }[];
  milestones: Milestones[];
}

/** Months from launch on: the months before (marketing ahead of a launch, no sales yet) are not drawn. */
const sinceLaunch = (m: RolloutMonth) => m.months_since_launch >= 1;

/** Fewer countries than this at an age, and the "median" would be one country's own line. */
export const MEDIAN_MIN_COUNTRIES = 3;

/** A row's value, divided by its country's population in thousands when per capita (ratios unchanged). */
type Scale = (row: RolloutMonth, value: number | null) => number | null;
const asIs: Scale = (_, value) => value;

/** The median of all countries' values at each month of age reached by at least MEDIAN_MIN_COUNTRIES. */
export function medianLine(
  rows: readonly RolloutMonth[],
  metric: RolloutMetric,
  scale: Scale = asIs,
): { x: number; y: number }[] {
  const ages = new Map<number, number[]>();
  for (const row of rows.filter(sinceLaunch)) {
    const value = scale(row, metricValue(row, metric));
    if (value === null) continue;
    const values = ages.get(row.months_since_launch);
    if (values) values.push(value);
    else ages.set(row.months_since_launch, [value]);
  }
  return [...ages]
    .filter(([, values]) => values.length >= MEDIAN_MIN_COUNTRIES)
    .sort(([a], [b]) => a - b)
    .map(([x, values]) => ({ x, y: median(values) as number }));
}

/** Every row of the mart, once per snapshot. */
async function rolloutMonths(warehouse: Warehouse) {
  return warehouse.cached(JSON.stringify(["rollout-months"]), async (db) => {
    const rows = await db
      .selectFrom("marts.mart_rollout_months")
      .select([
        "country_code",
        "month",
        "months_since_launch",
        "launched_on",
        "app_launched_on",
        "devices_sold",
        "gmv_eur",
        "net_revenue_eur",
        "contribution_margin_eur",
        "active_customers",
        "returning_customers",
        "new_customers",
        "cumulative_customers",
        "app_devices",
      ])
      .orderBy("country_code")
      .orderBy("month")
      .execute();
    const headline = await db.selectFrom("marts.mart_headline").select("last_order_date").executeTakeFirst();
    return {
      rows: rows.map((r): RolloutMonth => ({ ...r, month: r.month.slice(0, 7) })),
      lastDay: headline?.last_order_date ?? null,
    };
  });
}

/** Each country's population (reference data), once per snapshot. */
async function populations(warehouse: Warehouse) {
  return warehouse.cached(JSON.stringify(["country-population"]), async (db) =>
    db.selectFrom("marts.mart_country_population").selectAll().execute(),
  );
}

/** The app's share of devices sold by month from its launch month (0), within APP_WINDOW. */
export function appShareAround(months: readonly RolloutMonth[], appLaunchedOn: string) {
  return months
    .map((m) => ({ x: monthsBetween(appLaunchedOn, m.month), m }))
    .filter(({ x }) => x >= -APP_WINDOW.before && x <= APP_WINDOW.after)
    .sort((a, b) => a.x - b.x)
    .map(({ x, m }) => ({ x, y: m.devices_sold === 0 ? null : m.app_devices / m.devices_sold }));
}

/**
 * The app's share of devices over the 12 months before its launch month and the 12 months after it
 * (the launch month itself in neither), as Σ app devices ÷ Σ devices; null without sales.
 */
export function appShareWindows(months: readonly RolloutMonth[], appLaunchedOn: string) {
  const share = (lo: number, hi: number) => {
    let app = 0;
    let all = 0;
    for (const m of months) {
      const x = monthsBetween(appLaunchedOn, m.month);
      if (x < lo || x > hi) continue;
      app += m.app_devices;
      all += m.devices_sold;
    }
    return all === 0 ? null : app / all;
  };
  return { before: share(-12, -1), after: share(1, 12) };
}

/** The rollout comparison for a URL, or a BadRequest for bad parameters or unknown countries. */
export async function loadRollout(warehouse: Warehouse, url: URL) {
  const params = parseRolloutParams(url.searchParams);
  const loaded = await rolloutMonths(warehouse);
  if (loaded.state === "empty") return loaded;
  const { lastDay } = loaded.result;
  // The data's last month, when it holds less than half a month (a batch just begun), would read as a
  // collapse in every line: the lines and the app's share leave it out (milestones keep it) and say so.
  const unfinished = unfinishedMonth(lastDay);
  const cut = unfinished && lastDay && Number(lastDay.slice(8, 10)) < 15 ? unfinished : null;
  const drawn = (m: RolloutMonth) => m.month !== cut;
  const rows = loaded.result.rows;
  const byCountry = new Map<string, RolloutMonth[]>();
  for (const row of rows) {
    const months = byCountry.get(row.country_code);
    if (months) months.push(row);
    else byCountry.set(row.country_code, [row]);
  }
  const launches = [...byCountry]
    .map(([country, months]) => ({
      country,
      launchedOn: months[0]?.launched_on ?? "",
      appLaunchedOn: months[0]?.app_launched_on ?? null,
    }))
    .sort((a, b) => a.launchedOn.localeCompare(b.launchedOn) || a.country.localeCompare(b.country));
  const countries = params.country ?? defaultCountries(launches);
  const unknown = countries.filter((c) => !byCountry.has(c));
  if (unknown.length) throw new BadRequest(`country: no sales recorded for ${unknown.join(", ")}`);
  const metric = params.metric;
  const perCapita = params.basis === "per_capita" && !isRatioMetric(metric);
  const people = perCapita ? await populations(warehouse) : null;
  const population = new Map(
    people?.state === "ready" ? people.result.map((p) => [p.country_code, p.population]) : [],
  );
  const scale: Scale = perCapita
    ? (row, value) => {
        const n = population.get(row.country_code);
        return value === null || !n ? null : value / (n / PER_INHABITANTS);
      }
    : asIs;
  const series = countries.map((country) => {
    const months = (byCountry.get(country) ?? [])
      .filter((m) => sinceLaunch(m) && drawn(m))
      .sort((a, b) => a.months_since_launch - b.months_since_launch);
    const first = months[0];
    const app = first?.app_launched_on ?? null;
    const appCovered = app !== null && first !== undefined && app.slice(0, 7) >= first.month;
    return {
      country,
      launchedOn: first?.launched_on ?? "",
      appLaunchedOn: app,
      appX:
        app === null || !appCovered
          ? null
          : params.axis === "launch"
            ? monthsBetween(first?.launched_on ?? app, app) + 1
            : app.slice(0, 7),
      noPopulation: perCapita && !population.get(country),
      points: months.map((m) => ({
        x: params.axis === "launch" ? m.months_since_launch : m.month,
        y: scale(m, metricValue(m, metric)),
      })),
    };
  });
  const appShare = series.flatMap((s) =>
    s.appX === null || s.appLaunchedOn === null
      ? []
      : [
          {
            country: s.country,
            appLaunchedOn: s.appLaunchedOn,
            points: appShareAround((byCountry.get(s.country) ?? []).filter(drawn), s.appLaunchedOn),
            ...appShareWindows((byCountry.get(s.country) ?? []).filter(drawn), s.appLaunchedOn),
          },
        ],
  );
  const source = people?.state === "ready" ? people.result[0] : undefined;
  return {
    state: "ready" as const,
    snapshot: loaded.snapshot,
    result: {
      params,
      available: launches,
      countries,
      metric,
      perCapita,
      series,
      appShare,
      population: source ? { year: source.population_year, source: source.source } : null,
      median: medianLine(cut ? rows.filter(drawn) : rows, metric, scale),
      leftOut: cut && lastDay ? { month: cut, lastDay } : null,
      milestones: countries.map((c) => milestonesOf(c, byCountry.get(c) ?? [])),
    } satisfies RolloutView,
  };
}

/**
 * The chosen countries' months from launch, every metric, for the `rollout` download (the page's own
 * parameters: the same countries; metric, axis and basis do not change the file, which holds them all
 * with each country's population to divide by).
 */
export async function loadRolloutTable(warehouse: Warehouse, url: URL) {
  const params = parseRolloutParams(url.searchParams);
  const loaded = await rolloutMonths(warehouse);
  if (loaded.state === "empty") return loaded;
  const rows = loaded.result.rows;
  const launches = new Map<string, string>();
  for (const r of rows) launches.set(r.country_code, r.launched_on);
  const countries =
    params.country ??
    defaultCountries([...launches].map(([country, launchedOn]) => ({ country, launchedOn })));
  const unknown = countries.filter((c) => !launches.has(c));
  if (unknown.length) throw new BadRequest(`country: no sales recorded for ${unknown.join(", ")}`);
  const people = await populations(warehouse);
  const population = new Map(
    people.state === "ready" ? people.result.map((p) => [p.country_code, p.population]) : [],
  );
  return {
    state: "ready" as const,
    snapshot: loaded.snapshot,
    result: {
      rows: rows
        .filter((r) => countries.includes(r.country_code) && sinceLaunch(r))
        .sort(
          (a, b) =>
            countries.indexOf(a.country_code) - countries.indexOf(b.country_code) ||
            a.month.localeCompare(b.month),
        ),
      population,
    },
  };
}

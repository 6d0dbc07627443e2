// The country rollout comparison (/rollout): each country's months counted from its own launch
// (mart_rollout_months), a metric per month, the median of all countries at each month of age, the app's
// share around its launch, and each country's milestones. The mart is small (countries × months): read
// once per snapshot. The filters are the shared grammar's (~/lib/grammar); every figure is the
// catalogue's (figureOf over a country-month's measures), the median the metric layer's: this module
// arranges figures, it never divides or rounds.

import {
  type KnownCountry,
  monthEnd,
  monthsBetween,
  type Region,
  readChoice,
  readQuery,
  resolveCountries,
} from "~/lib/grammar";
import { memoIn } from "~/lib/memo";
import { type CatalogueId, figureOf } from "~/metrics/catalogue";
import { sumMeasures } from "~/metrics/evaluate";
import type { MeasureSums } from "~/metrics/measures";
import {
  AGE_CHECKPOINTS,
  APP_WINDOW,
  DEVICE_MILESTONES,
  isRatioMetric,
  ROLLOUT_AXES,
  ROLLOUT_BASES,
  ROLLOUT_METRICS,
  type RolloutAxis,
  type RolloutBasis,
  type RolloutMetric,
  rolloutMetricId,
} from "~/metrics/rollout";
import { median } from "~/metrics/stats";
import type { MartCountryPopulation, MartRolloutMonths } from "./db/schema";
import { addWarmer, type Warehouse } from "./warehouse.server";

export { AGE_CHECKPOINTS, DEVICE_MILESTONES, median, monthsBetween, ROLLOUT_METRICS, type RolloutMetric };

/** A row of mart_rollout_months, its month as YYYY-MM. */
export type RolloutMonth = MartRolloutMonths;

/** Each mart row's measures, summed once: the rows are the snapshot's cached objects. */
const ROW_SUMS = new WeakMap<RolloutMonth, MeasureSums>();

/** A country-month's measures (and its country's population, when known). */
function monthSums(row: RolloutMonth, population?: number): MeasureSums {
  let sums = ROW_SUMS.get(row);
  if (!sums) {
    sums = sumMeasures([row], () => "row").get("row");
    ROW_SUMS.set(row, sums);
  }
  return population === undefined ? sums : { ...sums, population };
}

/**
 * A row's figures as worked out so far, per metric: without a population, and with the one last given
 * (a country's, the same for as long as the snapshot's rows are held). The median line asks for every
 * country-month of the mart on each view, and a view is not cached with the result cache off.
 */
interface RowFigures {
  plain: Map<CatalogueId, number | null>;
  population?: number;
  perCapita?: Map<CatalogueId, number | null>;
  sums?: MeasureSums;
}
const ROW_FIGURES = new WeakMap<RolloutMonth, RowFigures>();

/** A month's value of a catalogue metric (with its country's population, for per-capita metrics). */
export function figureAt(row: RolloutMonth, id: CatalogueId, population?: number): number | null {
  let memo = ROW_FIGURES.get(row);
  if (!memo) {
    memo = { plain: new Map() };
    ROW_FIGURES.set(row, memo);
  }
  if (population !== undefined && memo.population !== population) {
    memo.population = population;
    memo.sums = monthSums(row, population);
    memo.perCapita = new Map();
  }
  const figures = population === undefined ? memo.plain : (memo.perCapita as Map<CatalogueId, number | null>);
  let value = figures.get(id);
  if (value === undefined) {
    value = figureOf(id, population === undefined ? monthSums(row) : (memo.sums as MeasureSums));
    figures.set(id, value);
  }
  return value;
}

export interface Milestones {
  country: string;
  launchedOn: string;
  /** Months of age at which cumulative devices sold first reached each milestone (null: not yet). */
  monthsToDevices: Record<(typeof DEVICE_MILESTONES)[number], number | null>;
  /** Cumulative customers at the end of month 12 and 24 of age (null: not that old yet). */
  customersAt: Record<(typeof AGE_CHECKPOINTS)[number], number | null>;
  /** That month's contribution margin % (null: not that old, or no revenue). */
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
  // Devices sold from launch to each month of age (a running count).
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
    customersAt[age] = old ? (lastBefore ? figureAt(lastBefore, "cumulative_customers") : 0) : null;
    contributionPctAt[age] = row ? figureAt(row, "contribution_margin_pct") : null;
  }
  const breakEven = byAge.find(
    (m) => (figureAt(m, "net_revenue_eur") ?? 0) > 0 && (figureAt(m, "contribution_margin_eur") ?? -1) >= 0,
  );
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

/** The page's parameters, as the URL names them (its sections and downloads take the same). */
export const ROLLOUT_PARAMS = ["country", "region", "metric", "axis", "basis"] as const;

export interface RolloutParams {
  /** As given in the URL, for the form. */
  country: string[];
  region: Region[];
  metric: RolloutMetric;
  axis: RolloutAxis;
  /** Counts and amounts as they are, or per 1,000 inhabitants (ratios are the same either way). */
  basis: RolloutBasis;
}

/** The page's own choices from a query string, or a ParamError (countries are checked against the data). */
export function readRolloutParams(search: URLSearchParams) {
  const raw = readQuery(search, ROLLOUT_PARAMS);
  return {
    raw,
    metric: readChoice("metric", raw.metric, ROLLOUT_METRICS, "devices_sold"),
    axis: readChoice("axis", raw.axis, ROLLOUT_AXES, "launch"),
    basis: readChoice("basis", raw.basis, ROLLOUT_BASES, "absolute"),
  };
}

/**
 * The default comparison: the five most recent launches, on their own scale. France's ten years would
 * crush their first months into a corner (issue 18); it is one tick away.
 */
export function defaultCountries(launches: readonly { country: string; launchedOn: string }[]): string[] {
  return [...launches]
    .sort((a, b) => b.launchedOn.localeCompare(a.launchedOn) || a.country.localeCompare(b.country))
    .slice(0, 5)
    .map((c) => c.country);
}

/** A chosen country's month from launch with every figure the download holds (the `rollout` section). */
export interface RolloutRow {
  country: string;
  launchedOn: string;
  month: string;
  monthsSinceLaunch: number;
  population: number | null;
  figures: Record<(typeof ROLLOUT_TABLE_METRICS)[number], number | null>;
}

/** The `rollout` download's figures, by metric id, in its columns' order. */
export const ROLLOUT_TABLE_METRICS = [
  "devices_sold",
  "gmv_eur",
  "net_revenue_eur",
  "contribution_margin_eur",
  "active_customers",
  "returning_customers",
  "new_customers",
  "cumulative_customers",
  "repeat_purchase_rate",
  "contribution_margin_pct",
  "take_rate",
  "app_devices",
] as const satisfies readonly CatalogueId[];

export interface RolloutView {
  params: RolloutParams;
  /** Every country with sales, oldest launch first: the choices. */
  available: { country: string; launchedOn: string; appLaunchedOn: string | null }[];
  countries: string[];
  metric: RolloutMetric;
  /** The catalogue metric drawn: the metric, or its figure per 1,000 inhabitants. */
  metricId: CatalogueId;
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
  /** The chosen countries' months from launch, every figure (the download's rows). */
  table: RolloutRow[];
}

/** Months from launch on: the months before (marketing ahead of a launch, no sales yet) are not drawn. */
const sinceLaunch = (m: RolloutMonth) => m.months_since_launch >= 1;

/** Fewer countries than this at an age, and the "median" would be one country's own line. */
export const MEDIAN_MIN_COUNTRIES = 3;

/** The median of all countries' values at each month of age reached by at least MEDIAN_MIN_COUNTRIES. */
export function medianLine(
  rows: readonly RolloutMonth[],
  value: (row: RolloutMonth) => number | null,
): { x: number; y: number }[] {
  const ages = new Map<number, number[]>();
  for (const row of rows.filter(sinceLaunch)) {
    const v = value(row);
    if (v === null) continue;
    const values = ages.get(row.months_since_launch);
    if (values) values.push(v);
    else ages.set(row.months_since_launch, [v]);
  }
  return [...ages]
    .filter(([, values]) => values.length >= MEDIAN_MIN_COUNTRIES)
    .sort(([a], [b]) => a - b)
    .map(([x, values]) => ({ x, y: median(values) as number }));
}

/** Every row of the mart, once per snapshot. */
async function rolloutMonths(warehouse: Warehouse) {
  return warehouse.held(JSON.stringify(["rollout-months"]), async (db) => {
    const rows = await db
      .selectFrom("marts.mart_rollout_months")
      .selectAll()
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
  return warehouse.held(JSON.stringify(["country-population"]), async (db) =>
    db.selectFrom("marts.mart_country_population").selectAll().execute(),
  );
}

/** The app's share of devices sold by month from its launch month (0), within APP_WINDOW. */
export function appShareAround(months: readonly RolloutMonth[], appLaunchedOn: string) {
  return months
    .map((m) => ({ x: monthsBetween(appLaunchedOn, m.month), m }))
    .filter(({ x }) => x >= -APP_WINDOW.before && x <= APP_WINDOW.after)
    .sort((a, b) => a.x - b.x)
    .map(({ x, m }) => ({ x, y: figureAt(m, "app_share_of_devices") }));
}

/**
 * The app's share of devices over the 12 months before its launch month and the 12 months after it
 * (the launch month itself in neither): the metric over the window's summed measures; null without sales.
 */
export function appShareWindows(months: readonly RolloutMonth[], appLaunchedOn: string) {
  const windows = sumMeasures(
    months.map((m) => ({
      x: monthsBetween(appLaunchedOn, m.month),
      app_devices: m.app_devices,
      devices_sold: m.devices_sold,
    })),
    ({ x }) => (x >= -12 && x <= -1 ? "before" : x >= 1 && x <= 12 ? "after" : "other"),
  );
  const share = (key: string) =>
    windows.has(key) ? figureOf("app_share_of_devices", windows.get(key)) : null;
  return { before: share("before"), after: share("after") };
}

/**
 * A country's rows of the `rollout` table (every month since launch, in month order, each figure of
 * ROLLOUT_TABLE_METRICS), once per snapshot: the same for any choice of countries, and a view's table is
 * these put end to end.
 */
const TABLE_ROWS = new WeakMap<readonly RolloutMonth[], Map<string, RolloutRow[]>>();

function tableRowsOf(country: string, months: readonly RolloutMonth[], inhabitants: number | undefined) {
  return memoIn(TABLE_ROWS, months, String(inhabitants ?? ""), () =>
    months
      .filter(sinceLaunch)
      .sort((a, b) => a.month.localeCompare(b.month))
      .map((m): RolloutRow => {
        const figures = {} as RolloutRow["figures"];
        for (const id of ROLLOUT_TABLE_METRICS) figures[id] = figureAt(m, id, inhabitants);
        return {
          country,
          launchedOn: m.launched_on,
          month: m.month,
          monthsSinceLaunch: m.months_since_launch,
          population: inhabitants ?? null,
          figures,
        };
      }),
  );
}

/**
 * The median line of every country, per metric and month left out, for the snapshot's rows: the same
 * for any choice of countries, and ~2,000 figures and a sort per age to work out.
 */
const MEDIANS = new WeakMap<readonly RolloutMonth[], Map<string, { x: number; y: number }[]>>();

/** byCountryOf per array of mart rows: the rows are the snapshot's cached array, grouped once. */
const GROUPED = new WeakMap<readonly RolloutMonth[], ReturnType<typeof groupByCountry>>();

/** The mart's rows by country, each country's launch and region (oldest launch first). */
function byCountryOf(rows: readonly RolloutMonth[]) {
  let grouped = GROUPED.get(rows);
  if (!grouped) {
    grouped = groupByCountry(rows);
    GROUPED.set(rows, grouped);
  }
  return grouped;
}

function groupByCountry(rows: readonly RolloutMonth[]) {
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
  // The countries with sales, with their regions: one to eight may be named (one is compared with the
  // median of all), or a region's.
  const known: KnownCountry[] = [...byCountry]
    .map(([country_code, months]) => ({ country_code, region: months[0]?.region ?? "" }))
    .sort((a, b) => a.country_code.localeCompare(b.country_code));
  return { byCountry, launches, known };
}

/** The rollout comparison for a URL, or a ParamError for bad parameters or unknown countries. */
export async function loadRollout(warehouse: Warehouse, url: URL) {
  const { raw, metric, axis, basis } = readRolloutParams(url.searchParams);
  const loaded = await rolloutMonths(warehouse);
  if (loaded.state === "empty") return loaded;
  const { launches, known } = byCountryOf(loaded.result.rows);
  const choice = resolveCountries(raw, known, { min: 1, max: 8 });
  // In launch order, chosen or by default.
  const wanted = choice.countries ?? defaultCountries(launches);
  const countries = launches.map((l) => l.country).filter((c) => wanted.includes(c));
  const named = choice.country.length ? choice.country.filter((c) => countries.includes(c)) : countries;
  const params: RolloutParams = { country: choice.country, region: choice.region, metric, axis, basis };
  // The view, once per snapshot and choice: a figure for each of the mart's ~2,000 country-months (the
  // median line) is JavaScript that a repeated request should not redo.
  const people = await populations(warehouse);
  const result = await warehouse.derived(
    loaded.snapshot,
    JSON.stringify(["rollout-view", named, params]),
    () => rolloutView(loaded.result, people.state === "ready" ? people.result : [], named, params),
  );
  return { state: "ready" as const, snapshot: loaded.snapshot, result };
}

/** The comparison of the named countries, from the mart's rows and the countries' populations. */
function rolloutView(
  loaded: { rows: RolloutMonth[]; lastDay: string | null },
  people: readonly MartCountryPopulation[],
  named: string[],
  params: RolloutParams,
): RolloutView {
  const { metric, axis, basis } = params;
  const { rows, lastDay } = loaded;
  const { byCountry, launches } = byCountryOf(rows);
  // The data's last month, when it holds less than half a month (a batch just begun), would read as a
  // collapse in every line: the lines and the app's share leave it out (milestones keep it) and say so.
  const lastMonth = lastDay?.slice(0, 7) ?? null;
  const unfinished = lastDay && lastMonth && lastDay !== monthEnd(lastMonth) ? lastMonth : null;
  const cut = unfinished && lastDay && lastDay.slice(8, 10) < "15" ? unfinished : null;
  const drawn = (m: RolloutMonth) => m.month !== cut;
  const perCapita = basis === "per_capita" && !isRatioMetric(metric);
  const metricId = rolloutMetricId(metric, perCapita);
  const population = new Map(people.map((p) => [p.country_code, p.population]));
  const value = (m: RolloutMonth) => figureAt(m, metricId, population.get(m.country_code));
  const series = named.map((country) => {
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
          : axis === "launch"
            ? monthsBetween(first?.launched_on ?? app, app) + 1
            : app.slice(0, 7),
      noPopulation: perCapita && !population.get(country),
      points: months.map((m) => ({ x: axis === "launch" ? m.months_since_launch : m.month, y: value(m) })),
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
  const source = perCapita ? people[0] : undefined;
  const table = named.flatMap((country) =>
    tableRowsOf(country, byCountry.get(country) ?? [], population.get(country)),
  );
  return {
    params,
    available: launches,
    countries: named,
    metric,
    metricId,
    perCapita,
    series,
    appShare,
    population: source ? { year: source.population_year, source: source.source } : null,
    median: memoIn(MEDIANS, rows, `${metricId} ${cut ?? ""}`, () =>
      medianLine(cut ? rows.filter(drawn) : rows, value),
    ),
    leftOut: cut && lastDay ? { month: cut, lastDay } : null,
    milestones: named.map((c) => milestonesOf(c, byCountry.get(c) ?? [])),
    table,
  };
}

// The page as first opened, computed as soon as a snapshot is current: its marts are read then, not by
// the first visitor (they were: a first visit's worst case, ~1.2 s under load, issue 19).
addWarmer(async (warehouse) => {
  await loadRollout(warehouse, new URL("http://warm.local/rollout"));
});

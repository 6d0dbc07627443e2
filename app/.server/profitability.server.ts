// The path to profitability: monthly EBITDA of a region or country (Europe unless the URL says
// otherwise), its rolling 3- and 12-month sums, the first month of break-even, a P&L waterfall for the
// selected range, and a linear-trend forecast of the break-even month against a target date, back-tested.
// Every figure comes from the metric layer (computeMetrics); this file only arranges them.

import { z } from "zod";
import { LOCALES, type Locale } from "~/i18n/locales";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import type { HeadlineText } from "~/i18n/profitability";
import {
  type CentralCostsView,
  type CostBasis,
  type DateRange,
  isoDate,
  parseFilters,
  presetRange,
  resolveFilters,
} from "~/lib/filters";
import { backtest, fitLine, monthsToBreakEven, projectWholeEuros, rollingSums } from "~/lib/forecast";
import { byName, formatChange, formatDate, formatMetricValue, formatPeriod } from "~/lib/format";
import { shiftMonth } from "~/lib/grammar";
import type { MetricId } from "~/metrics/catalogue";
import {
  type CostCentreMonth,
  computeMetrics,
  costCentres,
  type MetricQuery,
  periodEnd,
} from "./metrics/query.server";
import {
  BadRequest,
  type CurrencyView,
  centralCostsView,
  countryNames,
  currencyView,
  type Dimensions,
  readDimensions,
  selectCountries,
} from "./overview.server";
import { addWarmer, type Snapshot, type Warehouse } from "./warehouse.server";

export const PROFITABILITY_PARAMS = ["target", "window", "as_of"] as const;

/** Months of EBITDA a break-even forecast needs (the shortest window the page offers). */
export const MIN_FORECAST_MONTHS = 3;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM");
const extraSchema = z.strictObject({
  target: isoDate.default("2024-12-31"),
  window: z.coerce.number().int().min(3, "at least 3 months").max(36, "at most 36 months").default(12),
  as_of: month.optional(),
});

export const PNL_METRICS = [
  "gmv_eur",
  "net_revenue_eur",
  "variable_costs_eur",
  "marketing_eur",
  "contribution_margin_eur",
  "opex_eur",
  "own_opex_eur",
  "central_costs_eur",
  "ebitda_eur",
] as const satisfies readonly MetricId[];

export interface MonthRow {
  month: string;
  label: string;
  ebitda: number;
  rolling3: number | null;
  rolling12: number | null;
  /** The fitted trend over the forecast window and beyond (null elsewhere). */
  trend: number | null;
  display: Record<(typeof PNL_METRICS)[number], string>;
  /** The same figures as numbers (null for months ahead), for exports. */
  values: Record<(typeof PNL_METRICS)[number], number | null>;
}

export interface WaterfallStep {
  id: string;
  label: string;
  value: number;
  display: string;
  /** Where the bar starts and ends (a running total for the P&L's subtractions). */
  from: number;
  to: number;
  kind: "total" | "decrease" | "increase";
}

export interface ProfitabilityView {
  snapshot: Snapshot;
  /** The currency of every amount, and whether local currency is offered or refused. */
  currency: CurrencyView;
  /** Where central costs count (ADR 0019); null when the snapshot keeps none apart. */
  centralCosts: CentralCostsView | null;
  synthetic: boolean;
  geography: { label: string; regions: string[]; countries: string[] };
  asOf: string;
  target: string;
  window: number;
  months: MonthRow[];
  /** The executive headline's parts (formatted in the page's locale and currency). */
  headline: HeadlineText;
  breakEven: {
    month: string | null;
    label: string | null;
    rolling12: string | null;
    rolling12Label: string | null;
  };
  forecast: {
    /** Set when the data holds too few months for a forecast: how many it has and needs. */
    tooFewMonths: { have: number; need: number } | null;
    /** Month the fitted line reaches zero, or null when it never does on this trend. */

    month: string | null;
    label: string | null;
    beforeTarget: boolean | null;
    slopeDisplay: string;
    backtest: { horizon: number; maeDisplay: string; fromLabel: string } | null;
  };
  waterfall: { range: DateRange; rangeLabel: string; steps: WaterfallStep[] };
  countries: { code: string; name: string }[];
  costs: {
    centres: string[];
    /** Per month of the last three years to as_of: headcount and opex by cost centre. */
    months: {
      month: string;
      label: string;
      headcount: Record<string, number>;
      opex: Record<string, number>;
    }[];
    /** Per calendar year: headcount at its last month, the change, its operating costs and EBITDA. */
    years: {
      year: string;
      headcount: number;
      headcountChange: string | null;
      opex: string;
      ebitda: string;
    }[];
  };
}

const monthOf = (iso: string) => iso.slice(0, 7);
const firstDay = (m: string) => `${m}-01`;

/** How many of the last months the headline counts (EBITDA positive in k of them). */
const HEADLINE_MONTHS = 4;

/**
 * The executive headline of a geography, from the page's own figures (so the cards and the sentence
 * never disagree): EBITDA positive in k of the last 4 whole months, the last month against the same
 * month a year before, the trailing 12 months, and where the fitted trend meets zero.
 */
function headlineOf(a: {
  months: string[];
  ebitda: number[];
  r12: (number | null)[];
  fit: ReturnType<typeof fitLine> | null;
  breakEvenMonth: string | null;
  asOf: string;
  window: number[];
  s: Settings;
  eur: (v: number) => string;
  label: (m: string) => string;
}): HeadlineText {
  const n = a.months.length;
  const recent = a.ebitda.slice(-HEADLINE_MONTHS);
  const yearBefore = n > 12 ? (a.months[n - 13] as string) : null;
  const trailing = a.r12[n - 1];
  // The geography as the page names it: its regions, or the countries chosen (none is Europe).
  const names = countryNames(a.s.locale);
  const where = a.s.regions.length
    ? a.s.regions.map((r) => OVERVIEW_MESSAGES[a.s.locale].regions[r] ?? r).join(", ")
    : byName(
        (a.s.countries ?? []).map((c) => names.of(c) ?? c),
        (n) => n,
        a.s.locale,
      ).join(", ");
  const forecast: HeadlineText["forecast"] =
    a.window.length < MIN_FORECAST_MONTHS
      ? { kind: "too_few", need: MIN_FORECAST_MONTHS, have: a.window.length }
      : a.breakEvenMonth === null
        ? { kind: "never", window: a.window.length }
        : a.breakEvenMonth <= a.asOf
          ? { kind: "reached", window: a.window.length }
          : { kind: "in", label: a.label(a.breakEvenMonth), window: a.window.length };
  return {
    where,
    positive: recent.filter((v) => v >= 0).length,
    of: recent.length,
    latestLabel: a.label(a.asOf),
    latest: signedEur(a.ebitda[n - 1] ?? 0, a.eur),
    yearBefore: yearBefore
      ? { label: a.label(yearBefore), value: signedEur(a.ebitda[n - 13] ?? 0, a.eur) }
      : null,
    trailing12: trailing === null || trailing === undefined ? null : signedEur(trailing, a.eur),
    forecast,
  };
}

/** An amount with its sign, as a change reads ("+€77,228", "−€12,004"). */
function signedEur(v: number, eur: (v: number) => string): string {
  return v > 0 ? `+${eur(v)}` : eur(v);
}

/**
 * Europe's headline for the overview: the profitability page's default view, computed once per snapshot
 * (the page shares it). Null when there is nothing to say, and never an error for the overview.
 */
export async function europeHeadline(warehouse: Warehouse, locale: Locale): Promise<HeadlineText | null> {
  try {
    const loaded = await loadProfitability(
      warehouse,
      new URL("http://backlight.local/profitability"),
      locale,
    );
    return loaded.state === "ready" && loaded.result.months.length ? loaded.result.headline : null;
  } catch (error) {
    if (error instanceof BadRequest) return null;
    throw error;
  }
}

/** The page's data for a URL, or a BadRequest saying what is wrong with it. */
export async function loadProfitability(warehouse: Warehouse, url: URL, locale: Locale) {
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return dims;
  if (!dims.result.data) throw new BadRequest("this snapshot holds no completed order yet");
  const parsed = parseFilters(url.searchParams, PROFITABILITY_PARAMS);
  if (!parsed.ok) throw parsed.error;
  const extra = extraSchema.safeParse(parsed.extra);
  if (!extra.success) {
    const issue = extra.error.issues[0];
    throw new BadRequest(
      issue?.code === "unrecognized_keys"
        ? "unknown parameter"
        : `${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  const data = dims.result.data;
  // The last month the data covers whole, unless the URL looks back from an earlier month.
  const lastWhole = monthOf(presetRange("last_12_months", data).to);
  const firstMonth = monthOf(data.from);
  // The default view never fails, whatever length of history the data holds (issue 16): with less than
  // a whole month it looks at the month in progress, and a forecast that needs more months says so.
  const asOf = extra.data.as_of ?? (lastWhole < firstMonth ? firstMonth : lastWhole);
  if (extra.data.as_of !== undefined) {
    if (asOf > lastWhole) throw new BadRequest(`as_of: the data covers whole months up to ${lastWhole}`);
    if (asOf < shiftMonth(firstMonth, 2)) throw new BadRequest(`as_of: the data starts in ${firstMonth}`);
  }

  // Europe unless a region or country is chosen.
  const params =
    parsed.params.region.length || parsed.params.country.length
      ? parsed.params
      : { ...parsed.params, region: ["europe" as const] };
  const countries = selectCountries(params, dims.result.countries);
  const currency = currencyView(parsed.params, countries, dims.result.countries);
  const range =
    parsed.params.from || parsed.params.range
      ? resolveFilters(parsed.params, { from: data.from, to: periodEnd(firstDay(asOf), "month") })
      : null;
  if (range && !range.ok) throw new BadRequest(range.message);
  const waterfallRange = range?.ok
    ? range.filters.range
    : { from: firstDay(shiftMonth(asOf, -11)), to: periodEnd(firstDay(asOf), "month") };

  const key = JSON.stringify([
    "profitability",
    locale,
    countries,
    asOf,
    extra.data,
    waterfallRange,
    currency,
    parsed.params.costs,
  ]);
  const view = await warehouse.memo(key, () =>
    buildView(warehouse, dims.result, {
      countries,
      regions: params.region,
      asOf,
      firstMonth,
      target: extra.data.target,
      window: extra.data.window,
      waterfallRange,
      locale,
      currency,
      costs: parsed.params.costs,
    }),
  );
  if (view.state === "empty") return view;
  return { state: "ready" as const, snapshot: view.result.snapshot, result: view.result };
}

interface Settings {
  countries: string[] | null;
  regions: string[];
  asOf: string;
  firstMonth: string;
  target: string;
  window: number;
  waterfallRange: DateRange;
  locale: Locale;
  currency: CurrencyView;
  costs: CostBasis;
}

async function buildView(warehouse: Warehouse, dims: Dimensions, s: Settings): Promise<ProfitabilityView> {
  const { locale } = s;
  const query = (current: DateRange): MetricQuery => ({
    current,
    comparison: null,
    countries: s.countries,
    slices: { category: [], grade: [], channel: [], partner: [] },
    allCountries: dims.countries,
    localCurrency: s.currency.local ? s.currency.code : null,
    costBasis: s.costs,
    centralColumns: dims.centralColumns,
  });
  const history = { from: firstDay(s.firstMonth), to: periodEnd(firstDay(s.asOf), "month") };
  const costsFrom = shiftMonth(s.asOf, -35);
  const result = await warehouse.withDb(async (db, snapshot) => ({
    snapshot,
    monthly: await computeMetrics(db, query(history), { kind: "period", grain: "month" }, PNL_METRICS),
    total: await computeMetrics(db, query(s.waterfallRange), { kind: "total" }, PNL_METRICS),
    centres: await costCentres(db, s.countries, costsFrom, s.asOf, s.currency.local, true),
  }));
  if (result.state === "empty") throw new BadRequest("no warehouse published yet");
  const { snapshot, monthly, total, centres } = result.result;

  // Every month from the first with data to as_of, zero where a month has no row.
  const byMonth = new Map(monthly.map((r) => [monthOf(r.key), r.values]));
  // The series starts with the geography's first month of activity: the empty months before a country's
  // launch would read as months "at break-even".
  const active = [...byMonth.entries()]
    .filter(([, values]) => PNL_METRICS.some((id) => (values[id] ?? 0) !== 0))
    .map(([m]) => m)
    .sort();
  const start = active[0] && active[0] <= s.asOf ? active[0] : s.firstMonth;
  const months: string[] = [];
  for (let m = start; m <= s.asOf; m = shiftMonth(m, 1)) months.push(m);
  const ebitda = months.map((m) => byMonth.get(m)?.ebitda_eur ?? 0);
  const r3 = rollingSums(ebitda, 3);
  const r12 = rollingSums(ebitda, 12);

  const window = ebitda.slice(-s.window);
  // A trend needs a few months: on less history the page says how many it has and needs.
  const tooFewMonths = window.length < MIN_FORECAST_MONTHS;
  const fit = tooFewMonths ? null : fitLine(window);
  const ahead = fit ? monthsToBreakEven(fit) : null;
  const breakEvenMonth = ahead === null ? null : shiftMonth(s.asOf, ahead);
  const test = backtest(ebitda, s.window, 6);
  const eur = (v: number) => formatMetricValue(v, "eur", locale, s.currency.code);
  const label = (m: string) => formatPeriod(firstDay(m), "month", locale);

  // The trend line: over the fitted window, then on until break-even (or 12 months) past as_of.
  // Never on this trend: a year of it; already there: none; otherwise until two months past break-even.
  const horizon = ahead === null ? 12 : ahead === 0 ? 0 : Math.min(36, ahead + 2);
  const rows: MonthRow[] = months.map((m, i) => {
    const values = byMonth.get(m);
    const display = {} as MonthRow["display"];
    const numbers = {} as MonthRow["values"];
    for (const id of PNL_METRICS) {
      display[id] = eur(values?.[id] ?? 0);
      numbers[id] = values?.[id] ?? 0;
    }
    const inWindow = i >= months.length - window.length;
    return {
      month: m,
      label: label(m),
      ebitda: ebitda[i] as number,
      rolling3: r3[i] ?? null,
      rolling12: r12[i] ?? null,
      trend: fit && inWindow ? projectWholeEuros(fit, i - (months.length - 1)) : null,
      display,
      values: numbers,
    };
  });
  for (let h = 1; h <= horizon && fit; h++) {
    const m = shiftMonth(s.asOf, h);
    const display = {} as MonthRow["display"];
    const numbers = {} as MonthRow["values"];
    for (const id of PNL_METRICS) {
      display[id] = "—";
      numbers[id] = null;
    }
    rows.push({
      month: m,
      label: label(m),
      ebitda: Number.NaN,
      rolling3: null,
      rolling12: null,
      trend: projectWholeEuros(fit, h),
      display,
      values: numbers,
    });
  }

  const firstPositive = months.find((_, i) => (ebitda[i] as number) >= 0) ?? null;
  const headline = headlineOf({
    months,
    ebitda,
    r12,
    fit,
    breakEvenMonth,
    asOf: s.asOf,
    window,
    s,
    eur,
    label,
  });
  const firstR12 = months.find((_, i) => (r12[i] ?? -1) >= 0) ?? null;
  const totals = total.find((r) => r.which === "current")?.values;
  const v = (id: (typeof PNL_METRICS)[number]) => totals?.[id] ?? 0;
  const names = countryNames(locale);

  return {
    snapshot,
    synthetic: snapshot.synthetic || dims.synthetic,
    geography: {
      label: "",
      regions: s.regions,
      countries: s.countries ?? dims.countries.map((c) => c.country_code),
    },
    asOf: s.asOf,
    target: s.target,
    window: s.window,
    months: rows,
    headline,
    breakEven: {
      month: firstPositive,
      label: firstPositive ? label(firstPositive) : null,
      rolling12: firstR12,
      rolling12Label: firstR12 ? label(firstR12) : null,
    },
    forecast: {
      tooFewMonths: tooFewMonths ? { have: window.length, need: MIN_FORECAST_MONTHS } : null,
      month: breakEvenMonth,
      label: breakEvenMonth ? label(breakEvenMonth) : null,
      beforeTarget: breakEvenMonth ? firstDay(breakEvenMonth) <= s.target : null,
      slopeDisplay: fit ? eur(fit.slope) : "—",
      backtest: test
        ? { horizon: test.horizon, maeDisplay: eur(test.mae), fromLabel: label(months[test.from] as string) }
        : null,
    },
    waterfall: {
      range: s.waterfallRange,
      rangeLabel: `${formatDate(s.waterfallRange.from, locale)} – ${formatDate(s.waterfallRange.to, locale)}`,
      steps: waterfall(v, eur),
    },
    countries: dims.countries.map((c) => ({
      code: c.country_code,
      name: names.of(c.country_code) ?? c.country_code,
    })),
    costs: costsView(centres, months, ebitda, costsFrom, s.asOf, locale, s.currency.code),
    currency: s.currency,
    centralCosts: centralCostsView(s.costs, dims, locale),
  };
}

/** Headcount and opex by cost centre per month, and per year: so a year's reduction and its effect show. */
function costsView(
  rows: CostCentreMonth[],
  months: string[],
  ebitda: number[],
  from: string,
  asOf: string,
  locale: Locale,
  currency: string,
): ProfitabilityView["costs"] {
  const centres = [...new Set(rows.map((r) => r.cost_center))].sort();
  const byMonth = new Map<string, ProfitabilityView["costs"]["months"][number]>();
  for (let m = from; m <= asOf; m = shiftMonth(m, 1))
    byMonth.set(m, { month: m, label: formatPeriod(firstDay(m), "month", locale), headcount: {}, opex: {} });
  for (const r of rows) {
    const month = byMonth.get(r.month);
    if (!month) continue;
    month.headcount[r.cost_center] = r.headcount;
    month.opex[r.cost_center] = r.opex_eur;
  }
  const list = [...byMonth.values()];
  const eur = (v: number) => formatMetricValue(v, "eur", locale, currency);
  const total = (values: Record<string, number>) => Object.values(values).reduce((a, v) => a + v, 0);
  const years = [...new Set(list.map((m) => m.month.slice(0, 4)))];
  let previous: number | null = null;
  const yearRows = years.map((year) => {
    const inYear = list.filter((m) => m.month.startsWith(year));
    const last = inYear[inYear.length - 1];
    const headcount = last ? total(last.headcount) : 0;
    const change = previous === null ? null : formatChange(headcount - previous, "count", locale);
    previous = headcount;
    // Over the same months as the costs (the window may start mid-year).
    const yearEbitda = months.reduce(
      (a, m, i) => (m.startsWith(year) && m >= from ? a + (ebitda[i] as number) : a),
      0,
    );
    return {
      year,
      headcount,
      headcountChange: change,
      opex: eur(inYear.reduce((a, m) => a + total(m.opex), 0)),
      ebitda: eur(yearEbitda),
    };
  });
  return { centres, months: list, years: yearRows };
}

/** Net revenue, less variable costs and marketing, is the contribution; less operating costs, EBITDA. */
function waterfall(
  v: (id: (typeof PNL_METRICS)[number]) => number,
  eur: (x: number) => string,
): WaterfallStep[] {
  const net = v("net_revenue_eur");
  const afterVariable = net - v("variable_costs_eur");
  const contribution = v("contribution_margin_eur");
  const ebitda = v("ebitda_eur");
  const step = (
    id: string,
    value: number,
    from: number,
    to: number,
    kind: WaterfallStep["kind"],
  ): WaterfallStep => ({
    id,
    label: id,
    value,
    display: eur(value),
    from,
    to,
    kind,
  });
  return [
    step("net_revenue_eur", net, 0, net, "total"),
    step("variable_costs_eur", -v("variable_costs_eur"), net, afterVariable, "decrease"),
    step("marketing_eur", -v("marketing_eur"), afterVariable, contribution, "decrease"),
    step("contribution_margin_eur", contribution, 0, contribution, "total"),
    // Central costs apart from the geography's own, when it bears any (ADR 0019).
    ...(v("central_costs_eur") === 0
      ? [step("opex_eur", -v("opex_eur"), contribution, ebitda, "decrease")]
      : [
          step(
            "own_opex_eur",
            -v("own_opex_eur"),
            contribution,
            contribution - v("own_opex_eur"),
            "decrease",
          ),
          step(
            "central_costs_eur",
            -v("central_costs_eur"),
            contribution - v("own_opex_eur"),
            ebitda,
            "decrease",
          ),
        ]),
    step("ebitda_eur", ebitda, 0, ebitda, "total"),
  ];
}

// The page as executives first open it (Europe, both locales), computed as soon as a snapshot is current.
addWarmer(async (warehouse) => {
  for (const locale of LOCALES)
    await loadProfitability(warehouse, new URL("http://warm.local/profitability"), locale).catch(
      (error: unknown) => {
        // A warehouse too short for the default view (tests' hand-made batches) has nothing to warm.
        if (!(error instanceof BadRequest)) throw error;
      },
    );
});

// Market context (issue 6): the second-hand share of each country's market, where data exists, next to
// the company's own devices. One small mart (mart_market_months) is read once per snapshot; every figure
// comes from the metric layer (sumMeasures, figuresOf): this module groups rows and arranges them. What
// is compared: the company's completed items of every grade in the category, on their order's month,
// against the market's second-hand units of that category, country and month.

import { LOCALES, type Locale } from "~/i18n/locales";
import { CATEGORIES } from "~/lib/filters";
import { formatPeriod } from "~/lib/format";
import {
  type CountryChoice,
  type DataSpan,
  type KnownCountry,
  lastWholeMonth,
  type MonthRange,
  monthList,
  readChoice,
  readQuery,
  resolveCountries,
  resolveMonthRange,
} from "~/lib/grammar";
import { figureOf, figuresOf } from "~/metrics/catalogue";
import { sumMeasures } from "~/metrics/evaluate";
import type { MeasureSums } from "~/metrics/measures";
import type { MartMarketMonths } from "./db/schema";
import { BadRequest, countryNames, readDimensions } from "./overview.server";
import { addWarmer, type Warehouse } from "./warehouse.server";

/** A row of mart_market_months, its month as YYYY-MM. */
export type MarketMonth = MartMarketMonths;

// ── parameters: the shared grammar's atoms (~/lib/grammar), months bounded by the data ──────────────

/** The page's parameters, as the URL names them. */
export const MARKET_PARAMS = ["category", "range", "from", "to", "country", "region"] as const;
export type MarketParams = Partial<Record<(typeof MARKET_PARAMS)[number], string>>;

/** The page's parameters as given, or a ParamError saying what is wrong (checked again against the data). */
export function parseMarketParams(search: URLSearchParams): MarketParams {
  return readQuery(search, MARKET_PARAMS);
}

/** The category: one of the catalogue's, smartphones by default. */
export const readMarketCategory = (params: MarketParams) =>
  readChoice("category", params.category, CATEGORIES, "smartphone");

/**
 * The period, through the grammar (months inside the data, `from` after `to` refused): by default every
 * month with market data for the category up to the last whole month of sales (the last 12 whole months
 * when the category has no market data).
 */
export function resolveMarketPeriod(
  params: { from?: string; to?: string },
  rows: readonly MarketMonth[],
  category: string,
  data: DataSpan,
): MonthRange {
  const firstData = rows
    .filter((r) => r.category === category && r.second_hand_units !== null)
    .reduce<string | null>((min, r) => (min === null || r.month < min ? r.month : min), null);
  const last = lastWholeMonth(data);
  const months = firstData !== null && firstData <= last ? monthList(firstData, last).length : 12;
  return resolveMonthRange(params, data, months);
}

export interface MarketFigures {
  /** Months of the period with market data. */
  months: number;
  marketUnits: number;
  secondHandUnits: number;
  /** Second-hand units ÷ all units sold on the market. */
  secondHandShare: number | null;
  /** The company's devices in the months with market data. */
  devices: number;
  /** The company's devices ÷ second-hand units, in the months with market data. */
  companyShare: number | null;
}

/** Each figure of a country's market and the catalogue metric it is. */
export const MARKET_FIGURES = [
  ["marketUnits", "market_units"],
  ["secondHandUnits", "second_hand_units"],
  ["secondHandShare", "second_hand_share"],
  ["devices", "market_covered_devices"],
  ["companyShare", "company_second_hand_share"],
] as const satisfies readonly (readonly [keyof MarketFigures, string])[];

const covered = (r: MarketMonth) => r.market_units !== null && r.second_hand_units !== null;

/** A month with market data as measures: the market's units and the company's devices beside them. */
const marketMeasures = (r: MarketMonth) => ({
  market_units: r.market_units ?? 0,
  second_hand_units: r.second_hand_units ?? 0,
  market_covered_devices: r.devices_sold,
});

function figuresFrom(sums: MeasureSums, months: number): MarketFigures {
  const f = figuresOf(
    MARKET_FIGURES.map(([, id]) => id),
    sums,
  );
  return {
    months,
    marketUnits: f.market_units ?? 0,
    secondHandUnits: f.second_hand_units ?? 0,
    secondHandShare: f.second_hand_share,
    devices: f.market_covered_devices ?? 0,
    companyShare: f.company_second_hand_share,
  };
}

/** Sums of the months with market data among `rows` (one country and category). */
export function marketFigures(rows: readonly MarketMonth[]): MarketFigures {
  const withData = rows.filter(covered);
  return figuresFrom(sumMeasures(withData.map(marketMeasures), () => "all").get("all"), withData.length);
}

export interface CountryMarket {
  country: string;
  figures: MarketFigures;
  /** Month by month over the period: null where the month has no market data. */
  months: { month: string; secondHandShare: number | null; companyShare: number | null; devices: number }[];
}

/**
 * Countries of the category over the period: those with market data (the second-hand share and the
 * company's share of it), and those without (the company's devices only).
 */
export function marketByCountry(
  rows: readonly MarketMonth[],
  category: string,
  period: MonthRange,
  countries?: readonly string[] | null,
): { withData: CountryMarket[]; without: { country: string; devices: number }[] } {
  const chosen = rows.filter(
    (r) =>
      r.category === category &&
      r.month >= period.from &&
      r.month <= period.to &&
      (!countries || countries.includes(r.country_code)),
  );
  const byCountry = new Map<string, MarketMonth[]>();
  for (const r of chosen) {
    const list = byCountry.get(r.country_code);
    if (list) list.push(r);
    else byCountry.set(r.country_code, [r]);
  }
  const months = monthList(period.from, period.to);
  const withData: CountryMarket[] = [];
  const without: { country: string; devices: number }[] = [];
  for (const [code, list] of [...byCountry].sort(([a], [b]) => a.localeCompare(b))) {
    const figures = marketFigures(list);
    if (figures.months === 0) {
      const sold = sumMeasures(list, () => "all").get("all");
      without.push({ country: code, devices: figureOf("devices_sold", sold) ?? 0 });
      continue;
    }
    const byMonth = new Map(list.map((r) => [r.month, r]));
    withData.push({
      country: code,
      figures,
      months: months.map((month) => {
        const r = byMonth.get(month);
        const sums = r && covered(r) ? marketMeasures(r) : null;
        return {
          month,
          secondHandShare: sums ? figureOf("second_hand_share", sums) : null,
          companyShare: sums ? figureOf("company_second_hand_share", sums) : null,
          devices: r?.devices_sold ?? 0,
        };
      }),
    });
  }
  return { withData, without };
}

/** Every row of the mart, once per snapshot. */
async function marketData(warehouse: Warehouse) {
  return warehouse.held(JSON.stringify(["market-data"]), async (db) => {
    const rows = await db
      .selectFrom("marts.mart_market_months")
      .selectAll()
      .orderBy("month")
      .orderBy("country_code")
      .orderBy("category")
      .execute();
    return rows.map((r): MarketMonth => ({ ...r, month: r.month.slice(0, 7) }));
  });
}

export interface MarketView {
  params: MarketParams;
  category: string;
  period: MonthRange & { label: string };
  /** The countries and regions chosen, as the URL gives them. */
  selection: Pick<CountryChoice, "country" | "region">;
  /** Every country with sales or market data in any category: the country menu. */
  countries: { code: string; name: string }[];
  countryNames: Record<string, string>;
  withData: (CountryMarket & { name: string })[];
  without: { country: string; name: string; devices: number }[];
  months: { month: string; label: string }[];
}

/** The page for a URL, or a BadRequest (a ParamError) for bad parameters, months without data or unknown countries. */
export async function loadMarket(warehouse: Warehouse, url: URL, locale: Locale) {
  const params = parseMarketParams(url.searchParams);
  const category = readMarketCategory(params);
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return dims;
  const { countries: snapshotCountries, data: sales } = dims.result;
  if (!sales) throw new BadRequest("this snapshot holds no completed order yet");
  const loaded = await marketData(warehouse);
  if (loaded.state === "empty") return loaded;
  const rows = loaded.result;
  // The months the page can show: the sales' and the market data's (which may start earlier).
  const firstMarket = rows[0]?.month;
  const data: DataSpan = {
    from: firstMarket && `${firstMarket}-01` < sales.from ? `${firstMarket}-01` : sales.from,
    to: sales.to,
  };
  const period = resolveMarketPeriod(params, rows, category, data);
  // Countries: the snapshot's, and any the market data names beside them.
  const inMart = [...new Set(rows.map((r) => r.country_code))];
  const known: KnownCountry[] = [
    ...snapshotCountries,
    ...inMart
      .filter((c) => !snapshotCountries.some((k) => k.country_code === c))
      .map((c) => ({ country_code: c, region: "" })),
  ].sort((a, b) => a.country_code.localeCompare(b.country_code));
  const choice = resolveCountries(params, known);
  // The view, once per snapshot, choice and locale (a figure per country and month, names, labels).
  const key = JSON.stringify(["market-view", params, category, period, choice, locale]);
  const result = await warehouse.derived(loaded.snapshot, key, (): MarketView => {
    const { withData, without } = marketByCountry(rows, category, period, choice.countries);
    const names = countryNames(locale);
    const nameOf = (code: string) => names.of(code) ?? code;
    const monthLabel = (m: string) => formatPeriod(`${m}-01`, "month", locale);
    const menu = known.map((c) => c.country_code).filter((c) => inMart.includes(c));
    return {
      params,
      category,
      period: { ...period, label: `${monthLabel(period.from)} – ${monthLabel(period.to)}` },
      selection: { country: choice.country, region: choice.region },
      countries: menu.map((code) => ({ code, name: nameOf(code) })),
      countryNames: Object.fromEntries(known.map((c) => [c.country_code, nameOf(c.country_code)])),
      withData: withData.map((c) => ({ ...c, name: nameOf(c.country) })),
      without: without.map((c) => ({ ...c, name: nameOf(c.country) })),
      months: monthList(period.from, period.to).map((month) => ({ month, label: monthLabel(month) })),
    };
  });
  return { state: "ready" as const, snapshot: loaded.snapshot, result };
}

// The page as first opened, computed as soon as a snapshot is current: its marts are read then, not by
// the first visitor (they were: a first visit's worst case, ~1.2 s under load, issue 19).
addWarmer(async (warehouse) => {
  for (const locale of LOCALES) await loadMarket(warehouse, new URL("http://warm.local/market"), locale);
});

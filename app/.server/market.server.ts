// Market context (issue 6): the second-hand share of each country's market, where data exists, next to
// the company's own devices. One small mart (mart_market_months) is read once per snapshot; the rest is
// computed here. What is compared: the company's completed items of every grade in the category, on
// their order's month, against the market's second-hand units of that category, country and month.

import { z } from "zod";
import type { Locale } from "~/i18n/locales";
import { CATEGORIES } from "~/lib/filters";
import { formatExact, formatMetricValue, formatPeriod } from "~/lib/format";
import { addMonths, lastWholeMonth, monthsBetween } from "~/metrics/channels";
import type { MartMarketMonths } from "./db/schema";
import { BadRequest, countryNames } from "./overview.server";
import type { Warehouse } from "./warehouse.server";

/** A row of mart_market_months, its month as YYYY-MM. */
export type MarketMonth = MartMarketMonths;

const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM");
const marketSchema = z.strictObject({
  category: z.enum(CATEGORIES).default("smartphone"),
  from: monthParam.optional(),
  to: monthParam.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be a two-letter country code")
    .optional(),
});
export type MarketParams = z.output<typeof marketSchema>;

/** The page's parameters (known names only, each once), or a BadRequest saying what is wrong. */
export function parseMarketParams(search: URLSearchParams): MarketParams {
  const raw: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key === "lang" || key.startsWith("_") || value === "") continue;
    if (key in raw) throw new BadRequest(`the ${key} parameter was given more than once`);
    raw[key] = value;
  }
  const parsed = marketSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequest(`${issue?.path.join(".") || "parameters"}: ${issue?.message ?? "not valid"}`);
  }
  return parsed.data;
}

/**
 * The period: by default every month with market data for the category up to the last whole month of
 * sales (the last 12 whole months when the category has no market data); `from` after `to` is refused.
 */
export function resolveMarketPeriod(
  params: { from?: string; to?: string },
  rows: readonly MarketMonth[],
  category: string,
  lastDay: string,
): { from: string; to: string } {
  // Months outside the data are refused, with the valid range (as /quality does): an open range would
  // make the page count every month up to year 9999.
  const months = [lastDay.slice(0, 7), ...rows.map((r) => r.month)].sort();
  const first = months[0] as string;
  const last = months.at(-1) as string;
  for (const key of ["from", "to"] as const) {
    const m = params[key];
    if (m && (m < first || m > last))
      throw new BadRequest(`${key}: no data in ${m} (the data runs from ${first} to ${last})`);
  }
  const to = params.to ?? lastWholeMonth(lastDay);
  const withData = rows.filter((r) => r.category === category && r.second_hand_units !== null);
  const firstData = withData.reduce<string | null>(
    (min, r) => (min === null || r.month < min ? r.month : min),
    null,
  );
  const from = params.from ?? (firstData !== null && firstData <= to ? firstData : addMonths(to, -11));
  if (from > to) throw new BadRequest(`from: ${from} is after to (${to})`);
  return { from, to };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

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

/** Sums of the months with market data among `rows` (one country and category). */
export function marketFigures(rows: readonly MarketMonth[]): MarketFigures {
  const covered = rows.filter((r) => r.market_units !== null && r.second_hand_units !== null);
  const marketUnits = covered.reduce((s, r) => s + (r.market_units ?? 0), 0);
  const secondHandUnits = covered.reduce((s, r) => s + (r.second_hand_units ?? 0), 0);
  const devices = covered.reduce((s, r) => s + r.devices_sold, 0);
  return {
    months: covered.length,
    marketUnits,
    secondHandUnits,
    secondHandShare: ratio(secondHandUnits, marketUnits),
    devices,
    companyShare: ratio(devices, secondHandUnits),
  };
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
  period: { from: string; to: string },
  country?: string,
): { withData: CountryMarket[]; without: { country: string; devices: number }[] } {
  const chosen = rows.filter(
    (r) =>
      r.category === category &&
      r.month >= period.from &&
      r.month <= period.to &&
      (!country || r.country_code === country),
  );
  const byCountry = new Map<string, MarketMonth[]>();
  for (const r of chosen) {
    const list = byCountry.get(r.country_code);
    if (list) list.push(r);
    else byCountry.set(r.country_code, [r]);
  }
  const months = monthsBetween(period.from, period.to);
  const withData: CountryMarket[] = [];
  const without: { country: string; devices: number }[] = [];
  for (const [code, list] of [...byCountry].sort(([a], [b]) => a.localeCompare(b))) {
    const figures = marketFigures(list);
    if (figures.months === 0) {
      without.push({ country: code, devices: list.reduce((s, r) => s + r.devices_sold, 0) });
      continue;
    }
    const byMonth = new Map(list.map((r) => [r.month, r]));
    withData.push({
      country: code,
      figures,
      months: months.map((month) => {
        const r = byMonth.get(month);
        const covered = r && r.market_units !== null && r.second_hand_units !== null;
        return {
          month,
          secondHandShare: covered ? ratio(r.second_hand_units ?? 0, r.market_units ?? 0) : null,
          companyShare: covered ? ratio(r.devices_sold, r.second_hand_units ?? 0) : null,
          devices: r?.devices_sold ?? 0,
        };
      }),
    });
  }
  return { withData, without };
}

/** Every row of the mart and the data's last day, once per snapshot. */
async function marketData(warehouse: Warehouse) {
  return warehouse.cached(JSON.stringify(["market-data"]), async (db) => {
    const rows = await db
      .selectFrom("marts.mart_market_months")
      .selectAll()
      .orderBy("month")
      .orderBy("country_code")
      .orderBy("category")
      .execute();
    const headline = await db
      .selectFrom("marts.mart_headline")
      .select(["last_order_date"])
      .executeTakeFirst();
    return {
      rows: rows.map((r): MarketMonth => ({ ...r, month: r.month.slice(0, 7) })),
      lastDay: headline?.last_order_date ?? null,
    };
  });
}

type FigureField = "marketUnits" | "secondHandUnits" | "secondHandShare" | "devices" | "companyShare";

export interface MarketView {
  params: MarketParams;
  category: string;
  period: { from: string; to: string; label: string };
  country: string | null;
  /** Every country with sales or market data in any category: the country menu. */
  countries: { code: string; name: string }[];
  withData: (CountryMarket & {
    name: string;
    display: Record<FigureField, string>;
  })[];
  without: { country: string; name: string; devices: number; display: string }[];
  months: {
    month: string;
    label: string;
    /** Per country with data: the second-hand share and the company's share of it, as text. */
    display: Record<string, { secondHandShare: string; companyShare: string }>;
  }[];
}

/** A share in %, with two decimals below 1% (a small share would otherwise read 0.0%). */
const pct = (v: number | null, locale: Locale) =>
  v === null
    ? "—"
    : v > 0 && v < 0.01
      ? formatExact(v, "ratio", locale)
      : formatMetricValue(v, "ratio", locale);

/** The page for a URL, or a BadRequest for bad parameters or an unknown country. */
export async function loadMarket(warehouse: Warehouse, url: URL, locale: Locale) {
  const params = parseMarketParams(url.searchParams);
  const loaded = await marketData(warehouse);
  if (loaded.state === "empty") return loaded;
  const { rows, lastDay } = loaded.result;
  if (!lastDay) return { state: "empty" as const, message: "no sales yet" };
  const names = countryNames(locale);
  const known = [...new Set(rows.map((r) => r.country_code))].sort();
  if (params.country && !known.includes(params.country))
    throw new BadRequest(`country: no sales or market data recorded for ${params.country}`);
  const period = resolveMarketPeriod(params, rows, params.category, lastDay);
  const { withData, without } = marketByCountry(rows, params.category, period, params.country);
  const count = (v: number) => formatMetricValue(v, "count", locale);
  const nameOf = (code: string) => names.of(code) ?? code;
  const monthLabel = (m: string) => formatPeriod(`${m}-01`, "month", locale);
  return {
    state: "ready" as const,
    snapshot: loaded.snapshot,
    result: {
      params,
      category: params.category,
      period: { ...period, label: `${monthLabel(period.from)} – ${monthLabel(period.to)}` },
      country: params.country ?? null,
      countries: known.map((code) => ({ code, name: nameOf(code) })),
      withData: withData.map((c) => ({
        ...c,
        name: nameOf(c.country),
        display: {
          marketUnits: count(c.figures.marketUnits),
          secondHandUnits: count(c.figures.secondHandUnits),
          secondHandShare: pct(c.figures.secondHandShare, locale),
          devices: count(c.figures.devices),
          companyShare: pct(c.figures.companyShare, locale),
        },
      })),
      without: without.map((c) => ({ ...c, name: nameOf(c.country), display: count(c.devices) })),
      months: monthsBetween(period.from, period.to).map((month, i) => ({
        month,
        label: monthLabel(month),
        display: Object.fromEntries(
          withData.map((c) => [
            c.country,
            {
              secondHandShare: pct(c.months[i]?.secondHandShare ?? null, locale),
              companyShare: pct(c.months[i]?.companyShare ?? null, locale),
            },
          ]),
        ),
      })),
    } satisfies MarketView,
  };
}

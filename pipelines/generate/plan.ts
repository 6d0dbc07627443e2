// The day plan: for each country and day, how many orders, how many of them by new customers,
// and the conditions of that day (app and partner shares, Premium, take rate, FX).
// Small (18 countries × ~3,700 days), so it is computed here and handed to DuckDB, which draws
// the millions of rows from it.

import {
  blackFriday,
  isFxHoliday,
  isoDate,
  monthsBetween,
  parseIsoDate,
  weekday,
  yearOf,
} from "./calendar.ts";
import { normal, randomStream } from "./random.ts";
import { COUNTRIES, FX_SPECS, FX_START, HISTORY_START, PARTNERS, PREMIUM_LAUNCHED_ON } from "./reference.ts";

/** Completed order items at scale 1, and the share of items later cancelled. */
export const ITEMS_AT_SCALE_1 = 30_000_000;
export const CUSTOMERS_AT_SCALE_1 = 15_000_000;
export const CANCEL_RATE = 0.03;
/**
 * Share of a country's repeat orders placed by a customer of a neighbouring country (a Belgian buying on
 * the French site): real customers sometimes cross borders, and exact distinct counts over a set of
 * countries must not count them twice.
 */
export const ABROAD_SHARE = 0.01;

/** A country's neighbour: the first other country of its region (none when it is alone in it). */
export function neighbourOf(countryIdx: number): number {
  const region = (COUNTRIES[countryIdx] as (typeof COUNTRIES)[number]).region;
  const other = COUNTRIES.findIndex((c, i) => i !== countryIdx && c.region === region);
  return other < 0 ? countryIdx : other;
}
/** Items per order: one order in 12 holds a second item, one in 100 a third (see ITEMS_SQL). */
export const ITEMS_PER_ORDER = 1 + 1 / 12 + 1 / 100;

export interface DayPlanRow {
  countryIdx: number;
  day: number;
  newOrders: number;
  repeatOrders: number;
  /** Customers of this country who signed up before this day (customer index base). */
  customerBase: number;
  /** The neighbouring country whose customers place ABROAD_SHARE of this country's repeat orders. */
  abroadIdx: number;
  /** Customers of that country who signed up before this day (0: none, or no neighbour). */
  abroadBase: number;
  /** Global order id base: orders are numbered day by day, country by country. */
  orderBase: number;
  appShare: number;
  partner: string | null;
  partnerShare: number;
  premium: boolean;
  inflatedShare: number;
  takeRate: number;
  eurPerUnit: number;
}

export interface FxRow {
  rateDate: number;
  currency: string;
  eurPerUnit: number;
}

export function seasonality(day: number): number {
  const date = isoDate(day);
  const md = Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
  const bf = blackFriday(yearOf(day));
  let s = 1;
  if (day === bf) s *= 3.2;
  else if (day === bf + 3)
    s *= 2.2; // Cyber Monday
  else if (day > bf - 7 && day < bf + 4) s *= 1.7;
  if (md >= 1201 && md <= 1221) s *= 1.45;
  if (md >= 1224 && md <= 1226) s *= 0.6;
  if (md >= 820 && md <= 910) s *= 1.25; // back to school
  if (md >= 912 && md <= 930) s *= 1.3; // new iPhone: trade-ins and price drops on older models
  if (md >= 701 && md <= 819) s *= 0.85;
  if (md >= 102 && md <= 131) s *= 1.1; // January sales
  const wd = weekday(day);
  if (wd === 6) s *= 0.9;
  if (wd === 0 || wd === 1) s *= 1.08;
  return s;
}

/** Refurbished market growth: ~17% a year, with a lockdown bump in 2020–21. */
function marketGrowth(day: number): number {
  const years = (day - parseIsoDate(HISTORY_START)) / 365.25;
  let g = Math.exp(0.17 * years);
  if (day >= parseIsoDate("2020-04-01") && day < parseIsoDate("2021-07-01")) g *= 1.12;
  return g;
}

function ramp(ageMonths: number, rampMonths: number): number {
  return 1 / (1 + Math.exp(-(ageMonths - rampMonths) / (rampMonths / 3.2)));
}

/** Share of a day's orders placed by first-time customers, falling as the country matures. */
function newCustomerShare(ageMonths: number): number {
  return 0.38 + 0.58 * Math.exp(-ageMonths / 16);
}

export function appShare(day: number, appLaunchedOn: string | null): number {
  if (!appLaunchedOn) return 0;
  const start = parseIsoDate(appLaunchedOn);
  if (day < start) return 0;
  return 0.05 + 0.3 * (1 - Math.exp(-(day - start) / 400));
}

/** Share of listings whose "new price" is inflated: high until mid-2022, then falling after the complaint. */
export function inflatedShare(day: number): number {
  const drop = parseIsoDate("2022-07-01");
  const floor = parseIsoDate("2023-12-31");
  if (day < drop) return 0.22;
  if (day >= floor) return 0.04;
  return 0.22 - (0.18 * (day - drop)) / (floor - drop);
}

/** Average take rate, rising from 11% at launch to ~16.5% by 2024. */
export function takeRate(day: number): number {
  const years = (day - parseIsoDate("2015-01-01")) / 365.25;
  return 0.11 + 0.055 * Math.min(1, Math.max(0, years / 8.5));
}

export function buildFxRows(seed: number, untilDay: number): FxRow[] {
  const rows: FxRow[] = [];
  const start = parseIsoDate(FX_START);
  for (const [currency, spec] of Object.entries(FX_SPECS)) {
    const next = randomStream(seed, `fx:${currency}`);
    let logRate = Math.log(spec.start);
    const anchor = Math.log(spec.start);
    for (let day = start; day <= untilDay; day++) {
      // Mean-reverting walk, drawn every calendar day so that published rates do not depend on holidays.
      logRate += spec.dailyVol * normal(next) - 0.002 * (logRate - anchor);
      const wd = weekday(day);
      if (wd === 0 || wd === 6 || isFxHoliday(day)) continue;
      rows.push({ rateDate: day, currency, eurPerUnit: Number(Math.exp(logRate).toPrecision(6)) });
    }
  }
  return rows;
}

/** Rate of each currency on each day, carried forward over weekends and holidays. */
function filledRates(fx: FxRow[], startDay: number, untilDay: number): Map<string, Float64Array> {
  const byCurrency = new Map<string, Float64Array>();
  for (const currency of Object.keys(FX_SPECS))
    byCurrency.set(currency, new Float64Array(untilDay - startDay + 1));
  const last = new Map<string, number>();
  const sorted = [...fx].sort((a, b) => a.rateDate - b.rateDate);
  let i = 0;
  for (let day = parseIsoDate(FX_START); day <= untilDay; day++) {
    while (i < sorted.length && (sorted[i] as FxRow).rateDate === day) {
      const row = sorted[i] as FxRow;
      last.set(row.currency, row.eurPerUnit);
      i++;
    }
    if (day < startDay) continue;
    for (const [currency, rates] of byCurrency) rates[day - startDay] = last.get(currency) ?? 0;
  }
  return byCurrency;
}

export function buildDayPlan(seed: number, scale: number, untilDay: number, fx: FxRow[]): DayPlanRow[] {
  const start = parseIsoDate(HISTORY_START);
  const rates = filledRates(fx, start, untilDay);
  const premiumFrom = parseIsoDate(PREMIUM_LAUNCHED_ON);
  const noise = randomStream(seed, "day-noise");
  // Expected first orders and repeat orders per (day, country), before scaling.
  const raw: { countryIdx: number; day: number; eNew: number; eRepeat: number }[] = [];
  for (let day = start; day <= untilDay; day++) {
    const season = seasonality(day) * marketGrowth(day);
    COUNTRIES.forEach((c, countryIdx) => {
      const launched = parseIsoDate(c.launchedOn);
      const jitter = Math.exp(0.08 * normal(noise));
      if (day < launched) return;
      const age = monthsBetween(launched, day) + ((day - launched) % 30) / 30;
      const weight = c.size * ramp(age, c.rampMonths) * season * jitter;
      const share = newCustomerShare(age);
      raw.push({ countryIdx, day, eNew: weight * share, eRepeat: weight * (1 - share) });
    });
  }
  // Scale so that scale 1 holds 15M customers and 30M completed items over the full history
  // (2014-11 → 2024-12); a shorter --until keeps the same rates and simply stops earlier.
  const fullHistoryDays = parseIsoDate("2024-12-31");
  const customers = CUSTOMERS_AT_SCALE_1 * scale;
  // A customer's first item is never cancelled (every customer bought at least once); the others are
  // cancelled at CANCEL_RATE: completed = items − CANCEL_RATE × (items − customers).
  const items = (ITEMS_AT_SCALE_1 * scale - CANCEL_RATE * customers) / (1 - CANCEL_RATE);
  const orders = items / ITEMS_PER_ORDER;
  const referenceNew = raw.reduce((s, r) => s + (r.day <= fullHistoryDays ? r.eNew : 0), 0);
  const referenceRepeat = raw.reduce((s, r) => s + (r.day <= fullHistoryDays ? r.eRepeat : 0), 0);
  const kNew = customers / referenceNew;
  const kRepeat = (orders - customers) / referenceRepeat;

  // Cumulative rounding keeps totals exact and every count an integer.
  let cumNew = 0;
  let cumRepeat = 0;
  let orderBase = 0;
  const customerBase = new Array<number>(COUNTRIES.length).fill(0);
  // Customers who signed up before the current day, per country: a neighbour's customer ordering abroad
  // has placed their first order already.
  let dayStart = [...customerBase];
  let currentDay = -1;
  const plan: DayPlanRow[] = [];
  for (const r of raw) {
    if (r.day !== currentDay) {
      currentDay = r.day;
      dayStart = [...customerBase];
    }
    const abroadIdx = neighbourOf(r.countryIdx);
    const c = COUNTRIES[r.countryIdx] as (typeof COUNTRIES)[number];
    const newBefore = Math.floor(cumNew);
    cumNew += r.eNew * kNew;
    const newOrders = Math.floor(cumNew) - newBefore;
    const repeatBefore = Math.floor(cumRepeat);
    cumRepeat += r.eRepeat * kRepeat;
    // No repeat order before the country has its first customer.
    const repeatOrders =
      (customerBase[r.countryIdx] as number) > 0 ? Math.floor(cumRepeat) - repeatBefore : 0;
    const partner = PARTNERS.find((p) => p.country === c.code && r.day >= parseIsoDate(p.from));
    const partnerShare = partner
      ? r.day >= parseIsoDate(partner.extendedFrom)
        ? partner.extendedShare
        : partner.share
      : 0;
    const rate =
      c.currency === "EUR" ? 1 : ((rates.get(c.currency) as Float64Array)[r.day - start] as number);
    plan.push({
      countryIdx: r.countryIdx,
      day: r.day,
      newOrders,
      repeatOrders,
      customerBase: customerBase[r.countryIdx] as number,
      abroadIdx,
      abroadBase: abroadIdx === r.countryIdx ? 0 : (dayStart[abroadIdx] as number),
      orderBase,
      appShare: appShare(r.day, c.appLaunchedOn),
      partner: partner ? partner.partner : null,
      partnerShare,
      premium: r.day >= premiumFrom,
      inflatedShare: inflatedShare(r.day),
      takeRate: takeRate(r.day),
      eurPerUnit: rate,
    });
    customerBase[r.countryIdx] = (customerBase[r.countryIdx] as number) + newOrders;
    orderBase += newOrders + repeatOrders;
  }
  return plan;
}

/** Customers per country (the size of each country's block of customer ids). */
export function customersPerCountry(plan: readonly DayPlanRow[]): number[] {
  const totals = new Array<number>(COUNTRIES.length).fill(0);
  for (const r of plan) totals[r.countryIdx] = (totals[r.countryIdx] as number) + r.newOrders;
  return totals;
}

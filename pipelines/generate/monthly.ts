// Monthly tables: marketing spend, headcount and operating costs, market context.

import { isoDate, monthEnd, monthOf, monthsBetween, parseIsoDate } from "./calendar.ts";
import type { DayPlanRow } from "./plan.ts";
import { normal, randomStream } from "./random.ts";
import {
  COST_CENTERS,
  COUNTRIES,
  HEADCOUNT_CUT,
  HISTORY_START,
  MARKET_CONTEXT_COUNTRIES,
  PARTNERS,
} from "./reference.ts";

/** Every month from `from` to `to` (YYYY-MM), inclusive. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  const end = to;
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    if (month > end) return out;
    out.push(month);
    m++;
    if (m === 13) {
      m = 1;
      y++;
    }
  }
}

/** Months whose last day is on or before the last day of data: monthly extracts exist only for closed months. */
export function closedMonths(untilDay: number): string[] {
  const last = monthOf(untilDay);
  const lastClosed = monthEnd(last) <= untilDay ? last : monthOf(parseIsoDate(`${last}-01`) - 1);
  return monthRange(HISTORY_START.slice(0, 7), lastClosed);
}

export interface MarketingRow {
  month: string;
  countryCode: string;
  channel: string;
  amountEur: number;
}

const MARKETING_SPLIT: [string, number][] = [
  ["search", 0.38],
  ["social", 0.25],
  ["affiliate", 0.12],
  ["other", 0.05],
];
const TV_COUNTRIES = new Set(["FR", "DE", "ES", "IT", "US", "GB"]);

/** Marketing follows customer acquisition: a cost per new customer that falls as a country matures. */
export function buildMarketing(plan: readonly DayPlanRow[], months: readonly string[]): MarketingRow[] {
  const newByCountryMonth = new Map<string, number>();
  for (const r of plan) {
    const key = `${r.countryIdx}|${monthOf(r.day)}`;
    newByCountryMonth.set(key, (newByCountryMonth.get(key) ?? 0) + r.newOrders);
  }
  const rows: MarketingRow[] = [];
  for (const month of months) {
    const q4 = Number(month.slice(5)) >= 10;
    COUNTRIES.forEach((c, idx) => {
      const newCustomers = newByCountryMonth.get(`${idx}|${month}`) ?? 0;
      if (newCustomers === 0) return;
      const age = monthsBetween(parseIsoDate(c.launchedOn), monthEnd(month));
      const base = newCustomers * (26 + 70 * Math.exp(-age / 10));
      const partner = PARTNERS.find((p) => p.country === c.code && monthEnd(month) >= parseIsoDate(p.from));
      const tv = TV_COUNTRIES.has(c.code) && age > 24 ? (q4 ? 0.3 : 0.12) : 0;
      const partnerShare = partner ? 0.05 : 0;
      // Search takes what the other channels leave.
      const rest = 1 - 0.8 - tv - partnerShare;
      const split: [string, number][] = [
        ...MARKETING_SPLIT.map(([channel, share]): [string, number] => [
          channel,
          channel === "search" ? share + rest : share,
        ]),
        ["tv", tv],
        ["partner", partnerShare],
      ];
      for (const [channel, share] of split) {
        if (share <= 0) continue;
        rows.push({ month, countryCode: c.code, channel, amountEur: base * share });
      }
    });
  }
  return rows;
}

export interface HeadcountRow {
  month: string;
  countryCode: string;
  costCenter: string;
  headcount: number;
  costPerHeadEur: number;
}

type TeamShape = Record<(typeof COST_CENTERS)[number], number>;
const HQ: TeamShape = { tech: 190, operations: 130, customer_care: 120, marketing_team: 75, general: 95 };
const LARGE: TeamShape = { tech: 0, operations: 14, customer_care: 22, marketing_team: 12, general: 5 };
const MEDIUM: TeamShape = { tech: 0, operations: 4, customer_care: 8, marketing_team: 4, general: 2 };
const SMALL: TeamShape = { tech: 0, operations: 1, customer_care: 3, marketing_team: 2, general: 1 };
const TEAMS: Record<string, TeamShape> = {
  FR: HQ,
  DE: LARGE,
  ES: LARGE,
  IT: LARGE,
  GB: LARGE,
  US: { ...LARGE, tech: 25, customer_care: 30 },
  BE: MEDIUM,
  NL: MEDIUM,
  JP: MEDIUM,
  AU: MEDIUM,
};
const CUT_SHAPE: (typeof COST_CENTERS)[number][] = [
  "tech",
  "operations",
  "customer_care",
  "marketing_team",
  "general",
];
const COST_PER_HEAD: Record<string, number> = {
  FR: 8200,
  DE: 8600,
  GB: 8800,
  US: 11500,
  ES: 6000,
  IT: 6300,
  JP: 8000,
  AU: 8500,
  PT: 5000,
  GR: 5000,
  SK: 5000,
};

function companyGrowth(day: number): number {
  const years = (day - parseIsoDate("2014-11-01")) / 365.25;
  return 1 / (1 + Math.exp(-(years - 5.5) / 1.4));
}

/** Headcount per country and cost centre, with the early-2023 cut of 93 roles (67 in France). */
export function buildHeadcount(months: readonly string[]): HeadcountRow[] {
  const rows: HeadcountRow[] = [];
  const cutMonth = HEADCOUNT_CUT.month;
  const frozenAt = monthOf(parseIsoDate(`${cutMonth}-01`) - 1);
  for (const c of COUNTRIES) {
    const team = TEAMS[c.code] ?? SMALL;
    const launched = parseIsoDate(c.launchedOn);
    const europe = c.region === "europe";
    const cut = HEADCOUNT_CUT.byCountry[c.code] ?? 0;
    // Spread a country's cut over its cost centres, largest share first.
    const cutBy = new Map<string, number>();
    for (let i = 0; i < cut; i++) {
      const centre = CUT_SHAPE.filter((cc) => team[cc] > 0)[
        i % CUT_SHAPE.filter((cc) => team[cc] > 0).length
      ];
      if (centre) cutBy.set(centre, (cutBy.get(centre) ?? 0) + 1);
    }
    for (const month of months) {
      const end = monthEnd(month);
      // A country team forms a quarter before launch.
      if (end < launched - 90) continue;
      const planned = (cc: (typeof COST_CENTERS)[number], at: number): number => {
        const countryRamp = c.code === "FR" ? 1 : 1 / (1 + Math.exp(-(monthsBetween(launched, at) - 8) / 3));
        const size =
          team[cc] * (c.code === "FR" ? companyGrowth(at) : countryRamp * (0.4 + 0.6 * companyGrowth(at)));
        return Math.round(size);
      };
      for (const cc of COST_CENTERS) {
        if (team[cc] === 0) continue;
        let headcount: number;
        if (europe && month >= cutMonth) {
          // Hiring freeze after the cut, then modest hiring again from mid-2024.
          const base = planned(cc, monthEnd(frozenAt)) - (cutBy.get(cc) ?? 0);
          const rehire =
            month >= "2024-07"
              ? Math.floor(base * 0.004 * monthsBetween(parseIsoDate("2024-06-01"), end))
              : 0;
          headcount = base + rehire;
        } else {
          headcount = planned(cc, end);
        }
        headcount = Math.max(c.code === "FR" ? 2 : 1, headcount);
        rows.push({
          month,
          countryCode: c.code,
          costCenter: cc,
          headcount,
          costPerHeadEur: COST_PER_HEAD[c.code] ?? 7500,
        });
      }
    }
  }
  return rows;
}

export interface MarketContextRow {
  month: string;
  countryCode: string;
  category: string;
  marketUnits: number;
  secondHandUnits: number;
}

const MONTH_FACTOR = [0.92, 0.82, 0.9, 0.88, 0.9, 0.9, 0.92, 0.95, 1.18, 1.0, 1.2, 1.43];

/** Smartphone market and its second-hand share (one in five in France by 2024). */
export function buildMarketContext(seed: number, months: readonly string[]): MarketContextRow[] {
  const next = randomStream(seed, "market");
  const rows: MarketContextRow[] = [];
  for (const month of months) {
    if (month < "2015-01") continue;
    const years = monthsBetween(parseIsoDate("2015-01-01"), monthEnd(month)) / 12;
    for (const [countryCode, spec] of Object.entries(MARKET_CONTEXT_COUNTRIES)) {
      const factor = MONTH_FACTOR[Number(month.slice(5)) - 1] as number;
      const marketUnits = Math.round(spec.smartphonesPerMonthK * 1000 * factor * (1 + 0.03 * normal(next)));
      const share =
        spec.secondHand2024 * Math.min(1.03, 0.35 + (0.65 * years) / 9.5) * (1 + 0.02 * normal(next));
      rows.push({
        month,
        countryCode,
        category: "smartphone",
        marketUnits,
        secondHandUnits: Math.round(marketUnits * share),
      });
    }
  }
  return rows;
}

export function monthEndIso(month: string): string {
  return isoDate(monthEnd(month));
}

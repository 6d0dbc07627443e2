// Partners and app (issue 6's /channels): each partner's share of its country's devices and GMV, month by
// month; partner, web and app compared in that country (take rate, contribution before marketing, return
// rate, average price); and how often customers come back after a first order in each channel. Two small
// marts (mart_channel_months, mart_repeat_cohorts) are read once per snapshot; every figure comes from the
// metric layer (sumMeasures, figuresOf): this module groups rows and arranges the figures. Partners and
// their countries come from the data, never from a list in the code.

import { CHANNELS_MESSAGES } from "~/i18n/channels";
import { LOCALES, type Locale } from "~/i18n/locales";
import { formatMetricValue, formatPeriod } from "~/lib/format";
import {
  type CountryChoice,
  type DataSpan,
  type MonthRange,
  monthEnd,
  monthList,
  readQuery,
  resolveCountries,
  resolveMonthRange,
  shiftMonth,
} from "~/lib/grammar";
import { figureOf, figuresOf } from "~/metrics/catalogue";
import { addDays, REPEAT_WINDOWS, type RepeatWindow } from "~/metrics/channels";
import { sumMeasures } from "~/metrics/evaluate";
import type { MeasureSums } from "~/metrics/measures";
import type { MartChannelMonths, MartRepeatCohorts } from "./db/schema";
import { BadRequest, countryNames, readDimensions } from "./overview.server";
import { addWarmer, type Warehouse } from "./warehouse.server";

/** A row of mart_channel_months, its month as YYYY-MM. */
export type ChannelMonth = MartChannelMonths;
/** A row of mart_repeat_cohorts, its month (the cohort) as YYYY-MM. */
export type RepeatCohort = MartRepeatCohorts;

export { REPEAT_WINDOWS, type RepeatWindow };

/** How an order was bought: "web", "app", or the partner's id for a partner's offer. */
export type ChannelKey = string;
export const channelKey = (channel: string, partner: string | null): ChannelKey =>
  channel === "partner" ? (partner ?? "partner") : channel;

// ── parameters: the shared grammar's atoms (~/lib/grammar), months bounded by the data ──────────────

/** The page's parameters, as the URL names them (`country` and `region` choose the returning customers). */
export const CHANNELS_PARAMS = ["range", "from", "to", "country", "region"] as const;
export type ChannelsParams = Partial<Record<(typeof CHANNELS_PARAMS)[number], string>>;

/** The page's parameters as given, or a ParamError saying what is wrong (checked again against the data). */
export function parseChannelsParams(search: URLSearchParams): ChannelsParams {
  return readQuery(search, CHANNELS_PARAMS);
}

// ── cohorts ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Whether a cohort (customers whose first order falls in `month`) is old enough to be judged at a window:
 * its last customer's window has closed by the data's last day.
 */
export function isJudged(month: string, window: number, lastDay: string): boolean {
  return addDays(monthEnd(month), window) <= lastDay;
}

/** The latest cohort month that can be judged at a window. */
export function latestJudged(window: number, lastDay: string): string {
  let month = lastDay.slice(0, 7);
  while (!isJudged(month, window, lastDay)) month = shiftMonth(month, -1);
  return month;
}

// ── sales by channel ────────────────────────────────────────────────────────────────────────────────

export interface ChannelFigures {
  devices: number;
  gmv: number;
  /** Commission of the period's sales − commission refunded on the period's returns (glossary). */
  netRevenue: number;
  takeRate: number | null;
  /** Net revenue − payment fees − return costs: contribution before marketing (not split by channel). */
  contribution: number;
  contributionPct: number | null;
  contributionPerDevice: number | null;
  /** Returned items ÷ devices sold, by order cohort. */
  returnRate: number | null;
  averagePrice: number | null;
}

/** Each figure of a channel and the catalogue metric it is. */
export const CHANNEL_FIGURES = [
  ["devices", "devices_sold"],
  ["gmv", "gmv_eur"],
  ["averagePrice", "average_price_eur"],
  ["netRevenue", "net_revenue_eur"],
  ["takeRate", "take_rate"],
  ["contribution", "contribution_before_marketing_eur"],
  ["contributionPct", "contribution_before_marketing_pct_gmv"],
  ["contributionPerDevice", "contribution_before_marketing_per_device"],
  ["returnRate", "return_rate"],
] as const satisfies readonly (readonly [keyof ChannelFigures, string])[];

/** A channel's figures from its measure sums (mart_channel_months' columns are measures). */
export function channelFigures(sums: MeasureSums): ChannelFigures {
  const f = figuresOf(
    CHANNEL_FIGURES.map(([, id]) => id),
    sums,
  );
  return {
    devices: f.devices_sold ?? 0,
    gmv: f.gmv_eur ?? 0,
    netRevenue: f.net_revenue_eur ?? 0,
    takeRate: f.take_rate,
    contribution: f.contribution_before_marketing_eur ?? 0,
    contributionPct: f.contribution_before_marketing_pct_gmv,
    contributionPerDevice: f.contribution_before_marketing_per_device,
    returnRate: f.return_rate,
    averagePrice: f.average_price_eur,
  };
}

export interface Partnership {
  partner: string;
  country: string;
  /** The first month with a device sold through the partner. */
  since: string;
}

/** Every partner with the countries its devices were sold in (from the data), oldest first. */
export function partnerships(rows: readonly ChannelMonth[]): Partnership[] {
  const found = new Map<string, Partnership>();
  for (const r of rows) {
    if (r.channel !== "partner" || !r.partner || r.devices_sold <= 0) continue;
    const key = `${r.partner}|${r.country_code}`;
    const known = found.get(key);
    if (!known || r.month < known.since)
      found.set(key, { partner: r.partner, country: r.country_code, since: r.month });
  }
  return [...found.values()].sort(
    (a, b) => a.since.localeCompare(b.since) || a.partner.localeCompare(b.partner),
  );
}

export interface ShareMonth {
  month: string;
  partnerDevices: number;
  countryDevices: number;
  deviceShare: number | null;
  partnerGmv: number;
  countryGmv: number;
  gmvShare: number | null;
}

function shareFigures(sums: MeasureSums): Omit<ShareMonth, "month"> {
  const f = figuresOf(
    [
      "partner_devices",
      "devices_sold",
      "partner_device_share",
      "partner_gmv_eur",
      "gmv_eur",
      "partner_gmv_share",
    ],
    sums,
  );
  return {
    partnerDevices: f.partner_devices ?? 0,
    countryDevices: f.devices_sold ?? 0,
    deviceShare: f.partner_device_share,
    partnerGmv: f.partner_gmv_eur ?? 0,
    countryGmv: f.gmv_eur ?? 0,
    gmvShare: f.partner_gmv_share,
  };
}

/** A partner's share of its country's devices and GMV, month by month over the period, and in total. */
export function partnerShare(
  rows: readonly ChannelMonth[],
  partnership: Partnership,
  period: MonthRange,
): { months: ShareMonth[]; total: Omit<ShareMonth, "month"> } {
  const inCountry = rows.filter(
    (r) => r.country_code === partnership.country && r.month >= period.from && r.month <= period.to,
  );
  // Every channel's sales of the country, the partner's also counted as its own measures.
  const mine = (r: ChannelMonth) => r.channel === "partner" && r.partner === partnership.partner;
  const sums = sumMeasures(
    inCountry.map((r) => ({
      month: r.month,
      devices_sold: r.devices_sold,
      gmv_eur: r.gmv_eur,
      partner_devices: mine(r) ? r.devices_sold : 0,
      partner_gmv_eur: mine(r) ? r.gmv_eur : 0,
    })),
    (r) => r.month,
  );
  const months = monthList(period.from, period.to);
  return {
    months: months.map((month) => ({ month, ...shareFigures(sums.get(month)) })),
    total: shareFigures(sums.combine(months)),
  };
}

/** Each channel of a country over the period (partners first, then web, then app), with its figures. */
export function channelsOf(
  rows: readonly ChannelMonth[],
  country: string,
  period: MonthRange,
): { channel: ChannelKey; figures: ChannelFigures }[] {
  const sums = sumMeasures(
    rows.filter((r) => r.country_code === country && r.month >= period.from && r.month <= period.to),
    (r) => channelKey(r.channel, r.partner),
  );
  return sums
    .keys()
    .map((channel) => ({ channel, figures: channelFigures(sums.get(channel)) }))
    .filter((c) => c.figures.devices > 0 || c.figures.netRevenue !== 0)
    .sort((a, b) => channelOrder(a.channel) - channelOrder(b.channel) || a.channel.localeCompare(b.channel));
}

/** Partners first (what the page is about), then web, then app. */
function channelOrder(key: ChannelKey): number {
  return key === "web" ? 1 : key === "app" ? 2 : 0;
}

// ── repeat customers ────────────────────────────────────────────────────────────────────────────────

export interface RepeatRate {
  /** Customers of the cohorts old enough for this window. */
  judged: number;
  repeaters: number;
  rate: number | null;
}

export interface RepeatRow {
  channel: ChannelKey;
  /** New customers of every cohort in the period, judged or not. */
  customers: number;
  within: Record<RepeatWindow, RepeatRate>;
}

const REPEAT_METRIC = { 90: "repeat_rate_90d", 365: "repeat_rate_365d" } as const;

/** A cohort row as measures: its customers, and those judged and back at each window it can be judged at. */
function cohortMeasures(c: RepeatCohort, lastDay: string) {
  const j90 = isJudged(c.month, 90, lastDay);
  const j365 = isJudged(c.month, 365, lastDay);
  return {
    cohort_customers: c.customers,
    cohort_customers_judged_90: j90 ? c.customers : 0,
    cohort_repeaters_90: j90 ? c.repeat_90d : 0,
    cohort_customers_judged_365: j365 ? c.customers : 0,
    cohort_repeaters_365: j365 ? c.repeat_365d : 0,
  };
}

/**
 * Customers by the channel of their first order, for first orders in the period (some countries, or all),
 * and the share who bought again within each window, counting only the cohorts old enough to judge.
 */
export function repeatByChannel(
  cohorts: readonly RepeatCohort[],
  period: MonthRange,
  lastDay: string,
  countries?: readonly string[] | null,
): {
  rows: RepeatRow[];
  months: {
    month: string;
    customers: Record<ChannelKey, number>;
    rates: Record<ChannelKey, Record<RepeatWindow, number | null>>;
  }[];
} {
  const chosen = cohorts
    .filter(
      (c) =>
        c.month >= period.from && c.month <= period.to && (!countries || countries.includes(c.country_code)),
    )
    .map((c) => ({ key: channelKey(c.first_channel, c.first_partner), month: c.month, c }));
  const byChannel = sumMeasures(
    chosen.map((x) => ({ key: x.key, ...cohortMeasures(x.c, lastDay) })),
    (x) => x.key,
  );
  const byCell = sumMeasures(
    chosen.map((x) => ({ key: `${x.month}|${x.key}`, ...cohortMeasures(x.c, lastDay) })),
    (x) => x.key,
  );
  // Web, then app, then the partners: app against web is this section's question.
  const order = (k: ChannelKey) => (k === "web" ? 0 : k === "app" ? 1 : 2);
  const keys = byChannel.keys().sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const rows = keys.map((channel): RepeatRow => {
    const m = byChannel.get(channel);
    const f = figuresOf(
      [
        "cohort_customers",
        "cohort_customers_judged_90",
        "repeat_rate_90d",
        "cohort_customers_judged_365",
        "repeat_rate_365d",
      ],
      m,
    );
    return {
      channel,
      customers: f.cohort_customers ?? 0,
      within: {
        90: {
          judged: f.cohort_customers_judged_90 ?? 0,
          repeaters: m.cohort_repeaters_90 ?? 0,
          rate: f.repeat_rate_90d,
        },
        365: {
          judged: f.cohort_customers_judged_365 ?? 0,
          repeaters: m.cohort_repeaters_365 ?? 0,
          rate: f.repeat_rate_365d,
        },
      },
    };
  });
  const months = monthList(period.from, period.to).map((month) => {
    const cell = (key: ChannelKey) => byCell.get(`${month}|${key}`);
    return {
      month,
      customers: Object.fromEntries(keys.map((key) => [key, cell(key).cohort_customers ?? 0])),
      rates: Object.fromEntries(
        keys.map((key) => {
          const has = byCell.has(`${month}|${key}`);
          const rate = (w: RepeatWindow) =>
            has && isJudged(month, w, lastDay) ? figureOf(REPEAT_METRIC[w], cell(key)) : null;
          return [key, { 90: rate(90), 365: rate(365) }];
        }),
      ),
    };
  });
  return { rows, months };
}

// ── the view ────────────────────────────────────────────────────────────────────────────────────────

/** The marts, once per snapshot. */
async function channelData(warehouse: Warehouse) {
  return warehouse.held(JSON.stringify(["channels-data"]), async (db) => {
    const months = await db
      .selectFrom("marts.mart_channel_months")
      .selectAll()
      .orderBy("month")
      .orderBy("country_code")
      .orderBy("channel")
      .orderBy("partner")
      .execute();
    const cohorts = await db
      .selectFrom("marts.mart_repeat_cohorts")
      .selectAll()
      .orderBy("month")
      .orderBy("country_code")
      .orderBy("first_channel")
      .orderBy("first_partner")
      .execute();
    return {
      months: months.map((r): ChannelMonth => ({ ...r, month: r.month.slice(0, 7) })),
      cohorts: cohorts.map((r): RepeatCohort => ({ ...r, month: r.month.slice(0, 7) })),
    };
  });
}

const PARTNER_NAMES: Record<string, string> = { bouygues_telecom: "Bouygues Telecom", verizon: "Verizon" };

/** A partner's name as people write it (an unknown id is shown as written, underscores as spaces). */
export function partnerName(partner: string): string {
  return PARTNER_NAMES[partner] ?? partner.replaceAll("_", " ");
}

export interface ChannelsView {
  params: ChannelsParams;
  period: MonthRange & { label: string };
  lastDay: string;
  /** Every country of the snapshot, for the returning customers' choice. */
  countries: { code: string; name: string }[];
  /** The countries and regions chosen for the returning customers, as the URL gives them. */
  selection: Pick<CountryChoice, "country" | "region">;
  /** The countries the returning customers come from (null: every country). */
  cohortCountries: string[] | null;
  channelNames: Record<ChannelKey, string>;
  countryNames: Record<string, string>;
  partners: {
    partner: string;
    country: string;
    title: string;
    sinceLabel: string;
    months: (ShareMonth & { label: string })[];
    total: Omit<ShareMonth, "month"> & { display: { deviceShare: string; gmvShare: string } };
  }[];
  comparison: {
    country: string;
    name: string;
    channels: { channel: ChannelKey; figures: ChannelFigures }[];
  }[];
  repeat: {
    rows: RepeatRow[];
    months: (ReturnType<typeof repeatByChannel>["months"][number] & { label: string })[];
    latestJudged: Record<RepeatWindow, { month: string; label: string }>;
    /** For each window: the 12 months up to its latest judged cohort (a link when none of the period is). */
    earlier: Record<RepeatWindow, { from: string; to: string; label: string }>;
    /** Windows no cohort of the period can be judged at yet. */
    unjudged: RepeatWindow[];
  };
}

const monthLabel = (month: string, locale: Locale) => formatPeriod(`${month}-01`, "month", locale);

/** The page for a URL, or a BadRequest (a ParamError) for bad parameters, months without data or unknown countries. */
export async function loadChannels(warehouse: Warehouse, url: URL, locale: Locale) {
  const params = parseChannelsParams(url.searchParams);
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return dims;
  const { countries: known, data: span } = dims.result;
  if (!span) throw new BadRequest("this snapshot holds no completed order yet");
  const period = resolveMonthRange(params, span);
  const choice = resolveCountries(params, known);
  const loaded = await channelData(warehouse);
  if (loaded.state === "empty") return loaded;
  const data = loaded.result;
  // The view, once per snapshot, resolved filters and locale: its shares, comparisons and cohorts are
  // ~10 ms of JavaScript over the cached mart rows that a repeated request should not redo.
  const key = JSON.stringify(["channels-view", period, choice, locale]);
  return warehouse.memo(key, async () =>
    channelsView(
      data,
      params,
      period,
      span,
      choice,
      known.map((c) => c.country_code),
      locale,
    ),
  );
}

type ChannelData = Extract<Awaited<ReturnType<typeof channelData>>, { state: "ready" }>["result"];

function channelsView(
  data: ChannelData,
  params: ChannelsParams,
  period: MonthRange,
  span: DataSpan,
  choice: CountryChoice,
  known: string[],
  locale: Locale,
): ChannelsView {
  const lastDay = span.to;
  const names = countryNames(locale);
  const t = CHANNELS_MESSAGES[locale];
  const pct = (v: number | null) => (v === null ? "—" : formatMetricValue(v, "ratio", locale));
  const channelNames: Record<ChannelKey, string> = {};
  const nameOf = (key: ChannelKey) => {
    channelNames[key] ??= key === "web" ? t.web : key === "app" ? t.app : partnerName(key);
    return channelNames[key];
  };
  const found = partnerships(data.months);
  const partners = found.map((p) => {
    const share = partnerShare(data.months, p, period);
    return {
      partner: p.partner,
      country: p.country,
      title: `${nameOf(p.partner)} · ${names.of(p.country) ?? p.country}`,
      sinceLabel: monthLabel(p.since, locale),
      months: share.months.map((m) => ({ ...m, label: monthLabel(m.month, locale) })),
      total: {
        ...share.total,
        display: { deviceShare: pct(share.total.deviceShare), gmvShare: pct(share.total.gmvShare) },
      },
    };
  });
  const comparison = [...new Set(found.map((p) => p.country))].map((c) => ({
    country: c,
    name: names.of(c) ?? c,
    channels: channelsOf(data.months, c, period).map((ch) => {
      nameOf(ch.channel);
      return ch;
    }),
  }));
  const repeat = repeatByChannel(data.cohorts, period, lastDay, choice.countries);
  for (const row of repeat.rows) nameOf(row.channel);
  const latest = (w: RepeatWindow) => {
    const month = latestJudged(w, lastDay);
    return { month, label: monthLabel(month, locale) };
  };
  const earlier = (w: RepeatWindow) => {
    const to = latestJudged(w, lastDay);
    const from = shiftMonth(to, -11);
    return { from, to, label: `${monthLabel(from, locale)} – ${monthLabel(to, locale)}` };
  };
  const countryNameMap = Object.fromEntries(known.map((code) => [code, names.of(code) ?? code]));
  return {
    params,
    period: {
      ...period,
      label: `${monthLabel(period.from, locale)} – ${monthLabel(period.to, locale)}`,
    },
    lastDay,
    countries: known.map((code) => ({ code, name: countryNameMap[code] ?? code })),
    selection: { country: choice.country, region: choice.region },
    cohortCountries: choice.countries,
    channelNames,
    countryNames: countryNameMap,
    partners,
    comparison,
    repeat: {
      rows: repeat.rows,
      months: repeat.months.map((m) => ({ ...m, label: monthLabel(m.month, locale) })),
      latestJudged: { 90: latest(90), 365: latest(365) },
      earlier: { 90: earlier(90), 365: earlier(365) },
      unjudged: REPEAT_WINDOWS.filter((w) => !isJudged(period.from, w, lastDay)),
    },
  };
}

// The page as first opened, computed as soon as a snapshot is current: its marts are read then, not by
// the first visitor (they were: a first visit's worst case, ~1.2 s under load, issue 19).
addWarmer(async (warehouse) => {
  for (const locale of LOCALES) await loadChannels(warehouse, new URL("http://warm.local/channels"), locale);
});

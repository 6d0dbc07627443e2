// Partners and app (issue 6's /channels): each partner's share of its country's devices and GMV, month by
// month; partner, web and app compared in that country (take rate, contribution before marketing, return
// rate, average price); and how often customers come back after a first order in each channel. Two small
// marts (mart_channel_months, mart_repeat_cohorts) are read once per snapshot; everything else is
// computed here. Partners and their countries come from the data, never from a list in the code.

import { z } from "zod";
import { CHANNELS_MESSAGES } from "~/i18n/channels";
import type { Locale } from "~/i18n/locales";
import { formatExact, formatMetricValue, formatPeriod } from "~/lib/format";
import {
  addDays,
  addMonths,
  lastDayOf,
  lastWholeMonth,
  monthsBetween,
  REPEAT_WINDOWS,
  type RepeatWindow,
} from "~/metrics/channels";
import type { MartChannelMonths, MartRepeatCohorts } from "./db/schema";
import { BadRequest, countryNames } from "./overview.server";
import type { Warehouse } from "./warehouse.server";

/** A row of mart_channel_months, its month as YYYY-MM. */
export type ChannelMonth = MartChannelMonths;
/** A row of mart_repeat_cohorts, its month (the cohort) as YYYY-MM. */
export type RepeatCohort = MartRepeatCohorts;

export { addMonths, lastWholeMonth, monthsBetween, REPEAT_WINDOWS, type RepeatWindow };

/** How an order was bought: "web", "app", or the partner's id for a partner's offer. */
export type ChannelKey = string;
export const channelKey = (channel: string, partner: string | null): ChannelKey =>
  channel === "partner" ? (partner ?? "partner") : channel;

// ── parameters ──────────────────────────────────────────────────────────────────────────────────────

const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM");
const channelsSchema = z.strictObject({
  from: monthParam.optional(),
  to: monthParam.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be a two-letter country code")
    .optional(),
});
export type ChannelsParams = z.output<typeof channelsSchema>;

/** The page's parameters (known names only, each once), or a BadRequest saying what is wrong. */
export function parseChannelsParams(search: URLSearchParams): ChannelsParams {
  const raw: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key === "lang" || key.startsWith("_") || value === "") continue;
    if (key in raw) throw new BadRequest(`the ${key} parameter was given more than once`);
    raw[key] = value;
  }
  const parsed = channelsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequest(`${issue?.path.join(".") || "parameters"}: ${issue?.message ?? "not valid"}`);
  }
  return parsed.data;
}

// ── months ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * The period a URL asks for: by default the last 12 whole months with data (never before the first
 * month with data); `from` after `to` is refused.
 */
export function resolvePeriod(
  params: { from?: string; to?: string },
  data: { firstDay: string; lastDay: string },
): { from: string; to: string } {
  const first = data.firstDay.slice(0, 7);
  const last = data.lastDay.slice(0, 7);
  // Months outside the data's calendar years are refused, with the valid range (a whole year that the
  // data starts or ends in is still a fair question).
  for (const key of ["from", "to"] as const) {
    const m = params[key];
    if (m && (m < `${first.slice(0, 4)}-01` || m > `${last.slice(0, 4)}-12`))
      throw new BadRequest(`${key}: no data in ${m} (the data runs from ${first} to ${last})`);
  }
  const to = params.to ?? lastWholeMonth(data.lastDay);
  const fallback = addMonths(to, -11);
  const from = params.from ?? (fallback < first && first <= to ? first : fallback);
  if (from > to) throw new BadRequest(`from: ${from} is after to (${to})`);
  return { from, to };
}

/**
 * Whether a cohort (customers whose first order falls in `month`) is old enough to be judged at a window:
 * its last customer's window has closed by the data's last day.
 */
export function isJudged(month: string, window: number, lastDay: string): boolean {
  return addDays(lastDayOf(month), window) <= lastDay;
}

/** The latest cohort month that can be judged at a window. */
export function latestJudged(window: number, lastDay: string): string {
  let month = lastDay.slice(0, 7);
  while (!isJudged(month, window, lastDay)) month = addMonths(month, -1);
  return month;
}

// ── sales by channel ────────────────────────────────────────────────────────────────────────────────

export interface Totals {
  devices: number;
  gmv: number;
  commission: number;
  commissionRefunded: number;
  paymentFees: number;
  returnCosts: number;
  returned: number;
}

const ZERO: Totals = {
  devices: 0,
  gmv: 0,
  commission: 0,
  commissionRefunded: 0,
  paymentFees: 0,
  returnCosts: 0,
  returned: 0,
};

/** Money is summed from 4-decimal amounts and kept at 1/10,000 € (no binary drift in the sums). */
const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

export function sumRows(rows: readonly ChannelMonth[]): Totals {
  const t = { ...ZERO };
  for (const r of rows) {
    t.devices += r.devices_sold;
    t.gmv = round4(t.gmv + r.gmv_eur);
    t.commission = round4(t.commission + r.commission_eur);
    t.commissionRefunded = round4(t.commissionRefunded + r.commission_refunded_eur);
    t.paymentFees = round4(t.paymentFees + r.payment_fees_eur);
    t.returnCosts = round4(t.returnCosts + r.return_costs_eur);
    t.returned += r.returned_items;
  }
  return t;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

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

export function channelFigures(t: Totals): ChannelFigures {
  const netRevenue = round4(t.commission - t.commissionRefunded);
  const contribution = round4(netRevenue - t.paymentFees - t.returnCosts);
  return {
    devices: t.devices,
    gmv: t.gmv,
    netRevenue,
    takeRate: ratio(netRevenue, t.gmv),
    contribution,
    contributionPct: ratio(contribution, t.gmv),
    contributionPerDevice: ratio(contribution, t.devices),
    returnRate: ratio(t.returned, t.devices),
    averagePrice: ratio(t.gmv, t.devices),
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

/** A partner's share of its country's devices and GMV, month by month over the period, and in total. */
export function partnerShare(
  rows: readonly ChannelMonth[],
  partnership: Partnership,
  period: { from: string; to: string },
): { months: ShareMonth[]; total: Omit<ShareMonth, "month"> } {
  const inCountry = rows.filter(
    (r) => r.country_code === partnership.country && r.month >= period.from && r.month <= period.to,
  );
  const share = (months: readonly string[]): Omit<ShareMonth, "month"> => {
    const all = sumRows(inCountry.filter((r) => months.includes(r.month)));
    const partner = sumRows(
      inCountry.filter(
        (r) => months.includes(r.month) && r.channel === "partner" && r.partner === partnership.partner,
      ),
    );
    return {
      partnerDevices: partner.devices,
      countryDevices: all.devices,
      deviceShare: ratio(partner.devices, all.devices),
      partnerGmv: partner.gmv,
      countryGmv: all.gmv,
      gmvShare: ratio(partner.gmv, all.gmv),
    };
  };
  const months = monthsBetween(period.from, period.to);
  return { months: months.map((month) => ({ month, ...share([month]) })), total: share(months) };
}

/** Each channel of a country over the period (partners first, then web, then app), with its figures. */
export function channelsOf(
  rows: readonly ChannelMonth[],
  country: string,
  period: { from: string; to: string },
): { channel: ChannelKey; figures: ChannelFigures }[] {
  const byChannel = new Map<ChannelKey, ChannelMonth[]>();
  for (const r of rows) {
    if (r.country_code !== country || r.month < period.from || r.month > period.to) continue;
    const key = channelKey(r.channel, r.partner);
    const list = byChannel.get(key);
    if (list) list.push(r);
    else byChannel.set(key, [r]);
  }
  return [...byChannel]
    .map(([channel, list]) => ({ channel, figures: channelFigures(sumRows(list)) }))
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

/**
 * Customers by the channel of their first order, for first orders in the period (one country, or all),
 * and the share who bought again within each window, counting only the cohorts old enough to judge.
 */
export function repeatByChannel(
  cohorts: readonly RepeatCohort[],
  period: { from: string; to: string },
  lastDay: string,
  country?: string,
): {
  rows: RepeatRow[];
  months: { month: string; rates: Record<ChannelKey, Record<RepeatWindow, number | null>> }[];
} {
  const chosen = cohorts.filter(
    (c) => c.month >= period.from && c.month <= period.to && (!country || c.country_code === country),
  );
  const rows = new Map<ChannelKey, RepeatRow>();
  const cells = new Map<string, { customers: number; repeat: Record<RepeatWindow, number> }>();
  for (const c of chosen) {
    const key = channelKey(c.first_channel, c.first_partner);
    let row = rows.get(key);
    if (!row) {
      row = {
        channel: key,
        customers: 0,
        within: {
          90: { judged: 0, repeaters: 0, rate: null },
          365: { judged: 0, repeaters: 0, rate: null },
        },
      };
      rows.set(key, row);
    }
    row.customers += c.customers;
    const repeaters = { 90: c.repeat_90d, 365: c.repeat_365d } as const;
    for (const w of REPEAT_WINDOWS) {
      if (!isJudged(c.month, w, lastDay)) continue;
      row.within[w].judged += c.customers;
      row.within[w].repeaters += repeaters[w];
    }
    const cellKey = `${c.month}|${key}`;
    const cell = cells.get(cellKey) ?? { customers: 0, repeat: { 90: 0, 365: 0 } };
    cell.customers += c.customers;
    cell.repeat[90] += c.repeat_90d;
    cell.repeat[365] += c.repeat_365d;
    cells.set(cellKey, cell);
  }
  for (const row of rows.values())
    for (const w of REPEAT_WINDOWS) row.within[w].rate = ratio(row.within[w].repeaters, row.within[w].judged);
  // Web, then app, then the partners: app against web is this section's question.
  const order = (k: ChannelKey) => (k === "web" ? 0 : k === "app" ? 1 : 2);
  const keys = [...rows.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const months = monthsBetween(period.from, period.to).map((month) => ({
    month,
    rates: Object.fromEntries(
      keys.map((key) => {
        const cell = cells.get(`${month}|${key}`);
        const rate = (w: RepeatWindow) =>
          cell && isJudged(month, w, lastDay) ? ratio(cell.repeat[w], cell.customers) : null;
        return [key, { 90: rate(90), 365: rate(365) }];
      }),
    ),
  }));
  return { rows: keys.map((k) => rows.get(k) as RepeatRow), months };
}

// ── the view ────────────────────────────────────────────────────────────────────────────────────────

/** The marts, once per snapshot. */
async function channelData(warehouse: Warehouse) {
  return warehouse.cached(JSON.stringify(["channels-data"]), async (db) => {
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
    const headline = await db
      .selectFrom("marts.mart_headline")
      .select(["first_order_date", "last_order_date"])
      .executeTakeFirst();
    return {
      months: months.map((r): ChannelMonth => ({ ...r, month: r.month.slice(0, 7) })),
      cohorts: cohorts.map((r): RepeatCohort => ({ ...r, month: r.month.slice(0, 7) })),
      firstDay: headline?.first_order_date ?? null,
      lastDay: headline?.last_order_date ?? null,
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
  period: { from: string; to: string; label: string };
  lastDay: string;
  /** Countries with first orders, for the cohort section's choice. */
  countries: { code: string; name: string }[];
  country: string | null;
  channelNames: Record<ChannelKey, string>;
  partners: {
    partner: string;
    country: string;
    title: string;
    sinceLabel: string;
    months: (ShareMonth & { label: string; display: Record<ShareField, string> })[];
    total: Omit<ShareMonth, "month"> & { display: Record<ShareField, string> };
  }[];
  comparison: {
    country: string;
    name: string;
    channels: { channel: ChannelKey; figures: ChannelFigures; display: Record<FigureField, string> }[];
  }[];
  repeat: {
    rows: (RepeatRow & { display: { customers: string; 90: string; 365: string } })[];
    months: {
      month: string;
      label: string;
      rates: Record<ChannelKey, Record<RepeatWindow, number | null>>;
      display: Record<ChannelKey, Record<RepeatWindow, string>>;
    }[];
    latestJudged: Record<RepeatWindow, { month: string; label: string }>;
    /** For each window: the 12 months up to its latest judged cohort (a link when none of the period is). */
    earlier: Record<RepeatWindow, { from: string; to: string; label: string }>;
    /** Windows no cohort of the period can be judged at yet. */
    unjudged: RepeatWindow[];
  };
}

type ShareField =
  | "partnerDevices"
  | "countryDevices"
  | "deviceShare"
  | "partnerGmv"
  | "countryGmv"
  | "gmvShare";
type FigureField = keyof ChannelFigures;

const pct = (v: number | null, locale: Locale) => (v === null ? "—" : formatMetricValue(v, "ratio", locale));

function displayShare(s: Omit<ShareMonth, "month">, locale: Locale): Record<ShareField, string> {
  return {
    partnerDevices: formatMetricValue(s.partnerDevices, "count", locale),
    countryDevices: formatMetricValue(s.countryDevices, "count", locale),
    deviceShare: pct(s.deviceShare, locale),
    partnerGmv: formatMetricValue(s.partnerGmv, "eur", locale),
    countryGmv: formatMetricValue(s.countryGmv, "eur", locale),
    gmvShare: pct(s.gmvShare, locale),
  };
}

function displayFigures(f: ChannelFigures, locale: Locale): Record<FigureField, string> {
  const money = (v: number | null) => (v === null ? "—" : formatMetricValue(v, "eur", locale));
  const unit = (v: number | null) => (v === null ? "—" : formatExact(v, "eur_unit", locale));
  return {
    devices: formatMetricValue(f.devices, "count", locale),
    gmv: money(f.gmv),
    netRevenue: money(f.netRevenue),
    takeRate: pct(f.takeRate, locale),
    contribution: money(f.contribution),
    contributionPct: pct(f.contributionPct, locale),
    contributionPerDevice: unit(f.contributionPerDevice),
    returnRate: pct(f.returnRate, locale),
    averagePrice: unit(f.averagePrice),
  };
}

const monthLabel = (month: string, locale: Locale) => formatPeriod(`${month}-01`, "month", locale);

/** The page for a URL, or a BadRequest for bad parameters or a country without customers. */
export async function loadChannels(warehouse: Warehouse, url: URL, locale: Locale) {
  const params = parseChannelsParams(url.searchParams);
  const loaded = await channelData(warehouse);
  if (loaded.state === "empty") return loaded;
  const data = loaded.result;
  const { firstDay, lastDay } = data;
  if (!firstDay || !lastDay) return { state: "empty" as const, message: "no sales yet" };
  const period = resolvePeriod(params, { firstDay, lastDay });
  const cohortCountries = [...new Set(data.cohorts.map((c) => c.country_code))].sort();
  const country = params.country ?? null;
  if (country && !cohortCountries.includes(country))
    throw new BadRequest(`country: no customers recorded in ${country}`);
  // The view, once per snapshot, parameters and locale: its shares, comparisons and cohorts are
  // ~10 ms of JavaScript over the cached mart rows that a repeated request should not redo.
  return warehouse.memo(JSON.stringify(["channels-view", params, locale]), async () =>
    channelsView(data, params, period, country, cohortCountries, locale),
  );
}

type ChannelData = Extract<Awaited<ReturnType<typeof channelData>>, { state: "ready" }>["result"];

function channelsView(
  data: ChannelData,
  params: ChannelsParams,
  period: ReturnType<typeof resolvePeriod>,
  country: string | null,
  cohortCountries: string[],
  locale: Locale,
): ChannelsView {
  const lastDay = data.lastDay as string;
  const names = countryNames(locale);
  const channelNames: Record<ChannelKey, string> = {};
  const nameOf = (key: ChannelKey) => {
    const t = CHANNELS_MESSAGES[locale];
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
      months: share.months.map((m) => ({
        ...m,
        label: monthLabel(m.month, locale),
        display: displayShare(m, locale),
      })),
      total: { ...share.total, display: displayShare(share.total, locale) },
    };
  });
  const comparison = [...new Set(found.map((p) => p.country))].map((c) => ({
    country: c,
    name: names.of(c) ?? c,
    channels: channelsOf(data.months, c, period).map((ch) => {
      nameOf(ch.channel);
      return { ...ch, display: displayFigures(ch.figures, locale) };
    }),
  }));
  const repeat = repeatByChannel(data.cohorts, period, lastDay, country ?? undefined);
  for (const row of repeat.rows) nameOf(row.channel);
  const latest = (w: RepeatWindow) => {
    const month = latestJudged(w, lastDay);
    return { month, label: monthLabel(month, locale) };
  };
  const earlier = (w: RepeatWindow) => {
    const to = latestJudged(w, lastDay);
    const from = addMonths(to, -11);
    return { from, to, label: `${monthLabel(from, locale)} – ${monthLabel(to, locale)}` };
  };
  return {
    params,
    period: {
      ...period,
      label: `${monthLabel(period.from, locale)} – ${monthLabel(period.to, locale)}`,
    },
    lastDay,
    countries: cohortCountries.map((code) => ({ code, name: names.of(code) ?? code })),
    country,
    channelNames,
    partners,
    comparison,
    repeat: {
      rows: repeat.rows.map((r) => ({
        ...r,
        display: {
          customers: formatMetricValue(r.customers, "count", locale),
          90: pct(r.within[90].rate, locale),
          365: pct(r.within[365].rate, locale),
        },
      })),
      months: repeat.months.map((m) => ({
        ...m,
        label: monthLabel(m.month, locale),
        display: Object.fromEntries(
          Object.entries(m.rates).map(([key, rates]) => [
            key,
            { 90: pct(rates[90], locale), 365: pct(rates[365], locale) },
          ]),
        ),
      })),
      latestJudged: { 90: latest(90), 365: latest(365) },
      earlier: { 90: earlier(90), 365: earlier(365) },
      unjudged: REPEAT_WINDOWS.filter((w) => !isJudged(period.from, w, lastDay)),
    },
  };
}

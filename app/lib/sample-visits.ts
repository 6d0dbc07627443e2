// Valid filter combinations for every dashboard page, drawn from a seed: date ranges of any length and
// alignment inside the data, 1–4 countries within and across regions, categories, grades, channels,
// metrics, comparisons. The pages bench asks them as a user's first clicks (issue 19); the server renders
// a set of its own (another seed) when it starts, so that V8 has compiled the pages' code before the
// first reader's click rather than during it (ADR 0037).

import { COMPARISONS, GRAINS, MAX_DAYS_PER_GRAIN, PRESETS } from "~/lib/filters";
import { MONTH_PRESETS } from "~/lib/grammar";
import { METRIC_IDS } from "~/metrics/catalogue";
import { THRESHOLDS } from "~/metrics/pricing";
import { ROLLOUT_METRICS } from "~/metrics/rollout";
import { CATEGORIES, GRADES, ORDER_CHANNELS, PARTNERS, REGIONS } from "../../core/contract.ts";

/** What the snapshot holds: the span of its orders and its countries by region. */
export interface Span {
  from: string;
  to: string;
  countries: { code: string; region: string }[];
}

/** mulberry32: a small seeded generator, so a run's URLs can be asked again by another run. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const some = <T>(items: readonly T[], lo: number, hi: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    for (let n = int(lo, Math.min(hi, pool.length)); n > 0; n--)
      out.push(pool.splice(int(0, pool.length - 1), 1)[0] as T);
    return out;
  };
  return { next, int, pick, some, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const month = (isoDay: string) => isoDay.slice(0, 7);

/** A day range inside the data: any length (a day to all of it) and alignment. */
function dayRange(r: Random, span: Span): { from: string; to: string; days: number } {
  const first = day(span.from);
  const last = day(span.to) - DAY; // the last whole day (the extract may stop during the last one)
  const length = r.pick([1, 7, 30, 31, 90, 92, 180, 365, 366, 730, 1500, 3000]);
  const days = Math.min(length, Math.round((last - first) / DAY) + 1);
  const start = first + r.int(0, Math.max(0, Math.round((last - first) / DAY) - days + 1)) * DAY;
  return { from: iso(start), to: iso(start + (days - 1) * DAY), days };
}

/** A whole-month range inside the data's whole months. */
function monthRange(r: Random, span: Span): { from: string; to: string } {
  const months: string[] = [];
  for (let m = month(span.from); m <= month(iso(day(span.to) - DAY)); ) {
    months.push(m);
    const [y, mo] = m.split("-").map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
  }
  const length = Math.min(months.length, r.pick([1, 2, 3, 6, 12, 18, 24, 36, 60]));
  const start = r.int(0, months.length - length);
  return { from: months[start] as string, to: months[start + length - 1] as string };
}

/** 1–4 countries: within one region or across regions. */
function countries(r: Random, span: Span, max = 4): string[] {
  if (r.chance(0.5)) {
    const region = r.pick(REGIONS);
    const inRegion = span.countries.filter((c) => c.region === region).map((c) => c.code);
    if (inRegion.length) return r.some(inRegion, 1, max);
  }
  return r.some(
    span.countries.map((c) => c.code),
    1,
    max,
  );
}

const query = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${v}`)
    .join("&");

/** The dashboard grammar's geography: nothing, a region, or 1–4 countries. */
function geography(r: Random, span: Span): Record<string, string | undefined> {
  const which = r.int(0, 2);
  if (which === 0) return {};
  if (which === 1) return { region: r.pick(REGIONS) };
  return { country: countries(r, span).join(",") };
}

function overviewUrl(r: Random, span: Span): string {
  const range = r.chance(0.35) ? { range: r.pick(PRESETS) } : dayRange(r, span);
  // A grain the range allows (a preset may be all of the data: monthly or coarser).
  const days = "days" in range ? range.days : MAX_DAYS_PER_GRAIN.month;
  const grains = GRAINS.filter((g) => days <= MAX_DAYS_PER_GRAIN[g]);
  return query({
    ...("range" in range ? { range: range.range } : { from: range.from, to: range.to }),
    compare: r.pick(COMPARISONS),
    grain: r.chance(0.5) ? r.pick(grains) : undefined,
    metric: r.pick(METRIC_IDS),
    ...geography(r, span),
    category: r.chance(0.25) ? r.some(CATEGORIES, 1, 2).join(",") : undefined,
    grade: r.chance(0.2) ? r.some(GRADES, 1, 2).join(",") : undefined,
    channel: r.chance(0.2) ? r.some(ORDER_CHANNELS, 1, 2).join(",") : undefined,
    partner: r.chance(0.1) ? r.pick(PARTNERS) : undefined,
  });
}

function regionsUrl(r: Random, span: Span): string {
  const range = r.chance(0.35) ? { range: r.pick(PRESETS) } : dayRange(r, span);
  return query({
    ...("range" in range ? { range: range.range } : { from: range.from, to: range.to }),
    compare: r.pick(COMPARISONS),
    ...geography(r, span),
    costs: r.chance(0.3) ? "allocated" : undefined,
  });
}

function profitabilityUrl(r: Random, span: Span): string {
  const m = monthRange(r, span);
  const geo = r.chance(0.5) ? { region: r.pick(REGIONS) } : { country: r.pick(span.countries).code };
  return query({
    ...geo,
    // as_of: a month at least three months into the data.
    as_of: m.to >= month(iso(day(span.from) + 95 * DAY)) ? m.to : undefined,
    window: String(r.pick([6, 9, 12, 18, 24])),
    costs: r.chance(0.3) ? "allocated" : undefined,
  });
}

function months(r: Random, span: Span): Record<string, string> {
  if (r.chance(0.3)) return { range: r.pick(MONTH_PRESETS) };
  const m = monthRange(r, span);
  return { from: m.from, to: m.to };
}

const qualityUrl = (r: Random, span: Span) =>
  query({
    ...months(r, span),
    country: r.chance(0.6) ? countries(r, span).join(",") : undefined,
    category: r.chance(0.4) ? r.some(CATEGORIES, 1, 3).join(",") : undefined,
  });

const pricingUrl = (r: Random, span: Span) =>
  query({
    ...months(r, span),
    country: r.chance(0.6) ? countries(r, span).join(",") : undefined,
    category: r.chance(0.4) ? r.some(CATEGORIES, 1, 3).join(",") : undefined,
    threshold: String(r.pick(THRESHOLDS)),
  });

const channelsUrl = (r: Random, span: Span) =>
  query({ ...months(r, span), country: r.chance(0.6) ? r.pick(span.countries).code : undefined });

const marketUrl = (r: Random, span: Span) =>
  query({
    category: r.pick(CATEGORIES.filter((c) => c !== "other")),
    ...months(r, span),
    country: r.chance(0.5) ? r.pick(span.countries).code : undefined,
  });

const rolloutUrl = (r: Random, span: Span) =>
  query({
    country: countries(r, span, 8).join(","),
    metric: r.pick(ROLLOUT_METRICS),
    axis: r.chance(0.3) ? "calendar" : undefined,
    basis: r.chance(0.3) ? "per_capita" : undefined,
  });

export const SAMPLED_PAGES: { name: string; path: string; url: (r: Random, span: Span) => string }[] = [
  { name: "overview", path: "/", url: overviewUrl },
  { name: "regions", path: "/regions", url: regionsUrl },
  { name: "profitability", path: "/profitability", url: profitabilityUrl },
  { name: "quality", path: "/quality", url: qualityUrl },
  { name: "pricing", path: "/pricing", url: pricingUrl },
  { name: "channels", path: "/channels", url: channelsUrl },
  { name: "market", path: "/market", url: marketUrl },
  { name: "rollout", path: "/rollout", url: rolloutUrl },
];

export interface Visit {
  page: string;
  url: string;
}

/** Each page's URLs: `perPage` distinct ones (fewer when the page has fewer), drawn from `seed`, shuffled. */
export function drawVisits(span: Span, seed: number, perPage: number): Visit[] {
  const r = random(seed);
  const out: Visit[] = [];
  for (const page of SAMPLED_PAGES) {
    const seen = new Set<string>();
    for (let tries = 0; seen.size < perPage && tries < perPage * 20; tries++) {
      const qs = page.url(r, span);
      seen.add(qs ? `${page.path}?${qs}` : page.path);
    }
    for (const url of seen) out.push({ page: page.name, url });
  }
  // One shuffled queue: the clients' next clicks mix every page.
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j] as Visit, out[i] as Visit];
  }
  return out;
}

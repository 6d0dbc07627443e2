// Products (~2,000 models released 2010 → 2024) and sellers: small tables drawn in JS.

import { parseIsoDate } from "./calendar.ts";
import { randomStream } from "./random.ts";
import { CATEGORIES, COUNTRIES, type Region } from "./reference.ts";

export const CATALOGUE_START = "2010-01-01";
export const CATALOGUE_END = "2024-12-31";
/** Models stay on sale (and in the new-price history) for this many quarters after release. */
export const PRICE_QUARTERS = 16;

export interface ProductRow {
  productId: number;
  categoryIdx: number;
  brand: string;
  model: string;
  releaseDay: number;
  launchPriceEur: number;
}

export interface CategoryLayout {
  categoryIdx: number;
  productOffset: number;
  models: number;
  intervalDays: number;
  startDay: number;
}

export function categoryLayout(): CategoryLayout[] {
  const start = parseIsoDate(CATALOGUE_START);
  const span = parseIsoDate(CATALOGUE_END) - start;
  let offset = 0;
  return CATEGORIES.map((c, categoryIdx) => {
    const layout = {
      categoryIdx,
      productOffset: offset,
      models: c.models,
      intervalDays: span / c.models,
      startDay: start,
    };
    offset += c.models;
    return layout;
  });
}

const STORAGE = ["64 GB", "128 GB", "256 GB", "512 GB"];

/** The entry that a uniform draw in [0, 1) falls on, entries taking their weight's share (weights sum to 1). */
function pickWeighted<T>(entries: readonly T[], weight: (entry: T) => number, draw: number): T {
  let rest = draw;
  for (const entry of entries) {
    rest -= weight(entry);
    if (rest < 0) return entry;
  }
  return entries[entries.length - 1] as T;
}

export function buildProducts(seed: number): ProductRow[] {
  const next = randomStream(seed, "products");
  const products: ProductRow[] = [];
  const generation = new Map<string, number>();
  for (const layout of categoryLayout()) {
    const spec = CATEGORIES[layout.categoryIdx] as (typeof CATEGORIES)[number];
    for (let m = 0; m < layout.models; m++) {
      const brand = pickWeighted(spec.brands, (b) => b.weight, next());
      const series = brand.series[Math.floor(next() * brand.series.length)] as string;
      const key = `${brand.brand} ${series}`;
      const gen = (generation.get(key) ?? 0) + 1;
      generation.set(key, gen);
      const hasStorage = spec.category === "smartphone" || spec.category === "tablet";
      const variant = hasStorage ? ` ${STORAGE[Math.floor(next() * STORAGE.length)]}` : "";
      const premiumBrand = brand.brand === "Apple" ? 1.25 : 1;
      const raw = (spec.priceMin + (spec.priceMax - spec.priceMin) * next() ** 1.4) * premiumBrand;
      products.push({
        productId: layout.productOffset + m + 1,
        categoryIdx: layout.categoryIdx,
        brand: brand.brand,
        model: `${series} ${gen}${variant}`,
        releaseDay: layout.startDay + Math.floor(m * layout.intervalDays),
        launchPriceEur: Math.max(19, Math.round(raw / 10) * 10) - 0.01,
      });
    }
  }
  return products;
}

export interface SellerPool {
  region: Region;
  offset: number;
  count: number;
  startDay: number;
  intervalDays: number;
}

export interface SellerRow {
  sellerId: number;
  name: string;
  countryCode: string;
  joinedDay: number;
  /** A few sellers inflate "new" prices and ship Premium devices under 85% battery more often. */
  shady: boolean;
}

const POOLS: { region: Region; share: number; start: string; countries: [string, number][] }[] = [
  {
    region: "europe",
    share: 0.78,
    start: "2014-10-01",
    countries: [
      ["FR", 0.42],
      ["DE", 0.18],
      ["ES", 0.12],
      ["IT", 0.1],
      ["BE", 0.05],
      ["NL", 0.05],
      ["GB", 0.08],
    ],
  },
  { region: "north_america", share: 0.15, start: "2018-04-02", countries: [["US", 1]] },
  {
    region: "asia_pacific",
    share: 0.07,
    start: "2021-05-03",
    countries: [
      ["JP", 0.6],
      ["AU", 0.4],
    ],
  },
];

const NAME_FIRST = [
  "Atelier",
  "L'Atelier",
  "Électro",
  "ReNew",
  "Refurb",
  "Green",
  "Re:Phone",
  "Second",
  "Éco",
  "Nova",
  "Loop",
  "Phénix",
];
const NAME_SECOND = [
  "Mobile",
  "Tech",
  "Device",
  "Ré-Emploi",
  "Circuit",
  "Phone",
  "Cycle",
  "Repair",
  "Labs",
  "Store",
];
const LEGAL_FORM: Record<string, string> = {
  FR: "SAS",
  DE: "GmbH",
  ES: "S.L.",
  IT: "S.r.l.",
  BE: "SRL",
  NL: "B.V.",
  GB: "Ltd",
  US: "Inc.",
  JP: "K.K.",
  AU: "Pty Ltd",
};

export function sellerCount(scale: number): number {
  return Math.max(60, Math.round(3000 * scale ** 0.35));
}

export function buildSellers(seed: number, scale: number): { pools: SellerPool[]; sellers: SellerRow[] } {
  const next = randomStream(seed, "sellers");
  const total = sellerCount(scale);
  const end = parseIsoDate(CATALOGUE_END);
  const pools: SellerPool[] = [];
  const sellers: SellerRow[] = [];
  let offset = 0;
  for (const pool of POOLS) {
    const count = Math.max(5, Math.round(total * pool.share));
    const startDay = parseIsoDate(pool.start);
    const intervalDays = (end - startDay) / count;
    pools.push({ region: pool.region, offset, count, startDay, intervalDays });
    for (let j = 0; j < count; j++) {
      const country = pickWeighted(pool.countries, ([, w]) => w, next());
      const first = NAME_FIRST[Math.floor(next() * NAME_FIRST.length)];
      const second = NAME_SECOND[Math.floor(next() * NAME_SECOND.length)];
      sellers.push({
        sellerId: offset + j + 1,
        name: `${first} ${second} ${offset + j + 1} ${LEGAL_FORM[country[0]] ?? ""}`.trim(),
        countryCode: country[0],
        joinedDay: startDay + Math.floor(j * intervalDays),
        shady: next() < 0.03,
      });
    }
    offset += count;
  }
  return { pools, sellers };
}

export function poolOfCountry(pools: readonly SellerPool[], countryCode: string): SellerPool {
  const region = COUNTRIES.find((c) => c.code === countryCode)?.region;
  const pool = pools.find((p) => p.region === region);
  if (!pool) throw new Error(`no seller pool for ${countryCode}`);
  return pool;
}

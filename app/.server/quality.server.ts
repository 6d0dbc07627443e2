// The grades page (/quality, issue 6): for whole months `from`…`to` and optional countries and
// categories, the grade mix by month, sales, take rate, return rate and the cost of returns by grade,
// return reasons by grade and by category, battery health per grade, and the Premium promise (a
// battery at least 85% of a new one): how many Premium devices broke it, and which sellers sold them.
// Three small monthly marts (ADR 0012), one query each per view, cached per snapshot and filter set.

import { type RawBuilder, type SqlBool, sql } from "kysely";
import {
  type CountryChoice,
  type MonthRange,
  monthList,
  readCategories,
  readQuery,
  resolveCountries,
  resolveMonthRange,
} from "~/lib/grammar";
import { figureOf, figuresOf } from "~/metrics/catalogue";
import { ratio, shareOf, sumMeasures } from "~/metrics/evaluate";
import {
  type Category,
  COMPLIANCE_LIST_LIMIT,
  GRADES,
  type Grade,
  PREMIUM_BATTERY_MIN,
  QUALITY_CATEGORIES,
  RETURN_REASONS,
  type ReturnReason,
} from "~/metrics/quality";
import { sqlDate } from "./db/duckdb-dialect";
import type { Db } from "./metrics/query.server";
import {
  type Aggregate,
  codedColumn,
  groupMart,
  type MartRows,
  residentMart,
  rowsBetween,
  rowsWhere,
  textColumn,
} from "./metrics/resident.server";
import { BadRequest, readDimensions } from "./overview.server";
import { addPreparer, addWarmer, type Warehouse } from "./warehouse.server";

// ---------------------------------------------------------------------------------------------------
// Parameters: the shared grammar's atoms (~/lib/grammar), months bounded by the data.

/** The page's parameters, as the URL names them. */
export const QUALITY_PARAMS = ["range", "from", "to", "country", "region", "category"] as const;

export type QualityParams = Partial<Record<(typeof QUALITY_PARAMS)[number], string>>;

/** The page's parameters as given, or a ParamError saying what is wrong (checked again against the data). */
export function parseQualityParams(search: URLSearchParams): QualityParams {
  return readQuery(search, QUALITY_PARAMS);
}

export type QualityRange = MonthRange;

// ---------------------------------------------------------------------------------------------------
// The view, from the marts' rows (pure functions, tested on their own)

/** mart_quality_months summed over the selected countries: one row per month × grade × category. */
export interface QualityRow {
  month: string;
  grade: Grade;
  category: Category;
  devices_sold: number;
  gmv_eur: number;
  commission_eur: number;
  returned_items: number;
  returns_received: number;
  refunds_eur: number;
  commission_refunded_eur: number;
  return_costs_eur: number;
  reasons: Record<ReturnReason, number>;
}

export interface GradeFigures {
  devicesSold: number;
  gmvEur: number;
  /** GMV ÷ devices sold (null without sales). */
  averagePriceEur: number | null;
  /** Commission on sales − commission refunded on returns received (glossary: net revenue). */
  netRevenueEur: number;
  /** Net revenue ÷ GMV. */
  takeRate: number | null;
  /** Returns of the period's sales (by order month), whenever they came back. */
  returnedItems: number;
  /** Returned items ÷ devices sold (by order cohort). */
  returnRate: number | null;
  /** Returns received in the period (on their own date), and what they cost. */
  returnsReceived: number;
  refundsEur: number;
  commissionRefundedEur: number;
  returnCostsEur: number;
  /** What returns cost the marketplace itself: commission refunded + the costs it bears. */
  marketplaceCostEur: number;
  /** That cost per device sold in the period. */
  marketplaceCostPerDeviceEur: number | null;
}

const zeroReasons = (): Record<ReturnReason, number> =>
  Object.fromEntries(RETURN_REASONS.map((r) => [r, 0])) as Record<ReturnReason, number>;

/** A set of rows' figures, every one from the metric layer (sums exact to 1/10,000 €, derived by the catalogue). */
export function gradeFigures(rows: readonly QualityRow[]): GradeFigures {
  const m = sumMeasures(rows, () => "all").get("all");
  const f = figuresOf(
    [
      "devices_sold",
      "gmv_eur",
      "average_price_eur",
      "net_revenue_eur",
      "take_rate",
      "returned_items",
      "return_rate",
      "returns_received",
      "refunds_eur",
      "commission_refunded_eur",
      "return_costs_eur",
      "marketplace_return_cost_eur",
      "return_cost_per_device",
    ],
    m,
  );
  return {
    devicesSold: f.devices_sold ?? 0,
    gmvEur: f.gmv_eur ?? 0,
    averagePriceEur: f.average_price_eur,
    netRevenueEur: f.net_revenue_eur ?? 0,
    takeRate: f.take_rate,
    returnedItems: f.returned_items ?? 0,
    returnRate: f.return_rate,
    returnsReceived: f.returns_received ?? 0,
    refundsEur: f.refunds_eur ?? 0,
    commissionRefundedEur: f.commission_refunded_eur ?? 0,
    returnCostsEur: f.return_costs_eur ?? 0,
    marketplaceCostEur: f.marketplace_return_cost_eur ?? 0,
    marketplaceCostPerDeviceEur: f.return_cost_per_device,
  };
}

export interface MixMonth {
  month: string;
  devicesSold: number;
  /** Each grade's devices and share of the month's devices; null for Premium before its launch. */
  grades: Record<Grade, { devices: number; share: number | null } | null>;
}

/** Each month's devices by grade and their shares; Premium is absent (null) before `premiumSince`. */
export function gradeMix(
  rows: readonly QualityRow[],
  months: readonly string[],
  premiumSince: string | null,
): MixMonth[] {
  const byMonthGrade = sumMeasures(
    rows.map((r) => ({ key: `${r.month}|${r.grade}`, devices_sold: r.devices_sold })),
    (r) => r.key,
  );
  const byMonth = sumMeasures(
    rows.map((r) => ({ month: r.month, devices_sold: r.devices_sold })),
    (r) => r.month,
  );
  return months.map((m) => {
    const month = byMonth.get(m);
    const grades = Object.fromEntries(
      GRADES.map((g) => {
        const part = byMonthGrade.get(`${m}|${g}`);
        const launched = g !== "premium" || (premiumSince !== null && m >= premiumSince);
        return [
          g,
          launched ? { devices: part.devices_sold ?? 0, share: shareOf("devices_sold", part, month) } : null,
        ];
      }),
    ) as MixMonth["grades"];
    return { month: m, devicesSold: month.devices_sold ?? 0, grades };
  });
}

export interface ReasonCounts {
  /** Returns received in the period, by reason, and their total. */
  counts: Record<ReturnReason, number>;
  total: number;
  /** Each reason's share of the total (null when nothing came back). */
  shares: Record<ReturnReason, number | null>;
}

export function reasonCounts(rows: readonly QualityRow[]): ReasonCounts {
  const counts = zeroReasons();
  for (const r of rows) for (const reason of RETURN_REASONS) counts[reason] += r.reasons[reason];
  const total = RETURN_REASONS.reduce((sum, reason) => sum + counts[reason], 0);
  const shares = Object.fromEntries(RETURN_REASONS.map((r) => [r, ratio(counts[r], total)])) as Record<
    ReturnReason,
    number | null
  >;
  return { counts, total, shares };
}

export interface BatteryGrade {
  grade: Grade;
  /** Devices sold with a battery reading. */
  devices: number;
  /** Every band of the view (the same for each grade), its devices and share of the grade's devices. */
  bands: { band: number; devices: number; share: number | null }[];
}

/** The battery-health distribution of each grade, over the bands any grade has. */
export function batteryDistribution(
  rows: readonly { grade: Grade; battery_band: number; devices_sold: number }[],
) {
  const bands = [...new Set(rows.map((r) => r.battery_band))].sort((a, b) => a - b);
  return {
    bands,
    grades: GRADES.map((grade): BatteryGrade => {
      const mine = rows.filter((r) => r.grade === grade);
      const devices = mine.reduce((sum, r) => sum + r.devices_sold, 0);
      return {
        grade,
        devices,
        bands: bands.map((band) => {
          const n = mine.filter((r) => r.battery_band === band).reduce((sum, r) => sum + r.devices_sold, 0);
          return { band, devices: n, share: ratio(n, devices) };
        }),
      };
    }),
  };
}

export interface SellerMonth {
  month: string;
  /** The seller's id as the source issued it (opaque text). */
  sellerId: string;
  /** Untrusted text from the sellers' extract: render it as text only. */
  sellerName: string;
  premiumDevices: number;
  devicesUnder85: number;
  /** devicesUnder85 ÷ the seller's Premium devices sold that month (in the selection). */
  share: number;
  lowestBatteryPct: number | null;
}

/** Worst first: most devices under 85%, then the highest share, the lowest battery, then by name and month. */
export function worstFirst(rows: readonly SellerMonth[]): SellerMonth[] {
  return [...rows].sort(
    (a, b) =>
      b.devicesUnder85 - a.devicesUnder85 ||
      b.share - a.share ||
      (a.lowestBatteryPct ?? 101) - (b.lowestBatteryPct ?? 101) ||
      a.sellerName.localeCompare(b.sellerName) ||
      (a.sellerId < b.sellerId ? -1 : a.sellerId > b.sellerId ? 1 : 0) ||
      a.month.localeCompare(b.month),
  );
}

export interface QualityView {
  params: QualityParams;
  range: QualityRange;
  /** The choices: every month with data, every country of the snapshot, every category. */
  available: { months: string[]; countries: string[]; categories: readonly Category[] };
  countries: string[];
  categories: Category[];
  /** The first month with a Premium sale anywhere (null: no Premium sale yet). */
  premiumSince: string | null;
  mix: MixMonth[];
  /** Figures by grade, best grade first, and for all grades together. */
  grades: { grade: Grade; figures: GradeFigures }[];
  total: GradeFigures;
  reasons: {
    byGrade: { grade: Grade; reasons: ReasonCounts }[];
    byCategory: { category: Category; reasons: ReasonCounts }[];
    total: ReasonCounts;
  };
  /** Return rate (by order cohort) by category × grade; categories with sales only. */
  returnRates: {
    category: Category;
    all: { devices: number; returned: number; rate: number | null };
    grades: Record<Grade, { devices: number; returned: number; rate: number | null }>;
  }[];
  battery: { bands: number[]; grades: BatteryGrade[] };
  compliance: {
    /** Premium devices sold with a battery reading, and those under the promise. */
    premiumWithBattery: number;
    under85: number;
    share: number | null;
    lowestBatteryPct: number | null;
    sellers: number;
    /** Seller-months with at least one Premium device under 85%, worst first, at most COMPLIANCE_LIST_LIMIT. */
    list: SellerMonth[];
    listTotal: number;
    /** Every such seller-month, worst first: the download's rows (not sent to the page). */
    all: SellerMonth[];
  };
}

// ---------------------------------------------------------------------------------------------------
// Loading

interface SqlFilter {
  range: QualityRange;
  countries: string[];
  categories: Category[];
}

/** The month range, countries and categories as a WHERE clause over a monthly mart. */
function whereOf(f: SqlFilter) {
  const parts = [sql`month between ${sqlDate(`${f.range.from}-01`)} and ${sqlDate(`${f.range.to}-01`)}`];
  if (f.countries.length) parts.push(sql`country_code in (${sql.join(f.countries.map((c) => sql`${c}`))})`);
  if (f.categories.length) parts.push(sql`category in (${sql.join(f.categories.map((c) => sql`${c}`))})`);
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** The snapshot's months, countries and the Premium launch month (once per snapshot). */
async function qualityDimensions(warehouse: Warehouse) {
  const dims = await readDimensions(warehouse);
  if (dims.state === "empty") return dims;
  const premium = await warehouse.held("quality-premium-since", async (db) => {
    const row = await db
      .selectFrom("marts.mart_quality_months")
      .select(sql<string | null>`strftime(min(month), '%Y-%m')`.as("since"))
      .where("grade", "=", "premium")
      .where("devices_sold", ">", 0)
      .executeTakeFirst();
    return row?.since ?? null;
  });
  if (premium.state === "empty") return premium;
  return { ...dims, result: { ...dims.result, premiumSince: premium.result } };
}

/** The sums the page reads from mart_quality_months, per month × grade × category. */
const QUALITY_SUMS = [
  ["devices_sold", "devices_sold"],
  ["gmv_eur", "gmv_eur"],
  ["commission_eur", "commission_eur"],
  ["returned_items", "returned_items"],
  ["returns_received", "returns_received"],
  ["refunds_eur", "refunds_eur"],
  ["commission_refunded_eur", "commission_refunded_eur"],
  ["return_costs_eur", "return_costs_eur"],
  ["defect", "returns_defect"],
  ["not_as_described", "returns_not_as_described"],
  ["battery", "returns_battery"],
  ["changed_mind", "returns_changed_mind"],
  ["other", "returns_other"],
] as const;

type SalesSums = Record<(typeof QUALITY_SUMS)[number][0], number>;
type RawRows = {
  sales: ({ month: string; grade: string; category: string } & SalesSums)[];
  battery: { grade: string; battery_band: number; devices_sold: number }[];
  sellers: {
    month: string;
    seller_id: string;
    seller_name: string;
    premium_devices: number;
    devices_under_85: number;
    lowest_battery_pct: number | null;
  }[];
};

/** The three marts' sums, asked of DuckDB. */
async function duckdbRows(db: Db, f: SqlFilter): Promise<RawRows> {
  const where = whereOf(f);
  const sales = await db
    .selectFrom("marts.mart_quality_months")
    .select([
      sql<string>`strftime(month, '%Y-%m')`.as("month"),
      "grade",
      "category",
      ...QUALITY_SUMS.map(([as, column]) => sql<number>`sum(${sql.ref(column)})`.as(as)),
    ])
    .where(where)
    .groupBy(["month", "grade", "category"])
    .execute();
  const battery = await db
    .selectFrom("marts.mart_battery_months")
    .select(["grade", "battery_band", sql<number>`sum(devices_sold)`.as("devices_sold")])
    .where(where)
    .groupBy(["grade", "battery_band"])
    .execute();
  const sellers = await db
    .selectFrom("marts.mart_premium_seller_months")
    .select([
      sql<string>`strftime(month, '%Y-%m')`.as("month"),
      "seller_id",
      // A seller renamed between two runs could carry two names in different months: one per row.
      sql<string>`max(seller_name)`.as("seller_name"),
      sql<number>`sum(premium_devices)`.as("premium_devices"),
      sql<number>`sum(devices_under_85)`.as("devices_under_85"),
      sql<number | null>`min(lowest_battery_pct)`.as("lowest_battery_pct"),
    ])
    .where(where)
    .groupBy(["month", "seller_id"])
    .having(sql`sum(devices_under_85)`, ">", 0)
    .execute();
  return { sales: sales as RawRows["sales"], battery, sellers };
}

/** The same sums from the marts held in memory: what the three queries above answer, exactly. */
function residentRows(quality: MartRows, battery: MartRows, sellers: MartRows, f: SqlFilter): RawRows {
  const from = `${f.range.from}-01`;
  const to = `${f.range.to}-01`;
  // The rows of the months in range (the marts are held in month order) and, with countries, only those
  // countries' rows (two of eighteen read a ninth of them).
  const rowsOf = (mart: MartRows) => {
    const months = rowsBetween(mart, "month", from, to);
    return f.countries.length ? rowsWhere(mart, "country_code", f.countries, months) : months;
  };
  // The categories, tested on the column's codes (held per mart).
  const keepOf = (mart: MartRows) => {
    if (!f.categories.length) return () => true;
    const { codes, values } = codedColumn(mart, "category");
    const wanted = new Uint8Array(values.length);
    for (const c of f.categories) if (values.includes(c)) wanted[values.indexOf(c)] = 1;
    return (r: number) => wanted[codes[r] as number] === 1;
  };
  const sum = (as: string, column = as): Aggregate => ({ as, column, fn: "sum" });
  // Groups keyed by numbers made of the columns' codes (no string per row to build, hash or look up).
  const qMonth = codedColumn(quality, "month");
  const qGrade = codedColumn(quality, "grade");
  const qCategory = codedColumn(quality, "category");
  const grades = qGrade.values.length;
  const categories = qCategory.values.length;
  const sales = [
    ...groupMart(
      quality,
      keepOf(quality),
      (r) =>
        ((qMonth.codes[r] as number) * grades + (qGrade.codes[r] as number)) * categories +
        (qCategory.codes[r] as number),
      QUALITY_SUMS.map(([as, column]) => sum(as, column)),
      rowsOf(quality),
    ).values(),
  ].map(({ row, values }) => ({
    month: (qMonth.values[qMonth.codes[row] as number] as string).slice(0, 7),
    grade: qGrade.values[qGrade.codes[row] as number] as string,
    category: qCategory.values[qCategory.codes[row] as number] as string,
    ...(values as SalesSums),
  }));
  const bGrade = codedColumn(battery, "grade");
  const bGrades = bGrade.values.length;
  const bBand = battery.numbers.get("battery_band") as Float64Array;
  const batteryRows = [
    ...groupMart(
      battery,
      keepOf(battery),
      // The band is a whole percentage (an INTEGER column), the grade a code: one number per group
      // (a band read as NaN keeps a group of its own per grade, as its text key "grade|NaN" did).
      (r) => {
        const band = bBand[r] as number;
        const grade = bGrade.codes[r] as number;
        return Number.isNaN(band) ? -1 - grade : band * bGrades + grade;
      },
      [sum("devices_sold"), { as: "band", column: "battery_band", fn: "min" }],
      rowsOf(battery),
    ).values(),
  ].map(({ row, values }) => ({
    grade: bGrade.values[bGrade.codes[row] as number] as string,
    battery_band: values.band as number,
    devices_sold: values.devices_sold as number,
  }));
  const sMonth = codedColumn(sellers, "month");
  const sId = codedColumn(sellers, "seller_id");
  const sName = textColumn(sellers, "seller_name");
  const sellerCount = sId.values.length;
  const keepSeller = keepOf(sellers);
  const names = new Map<number, string>();
  // groupMart asks for a kept row's key right after keeping it: the key is made once, here, as a number
  // (the month's code times the number of sellers plus the seller's).
  let key = 0;
  const grouped = groupMart(
    sellers,
    (r) => {
      if (!keepSeller(r)) return false;
      // max(seller_name) of the group, as SQL's max orders strings (by code point, NULLs skipped).
      key = (sMonth.codes[r] as number) * sellerCount + (sId.codes[r] as number);
      const name = sName[r];
      const held = names.get(key);
      if (name !== null && name !== undefined && (held === undefined || byCodePoint(name, held) > 0))
        names.set(key, name);
      return true;
    },
    () => key,
    [
      sum("premium_devices"),
      sum("devices_under_85"),
      { as: "lowest_battery_pct", column: "lowest_battery_pct", fn: "min" },
    ],
    rowsOf(sellers),
  );
  const sellerRows: RawRows["sellers"] = [];
  for (const [group, { row, values }] of grouped)
    if ((values.devices_under_85 ?? 0) > 0)
      sellerRows.push({
        month: (sMonth.values[sMonth.codes[row] as number] as string).slice(0, 7),
        seller_id: sId.values[sId.codes[row] as number] as string,
        seller_name: names.get(group) as string,
        premium_devices: values.premium_devices as number,
        devices_under_85: values.devices_under_85 as number,
        lowest_battery_pct: values.lowest_battery_pct ?? null,
      });
  return { sales, battery: batteryRows, sellers: sellerRows };
}

/** Strings compared as DuckDB compares VARCHARs: byte by byte in UTF-8 (code point order). */
export function byCodePoint(a: string, b: string): number {
  // Without an array of characters per comparison: a seller's name is compared with itself on each of
  // its rows (all time: thousands a request).
  if (a === b) return 0;
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  // One is a prefix of the other: the longer comes after.
  return a.length - b.length;
}

/** A mart held in memory: a table, or a relation over one held under a name of its own. */
type HeldMart = { name: string; relation?: RawBuilder<unknown> };

/** The quality and battery marts as they are. */
const WHOLE: [HeldMart, HeldMart] = [{ name: "mart_quality_months" }, { name: "mart_battery_months" }];

/** The same, summed over countries (every country's rows: the page without a country filter). */
export const OVER_COUNTRIES: [HeldMart, HeldMart] = [
  {
    name: "mart_quality_months over countries",
    relation: sql`select month, '' as country_code, category, grade, ${sql.join(
      QUALITY_SUMS.map(([, column]) => sql`sum(${sql.ref(column)}) as ${sql.ref(column)}`),
    )} from marts.mart_quality_months group by month, category, grade`,
  },
  {
    name: "mart_battery_months over countries",
    relation: sql`select month, '' as country_code, category, grade, battery_band,
      sum(devices_sold) as devices_sold
      from marts.mart_battery_months group by month, category, grade, battery_band`,
  },
];

/** The three marts' rows for a filter set (cached per snapshot): from memory where they are held (ADR 0029). */
async function readQuality(warehouse: Warehouse, f: SqlFilter) {
  const key = JSON.stringify(["quality", f.range.from, f.range.to, f.countries, f.categories]);
  return warehouse.cached(key, async (db, snapshot) => {
    // One after the other: a unit of work's queries share one connection.
    // Without a country, the marts summed over countries (the page groups by month, grade and category
    // or band): ~18 times fewer rows to keep and group.
    const [qualityHeld, batteryHeld] = f.countries.length ? WHOLE : OVER_COUNTRIES;
    const qualityMart = await residentMart(db, snapshot, qualityHeld.name, qualityHeld.relation);
    const batteryMart =
      qualityMart && (await residentMart(db, snapshot, batteryHeld.name, batteryHeld.relation));
    const sellerMart = batteryMart && (await residentMart(db, snapshot, "mart_premium_seller_months"));
    const { sales, battery, sellers } =
      qualityMart && batteryMart && sellerMart
        ? residentRows(qualityMart, batteryMart, sellerMart, f)
        : await duckdbRows(db, f);
    return {
      sales: sales.map(
        (r): QualityRow => ({
          month: r.month,
          grade: r.grade as Grade,
          category: r.category as Category,
          devices_sold: r.devices_sold,
          gmv_eur: r.gmv_eur,
          commission_eur: r.commission_eur,
          returned_items: r.returned_items,
          returns_received: r.returns_received,
          refunds_eur: r.refunds_eur,
          commission_refunded_eur: r.commission_refunded_eur,
          return_costs_eur: r.return_costs_eur,
          reasons: {
            defect: r.defect,
            not_as_described: r.not_as_described,
            battery: r.battery,
            changed_mind: r.changed_mind,
            other: r.other,
          },
        }),
      ),
      battery: battery.map((r) => ({ ...r, grade: r.grade as Grade })),
      sellers: sellers.map(
        (r): SellerMonth => ({
          month: r.month,
          sellerId: r.seller_id,
          sellerName: r.seller_name,
          premiumDevices: r.premium_devices,
          devicesUnder85: r.devices_under_85,
          share:
            figureOf("premium_battery_breach_share", {
              premium_battery_breaches: r.devices_under_85,
              premium_devices: r.premium_devices,
            }) ?? 0,
          lowestBatteryPct: r.lowest_battery_pct,
        }),
      ),
    };
  });
}

/** The grades page for a URL, or a BadRequest for bad parameters, months without data or unknown countries. */
export async function loadQuality(warehouse: Warehouse, url: URL) {
  const params = parseQualityParams(url.searchParams);
  const dims = await qualityDimensions(warehouse);
  if (dims.state === "empty") return dims;
  const { countries: known, data, premiumSince } = dims.result;
  if (!data) throw new BadRequest("this snapshot holds no completed order yet");
  const codes = known.map((c) => c.country_code);
  const choice: CountryChoice = resolveCountries(params, known);
  const range = resolveMonthRange(params, data);
  const countries = choice.countries ?? [];
  const categories = readCategories(params.category);
  const loaded = await readQuality(warehouse, { range, countries, categories });
  if (loaded.state === "empty") return loaded;
  // The view, once per snapshot and filter set: the marts' rows are cached, the figures over them too.
  const key = JSON.stringify(["quality-view", params, range, countries, categories]);
  const view = await warehouse.derived(loaded.snapshot, key, () =>
    qualityView(loaded.result, { params, range, data, codes, countries, categories, premiumSince }),
  );
  return { state: "ready" as const, snapshot: loaded.snapshot, result: view };
}

/** The three marts' rows for a filter set. */
type QualityRows =
  Awaited<ReturnType<typeof readQuality>> extends infer R
    ? R extends { state: "ready"; result: infer T }
      ? T
      : never
    : never;

/** The measures of a QualityRow (what sumMeasures sums; its texts and reasons aside). */
const ROW_MEASURES = [
  "devices_sold",
  "gmv_eur",
  "commission_eur",
  "returned_items",
  "returns_received",
  "refunds_eur",
  "commission_refunded_eur",
  "return_costs_eur",
] as const;

/**
 * The rows summed by grade × category, months merged: sumMeasures keeps money in 1/10,000 € and counts
 * whole, so a figure summed over these cells is the one summed over their rows, to the unit. A measure
 * no row of a cell holds stays null (not 0): summed again, it is absent as before.
 */
export function gradeCategoryCells(rows: readonly QualityRow[]): QualityRow[] {
  const key = (r: QualityRow) => `${r.grade}|${r.category}`;
  const totals = sumMeasures(rows, key);
  const cells = new Map<string, QualityRow>();
  for (const r of rows) {
    const k = key(r);
    let cell = cells.get(k);
    if (!cell) {
      const m = totals.get(k) as Record<string, number | undefined>;
      cell = {
        month: "",
        grade: r.grade,
        category: r.category,
        ...(Object.fromEntries(ROW_MEASURES.map((f) => [f, m[f] ?? null])) as Record<
          (typeof ROW_MEASURES)[number],
          number
        >),
        reasons: zeroReasons(),
      };
      cells.set(k, cell);
    }
    for (const reason of RETURN_REASONS) cell.reasons[reason] += r.reasons[reason];
  }
  return [...cells.values()];
}

/** The page's figures from the marts' rows for a filter set. */
function qualityView(
  { sales, battery, sellers }: QualityRows,
  scope: {
    params: QualityParams;
    range: MonthRange;
    data: { from: string; to: string };
    codes: string[];
    countries: string[];
    categories: ReturnType<typeof readCategories>;
    premiumSince: string | null;
  },
): QualityView {
  const { params, range, data, codes, countries, categories, premiumSince } = scope;
  // Every figure but the monthly mix sums the sales by grade × category (~30 cells, not a row per month).
  const cells = gradeCategoryCells(sales);
  const byGrade = (g: Grade) => cells.filter((r) => r.grade === g);
  const withSales = QUALITY_CATEGORIES.filter((c) =>
    cells.some((r) => r.category === c && r.devices_sold > 0),
  );
  const rateOf = (rows: QualityRow[]) => {
    const m = sumMeasures(rows, () => "all").get("all");
    return {
      devices: m.devices_sold ?? 0,
      returned: m.returned_items ?? 0,
      rate: figureOf("return_rate", m),
    };
  };
  const distribution = batteryDistribution(battery);
  const premium = distribution.grades.find((g) => g.grade === "premium");
  const under85 = (premium?.bands ?? [])
    .filter((b) => b.band < PREMIUM_BATTERY_MIN)
    .reduce((s, b) => s + b.devices, 0);
  const ranked = worstFirst(sellers);
  const lowest = sellers.reduce<number | null>(
    (min, s) =>
      s.lowestBatteryPct !== null && (min === null || s.lowestBatteryPct < min) ? s.lowestBatteryPct : min,
    null,
  );
  return {
    params,
    range,
    available: {
      months: monthList(data.from.slice(0, 7), data.to.slice(0, 7)),
      countries: codes,
      categories: QUALITY_CATEGORIES,
    },
    countries,
    categories,
    premiumSince,
    mix: gradeMix(sales, monthList(range.from, range.to), premiumSince),
    grades: GRADES.map((grade) => ({ grade, figures: gradeFigures(byGrade(grade)) })),
    total: gradeFigures(cells),
    reasons: {
      byGrade: GRADES.map((grade) => ({ grade, reasons: reasonCounts(byGrade(grade)) })),
      byCategory: QUALITY_CATEGORIES.map((category) => ({
        category,
        reasons: reasonCounts(cells.filter((r) => r.category === category)),
      })).filter((c) => c.reasons.total > 0),
      total: reasonCounts(cells),
    },
    returnRates: withSales.map((category) => {
      const mine = cells.filter((r) => r.category === category);
      return {
        category,
        all: rateOf(mine),
        grades: Object.fromEntries(
          GRADES.map((g) => [g, rateOf(mine.filter((r) => r.grade === g))]),
        ) as Record<Grade, ReturnType<typeof rateOf>>,
      };
    }),
    battery: distribution,
    compliance: {
      premiumWithBattery: premium?.devices ?? 0,
      under85,
      share: figureOf("premium_battery_breach_share", {
        premium_battery_breaches: under85,
        premium_devices: premium?.devices ?? 0,
      }),
      lowestBatteryPct: lowest,
      sellers: new Set(sellers.map((s) => s.sellerId)).size,
      list: ranked.slice(0, COMPLIANCE_LIST_LIMIT),
      listTotal: ranked.length,
      all: ranked,
    },
  };
}

// The page as first opened (the last 12 whole months, every country), computed as soon as a snapshot is
// current: the same view serves both locales (formatting happens in the route).
addWarmer(async (warehouse) => {
  await loadQuality(warehouse, new URL("http://warm.local/quality"));
});

// A new snapshot's marts held in memory are read before it is served (ADR 0030).
addPreparer(async (db, snapshot) => {
  for (const table of ["mart_quality_months", "mart_battery_months", "mart_premium_seller_months"])
    await residentMart(db, snapshot, table);
});
addPreparer(async (db, snapshot) => {
  for (const mart of OVER_COUNTRIES) await residentMart(db, snapshot, mart.name, mart.relation);
});

// The grades page's sections: each table (and each chart's figures) as one SectionTable, built from the
// page's view. The page shows these tables and the download route writes them, so they cannot disagree.

import type { Locale } from "~/i18n/locales";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { QUALITY_MESSAGES } from "~/i18n/quality";
import { monthEnd } from "~/lib/grammar";
import { CATALOGUE } from "~/metrics/catalogue";
import { BATTERY_BAND_WIDTH, GRADES, RETURN_REASONS } from "~/metrics/quality";
import type { QUALITY_SECTIONS } from "~/sections/quality";
import { col, type SectionTable } from "~/sections/table";
import type { GradeFigures, QualityView, ReasonCounts } from "../quality.server";

export type QualitySectionId = (typeof QUALITY_SECTIONS)[number];

const GRADE_FIGURES: [keyof GradeFigures, keyof typeof CATALOGUE][] = [
  ["devicesSold", "devices_sold"],
  ["gmvEur", "gmv_eur"],
  ["averagePriceEur", "average_price_eur"],
  ["netRevenueEur", "net_revenue_eur"],
  ["takeRate", "take_rate"],
  ["returnedItems", "returned_items"],
  ["returnRate", "return_rate"],
  ["returnsReceived", "returns_received"],
  ["refundsEur", "refunds_eur"],
  ["commissionRefundedEur", "commission_refunded_eur"],
  ["returnCostsEur", "return_costs_eur"],
  ["marketplaceCostEur", "marketplace_return_cost_eur"],
  ["marketplaceCostPerDeviceEur", "return_cost_per_device"],
];

/** Every section of the grades page, from its view. */
export function qualityTables(view: QualityView, locale: Locale): Record<QualitySectionId, SectionTable> {
  const t = QUALITY_MESSAGES[locale];
  const names: Record<string, string> = {
    ...OVERVIEW_MESSAGES[locale].codes,
    all: t.allGrades,
    total: t.total,
  };
  const range = { from: `${view.range.from}-01`, to: monthEnd(view.range.to) };
  const table = (columns: SectionTable["columns"], rows: SectionTable["rows"]): SectionTable => ({
    columns,
    rows,
    range,
    currency: "EUR",
  });
  const reasonColumns = RETURN_REASONS.flatMap((r) => [
    col.count(`returns_${r}`, t.reasons[r]),
    col.share(`returns_${r}_share`, `${t.reasons[r]} (%)`),
  ]);
  const reasonCells = (r: ReasonCounts) => [
    ...RETURN_REASONS.flatMap((reason) => [r.counts[reason], r.shares[reason]]),
    r.total,
  ];
  return {
    "quality-grade-mix": table(
      [
        col.month("month", t.month),
        col.count("devices_sold", t.devicesSold),
        ...GRADES.flatMap((g) => [
          col.share(`${g}_share`, `${names[g]} (%)`),
          col.count(`${g}_devices`, names[g] ?? g),
        ]),
      ],
      view.mix.map((m) => [
        `${m.month}-01`,
        m.devicesSold,
        ...GRADES.flatMap((g) => [m.grades[g]?.share ?? null, m.grades[g]?.devices ?? null]),
      ]),
    ),
    "quality-grades": table(
      [
        col.code("grade", t.grade, names),
        ...GRADE_FIGURES.map(([, id]) => col.metric(CATALOGUE[id], locale)),
      ],
      [...view.grades, { grade: "all", figures: view.total }].map((g) => [
        g.grade,
        ...GRADE_FIGURES.map(([key]) => g.figures[key]),
      ]),
    ),
    "quality-return-reasons": table(
      [
        col.code("by", t.reasonsTitle, { grade: t.grade, category: t.category, total: t.total }),
        col.code("value", `${t.grade} / ${t.category}`, names),
        ...reasonColumns,
        col.count("returns_received", t.total),
      ],
      [
        ...view.reasons.byGrade.map((g) => ["grade", g.grade, ...reasonCells(g.reasons)]),
        ...view.reasons.byCategory.map((c) => ["category", c.category, ...reasonCells(c.reasons)]),
        ["total", "total", ...reasonCells(view.reasons.total)],
      ],
    ),
    "quality-return-rates": table(
      [
        col.code("category", t.category, names),
        ...GRADES.map((g) => col.metric(CATALOGUE.return_rate, locale, `${g}_return_rate`, names[g])),
        col.metric(CATALOGUE.return_rate, locale, "return_rate", t.allGrades),
      ],
      view.returnRates.map((r) => [r.category, ...GRADES.map((g) => r.grades[g].rate), r.all.rate]),
    ),
    "quality-battery": table(
      [
        col.code("battery_band", t.batteryAxis, bandNames(view.battery.bands, t)),
        ...GRADES.flatMap((g) => [
          col.share(`${g}_share`, `${names[g]} (%)`),
          col.count(`${g}_devices`, names[g] ?? g),
        ]),
      ],
      view.battery.bands.map((band, i) => [
        String(band),
        ...view.battery.grades.flatMap((g) => [g.bands[i]?.share ?? null, g.bands[i]?.devices ?? 0]),
      ]),
    ),
    "quality-premium-sellers": table(
      [
        col.text("seller_name", t.seller),
        col.code("seller_id", "Id"),
        col.month("month", t.month),
        col.count("devices_under_85", t.under85),
        col.count("premium_devices", t.premiumSold),
        col.metric(
          CATALOGUE.premium_battery_breach_share,
          locale,
          "premium_battery_breach_share",
          t.shareOfSeller,
        ),
        col.count("lowest_battery_pct", `${t.lowestBattery} (%)`),
      ],
      view.compliance.all.map((s) => [
        s.sellerName,
        String(s.sellerId),
        `${s.month}-01`,
        s.devicesUnder85,
        s.premiumDevices,
        s.share,
        s.lowestBatteryPct,
      ]),
    ),
  };
}

function bandNames(bands: number[], t: (typeof QUALITY_MESSAGES)[Locale]): Record<string, string> {
  return Object.fromEntries(
    bands.map((b) => [String(b), b >= 100 ? t.newBattery : t.band(b, b + BATTERY_BAND_WIDTH - 1)]),
  );
}

// The grades page's metrics (average price, returns and their cost, the Premium battery promise), each
// defined once from measure sums like the ledger's (../catalogue.ts). Browser-safe.

import { defineMetric } from "../define";
import { ratio, roundMoney } from "../evaluate";

const SALES = ["country", "category", "grade", "channel", "partner"] as const;
const GEO_CATEGORY_GRADE = ["country", "category", "grade"] as const;

export const QUALITY_METRICS = {
  average_price_eur: defineMetric({
    id: "average_price_eur",
    unit: "eur_unit",
    measures: ["gmv_eur", "devices_sold"],
    derive: (m) => ratio(m.gmv_eur, m.devices_sold),
    dimensions: SALES,
    better: "up",
    label: { "en-GB": "Average price", "fr-FR": "Prix moyen" },
    description: { "en-GB": "GMV ÷ devices sold.", "fr-FR": "Volume d’affaires ÷ appareils vendus." },
  }),
  refunds_eur: defineMetric({
    id: "refunds_eur",
    unit: "eur",
    measures: ["refunds_eur"],
    derive: (m) => m.refunds_eur,
    dimensions: GEO_CATEGORY_GRADE,
    better: "down",
    label: { "en-GB": "Refunds to buyers", "fr-FR": "Remboursements aux acheteurs" },
    description: {
      "en-GB": "What buyers were refunded on returns received in the period (return date).",
      "fr-FR": "Ce qui a été remboursé aux acheteurs sur les retours reçus dans la période (date de retour).",
    },
  }),
  returns_received: defineMetric({
    id: "returns_received",
    unit: "count",
    measures: ["returns_received"],
    derive: (m) => m.returns_received,
    dimensions: GEO_CATEGORY_GRADE,
    better: "down",
    label: { "en-GB": "Returns received", "fr-FR": "Retours reçus" },
    description: {
      "en-GB": "Returns received in the period, on their own date.",
      "fr-FR": "Retours reçus dans la période, à leur propre date.",
    },
  }),
  returned_items: defineMetric({
    id: "returned_items",
    unit: "count",
    measures: ["returned_items"],
    derive: (m) => m.returned_items,
    dimensions: SALES,
    better: "down",
    label: { "en-GB": "Returned items", "fr-FR": "Articles retournés" },
    description: {
      "en-GB": "Items of the period's sales that came back, whenever they did (order cohort).",
      "fr-FR": "Articles vendus dans la période et retournés, quelle que soit la date du retour (cohorte).",
    },
  }),
  commission_refunded_eur: defineMetric({
    id: "commission_refunded_eur",
    unit: "eur",
    measures: ["commission_refunded_eur"],
    derive: (m) => m.commission_refunded_eur,
    dimensions: SALES,
    better: "down",
    label: { "en-GB": "Commission refunded", "fr-FR": "Commission remboursée" },
    description: {
      "en-GB": "Commission given back on returns received in the period (return date).",
      "fr-FR": "Commission rendue sur les retours reçus dans la période (date de retour).",
    },
  }),
  return_costs_eur: defineMetric({
    id: "return_costs_eur",
    unit: "eur",
    measures: ["return_costs_eur"],
    derive: (m) => m.return_costs_eur,
    dimensions: SALES,
    better: "down",
    label: { "en-GB": "Return costs borne", "fr-FR": "Coûts de retour supportés" },
    description: {
      "en-GB": "Return costs borne by the marketplace on returns received in the period (return date).",
      "fr-FR": "Coûts de retour à la charge de la place de marché sur les retours reçus (date de retour).",
    },
  }),
  marketplace_return_cost_eur: defineMetric({
    id: "marketplace_return_cost_eur",
    unit: "eur",
    measures: ["commission_refunded_eur", "return_costs_eur"],
    derive: (m) => roundMoney(m.commission_refunded_eur + m.return_costs_eur),
    dimensions: SALES,
    better: "down",
    label: { "en-GB": "Cost of returns", "fr-FR": "Coût des retours" },
    description: {
      "en-GB": "What returns received cost the marketplace itself: commission refunded + return costs borne.",
      "fr-FR":
        "Ce que les retours reçus coûtent à la place de marché : commission remboursée + coûts de retour supportés.",
    },
  }),
  return_cost_per_device: defineMetric({
    id: "return_cost_per_device",
    unit: "eur_unit",
    measures: ["commission_refunded_eur", "return_costs_eur", "devices_sold"],
    derive: (m) => ratio(roundMoney(m.commission_refunded_eur + m.return_costs_eur), m.devices_sold),
    dimensions: SALES,
    better: "down",
    label: { "en-GB": "Cost of returns per device", "fr-FR": "Coût des retours par appareil" },
    description: {
      "en-GB": "Cost of returns ÷ devices sold in the period.",
      "fr-FR": "Coût des retours ÷ appareils vendus dans la période.",
    },
  }),
  premium_battery_breaches: defineMetric({
    id: "premium_battery_breaches",
    unit: "count",
    measures: ["premium_battery_breaches"],
    derive: (m) => m.premium_battery_breaches,
    dimensions: GEO_CATEGORY_GRADE,
    better: "down",
    label: {
      "en-GB": "Premium devices under 85% battery",
      "fr-FR": "Appareils Premium sous 85 % de batterie",
    },
    description: {
      "en-GB": "Premium devices sold with a battery under 85% of a new one (the Premium promise broken).",
      "fr-FR": "Appareils Premium vendus avec une batterie sous 85 % du neuf (promesse Premium non tenue).",
    },
  }),
  premium_battery_breach_share: defineMetric({
    id: "premium_battery_breach_share",
    unit: "ratio",
    measures: ["premium_battery_breaches", "premium_devices"],
    derive: (m) => ratio(m.premium_battery_breaches, m.premium_devices),
    dimensions: GEO_CATEGORY_GRADE,
    better: "down",
    label: { "en-GB": "Premium under the battery promise", "fr-FR": "Premium sous la promesse batterie" },
    description: {
      "en-GB": "Premium devices sold with a battery under 85% of a new one ÷ Premium devices with a reading.",
      "fr-FR":
        "Appareils Premium vendus avec une batterie sous 85 % du neuf ÷ appareils Premium avec un relevé.",
    },
  }),
} as const;

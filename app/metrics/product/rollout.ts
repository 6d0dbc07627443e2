// The rollout page's metrics (/rollout): countries compared month by month from their launch. Take rate
// and contribution margin % are the catalogue's own (the rollout mart carries their measures); figures
// per 1,000 inhabitants divide by the measure `population` (reference data), known for one country at a
// time. Browser-safe.

import type { Locale } from "~/i18n/locales";
import { defineMetric, type MetricDefinition } from "../define";
import { ratio } from "../evaluate";
import type { MeasureId } from "../measures";

const GEO_ONLY = ["country"] as const;

/** Figures per this many inhabitants. */
export const PER_INHABITANTS = 1000;

/** A count or an amount per 1,000 inhabitants of its country. */
function perThousand<const Id extends string, const M extends MeasureId>(
  id: Id,
  measure: M,
  unit: "rate" | "eur_unit",
  text: Record<Locale, [label: string, description: string]>,
): MetricDefinition<Id> {
  return defineMetric({
    id,
    unit,
    measures: [measure, "population"] as readonly (M | "population")[],
    derive: (m) => ratio((m as Record<M, number>)[measure] * PER_INHABITANTS, m.population),
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": text["en-GB"][0], "fr-FR": text["fr-FR"][0] },
    description: { "en-GB": text["en-GB"][1], "fr-FR": text["fr-FR"][1] },
  });
}

export const ROLLOUT_CATALOGUE = {
  returning_customers: defineMetric({
    id: "returning_customers",
    unit: "count",
    measures: ["returning_customers"],
    derive: (m) => m.returning_customers,
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Returning customers", "fr-FR": "Clients revenus" },
    description: {
      "en-GB": "Active customers of the month who had bought in an earlier month.",
      "fr-FR": "Clients actifs du mois qui avaient déjà acheté un mois précédent.",
    },
  }),
  repeat_purchase_rate: defineMetric({
    id: "repeat_purchase_rate",
    unit: "ratio",
    measures: ["returning_customers", "active_customers"],
    derive: (m) => ratio(m.returning_customers, m.active_customers),
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Repeat-purchase rate", "fr-FR": "Taux de réachat" },
    description: {
      "en-GB": "Returning customers ÷ active customers of the month.",
      "fr-FR": "Clients revenus ÷ clients actifs du mois.",
    },
  }),
  app_devices: defineMetric({
    id: "app_devices",
    unit: "count",
    measures: ["app_devices"],
    derive: (m) => m.app_devices,
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Devices ordered in the app", "fr-FR": "Appareils commandés dans l’application" },
    description: {
      "en-GB": "Completed items ordered in the app.",
      "fr-FR": "Articles finalisés commandés dans l’application.",
    },
  }),
  app_share_of_devices: defineMetric({
    id: "app_share_of_devices",
    unit: "ratio",
    measures: ["app_devices", "devices_sold"],
    derive: (m) => ratio(m.app_devices, m.devices_sold),
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "App share of devices sold", "fr-FR": "Part de l’application dans les ventes" },
    description: {
      "en-GB": "Devices ordered in the app ÷ devices sold.",
      "fr-FR": "Appareils commandés dans l’application ÷ appareils vendus.",
    },
  }),
  devices_sold_per_1k_inhabitants: perThousand("devices_sold_per_1k_inhabitants", "devices_sold", "rate", {
    "en-GB": ["Devices sold per 1,000 inhabitants", "Devices sold ÷ population × 1,000."],
    "fr-FR": ["Appareils vendus pour 1 000 habitants", "Appareils vendus ÷ population × 1 000."],
  }),
  gmv_per_1k_inhabitants: perThousand("gmv_per_1k_inhabitants", "gmv_eur", "eur_unit", {
    "en-GB": ["GMV per 1,000 inhabitants", "GMV ÷ population × 1,000."],
    "fr-FR": ["Volume d’affaires pour 1 000 habitants", "Volume d’affaires ÷ population × 1 000."],
  }),
  active_customers_per_1k_inhabitants: perThousand(
    "active_customers_per_1k_inhabitants",
    "active_customers",
    "rate",
    {
      "en-GB": ["Active customers per 1,000 inhabitants", "Active customers ÷ population × 1,000."],
      "fr-FR": ["Clients actifs pour 1 000 habitants", "Clients actifs ÷ population × 1 000."],
    },
  ),
  cumulative_customers_per_1k_inhabitants: perThousand(
    "cumulative_customers_per_1k_inhabitants",
    "cumulative_customers",
    "rate",
    {
      "en-GB": ["Cumulative customers per 1,000 inhabitants", "Cumulative customers ÷ population × 1,000."],
      "fr-FR": ["Clients cumulés pour 1 000 habitants", "Clients cumulés ÷ population × 1 000."],
    },
  ),
} as const;

// The headline metrics the browser may see: one label, definition and format per metric, used everywhere.

import type { Locale } from "~/i18n/locales";

export type MetricFormat = "count" | "eur_whole";

export type HeadlineMetricId = "customers" | "devices_sold" | "gmv_eur";

export interface HeadlineMetric {
  id: HeadlineMetricId;
  format: MetricFormat;
  label: Record<Locale, string>;
  definition: Record<Locale, string>;
}

export const HEADLINE_METRICS: readonly HeadlineMetric[] = [
  {
    id: "customers",
    format: "count",
    label: { "en-GB": "Customers", "fr-FR": "Clients" },
    definition: {
      "en-GB": "Distinct customers who bought at least once: one completed item or more.",
      "fr-FR": "Clients distincts ayant acheté au moins une fois : un article finalisé ou plus.",
    },
  },
  {
    id: "devices_sold",
    format: "count",
    label: { "en-GB": "Devices sold", "fr-FR": "Appareils vendus" },
    definition: {
      "en-GB": "Order items with status completed, counted on the day they were ordered.",
      "fr-FR": "Articles de commande au statut finalisé, comptés au jour de la commande.",
    },
  },
  {
    id: "gmv_eur",
    format: "eur_whole",
    label: { "en-GB": "GMV (EUR)", "fr-FR": "Volume d’affaires (EUR)" },
    definition: {
      "en-GB": "Sum of the prices of completed items, converted to EUR at the rate of the order date.",
      "fr-FR": "Somme des prix des articles finalisés, convertis en EUR au taux du jour de la commande.",
    },
  },
];

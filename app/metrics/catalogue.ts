// The metric layer's definitions: every metric of the glossary once — id (also its CSV column),
// labels and descriptions in each locale, unit, how it aggregates, and which filters it honours.
// Browser-safe (no server imports). The values are computed by ~/.server/metrics/query.server.ts,
// which reads these definitions; pages, charts and exports only ever ask for metric ids.

import type { Locale } from "~/i18n/locales";

export const METRIC_IDS = [
  "cumulative_customers",
  "active_customers",
  "new_customers",
  "devices_sold",
  "gmv_eur",
  "net_revenue_eur",
  "take_rate",
  "variable_costs_eur",
  "marketing_eur",
  "contribution_margin_eur",
  "opex_eur",
  "ebitda_eur",
  "return_rate",
  "contribution_margin_pct",
  "ebitda_margin_pct",
  "net_revenue_per_device",
  "variable_costs_per_device",
  "marketing_per_device",
  "contribution_per_device",
  "new_customers_per_1k_marketing",
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

/** The dimensions a filter can restrict. Every metric honours dates and geography. */
export type Dimension = "country" | "category" | "grade" | "channel" | "partner";

/** eur: amounts (whole euros shown); eur_unit: euros per device (cents shown); rate: a plain number. */
export type Unit = "eur" | "eur_unit" | "count" | "ratio" | "rate";

/** The sums the warehouse returns, from which additive metrics and ratios are made. */
export type Measure =
  | "devices_sold"
  | "gmv_eur"
  | "net_revenue_eur"
  | "returned_items"
  | "contribution_margin_eur"
  | "ebitda_eur"
  | "variable_costs_eur"
  | "marketing_eur"
  | "new_customers";

export type Aggregation =
  /** Sums over any period and any set of rows. */
  | { kind: "additive" }
  /** A ratio of two additive metrics' sums, never an average of ratios. */
  | { kind: "ratio"; numerator: Measure; denominator: Measure }
  /** Distinct customers in the period: never the sum of its parts. */
  | { kind: "distinct" }
  /** Distinct customers from the first day of data to the end of the period. */
  | { kind: "cumulative" };

export interface MetricDefinition {
  id: MetricId;
  unit: Unit;
  aggregation: Aggregation;
  /** Filters this metric can honour; with any other filter set it has no value (shown as unavailable). */
  dimensions: readonly Dimension[];
  /** Whether a rise is good news (colours and arrows of changes). */
  better: "up" | "down";
  label: Record<Locale, string>;
  description: Record<Locale, string>;
}

const SALES_DIMENSIONS: readonly Dimension[] = ["country", "category", "grade", "channel", "partner"];
const GEO_ONLY: readonly Dimension[] = ["country"];

/** A unit-economics metric: an amount's sum divided by the devices sold. */
function perDevice(
  numerator: Measure,
  dimensions: readonly Dimension[],
  better: "up" | "down",
  text: Record<Locale, [label: string, description: string]>,
): MetricDefinition {
  return {
    id: `${numerator.replace(/_eur$/, "").replace("contribution_margin", "contribution")}_per_device` as MetricId,
    unit: "eur_unit",
    aggregation: { kind: "ratio", numerator, denominator: "devices_sold" },
    dimensions,
    better,
    label: { "en-GB": text["en-GB"][0], "fr-FR": text["fr-FR"][0] },
    description: { "en-GB": text["en-GB"][1], "fr-FR": text["fr-FR"][1] },
  };
}

export const METRICS: Record<MetricId, MetricDefinition> = {
  cumulative_customers: {
    id: "cumulative_customers",
    unit: "count",
    aggregation: { kind: "cumulative" },
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Cumulative customers", "fr-FR": "Clients cumulés" },
    description: {
      "en-GB": "Distinct customers with at least one completed item up to the end of the period.",
      "fr-FR": "Clients distincts ayant au moins un article finalisé jusqu’à la fin de la période.",
    },
  },
  active_customers: {
    id: "active_customers",
    unit: "count",
    aggregation: { kind: "distinct" },
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Active customers", "fr-FR": "Clients actifs" },
    description: {
      "en-GB": "Distinct customers with at least one completed item in the period.",
      "fr-FR": "Clients distincts ayant au moins un article finalisé sur la période.",
    },
  },
  new_customers: {
    id: "new_customers",
    unit: "count",
    aggregation: { kind: "additive" },
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "New customers", "fr-FR": "Nouveaux clients" },
    description: {
      "en-GB": "Customers whose first completed item falls in the period.",
      "fr-FR": "Clients dont le premier article finalisé tombe dans la période.",
    },
  },
  devices_sold: {
    id: "devices_sold",
    unit: "count",
    aggregation: { kind: "additive" },
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "Devices sold", "fr-FR": "Appareils vendus" },
    description: {
      "en-GB": "Order items completed, counted on the reporting date of the order.",
      "fr-FR": "Articles de commande finalisés, comptés à la date de la commande.",
    },
  },
  gmv_eur: {
    id: "gmv_eur",
    unit: "eur",
    aggregation: { kind: "additive" },
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "GMV", "fr-FR": "Volume d’affaires (GMV)" },
    description: {
      "en-GB": "Price of completed items, converted to EUR at the rate of the order date.",
      "fr-FR": "Prix des articles finalisés, convertis en euros au taux du jour de la commande.",
    },
  },
  net_revenue_eur: {
    id: "net_revenue_eur",
    unit: "eur",
    aggregation: { kind: "additive" },
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "Net revenue", "fr-FR": "Revenu net" },
    description: {
      "en-GB":
        "Commission on completed items (order date) less commission refunded on returns (return date).",
      "fr-FR":
        "Commission des articles finalisés (date de commande) moins la commission remboursée sur les retours (date de retour).",
    },
  },
  take_rate: {
    id: "take_rate",
    unit: "ratio",
    aggregation: { kind: "ratio", numerator: "net_revenue_eur", denominator: "gmv_eur" },
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "Take rate", "fr-FR": "Taux de commission" },
    description: {
      "en-GB": "Net revenue ÷ GMV.",
      "fr-FR": "Revenu net ÷ volume d’affaires.",
    },
  },
  variable_costs_eur: {
    id: "variable_costs_eur",
    unit: "eur",
    aggregation: { kind: "additive" },
    dimensions: SALES_DIMENSIONS,
    better: "down",
    label: { "en-GB": "Variable costs", "fr-FR": "Coûts variables" },
    description: {
      "en-GB": "Payment fees (order date) and return costs borne by the marketplace (return date).",
      "fr-FR":
        "Frais de paiement (date de commande) et coûts de retour à la charge de la place de marché (date de retour).",
    },
  },
  marketing_eur: {
    id: "marketing_eur",
    unit: "eur",
    aggregation: { kind: "additive" },
    dimensions: GEO_ONLY,
    better: "down",
    label: { "en-GB": "Marketing", "fr-FR": "Marketing" },
    description: {
      "en-GB": "Marketing spend; a month's spend is spread evenly over its days.",
      "fr-FR": "Dépenses marketing ; celles d’un mois sont réparties également sur ses jours.",
    },
  },
  contribution_margin_eur: {
    id: "contribution_margin_eur",
    unit: "eur",
    aggregation: { kind: "additive" },
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Contribution margin", "fr-FR": "Marge de contribution" },
    description: {
      "en-GB": "Net revenue − variable costs − marketing.",
      "fr-FR": "Revenu net − coûts variables − marketing.",
    },
  },
  opex_eur: {
    id: "opex_eur",
    unit: "eur",
    aggregation: { kind: "additive" },
    dimensions: GEO_ONLY,
    better: "down",
    label: { "en-GB": "Operating costs", "fr-FR": "Coûts d’exploitation" },
    description: {
      "en-GB": "People and overheads; a month's costs are spread evenly over its days.",
      "fr-FR": "Personnel et frais généraux ; ceux d’un mois sont répartis également sur ses jours.",
    },
  },
  ebitda_eur: {
    id: "ebitda_eur",
    unit: "eur",
    aggregation: { kind: "additive" },
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "EBITDA", "fr-FR": "EBITDA" },
    description: {
      "en-GB": "Contribution margin − operating costs.",
      "fr-FR": "Marge de contribution − coûts d’exploitation.",
    },
  },
  return_rate: {
    id: "return_rate",
    unit: "ratio",
    aggregation: { kind: "ratio", numerator: "returned_items", denominator: "devices_sold" },
    dimensions: SALES_DIMENSIONS,
    better: "down",
    label: { "en-GB": "Return rate", "fr-FR": "Taux de retour" },
    description: {
      "en-GB": "Items returned ÷ devices sold, by order cohort (returns count against the order's date).",
      "fr-FR": "Articles retournés ÷ appareils vendus, par cohorte de commande (à la date de la commande).",
    },
  },
  contribution_margin_pct: {
    id: "contribution_margin_pct",
    unit: "ratio",
    aggregation: { kind: "ratio", numerator: "contribution_margin_eur", denominator: "net_revenue_eur" },
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Contribution margin %", "fr-FR": "Marge de contribution (%)" },
    description: {
      "en-GB": "Contribution margin ÷ net revenue.",
      "fr-FR": "Marge de contribution ÷ revenu net.",
    },
  },
  ebitda_margin_pct: {
    id: "ebitda_margin_pct",
    unit: "ratio",
    aggregation: { kind: "ratio", numerator: "ebitda_eur", denominator: "net_revenue_eur" },
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "EBITDA margin %", "fr-FR": "Marge d’EBITDA (%)" },
    description: {
      "en-GB": "EBITDA ÷ net revenue.",
      "fr-FR": "EBITDA ÷ revenu net.",
    },
  },
  net_revenue_per_device: perDevice("net_revenue_eur", SALES_DIMENSIONS, "up", {
    "en-GB": ["Net revenue per device", "Net revenue ÷ devices sold."],
    "fr-FR": ["Revenu net par appareil", "Revenu net ÷ appareils vendus."],
  }),
  variable_costs_per_device: perDevice("variable_costs_eur", SALES_DIMENSIONS, "down", {
    "en-GB": ["Variable costs per device", "Variable costs ÷ devices sold."],
    "fr-FR": ["Coûts variables par appareil", "Coûts variables ÷ appareils vendus."],
  }),
  marketing_per_device: perDevice("marketing_eur", GEO_ONLY, "down", {
    "en-GB": ["Marketing per device", "Marketing ÷ devices sold."],
    "fr-FR": ["Marketing par appareil", "Marketing ÷ appareils vendus."],
  }),
  contribution_per_device: perDevice("contribution_margin_eur", GEO_ONLY, "up", {
    "en-GB": ["Contribution per device", "Contribution margin ÷ devices sold."],
    "fr-FR": ["Contribution par appareil", "Marge de contribution ÷ appareils vendus."],
  }),
  new_customers_per_1k_marketing: {
    id: "new_customers_per_1k_marketing",
    unit: "rate",
    aggregation: { kind: "ratio", numerator: "new_customers", denominator: "marketing_eur" },
    dimensions: GEO_ONLY,
    better: "up",
    label: {
      "en-GB": "New customers per €1k of marketing",
      "fr-FR": "Nouveaux clients pour 1 000 € de marketing",
    },
    description: {
      "en-GB": "New customers ÷ marketing spend × 1,000.",
      "fr-FR": "Nouveaux clients ÷ dépenses marketing × 1 000.",
    },
  },
};

/** The metrics of the overview's cards, in reading order. */
export const OVERVIEW_METRICS = [
  "cumulative_customers",
  "active_customers",
  "new_customers",
  "devices_sold",
  "gmv_eur",
  "net_revenue_eur",
  "take_rate",
  "contribution_margin_eur",
  "ebitda_eur",
] as const satisfies readonly MetricId[];

/** Unit economics: per device sold, and marketing's yield in new customers. */
export const UNIT_METRICS = [
  "devices_sold",
  "net_revenue_per_device",
  "variable_costs_per_device",
  "marketing_per_device",
  "contribution_per_device",
  "new_customers_per_1k_marketing",
] as const satisfies readonly MetricId[];

/** The margins table of the regions page, in reading order. */
export const REGION_METRICS = [
  "gmv_eur",
  "net_revenue_eur",
  "take_rate",
  "contribution_margin_eur",
  "contribution_margin_pct",
  "ebitda_eur",
  "ebitda_margin_pct",
] as const satisfies readonly MetricId[];

export function isMetricId(value: string): value is MetricId {
  return (METRIC_IDS as readonly string[]).includes(value);
}

/** Whether a metric can honour the filters set (dimensions restricted). */
export function metricAvailable(metric: MetricId, restricted: readonly Dimension[]): boolean {
  const dims = METRICS[metric].dimensions;
  return restricted.every((d) => dims.includes(d));
}

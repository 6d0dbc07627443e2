// The metric layer's definitions: every metric of the glossary once — id (also its CSV column),
// labels and descriptions in each locale, unit, how it aggregates, and which filters it honours.
// Browser-safe (no server imports). The values are computed by ~/.server/metrics/query.server.ts,
// which reads these definitions; pages, charts and exports only ever ask for metric ids.

import type { Locale } from "~/i18n/locales";
import type { MeasureId } from "./measures";

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
  "own_opex_eur",
  "central_costs_eur",
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

import {
  type Dimension,
  defineMetric,
  emptyValue,
  type MetricDefinition,
  metricValue,
  type Unit,
} from "./define";
import { per, ratio, roundMoney } from "./evaluate";
import { NET, net, type Sums, VARIABLE, variable } from "./glossary-money";
import type { MeasureSums } from "./measures";
import { PRODUCT_METRICS, type ProductMetricId } from "./product/index";

export type { Dimension, MetricDefinition, Unit };

const SALES_DIMENSIONS: readonly Dimension[] = ["country", "category", "grade", "channel", "partner"];
const GEO_ONLY: readonly Dimension[] = ["country"];

// The glossary's money (./glossary-money): each later definition builds on net and variable.
const CONTRIBUTION = [...NET, ...VARIABLE, "marketing_eur"] as const;
const EBITDA = [...CONTRIBUTION, "opex_eur"] as const;
const contribution = (m: Sums<(typeof CONTRIBUTION)[number]>) =>
  roundMoney(net(m) - variable(m) - m.marketing_eur);
const ebitda = (m: Sums<(typeof EBITDA)[number]>) => roundMoney(contribution(m) - m.opex_eur);

/** A unit-economics metric: an amount divided by the devices sold. */
function perDevice<const Id extends string, const M extends MeasureId>(
  id: Id,
  measures: readonly M[],
  amount: (m: Sums<M>) => number,
  dimensions: readonly Dimension[],
  better: "up" | "down",
  text: Record<Locale, [label: string, description: string]>,
): MetricDefinition<Id> {
  return defineMetric({
    id,
    unit: "eur_unit",
    measures: [...measures, "devices_sold"] as readonly (M | "devices_sold")[],
    derive: (m) => ratio(amount(m as Sums<M>), m.devices_sold),
    dimensions,
    better,
    label: { "en-GB": text["en-GB"][0], "fr-FR": text["fr-FR"][0] },
    description: { "en-GB": text["en-GB"][1], "fr-FR": text["fr-FR"][1] },
  });
}

export const METRICS: { [Id in MetricId]: MetricDefinition<Id> } = {
  cumulative_customers: defineMetric({
    id: "cumulative_customers",
    unit: "count",
    measures: ["cumulative_customers"],
    derive: (m) => m.cumulative_customers,
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Cumulative customers", "fr-FR": "Clients cumulés" },
    description: {
      "en-GB": "Distinct customers with at least one completed item up to the end of the period.",
      "fr-FR": "Clients distincts ayant au moins un article finalisé jusqu’à la fin de la période.",
    },
  }),
  active_customers: defineMetric({
    id: "active_customers",
    unit: "count",
    measures: ["active_customers"],
    derive: (m) => m.active_customers,
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Active customers", "fr-FR": "Clients actifs" },
    description: {
      "en-GB": "Distinct customers with at least one completed item in the period.",
      "fr-FR": "Clients distincts ayant au moins un article finalisé sur la période.",
    },
  }),
  new_customers: defineMetric({
    id: "new_customers",
    unit: "count",
    measures: ["new_customers"],
    derive: (m) => m.new_customers,
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "New customers", "fr-FR": "Nouveaux clients" },
    description: {
      "en-GB": "Customers whose first completed item falls in the period.",
      "fr-FR": "Clients dont le premier article finalisé tombe dans la période.",
    },
  }),
  devices_sold: defineMetric({
    id: "devices_sold",
    unit: "count",
    measures: ["devices_sold"],
    derive: (m) => m.devices_sold,
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "Devices sold", "fr-FR": "Appareils vendus" },
    description: {
      "en-GB": "Order items completed, counted on the reporting date of the order.",
      "fr-FR": "Articles de commande finalisés, comptés à la date de la commande.",
    },
  }),
  gmv_eur: defineMetric({
    id: "gmv_eur",
    unit: "eur",
    measures: ["gmv_eur"],
    derive: (m) => m.gmv_eur,
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "GMV", "fr-FR": "Volume d’affaires (GMV)" },
    description: {
      "en-GB": "Price of completed items, converted to EUR at the rate of the order date.",
      "fr-FR": "Prix des articles finalisés, convertis en euros au taux du jour de la commande.",
    },
  }),
  net_revenue_eur: defineMetric({
    id: "net_revenue_eur",
    unit: "eur",
    measures: NET,
    derive: net,
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "Net revenue", "fr-FR": "Revenu net" },
    description: {
      "en-GB":
        "Commission on completed items (order date) less commission refunded on returns (return date).",
      "fr-FR":
        "Commission des articles finalisés (date de commande) moins la commission remboursée sur les retours (date de retour).",
    },
  }),
  take_rate: defineMetric({
    id: "take_rate",
    unit: "ratio",
    measures: [...NET, "gmv_eur"],
    derive: (m) => ratio(net(m), m.gmv_eur),
    dimensions: SALES_DIMENSIONS,
    better: "up",
    label: { "en-GB": "Take rate", "fr-FR": "Taux de commission" },
    description: {
      "en-GB": "Net revenue ÷ GMV.",
      "fr-FR": "Revenu net ÷ volume d’affaires.",
    },
  }),
  variable_costs_eur: defineMetric({
    id: "variable_costs_eur",
    unit: "eur",
    measures: VARIABLE,
    derive: variable,
    dimensions: SALES_DIMENSIONS,
    better: "down",
    label: { "en-GB": "Variable costs", "fr-FR": "Coûts variables" },
    description: {
      "en-GB": "Payment fees (order date) and return costs borne by the marketplace (return date).",
      "fr-FR":
        "Frais de paiement (date de commande) et coûts de retour à la charge de la place de marché (date de retour).",
    },
  }),
  marketing_eur: defineMetric({
    id: "marketing_eur",
    unit: "eur",
    measures: ["marketing_eur"],
    derive: (m) => m.marketing_eur,
    dimensions: GEO_ONLY,
    better: "down",
    label: { "en-GB": "Marketing", "fr-FR": "Marketing" },
    description: {
      "en-GB": "Marketing spend; a month's spend is spread evenly over its days.",
      "fr-FR": "Dépenses marketing ; celles d’un mois sont réparties également sur ses jours.",
    },
  }),
  contribution_margin_eur: defineMetric({
    id: "contribution_margin_eur",
    unit: "eur",
    measures: CONTRIBUTION,
    derive: contribution,
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Contribution margin", "fr-FR": "Marge de contribution" },
    description: {
      "en-GB": "Net revenue − variable costs − marketing.",
      "fr-FR": "Revenu net − coûts variables − marketing.",
    },
  }),
  opex_eur: defineMetric({
    id: "opex_eur",
    unit: "eur",
    measures: ["opex_eur"],
    derive: (m) => m.opex_eur,
    dimensions: GEO_ONLY,
    better: "down",
    label: { "en-GB": "Operating costs", "fr-FR": "Coûts d’exploitation" },
    description: {
      "en-GB": "People and overheads; a month's costs are spread evenly over its days.",
      "fr-FR": "Personnel et frais généraux ; ceux d’un mois sont répartis également sur ses jours.",
    },
  }),
  own_opex_eur: defineMetric({
    id: "own_opex_eur",
    unit: "eur",
    measures: ["opex_eur", "central_costs_eur"],
    derive: (m) => roundMoney(m.opex_eur - m.central_costs_eur),
    dimensions: GEO_ONLY,
    better: "down",
    label: { "en-GB": "Own operating costs", "fr-FR": "Coûts d’exploitation propres" },
    description: {
      "en-GB": "Operating costs of the country's own teams: operating costs − central costs.",
      "fr-FR": "Coûts d’exploitation des équipes du pays : coûts d’exploitation − coûts centraux.",
    },
  }),
  central_costs_eur: defineMetric({
    id: "central_costs_eur",
    unit: "eur",
    measures: ["central_costs_eur"],
    derive: (m) => m.central_costs_eur,
    dimensions: GEO_ONLY,
    better: "down",
    label: { "en-GB": "Central costs", "fr-FR": "Coûts centraux" },
    description: {
      "en-GB":
        "Operating costs of the teams that serve every country (the headquarters' tech and general cost centres): where recorded, or each country's share by net revenue when allocated.",
      "fr-FR":
        "Coûts d’exploitation des équipes au service de tous les pays (centres tech et général du siège) : là où ils sont enregistrés, ou la part de chaque pays selon son revenu net s’ils sont répartis.",
    },
  }),
  ebitda_eur: defineMetric({
    id: "ebitda_eur",
    unit: "eur",
    measures: EBITDA,
    derive: ebitda,
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "EBITDA", "fr-FR": "EBITDA" },
    description: {
      "en-GB": "Contribution margin − operating costs.",
      "fr-FR": "Marge de contribution − coûts d’exploitation.",
    },
  }),
  return_rate: defineMetric({
    id: "return_rate",
    unit: "ratio",
    measures: ["returned_items", "devices_sold"],
    derive: (m) => ratio(m.returned_items, m.devices_sold),
    dimensions: SALES_DIMENSIONS,
    better: "down",
    label: { "en-GB": "Return rate", "fr-FR": "Taux de retour" },
    description: {
      "en-GB": "Items returned ÷ devices sold, by order cohort (returns count against the order's date).",
      "fr-FR": "Articles retournés ÷ appareils vendus, par cohorte de commande (à la date de la commande).",
    },
  }),
  contribution_margin_pct: defineMetric({
    id: "contribution_margin_pct",
    unit: "ratio",
    measures: CONTRIBUTION,
    derive: (m) => ratio(contribution(m), net(m)),
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "Contribution margin %", "fr-FR": "Marge de contribution (%)" },
    description: {
      "en-GB": "Contribution margin ÷ net revenue.",
      "fr-FR": "Marge de contribution ÷ revenu net.",
    },
  }),
  ebitda_margin_pct: defineMetric({
    id: "ebitda_margin_pct",
    unit: "ratio",
    measures: EBITDA,
    derive: (m) => ratio(ebitda(m), net(m)),
    dimensions: GEO_ONLY,
    better: "up",
    label: { "en-GB": "EBITDA margin %", "fr-FR": "Marge d’EBITDA (%)" },
    description: {
      "en-GB": "EBITDA ÷ net revenue.",
      "fr-FR": "EBITDA ÷ revenu net.",
    },
  }),
  net_revenue_per_device: perDevice("net_revenue_per_device", NET, net, SALES_DIMENSIONS, "up", {
    "en-GB": ["Net revenue per device", "Net revenue ÷ devices sold."],
    "fr-FR": ["Revenu net par appareil", "Revenu net ÷ appareils vendus."],
  }),
  variable_costs_per_device: perDevice(
    "variable_costs_per_device",
    VARIABLE,
    variable,
    SALES_DIMENSIONS,
    "down",
    {
      "en-GB": ["Variable costs per device", "Variable costs ÷ devices sold."],
      "fr-FR": ["Coûts variables par appareil", "Coûts variables ÷ appareils vendus."],
    },
  ),
  marketing_per_device: perDevice(
    "marketing_per_device",
    ["marketing_eur"],
    (m) => m.marketing_eur,
    GEO_ONLY,
    "down",
    {
      "en-GB": ["Marketing per device", "Marketing ÷ devices sold."],
      "fr-FR": ["Marketing par appareil", "Marketing ÷ appareils vendus."],
    },
  ),
  contribution_per_device: perDevice("contribution_per_device", CONTRIBUTION, contribution, GEO_ONLY, "up", {
    "en-GB": ["Contribution per device", "Contribution margin ÷ devices sold."],
    "fr-FR": ["Contribution par appareil", "Marge de contribution ÷ appareils vendus."],
  }),
  new_customers_per_1k_marketing: defineMetric({
    id: "new_customers_per_1k_marketing",
    unit: "rate",
    measures: ["new_customers", "marketing_eur"],
    derive: (m) => per(m.new_customers, m.marketing_eur, 1000),
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
  }),
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
  "own_opex_eur",
  "central_costs_eur",
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

/** Every metric of the catalogue: the ledger's (above) and the product pages' (./product.ts). */
export const CATALOGUE: { [Id in CatalogueId]: MetricDefinition<Id> } = { ...METRICS, ...PRODUCT_METRICS };
export type CatalogueId = MetricId | ProductMetricId;

export function isCatalogueId(id: string): id is CatalogueId {
  return Object.hasOwn(CATALOGUE, id);
}

/** A metric's value from one group's measure sums: the catalogue's derive, rounded by its unit. */
export function figureOf(id: CatalogueId, sums: MeasureSums): number | null {
  return metricValue(CATALOGUE[id], sums);
}

/** Several metrics' values from one group's sums. */
export function figuresOf<const Ids extends readonly CatalogueId[]>(
  ids: Ids,
  sums: MeasureSums,
): Record<Ids[number], number | null> {
  const out = {} as Record<Ids[number], number | null>;
  for (const id of ids) out[id as Ids[number]] = figureOf(id, sums);
  return out;
}

/** The value of a metric over nothing: 0 for sums and counts, none for ratios and distinct counts. */
export function emptyMetricValue(id: MetricId): number | null {
  return emptyValue(METRICS[id]);
}

/** Whether a metric counts everything up to the end of its period (it carries on through empty periods). */
export function isCumulative(id: MetricId): boolean {
  return METRICS[id].measures.includes("cumulative_customers");
}

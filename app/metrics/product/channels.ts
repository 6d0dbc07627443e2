// The partners and app page's metrics (/channels): a partner's share of its country, contribution before
// marketing (a channel's figure: marketing is not recorded by channel) and customers coming back after a
// first order. Each defined once from measure sums like the ledger's (../catalogue.ts). Browser-safe.
// The page also shows the catalogue's devices_sold, gmv_eur, average_price_eur, net_revenue_eur,
// take_rate and return_rate, by id.

import { defineMetric } from "../define";
import { ratio, roundMoney } from "../evaluate";
import { NET, net, type Sums, VARIABLE, variable } from "../glossary-money";

const SALES = ["country", "category", "grade", "channel", "partner"] as const;
const GEO = ["country"] as const;

// Contribution before marketing: the glossary's net revenue − variable costs (../glossary-money).
const BEFORE_MARKETING = [...NET, ...VARIABLE] as const;
const beforeMarketing = (m: Sums<(typeof BEFORE_MARKETING)[number]>) => roundMoney(net(m) - variable(m));

export const CHANNELS_METRICS = {
  partner_device_share: defineMetric({
    id: "partner_device_share",
    unit: "ratio",
    measures: ["partner_devices", "devices_sold"],
    derive: (m) => ratio(m.partner_devices, m.devices_sold),
    dimensions: GEO,
    better: "up",
    label: { "en-GB": "Partner's share of devices", "fr-FR": "Part du partenaire (appareils)" },
    description: {
      "en-GB": "Devices sold through the partner's offer ÷ devices sold in its country, every channel.",
      "fr-FR": "Appareils vendus via l’offre du partenaire ÷ appareils vendus dans son pays, tous canaux.",
    },
  }),
  partner_gmv_share: defineMetric({
    id: "partner_gmv_share",
    unit: "ratio",
    measures: ["partner_gmv_eur", "gmv_eur"],
    derive: (m) => ratio(m.partner_gmv_eur, m.gmv_eur),
    dimensions: GEO,
    better: "up",
    label: { "en-GB": "Partner's share of GMV", "fr-FR": "Part du partenaire (GMV)" },
    description: {
      "en-GB": "GMV through the partner's offer ÷ GMV in its country, every channel.",
      "fr-FR": "Volume d’affaires via l’offre du partenaire ÷ volume d’affaires de son pays, tous canaux.",
    },
  }),
  partner_devices: defineMetric({
    id: "partner_devices",
    unit: "count",
    measures: ["partner_devices"],
    derive: (m) => m.partner_devices,
    dimensions: GEO,
    better: "up",
    label: { "en-GB": "Devices through the partner", "fr-FR": "Appareils via le partenaire" },
    description: {
      "en-GB": "Completed items sold through the partner's offer (order date).",
      "fr-FR": "Articles finalisés vendus via l’offre du partenaire (date de commande).",
    },
  }),
  partner_gmv_eur: defineMetric({
    id: "partner_gmv_eur",
    unit: "eur",
    measures: ["partner_gmv_eur"],
    derive: (m) => m.partner_gmv_eur,
    dimensions: GEO,
    better: "up",
    label: { "en-GB": "GMV through the partner", "fr-FR": "GMV via le partenaire" },
    description: {
      "en-GB": "Price of the items sold through the partner's offer, in EUR at the order date's rate.",
      "fr-FR": "Prix des articles vendus via l’offre du partenaire, en euros au taux du jour de commande.",
    },
  }),
  contribution_before_marketing_eur: defineMetric({
    id: "contribution_before_marketing_eur",
    unit: "eur",
    measures: BEFORE_MARKETING,
    derive: beforeMarketing,
    dimensions: SALES,
    better: "up",
    label: { "en-GB": "Contribution before marketing", "fr-FR": "Contribution avant marketing" },
    description: {
      "en-GB":
        "Net revenue − payment fees − return costs: a channel's contribution, before marketing (not recorded by channel). Not the contribution margin, which subtracts marketing.",
      "fr-FR":
        "Revenu net − frais de paiement − coûts de retour : la contribution d’un canal, avant marketing (non ventilé par canal). Pas la marge de contribution, qui déduit le marketing.",
    },
  }),
  contribution_before_marketing_pct_gmv: defineMetric({
    id: "contribution_before_marketing_pct_gmv",
    unit: "ratio",
    measures: [...BEFORE_MARKETING, "gmv_eur"],
    derive: (m) => ratio(beforeMarketing(m), m.gmv_eur),
    dimensions: SALES,
    better: "up",
    label: {
      "en-GB": "Contribution before marketing, % of GMV",
      "fr-FR": "Contribution avant marketing, % du GMV",
    },
    description: {
      "en-GB":
        "Contribution before marketing ÷ GMV (the contribution margin % divides by net revenue, after marketing).",
      "fr-FR":
        "Contribution avant marketing ÷ volume d’affaires (la marge de contribution % divise par le revenu net, après marketing).",
    },
  }),
  contribution_before_marketing_per_device: defineMetric({
    id: "contribution_before_marketing_per_device",
    unit: "eur_unit",
    measures: [...BEFORE_MARKETING, "devices_sold"],
    derive: (m) => ratio(beforeMarketing(m), m.devices_sold),
    dimensions: SALES,
    better: "up",
    label: {
      "en-GB": "Contribution before marketing per device",
      "fr-FR": "Contribution avant marketing par appareil",
    },
    description: {
      "en-GB": "Contribution before marketing ÷ devices sold.",
      "fr-FR": "Contribution avant marketing ÷ appareils vendus.",
    },
  }),
  cohort_customers: defineMetric({
    id: "cohort_customers",
    unit: "count",
    measures: ["cohort_customers"],
    derive: (m) => m.cohort_customers,
    dimensions: ["country", "channel", "partner"],
    better: "up",
    label: { "en-GB": "New customers", "fr-FR": "Nouveaux clients" },
    description: {
      "en-GB": "Customers whose first order falls in the period, by the channel of that first order.",
      "fr-FR": "Clients dont la première commande tombe dans la période, selon le canal de cette commande.",
    },
  }),
  repeat_rate_90d: defineMetric({
    id: "repeat_rate_90d",
    unit: "ratio",
    measures: ["cohort_repeaters_90", "cohort_customers_judged_90"],
    derive: (m) => ratio(m.cohort_repeaters_90, m.cohort_customers_judged_90),
    dimensions: ["country", "channel", "partner"],
    better: "up",
    label: { "en-GB": "Bought again within 90 days", "fr-FR": "Rachat sous 90 jours" },
    description: {
      "en-GB":
        "New customers who bought again on a later day within 90 days of their first order ÷ new customers, counting only the first-order months whose last day is 90 days old.",
      "fr-FR":
        "Nouveaux clients ayant racheté un autre jour dans les 90 jours suivant leur première commande ÷ nouveaux clients, sur les seuls mois de première commande dont le dernier jour a 90 jours.",
    },
  }),
  repeat_rate_365d: defineMetric({
    id: "repeat_rate_365d",
    unit: "ratio",
    measures: ["cohort_repeaters_365", "cohort_customers_judged_365"],
    derive: (m) => ratio(m.cohort_repeaters_365, m.cohort_customers_judged_365),
    dimensions: ["country", "channel", "partner"],
    better: "up",
    label: { "en-GB": "Bought again within 365 days", "fr-FR": "Rachat sous 365 jours" },
    description: {
      "en-GB":
        "New customers who bought again on a later day within 365 days of their first order ÷ new customers, counting only the first-order months whose last day is 365 days old.",
      "fr-FR":
        "Nouveaux clients ayant racheté un autre jour dans les 365 jours suivant leur première commande ÷ nouveaux clients, sur les seuls mois de première commande dont le dernier jour a 365 jours.",
    },
  }),
  cohort_customers_judged_90: defineMetric({
    id: "cohort_customers_judged_90",
    unit: "count",
    measures: ["cohort_customers_judged_90"],
    derive: (m) => m.cohort_customers_judged_90,
    dimensions: ["country", "channel", "partner"],
    better: "up",
    label: { "en-GB": "New customers judged at 90 days", "fr-FR": "Nouveaux clients jugés à 90 jours" },
    description: {
      "en-GB": "New customers of the first-order months whose last day is at least 90 days old.",
      "fr-FR": "Nouveaux clients des mois de première commande dont le dernier jour a au moins 90 jours.",
    },
  }),
  cohort_customers_judged_365: defineMetric({
    id: "cohort_customers_judged_365",
    unit: "count",
    measures: ["cohort_customers_judged_365"],
    derive: (m) => m.cohort_customers_judged_365,
    dimensions: ["country", "channel", "partner"],
    better: "up",
    label: { "en-GB": "New customers judged at 365 days", "fr-FR": "Nouveaux clients jugés à 365 jours" },
    description: {
      "en-GB": "New customers of the first-order months whose last day is at least 365 days old.",
      "fr-FR": "Nouveaux clients des mois de première commande dont le dernier jour a au moins 365 jours.",
    },
  }),
} as const;

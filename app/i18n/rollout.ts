// Interface text of the rollout comparison (/rollout), in each locale.

import type { RolloutMetric } from "~/metrics/rollout";
import type { Locale } from "./locales";

export interface RolloutMessages {
  title: string;
  intro: string;
  countries: string;
  countriesHelp: string;
  metric: string;
  axis: string;
  axes: { launch: string; calendar: string };
  apply: string;
  metrics: Record<RolloutMetric, string>;
  chartTitle: (metric: string) => string;
  median: string;
  monthsSinceLaunch: string;
  monthOfAge: (n: number) => string;
  milestonesTitle: string;
  country: string;
  launched: string;
  monthsTo: (devices: string) => string;
  customersAt: (months: number) => string;
  contributionAt: (months: number) => string;
  breakEven: string;
  breakEvenAt: (month: number) => string;
  notYet: string;
  beforeHistory: string;
  footnote: string;
  loading: string;
}

export const ROLLOUT_MESSAGES: Record<Locale, RolloutMessages> = {
  "en-GB": {
    title: "Country rollout",
    intro: "How countries ramp up after launch, side by side at the same age.",
    countries: "Countries",
    countriesHelp: "Choose 2 to 8.",
    metric: "Metric",
    axis: "Time axis",
    axes: { launch: "Months since launch", calendar: "Calendar months" },
    apply: "Apply",
    metrics: {
      devices_sold: "Devices sold",
      gmv_eur: "GMV",
      active_customers: "Active customers",
      cumulative_customers: "Cumulative customers",
      repeat_rate: "Repeat-purchase rate",
      contribution_margin_pct: "Contribution margin %",
      take_rate: "Take rate",
    },
    chartTitle: (metric) => `${metric} by month`,
    median: "Median of all countries",
    monthsSinceLaunch: "Months since launch (1 = the month of launch)",
    monthOfAge: (n) => `Month ${n}`,
    milestonesTitle: "Milestones",
    country: "Country",
    launched: "Launched",
    monthsTo: (devices) => `Months to ${devices} devices`,
    customersAt: (months) => `Customers at month ${months}`,
    contributionAt: (months) => `Contribution margin % at month ${months}`,
    breakEven: "First month with a positive contribution margin",
    breakEvenAt: (month) => `month ${month}`,
    notYet: "not yet",
    beforeHistory: "launched before the data starts",
    footnote:
      "Month 1 is the calendar month of launch. Repeat-purchase rate: the month's active customers who had bought in an earlier month. Break-even here is the first month whose contribution margin (after marketing) is positive.",
    loading: "Loading the comparison…",
  },
  "fr-FR": {
    title: "Déploiement par pays",
    intro: "Comment les pays montent en puissance après leur lancement, comparés au même âge.",
    countries: "Pays",
    countriesHelp: "Choisissez de 2 à 8 pays.",
    metric: "Indicateur",
    axis: "Axe du temps",
    axes: { launch: "Mois depuis le lancement", calendar: "Mois calendaires" },
    apply: "Appliquer",
    metrics: {
      devices_sold: "Appareils vendus",
      gmv_eur: "Volume d’affaires (GMV)",
      active_customers: "Clients actifs",
      cumulative_customers: "Clients cumulés",
      repeat_rate: "Taux de réachat",
      contribution_margin_pct: "Marge de contribution (%)",
      take_rate: "Taux de commission",
    },
    chartTitle: (metric) => `${metric} par mois`,
    median: "Médiane de tous les pays",
    monthsSinceLaunch: "Mois depuis le lancement (1 = le mois du lancement)",
    monthOfAge: (n) => `Mois ${n}`,
    milestonesTitle: "Étapes",
    country: "Pays",
    launched: "Lancement",
    monthsTo: (devices) => `Mois pour atteindre ${devices} appareils`,
    customersAt: (months) => `Clients au mois ${months}`,
    contributionAt: (months) => `Marge de contribution au mois ${months}`,
    breakEven: "Premier mois à marge de contribution positive",
    breakEvenAt: (month) => `mois ${month}`,
    notYet: "pas encore",
    beforeHistory: "lancé avant le début des données",
    footnote:
      "Le mois 1 est le mois calendaire du lancement. Taux de réachat : part des clients actifs du mois qui avaient déjà acheté un mois précédent. L’« équilibre » est ici le premier mois où la marge de contribution (après marketing) est positive.",
    loading: "Chargement de la comparaison…",
  },
};

// Interface text of the rollout comparison (/rollout), in each locale.

import type { RolloutMetric } from "~/metrics/rollout";
import type { Locale } from "./locales";

export interface RolloutMessages {
  title: string;
  intro: string;
  countriesHelp: string;
  metric: string;
  axis: string;
  axes: { launch: string; calendar: string };
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
  basis: string;
  bases: { absolute: string; per_capita: string };
  perCapitaTitle: (metric: string) => string;
  ratioSameBasis: string;
  noPopulation: (countries: string) => string;
  populationNote: (year: number, source: string) => string;
  appMarker: (country: string) => string;
  appTitle: string;
  appIntro: string;
  appAxis: string;
  appMonth: (n: number) => string;
  appLaunch: string;
  appNone: string;
  appTable: string;
  appBefore: string;
  appAfter: string;
  appLaunched: string;
  limit: string;
  tooFew: string;
  leftOut: (month: string, day: string) => string;
  downloadWhat: string;
  /** The sections' captions and other columns (the downloads' headers in the reader's language). */
  sections: {
    lines: string;
    appFigures: string;
    monthly: string;
    month: string;
    monthsSinceLaunch: string;
    appMonths: string;
    population: string;
    monthsToId: (devices: string) => string;
    contributionAtLabel: (months: number) => string;
    breakEvenMonth: string;
    historyFromLaunch: string;
    yesNo: { yes: string; no: string };
  };
}

export const ROLLOUT_MESSAGES: Record<Locale, RolloutMessages> = {
  "en-GB": {
    title: "Country rollout",
    intro: "How countries ramp up after launch, side by side at the same age.",
    countriesHelp:
      "Choose 1 to 8 (one is compared with the median of all). At first, the five most recent launches, on their own scale.",
    metric: "Metric",
    axis: "Time axis",
    axes: { launch: "Months since launch", calendar: "Calendar months" },
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
    basis: "Figures",
    bases: { absolute: "As they are", per_capita: "Per 1,000 inhabitants" },
    perCapitaTitle: (metric) => `${metric} per 1,000 inhabitants, by month`,
    ratioSameBasis: "A ratio is the same per inhabitant: shown as it is.",
    noPopulation: (countries) =>
      `No population on record for ${countries}: left out of the per-inhabitant chart.`,
    populationNote: (year, source) => `Population: ${year} estimates (${source}).`,
    appMarker: (country) => `App · ${country}`,
    appTitle: "App share of devices sold, around each app launch",
    appIntro:
      "Devices ordered in the app as a share of all devices sold, from 12 months before each country's app launch (month 0) to 24 months after.",
    appAxis: "Months from the app's launch (0 = the month of launch)",
    appMonth: (n) =>
      n === 0 ? "Month of the app's launch" : n < 0 ? `${-n} months before` : `${n} months after`,
    appLaunch: "App launch",
    appNone: "None of the chosen countries launched its app within the data.",
    appTable: "App share before and after",
    appBefore: "12 months before",
    appAfter: "12 months after",
    appLaunched: "App launched",
    limit: "8 countries at most: untick one to choose another.",
    tooFew: "Tick at least one country.",
    downloadWhat: "the chosen countries month by month",
    sections: {
      lines: "The chart's figures",
      appFigures: "The app chart's figures",
      monthly: "The chosen countries month by month",
      month: "Month (first day)",
      monthsSinceLaunch: "Months since launch",
      appMonths: "Months from the app's launch",
      population: "Population",
      monthsToId: (devices) => `Months to ${devices} devices`,
      contributionAtLabel: (months) => `Contribution margin % at month ${months}`,
      breakEvenMonth: "Break-even month",
      historyFromLaunch: "History from launch",
      yesNo: { yes: "yes", no: "no" },
    },
    leftOut: (month, day) => `${month} is left out of the lines: its sales so far run to ${day} only.`,
  },
  "fr-FR": {
    title: "Déploiement par pays",
    intro: "Comment les pays montent en puissance après leur lancement, comparés au même âge.",
    countriesHelp:
      "Choisissez de 1 à 8 pays (un seul est comparé à la médiane de tous). D’abord, les cinq lancements les plus récents, à leur propre échelle.",
    metric: "Indicateur",
    axis: "Axe du temps",
    axes: { launch: "Mois depuis le lancement", calendar: "Mois calendaires" },
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
    basis: "Chiffres",
    bases: { absolute: "Tels quels", per_capita: "Pour 1 000 habitants" },
    perCapitaTitle: (metric) => `${metric} pour 1 000 habitants, par mois`,
    ratioSameBasis: "Un ratio est le même par habitant : affiché tel quel.",
    noPopulation: (countries) =>
      `Pas de population connue pour ${countries} : absent du graphique par habitant.`,
    populationNote: (year, source) => `Population : estimations ${year} (${source}).`,
    appMarker: (country) => `Appli · ${country}`,
    appTitle: "Part de l’application dans les appareils vendus, autour de chaque lancement",
    appIntro:
      "Appareils commandés dans l’application, en part de tous les appareils vendus, de 12 mois avant le lancement de l’application dans chaque pays (mois 0) à 24 mois après.",
    appAxis: "Mois depuis le lancement de l’application (0 = le mois du lancement)",
    appMonth: (n) =>
      n === 0 ? "Mois du lancement de l’application" : n < 0 ? `${-n} mois avant` : `${n} mois après`,
    appLaunch: "Lancement de l’appli",
    appNone: "Aucun des pays choisis n’a lancé son application pendant la période des données.",
    appTable: "Part de l’application avant et après",
    appBefore: "12 mois avant",
    appAfter: "12 mois après",
    appLaunched: "Application lancée le",
    limit: "8 pays au plus : décochez-en un pour en choisir un autre.",
    tooFew: "Cochez au moins un pays.",
    downloadWhat: "les pays choisis, mois par mois",
    sections: {
      lines: "Les chiffres du graphique",
      appFigures: "Les chiffres du graphique de l’application",
      monthly: "Les pays choisis, mois par mois",
      month: "Mois (premier jour)",
      monthsSinceLaunch: "Mois depuis le lancement",
      appMonths: "Mois depuis le lancement de l’application",
      population: "Population",
      monthsToId: (devices) => `Mois pour atteindre ${devices} appareils`,
      contributionAtLabel: (months) => `Marge de contribution (%) au mois ${months}`,
      breakEvenMonth: "Mois de l’équilibre",
      historyFromLaunch: "Historique depuis le lancement",
      yesNo: { yes: "oui", no: "non" },
    },
    leftOut: (month, day) =>
      `${month.charAt(0).toUpperCase()}${month.slice(1)} n’est pas tracé : ses ventes ne vont pour l’instant que jusqu’au ${day}.`,
  },
};

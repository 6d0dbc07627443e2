// The overview page's text in each locale (metric labels live in ~/metrics/catalogue).

import type { Comparison, Grain, Preset } from "~/lib/filters";
import type { Locale } from "./locales";

export interface OverviewMessages {
  title: string;
  filters: string;
  period: string;
  presets: Record<Preset, string>;
  custom: string;
  compare: string;
  comparisons: Record<Comparison, string>;
  grain: string;
  grains: Record<Grain, string>;
  region: string;
  category: string;
  grade: string;
  channel: string;
  partner: string;
  all: string;
  reset: string;
  loading: string;
  range: (from: string, to: string) => string;
  versus: (from: string, to: string) => string;
  /** The comparison asked for starts before the first order, so there is none. */
  noComparisonBeforeData: (from: string, to: string, first: string) => string;
  /** After "vs. <dates>" when the comparison starts before the first order. */
  comparisonStartsBeforeData: (first: string) => string;
  kpis: string;
  unavailable: string;
  unavailableWhy: (dims: string) => string;
  trend: string;
  trendMetric: string;
  current: string;
  comparisonLine: string;
  breakdown: string;
  byRegion: string;
  byCountry: string;
  regionCol: string;
  countryCol: string;
  changeCol: (metric: string) => string;
  sortBy: (column: string) => string;
  noData: string;
  noDataWhy: string;
  costsNote: string;
  /** The same for a role that sees marketing but not operating costs. */
  marketingNote: string;
  customersNote: string;
  chartSummary: (metric: string, points: number) => string;
  dataThrough: string;
  /** Under the trend: which periods are partial ("Q1 2025: 1 of 90 days"), drawn dotted. */
  partialNote: (periods: string) => string;
  /** One partial period, in the note and the tooltip. */
  partialPeriod: (days: number, of: number) => string;
  regions: Record<string, string>;
  codes: Record<string, string>;
  ledgerTitle: string;
  pnlLedger: string;
  pnlLedgerHelp: string;
  orderLines: string;
  orderLinesHelp: string;
  currency: string;
  currencyEur: string;
  currencyLocal: (code: string) => string;
  /** The conversion rule, stated wherever amounts are shown for one country. */
  currencyRule: {
    eur: string;
    local: (code: string, country: string) => string;
    refused: Record<"one_country" | "slices", string>;
    /** GMV's definition when shown in a country's own currency. */
    gmvLocal: (code: string) => string;
  };
}

const codesEn: Record<string, string> = {
  smartphone: "Smartphones",
  tablet: "Tablets",
  laptop: "Laptops",
  wearable: "Wearables",
  console: "Consoles",
  audio: "Audio",
  other: "Other",
  premium: "Premium",
  excellent: "Excellent",
  very_good: "Very good",
  good: "Good",
  web: "Web",
  app: "App",
  partner: "Partner",
  bouygues_telecom: "Bouygues Telecom",
  verizon: "Verizon",
};

const codesFr: Record<string, string> = {
  smartphone: "Smartphones",
  tablet: "Tablettes",
  laptop: "Ordinateurs portables",
  wearable: "Objets connectés",
  console: "Consoles",
  audio: "Audio",
  other: "Autres",
  premium: "Premium",
  excellent: "Parfait état",
  very_good: "Très bon état",
  good: "État correct",
  web: "Web",
  app: "Application",
  partner: "Partenaire",
  bouygues_telecom: "Bouygues Telecom",
  verizon: "Verizon",
};

export const OVERVIEW_MESSAGES: Record<Locale, OverviewMessages> = {
  "en-GB": {
    title: "Overview",
    filters: "Filters",
    period: "Period",
    presets: {
      last_30_days: "Last 30 days",
      last_month: "Last whole month",
      this_quarter: "This quarter",
      year_to_date: "Year to date",
      last_12_months: "Last 12 months",
      all_time: "All time",
    },
    custom: "Custom dates",
    compare: "Compare with",
    comparisons: {
      previous_period: "Previous period",
      last_year: "Same period last year",
      none: "No comparison",
    },
    grain: "Grain",
    grains: { day: "Day", week: "Week", month: "Month", quarter: "Quarter", year: "Year" },
    region: "Region",
    category: "Category",
    grade: "Grade",
    channel: "Channel",
    partner: "Partner",
    all: "All",
    reset: "Reset filters",
    loading: "Updating figures…",
    range: (from, to) => `${from} – ${to}`,
    versus: (from, to) => `vs. ${from} – ${to}`,
    noComparisonBeforeData: (from, to, first) =>
      `· No comparison: ${from} – ${to} is before the first order (${first}).`,
    comparisonStartsBeforeData: (first) => `(starts before the first order, ${first}: partly empty)`,
    kpis: "Key figures",
    unavailable: "Not available",
    unavailableWhy: (dims) => `Not split by ${dims}: clear that filter to see it.`,
    trend: "Trend",
    trendMetric: "Metric",
    current: "This period",
    comparisonLine: "Comparison",
    breakdown: "Breakdown",
    byRegion: "By region and country",
    byCountry: "By country",
    regionCol: "Region / country",
    countryCol: "Country",
    changeCol: (metric) => `${metric} change`,
    sortBy: (column) => `Sort by ${column}`,
    noData: "No sales in this selection",
    noDataWhy: "No completed order matches these filters in this period. Widen the period or clear a filter.",
    costsNote:
      "Marketing and operating costs are monthly; a range takes each month's amount in proportion to the days it covers.",
    marketingNote:
      "Marketing costs are monthly; a range takes each month's amount in proportion to the days it covers.",
    customersNote: "Customer counts are exact distinct counts, by the country of the sale.",
    chartSummary: (metric, points) => `${metric}, ${points} periods. The table below gives the figures.`,
    dataThrough: "Orders through",
    partialNote: (periods) =>
      `* Partial periods, drawn dotted with a hollow dot: ${periods}. They cover fewer days than the others (or end where the extract stopped), so they are not a fall.`,
    partialPeriod: (days, of) =>
      `partial: ${days.toLocaleString("en-GB")} of ${of.toLocaleString("en-GB")} days`,
    regions: { europe: "Europe", north_america: "North America", asia_pacific: "Asia-Pacific" },
    ledgerTitle: "Finance downloads",
    pnlLedger: "Monthly P&L by country",
    pnlLedgerHelp:
      "Every metric of the glossary, per month and country, over the whole months of the selected period, in EUR.",
    orderLines: "Order lines",
    orderLinesHelp:
      "Every order item of the selected period and filters, completed or cancelled, with its seller, product and amounts in EUR. Large periods stream for a while; Excel opens at most 1,048,576 rows, so for more use plain CSV with pandas, Polars or DuckDB (or Parquet).",
    currency: "Currency",
    currencyEur: "EUR (€)",
    currencyLocal: (code) => `${code} (local)`,
    currencyRule: {
      eur: "Amounts in EUR: each sale and return converts at the latest rate on or before its reporting date; monthly costs at the rate on or before the month's last day.",
      local: (code, country) =>
        `Amounts in ${code} as recorded (${country}), not converted. The same figures in EUR convert each sale and return at its day's rate and monthly costs at the month-end rate, so EUR and ${code} growth can differ.`,
      refused: {
        one_country: "Local currency needs a single country: amounts are in EUR.",
        slices:
          "Local currency shows country totals only: with a category, grade, channel or partner filter, amounts are in EUR.",
      },
      gmvLocal: (code) => `Price of completed items, in ${code} as recorded (no conversion).`,
    },
    codes: codesEn,
  },
  "fr-FR": {
    title: "Vue d’ensemble",
    filters: "Filtres",
    period: "Période",
    presets: {
      last_30_days: "30 derniers jours",
      last_month: "Dernier mois entier",
      this_quarter: "Ce trimestre",
      year_to_date: "Depuis le début de l’année",
      last_12_months: "12 derniers mois",
      all_time: "Depuis le début",
    },
    custom: "Dates personnalisées",
    compare: "Comparer avec",
    comparisons: {
      previous_period: "Période précédente",
      last_year: "Même période l’an dernier",
      none: "Sans comparaison",
    },
    grain: "Granularité",
    grains: { day: "Jour", week: "Semaine", month: "Mois", quarter: "Trimestre", year: "Année" },
    region: "Région",
    category: "Catégorie",
    grade: "État",
    channel: "Canal",
    partner: "Partenaire",
    all: "Tous",
    reset: "Réinitialiser les filtres",
    loading: "Mise à jour des chiffres…",
    range: (from, to) => `${from} – ${to}`,
    versus: (from, to) => `vs ${from} – ${to}`,
    noComparisonBeforeData: (from, to, first) =>
      `· Pas de comparaison : ${from} – ${to} précède la première commande (${first}).`,
    comparisonStartsBeforeData: (first) =>
      `(commence avant la première commande, le ${first} : en partie vide)`,
    kpis: "Chiffres clés",
    unavailable: "Non disponible",
    unavailableWhy: (dims) => `Non ventilé par ${dims} : retirez ce filtre pour le voir.`,
    trend: "Tendance",
    trendMetric: "Indicateur",
    current: "Cette période",
    comparisonLine: "Comparaison",
    breakdown: "Répartition",
    byRegion: "Par région et par pays",
    byCountry: "Par pays",
    regionCol: "Région / pays",
    countryCol: "Pays",
    changeCol: (metric) => `Évolution ${metric}`,
    sortBy: (column) => `Trier par ${column}`,
    noData: "Aucune vente dans cette sélection",
    noDataWhy:
      "Aucune commande finalisée ne correspond à ces filtres sur cette période. Élargissez la période ou retirez un filtre.",
    costsNote:
      "Les coûts marketing et d’exploitation sont mensuels ; une période prend la part de chaque mois au prorata des jours couverts.",
    marketingNote:
      "Les coûts marketing sont mensuels ; une période prend la part de chaque mois au prorata des jours couverts.",
    customersNote:
      "Les nombres de clients sont des décomptes exacts de clients distincts, par pays de la vente.",
    chartSummary: (metric, points) =>
      `${metric}, ${points} périodes. Le tableau ci-dessous donne les chiffres.`,
    dataThrough: "Commandes jusqu’au",
    partialNote: (periods) =>
      `* Périodes partielles, en pointillé avec un point creux : ${periods}. Elles couvrent moins de jours que les autres (ou s’arrêtent où l’extraction s’est arrêtée) : ce n’est pas une chute.`,
    partialPeriod: (days, of) =>
      `partielle : ${days.toLocaleString("fr-FR")} ${days > 1 ? "jours" : "jour"} sur ${of.toLocaleString("fr-FR")}`,
    regions: { europe: "Europe", north_america: "Amérique du Nord", asia_pacific: "Asie-Pacifique" },
    ledgerTitle: "Téléchargements finance",
    pnlLedger: "Compte de résultat mensuel par pays",
    pnlLedgerHelp:
      "Tous les indicateurs du glossaire, par mois et par pays, sur les mois entiers de la période choisie, en EUR.",
    orderLines: "Lignes de commande",
    orderLinesHelp:
      "Chaque article commandé de la période et des filtres choisis, finalisé ou annulé, avec vendeur, produit et montants en EUR. Une longue période se télécharge en flux pendant un moment ; Excel ouvre au plus 1 048 576 lignes : au-delà, prenez le CSV simple avec pandas, Polars ou DuckDB (ou le Parquet).",
    currency: "Devise",
    currencyEur: "EUR (€)",
    currencyLocal: (code) => `${code} (locale)`,
    currencyRule: {
      eur: "Montants en EUR : chaque vente et retour au dernier cours connu à sa date de reporting ; les coûts mensuels au cours du dernier jour du mois.",
      local: (code, country) =>
        `Montants en ${code} tels qu’enregistrés (${country}), sans conversion. Les mêmes chiffres en EUR convertissent chaque vente et retour au cours du jour et les coûts mensuels au cours de fin de mois : l’évolution en EUR et en ${code} peut différer.`,
      refused: {
        one_country: "La devise locale suppose un seul pays : montants en EUR.",
        slices:
          "La devise locale ne montre que des totaux par pays : avec un filtre de catégorie, grade, canal ou partenaire, les montants sont en EUR.",
      },
      gmvLocal: (code) => `Prix des articles finalisés, en ${code} tels qu’enregistrés (sans conversion).`,
    },
    codes: codesFr,
  },
};

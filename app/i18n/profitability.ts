// The profitability page's text in each locale (metric labels live in ~/metrics/catalogue).

import type { Locale } from "./locales";

/** The executive headline's parts, formatted (see profitability.server's headlineOf). */
export interface HeadlineText {
  where: string;
  positive: number;
  of: number;
  latestLabel: string;
  latest: string;
  /** The same month a year before, when the data has it. */
  yearBefore: { label: string; value: string } | null;
  trailing12: string | null;
  forecast:
    | { kind: "too_few"; need: number; have: number }
    | { kind: "reached"; window: number }
    | { kind: "in"; label: string; window: number }
    | { kind: "never"; window: number };
}

export interface ProfitabilityMessages {
  title: string;
  intro: string;
  geography: string;
  worldwide: string;
  asOf: string;
  target: string;
  window: string;
  months: (n: number) => string;
  oneCountry: string;
  firstBreakEven: string;
  firstBreakEvenHelp: string;
  /** The executive headline, one sentence: are we profitable, since when, this month vs last year. */
  headline: (h: HeadlineText) => string;
  headlineLabel: string;
  headlineMore: string;
  rolling12From: string;
  rolling12Help: string;
  forecastMonth: string;
  beforeTarget: string;
  afterTarget: string;
  notOnTrend: string;
  tooFewMonths: (need: number, have: number) => string;
  alreadyThere: string;
  notYet: string;
  method: (window: number, slope: string) => string;
  backtest: (horizon: number, from: string, mae: string) => string;
  noBacktest: string;
  chartTitle: string;
  chartSummary: string;
  rollingTitle: string;
  labels: {
    ebitda: string;
    ebitdaPositive: string;
    ebitdaNegative: string;
    rolling3: string;
    rolling12: string;
    trend: string;
    breakEven: string;
    target: string;
  };
  waterfallTitle: (range: string) => string;
  tableTitle: string;
  monthCol: string;
  nav: {
    /** The phone menu's button. */
    menu: string;
    overview: string;
    profitability: string;
    regions: string;
    rollout: string;
    quality: string;
    pricing: string;
    channels: string;
    market: string;
    changes: string;
    admin: string;
    label: string;
  };
  costsTitle: string;
  costsIntro: string;
  headcountTitle: string;
  opexTitle: string;
  yearCol: string;
  headcountCol: string;
  headcountChangeCol: string;
  opexCol: string;
  ebitdaCol: string;
  centres: Record<string, string>;
}

export const PROFITABILITY_MESSAGES: Record<Locale, ProfitabilityMessages> = {
  "en-GB": {
    title: "Path to profitability",
    intro: "Monthly EBITDA, its rolling sums, and when the trend reaches break-even.",
    geography: "Region or country",
    worldwide: "Worldwide",
    asOf: "As of (month)",
    target: "Target date",
    window: "Trend fitted on",
    months: (n) => `${n} months`,
    oneCountry: "one country",
    firstBreakEven: "First month at break-even",
    firstBreakEvenHelp:
      "The first month ever with EBITDA at or above zero; a later month may fall below again (the headline counts the last months).",
    headlineLabel: "In one sentence",
    headlineMore: "Profitability →",
    headline: (h) =>
      [
        `${h.where}: EBITDA positive in ${h.positive} of the last ${h.of} months.`,
        `${h.latestLabel}: ${h.latest}${h.yearBefore ? ` (${h.yearBefore.label}: ${h.yearBefore.value})` : ""}.`,
        h.trailing12 === null ? "" : `Trailing 12 months: ${h.trailing12}.`,
        h.forecast.kind === "too_few"
          ? `Too few months for a forecast (${h.forecast.have} of ${h.forecast.need}).`
          : h.forecast.kind === "reached"
            ? `The trend of the last ${h.forecast.window} months is at break-even.`
            : h.forecast.kind === "in"
              ? `On the trend of the last ${h.forecast.window} months, break-even in ${h.forecast.label}.`
              : `The trend of the last ${h.forecast.window} months does not reach break-even.`,
      ]
        .filter(Boolean)
        .join(" "),

    rolling12From: "Last 12 months at break-even from",
    rolling12Help: "Sum of the 12 months to that month at or above zero.",
    forecastMonth: "Forecast break-even",
    beforeTarget: "before the target date",
    afterTarget: "after the target date",
    notOnTrend: "Not on the current trend",
    tooFewMonths: (need, have) =>
      `No forecast yet: it needs ${need} whole months of data, and the data holds ${have === 1 ? "1" : have}.`,
    alreadyThere: "already at break-even",
    notYet: "Not yet",
    method: (window, slope) =>
      `Method: a straight line fitted by least squares to the last ${window} months of EBITDA (${slope} a month), extended until it reaches zero.`,
    backtest: (horizon, from, mae) =>
      `Back-test: the same fit made ${horizon} months earlier missed the months from ${from} by ${mae} a month on average (mean absolute error).`,
    noBacktest: "Back-test: not enough history for one.",
    chartTitle: "Monthly EBITDA",
    chartSummary: "Monthly EBITDA as bars with the fitted trend; the table below gives the figures.",
    rollingTitle: "EBITDA summed over the last 3 and 12 months",
    labels: {
      ebitda: "EBITDA",
      ebitdaPositive: "EBITDA at or above zero",
      ebitdaNegative: "EBITDA below zero",
      rolling3: "Rolling 3 months",
      rolling12: "Rolling 12 months",
      trend: "Trend",
      breakEven: "Break-even",
      target: "Target",
    },
    waterfallTitle: (range) => `From net revenue to EBITDA, ${range}`,
    tableTitle: "Monthly P&L",
    monthCol: "Month",
    nav: {
      menu: "Pages",
      overview: "Overview",
      profitability: "Profitability",
      regions: "Regions",
      rollout: "Rollout",
      quality: "Quality",
      pricing: "Price displays",
      channels: "Partners and app",
      market: "Market",
      changes: "What changed",
      admin: "Users and audit",
      label: "Pages",
    },
    costsTitle: "Headcount and operating costs",
    costsIntro:
      "The last three years to the month shown, by cost centre; per year, the headcount at its last month.",
    headcountTitle: "Headcount by cost centre",
    opexTitle: "Operating costs by cost centre",
    yearCol: "Year",
    headcountCol: "Headcount (year end)",
    headcountChangeCol: "Change",
    opexCol: "Operating costs",
    ebitdaCol: "EBITDA",
    centres: {
      tech: "Tech",
      operations: "Operations",
      customer_care: "Customer care",
      marketing_team: "Marketing team",
      general: "General and admin",
    },
  },
  "fr-FR": {
    title: "Trajectoire de rentabilité",
    intro: "L’EBITDA mensuel, ses sommes glissantes et le moment où la tendance atteint l’équilibre.",
    geography: "Région ou pays",
    worldwide: "Monde",
    asOf: "À date (mois)",
    target: "Date cible",
    window: "Tendance calculée sur",
    months: (n) => `${n} mois`,
    oneCountry: "un seul pays",
    firstBreakEven: "Premier mois à l’équilibre",
    firstBreakEvenHelp:
      "Le premier mois où l’EBITDA a été positif ou nul ; un mois suivant peut repasser dessous (la phrase en tête compte les derniers mois).",
    headlineLabel: "En une phrase",
    headlineMore: "Rentabilité →",
    headline: (h) =>
      [
        `${h.where} : EBITDA positif ${h.positive} mois sur les ${h.of} derniers.`,
        `${h.latestLabel} : ${h.latest}${h.yearBefore ? ` (${h.yearBefore.label} : ${h.yearBefore.value})` : ""}.`,
        h.trailing12 === null ? "" : `12 mois glissants : ${h.trailing12}.`,
        h.forecast.kind === "too_few"
          ? `Trop peu de mois pour une prévision (${h.forecast.have} sur ${h.forecast.need}).`
          : h.forecast.kind === "reached"
            ? `La tendance des ${h.forecast.window} derniers mois est à l’équilibre.`
            : h.forecast.kind === "in"
              ? `Sur la tendance des ${h.forecast.window} derniers mois, équilibre en ${h.forecast.label}.`
              : `La tendance des ${h.forecast.window} derniers mois n’atteint pas l’équilibre.`,
      ]
        .filter(Boolean)
        .join(" "),

    rolling12From: "12 mois glissants à l’équilibre depuis",
    rolling12Help: "Somme des 12 mois jusqu’à ce mois positive ou nulle.",
    forecastMonth: "Équilibre prévu",
    beforeTarget: "avant la date cible",
    afterTarget: "après la date cible",
    notOnTrend: "Pas avec la tendance actuelle",
    tooFewMonths: (need, have) =>
      `Pas encore de prévision : il faut ${need} mois entiers de données, et les données en couvrent ${have}.`,

    alreadyThere: "équilibre déjà atteint",
    notYet: "Pas encore",
    method: (window, slope) =>
      `Méthode : une droite ajustée par moindres carrés sur les ${window} derniers mois d’EBITDA (${slope} par mois), prolongée jusqu’à zéro.`,
    backtest: (horizon, from, mae) =>
      `Contrôle : le même ajustement fait ${horizon} mois plus tôt s’est trompé sur les mois à partir de ${from} de ${mae} par mois en moyenne (erreur absolue moyenne).`,
    noBacktest: "Contrôle : pas assez d’historique.",
    chartTitle: "EBITDA mensuel",
    chartSummary:
      "L’EBITDA mensuel en barres avec la tendance ajustée ; le tableau ci-dessous donne les chiffres.",
    rollingTitle: "EBITDA cumulé sur les 3 et 12 derniers mois",
    labels: {
      ebitda: "EBITDA",
      ebitdaPositive: "EBITDA positif ou nul",
      ebitdaNegative: "EBITDA négatif",
      rolling3: "3 mois glissants",
      rolling12: "12 mois glissants",
      trend: "Tendance",
      breakEven: "Équilibre",
      target: "Cible",
    },
    waterfallTitle: (range) => `Du revenu net à l’EBITDA, ${range}`,
    tableTitle: "Compte de résultat mensuel",
    monthCol: "Mois",
    nav: {
      menu: "Pages",
      overview: "Vue d’ensemble",
      profitability: "Rentabilité",
      regions: "Régions",
      rollout: "Déploiement",
      quality: "Qualité",
      pricing: "Prix affichés",
      channels: "Partenaires et appli",
      market: "Marché",
      changes: "Ce qui a changé",
      admin: "Utilisateurs et journal",
      label: "Pages",
    },
    costsTitle: "Effectifs et coûts d’exploitation",
    costsIntro:
      "Les trois dernières années jusqu’au mois affiché, par centre de coûts ; par année, l’effectif de son dernier mois.",
    headcountTitle: "Effectifs par centre de coûts",
    opexTitle: "Coûts d’exploitation par centre de coûts",
    yearCol: "Année",
    headcountCol: "Effectif (fin d’année)",
    headcountChangeCol: "Évolution",
    opexCol: "Coûts d’exploitation",
    ebitdaCol: "EBITDA",
    centres: {
      tech: "Tech",
      operations: "Opérations",
      customer_care: "Service client",
      marketing_team: "Équipe marketing",
      general: "Frais généraux",
    },
  },
};

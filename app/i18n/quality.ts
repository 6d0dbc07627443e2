// Interface text of the grades page (/quality), in each locale. Grade and category names come from the
// overview's codes (OVERVIEW_MESSAGES[locale].codes): "Parfait état", "Très bon état"…

import type { ReturnReason } from "~/metrics/quality";
import type { Locale } from "./locales";

export interface QualityMessages {
  title: string;
  intro: string;
  categories: string;
  period: (from: string, to: string) => string;
  selection: (countries: string, categories: string) => string;
  allCountries: string;
  allCategories: string;
  nothingSold: string;
  // Grade mix
  mixTitle: string;
  mixIntro: (premiumSince: string | null) => string;
  mixAxis: string;
  month: string;
  devicesSold: string;
  notLaunched: string;
  mixCaption: string;
  // By grade
  gradesTitle: string;
  salesCaption: string;
  returnsCaption: string;
  grade: string;
  allGrades: string;
  gmv: string;
  averagePrice: string;
  netRevenue: string;
  takeRate: string;
  returnRate: string;
  returnsReceived: string;
  refunds: string;
  commissionRefunded: string;
  returnCosts: string;
  marketplaceCost: string;
  costPerDevice: string;
  gradesNote: string;
  // Reasons
  reasonsTitle: string;
  reasonsIntro: string;
  reasons: Record<ReturnReason, string>;
  total: string;
  reasonsByGrade: string;
  reasonsByCategory: string;
  category: string;
  noReturns: string;
  returnRatesTitle: string;
  returnRatesNote: string;
  // Battery
  batteryTitle: string;
  batteryIntro: string;
  band: (from: number, to: number) => string;
  newBattery: string;
  batteryAxis: string;
  batteryCaption: string;
  batteryDevices: (n: string) => string;
  noBattery: string;
  showFigures: string;
  // Premium compliance
  complianceTitle: string;
  complianceHeadline: (under: string, share: string, premium: string) => string;
  complianceLowest: (pct: string, sellers: string) => string;
  complianceNone: (premium: string) => string;
  noPremium: string;
  complianceListCaption: string;
  seller: string;
  premiumSold: string;
  under85: string;
  shareOfSeller: string;
  lowestBattery: string;
  listShown: (shown: string, total: string) => string;
  listAll: (total: string) => string;
  complianceNote: string;
  loading: string;
}

export const QUALITY_MESSAGES: Record<Locale, QualityMessages> = {
  "en-GB": {
    title: "Grades and battery",
    intro:
      "What each grade sells, earns and costs in returns, how worn its batteries are, and whether Premium keeps its promise of a battery at least 85% of a new one.",
    categories: "Categories",
    period: (from, to) => (from === to ? from : `${from} to ${to}`),
    selection: (countries, categories) => `${countries} · ${categories}`,
    allCountries: "All countries",
    allCategories: "all categories",
    nothingSold:
      "No device was sold in this period for this selection: choose other months, countries or categories.",
    mixTitle: "Grade mix by month",
    mixIntro: (since) =>
      since
        ? `Each month's devices sold, shared between grades. Premium is on sale from ${since}.`
        : "Each month's devices sold, shared between grades. No Premium device has been sold yet.",
    mixAxis: "Share of the month's devices sold",
    month: "Month",
    devicesSold: "Devices sold",
    notLaunched: "not yet on sale",
    mixCaption: "Share of devices sold by grade and month (devices in brackets)",
    gradesTitle: "Sales, take rate and returns by grade",
    salesCaption: "Sales and take rate by grade",
    returnsCaption: "Returns and what they cost, by grade",
    grade: "Grade",
    allGrades: "All grades",
    gmv: "GMV",
    averagePrice: "Average price",
    netRevenue: "Net revenue",
    takeRate: "Take rate",
    returnRate: "Return rate",
    returnsReceived: "Returns received",
    refunds: "Refunds to buyers",
    commissionRefunded: "Commission refunded",
    returnCosts: "Return costs borne by the marketplace",
    marketplaceCost: "Cost of returns to the marketplace",
    costPerDevice: "… per device sold",
    gradesNote:
      "Sales count in the month of the order. Return rate: the period's devices sold that came back (whenever they did) ÷ devices sold. Returns received, refunds and costs count in the month of the return. Refunds are the amounts paid back to buyers. Cost of returns to the marketplace = commission refunded (net revenue lost) + the return costs the marketplace bears; net revenue = commission − commission refunded; take rate = net revenue ÷ GMV. Amounts in EUR at each day's rate.",
    reasonsTitle: "Why devices come back",
    reasonsIntro: "Returns received in the period, by the reason given, with each reason's share of the row.",
    reasons: {
      defect: "Defect",
      not_as_described: "Not as described",
      battery: "Battery",
      changed_mind: "Changed mind",
      other: "Other",
    },
    total: "Total",
    reasonsByGrade: "Return reasons by grade",
    reasonsByCategory: "Return reasons by category",
    category: "Category",
    noReturns: "No return was received in this period for this selection.",
    returnRatesTitle: "Return rate by category and grade",
    returnRatesNote: "Returned ÷ sold, by month of order; — where nothing of that grade was sold.",
    batteryTitle: "Battery health by grade",
    batteryIntro:
      "Devices sold with a battery reading, by 5-point band of the battery's capacity against a new one, as a share of the grade's devices, on the same scale for every grade. Hatched bars: under 85%, below Premium's promise.",
    band: (from, to) => `${from}–${to}%`,
    newBattery: "100% (new)",
    batteryAxis: "Battery capacity (% of new)",
    batteryCaption: "Share of each grade's devices by battery band",
    batteryDevices: (n) => `${n} devices with a battery reading`,
    noBattery: "No device with a battery reading was sold in this period for this selection.",
    showFigures: "The figures",
    complianceTitle: "The Premium promise: a battery at least 85% of a new one",
    complianceHeadline: (under, share, premium) =>
      `Premium devices sold with a battery under 85%: ${under}, that is ${share} of the ${premium} Premium devices sold with a battery reading.`,
    complianceLowest: (pct, sellers) => `Lowest battery: ${pct}. Sellers concerned: ${sellers}.`,
    complianceNone: (premium) =>
      `Premium devices sold with a battery reading: ${premium}, none of them under 85%.`,
    noPremium: "No Premium device with a battery reading was sold in this period for this selection.",
    complianceListCaption: "Sellers and months with Premium devices under 85%, worst first",
    seller: "Seller",
    premiumSold: "Premium sold",
    under85: "Under 85%",
    shareOfSeller: "Share of the seller’s Premium",
    lowestBattery: "Lowest battery",
    listShown: (shown, total) =>
      `The ${shown} worst of ${total} seller-months: narrow the period, countries or categories to see the others.`,
    listAll: (total) => `Seller-months listed: ${total} (all of them).`,
    complianceNote:
      "Worst first: most devices under 85%, then the highest share of the seller’s own Premium sales that month (within the countries and categories chosen), then the lowest battery. Devices count in the month of the order.",
    loading: "Loading the grades…",
  },
  "fr-FR": {
    title: "États et batterie",
    intro:
      "Ce que chaque état vend, rapporte et coûte en retours, l’usure de ses batteries, et si Premium tient sa promesse d’une batterie à au moins 85 % de sa capacité neuve.",
    categories: "Catégories",
    period: (from, to) => (from === to ? from : `de ${from} à ${to}`),
    selection: (countries, categories) => `${countries} · ${categories}`,
    allCountries: "Tous les pays",
    allCategories: "toutes catégories",
    nothingSold:
      "Aucun appareil vendu sur cette période pour cette sélection : choisissez d’autres mois, pays ou catégories.",
    mixTitle: "Répartition des ventes par état et par mois",
    mixIntro: (since) =>
      since
        ? `Les appareils vendus chaque mois, répartis par état. Premium est en vente depuis ${since}.`
        : "Les appareils vendus chaque mois, répartis par état. Aucun appareil Premium n’a encore été vendu.",
    mixAxis: "Part des appareils vendus du mois",
    month: "Mois",
    devicesSold: "Appareils vendus",
    notLaunched: "pas encore en vente",
    mixCaption: "Part des appareils vendus par état et par mois (nombre d’appareils entre parenthèses)",
    gradesTitle: "Ventes, taux de commission et retours par état",
    salesCaption: "Ventes et taux de commission par état",
    returnsCaption: "Retours et leur coût, par état",
    grade: "État",
    allGrades: "Tous états",
    gmv: "Volume d’affaires (GMV)",
    averagePrice: "Prix moyen",
    netRevenue: "Revenu net",
    takeRate: "Taux de commission",
    returnRate: "Taux de retour",
    returnsReceived: "Retours reçus",
    refunds: "Remboursements aux acheteurs",
    commissionRefunded: "Commission remboursée",
    returnCosts: "Frais de retour à la charge de la place de marché",
    marketplaceCost: "Coût des retours pour la place de marché",
    costPerDevice: "… par appareil vendu",
    gradesNote:
      "Les ventes comptent au mois de la commande. Taux de retour : appareils vendus sur la période et retournés (quelle que soit la date du retour) ÷ appareils vendus. Les retours reçus, remboursements et frais comptent au mois du retour. Les remboursements sont les montants rendus aux acheteurs. Coût des retours pour la place de marché = commission remboursée (revenu net perdu) + frais de retour qu’elle supporte ; revenu net = commission − commission remboursée ; taux de commission = revenu net ÷ GMV. Montants en EUR au cours de chaque jour.",
    reasonsTitle: "Pourquoi les appareils reviennent",
    reasonsIntro:
      "Retours reçus sur la période, par motif déclaré, avec la part de chaque motif dans la ligne.",
    reasons: {
      defect: "Défaut",
      not_as_described: "Non conforme",
      battery: "Batterie",
      changed_mind: "Changement d’avis",
      other: "Autre",
    },
    total: "Total",
    reasonsByGrade: "Motifs de retour par état",
    reasonsByCategory: "Motifs de retour par catégorie",
    category: "Catégorie",
    noReturns: "Aucun retour reçu sur cette période pour cette sélection.",
    returnRatesTitle: "Taux de retour par catégorie et par état",
    returnRatesNote: "Retournés ÷ vendus, par mois de commande ; — quand rien de cet état n’a été vendu.",
    batteryTitle: "Santé de la batterie par état",
    batteryIntro:
      "Appareils vendus avec une mesure de batterie, par tranche de 5 points de capacité par rapport au neuf, en part des appareils de l’état, à la même échelle pour chaque état. Barres hachurées : sous 85 %, en dessous de la promesse Premium.",
    band: (from, to) => `${from}–${to} %`,
    newBattery: "100 % (neuve)",
    batteryAxis: "Capacité de la batterie (% du neuf)",
    batteryCaption: "Part des appareils de chaque état par tranche de batterie",
    batteryDevices: (n) => `${n} appareils avec une mesure de batterie`,
    noBattery: "Aucun appareil avec une mesure de batterie vendu sur cette période pour cette sélection.",
    showFigures: "Les chiffres",
    complianceTitle: "La promesse Premium : une batterie à au moins 85 % du neuf",
    complianceHeadline: (under, share, premium) =>
      `Appareils Premium vendus avec une batterie sous 85 % : ${under}, soit ${share} des ${premium} appareils Premium vendus avec une mesure de batterie.`,
    complianceLowest: (pct, sellers) => `Batterie la plus faible : ${pct}. Vendeurs concernés : ${sellers}.`,
    complianceNone: (premium) =>
      `Appareils Premium vendus avec une mesure de batterie : ${premium}, aucun sous 85 %.`,
    noPremium:
      "Aucun appareil Premium avec une mesure de batterie vendu sur cette période pour cette sélection.",
    complianceListCaption: "Vendeurs et mois avec des appareils Premium sous 85 %, les pires d’abord",
    seller: "Vendeur",
    premiumSold: "Premium vendus",
    under85: "Sous 85 %",
    shareOfSeller: "Part des Premium du vendeur",
    lowestBattery: "Batterie la plus faible",
    listShown: (shown, total) =>
      `Les ${shown} pires sur ${total} couples vendeur-mois : réduisez la période, les pays ou les catégories pour voir les autres.`,
    listAll: (total) => `Couples vendeur-mois listés : ${total} (tous).`,
    complianceNote:
      "Les pires d’abord : le plus d’appareils sous 85 %, puis la plus forte part des ventes Premium du vendeur ce mois-là (dans les pays et catégories choisis), puis la batterie la plus faible. Les appareils comptent au mois de la commande.",
    loading: "Chargement des états…",
  },
};

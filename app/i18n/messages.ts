// Every piece of interface text, in each locale. Metric labels and definitions live in ~/metrics.

import { formatMetricValue } from "~/lib/format";
import type { Locale } from "./locales";

export interface Messages {
  tagline: string;
  skipToContent: string;
  languageNav: string;
  languageNames: Record<Locale, string>;
  headlineSection: string;
  syntheticBadge: string;
  dataAsOf: string;
  /** The data's last day with orders, and a warning when that is days before today. */
  ordersThrough: string;
  daysOld: (days: number) => string;
  staleTitle: string;
  /** The day the extract stopped during, after the last whole day: "1 January 2025 to 00:54". */
  partialDay: (day: string, time: string) => string;
  partialDayTitle: string;
  /** "Orders from <date> to <date>", split around the two dates. */
  period: readonly [before: string, between: string, after: string];
  noCompletedOrders: string;
  snapshot: string;
  emptyTitle: string;
  emptyMessage: string;
  errorTitles: {
    badRequest: string;
    forbidden: string;
    notFound: string;
    unavailable: string;
    unexpected: string;
  };
  unexpectedMessage: string;
  notFoundMessage: string;
  warehouseUnreadable: string;
  unsupportedLang: (value: string) => string;
  repeatedLang: string;
  backToDashboard: string;
  /** A 400's way back: the same page without the bad parameter, the other filters kept. */
  retryWithout: (param: string) => string;
  /** A page or a figure the signed-in role may not see (403). */
  forbiddenPage: string;
  forbiddenFigure: (label: string) => string;
  /** The download menu of a table or chart. */
  download: {
    button: string;
    label: (what: string) => string;
    formats: Record<"xlsx" | "csv" | "csv-excel-fr" | "csv-excel-en" | "parquet" | "arrow", string>;
    note: string;
  };
  /** The one table component's own words (~/components/data-table). */
  table: {
    sortBy: string;
    empty: string;
    shown: (shown: number, total: number) => string;
    /** The button under a table that shows only its first rows (all of them are in the page's data). */
    showAll: (total: number) => string;
  };
  /**
   * The filter forms' common labels, the same on every page: month pickers (fromMonth, toMonth), the
   * overview's day pickers (fromDay, toDay), a single country (country) or a multiple choice (countries).
   */
  filters: {
    apply: string;
    /** Beside Apply when a filter was changed but not applied yet. */
    pending: string;
    fromMonth: string;
    toMonth: string;
    fromDay: string;
    toDay: string;
    country: string;
    countries: string;
    /** Beside a list of boxes that selects everything when none is ticked. */
    noneTicked: string;
    /** The monthly pages' Period choice of their own months. */
    customMonths: string;
    /** The button that unfolds the filters on a phone, and folds them again. */
    show: string;
    hide: string;
  };
  /**
   * Central costs (ADR 0019): the control that puts them where recorded or allocates them by net
   * revenue, and the rule the page states under its filters.
   */
  centralCosts: {
    label: string;
    options: Record<"recorded" | "allocated", string>;
    rule: Record<"recorded" | "allocated", (headquarters: string) => string>;
    switchTo: Record<"recorded" | "allocated", string>;
  };
}

const languageNames: Record<Locale, string> = { "en-GB": "English", "fr-FR": "Français" };

// Whole numbers in a sentence: the metric layer's count format (one cached Intl.NumberFormat per locale;
// `Number#toLocaleString` would build one on every call, and the header says how old the data is on every
// page). Anything but a number reads as it is.
const whole = (n: number, locale: Locale) =>
  typeof n === "number" ? formatMetricValue(n, "count", locale) : String(n);
const wholeEn = (n: number) => whole(n, "en-GB");
const wholeFr = (n: number) => whole(n, "fr-FR");

export const MESSAGES: Record<Locale, Messages> = {
  "en-GB": {
    tagline: "The refurbished-electronics marketplace at a glance",
    skipToContent: "Skip to the figures",
    languageNav: "Language",
    languageNames,
    headlineSection: "Headline figures",
    syntheticBadge: "Synthetic data",
    dataAsOf: "Published",
    ordersThrough: "Orders through",
    daysOld: (days) => `${wholeEn(days)} days ago`,
    staleTitle: "The latest orders in this data are older than a few days: the pipeline may have stopped.",
    partialDay: (day, time) => `(and ${day} to ${time})`,
    partialDayTitle:
      "The extract stopped during this day: its orders are in the data, but the preset periods end the day before so that it does not read as a collapse.",
    period: ["Orders from ", " to ", ""],
    noCompletedOrders: "No completed orders in this snapshot yet.",
    snapshot: "Snapshot",
    emptyTitle: "No data yet",
    emptyMessage: "No warehouse has been published yet. Run npm run demo to build the sample one.",
    errorTitles: {
      badRequest: "Bad request",
      forbidden: "Not for your role",
      notFound: "Page not found",
      unavailable: "Warehouse unavailable",
      unexpected: "Something went wrong",
    },
    unexpectedMessage: "An unexpected error occurred. Please try again in a moment.",
    notFoundMessage: "There is no page at this address.",
    warehouseUnreadable: "The published warehouse snapshot could not be read. Please try again in a moment.",
    unsupportedLang: (value) =>
      `Unsupported language "${value}" in the lang parameter: use lang=en or lang=fr.`,
    repeatedLang: "The lang parameter was given more than once: give it once, as lang=en or lang=fr.",
    backToDashboard: "Back to the dashboard",
    retryWithout: (param) => `Show this page without “${param}”, keeping the other filters`,
    forbiddenPage: "Your role does not give access to this page.",
    forbiddenFigure: (label) => `Your role does not give access to ${label}.`,
    table: {
      sortBy: "(sort)",
      empty: "No row for these filters.",
      shown: (shown, total) =>
        `The first ${wholeEn(shown)} rows of ${wholeEn(total)}: the download has them all.`,
      showAll: (total) => `Show all ${wholeEn(total)} rows`,
    },
    download: {
      button: "Download",
      label: (what) => `Download ${what}`,
      formats: {
        xlsx: "Excel workbook (.xlsx)",
        "csv-excel-en": "CSV for Excel (English)",
        "csv-excel-fr": "CSV for Excel (French)",
        csv: "CSV (RFC 4180)",
        parquet: "Parquet",
        arrow: "Arrow (IPC stream)",
      },
      note: "Same figures and filters as on screen. In CSV: amounts raw, ratios as ratios (0.17 = 17%); the workbook shows them formatted, with what it holds on a second sheet.",
    },
    filters: {
      apply: "Apply",
      pending: "Changes not applied yet",
      fromMonth: "From (month)",
      toMonth: "To (month)",
      fromDay: "From",
      toDay: "To",
      country: "Country",
      countries: "Countries",
      noneTicked: "(none ticked: all)",
      customMonths: "Custom months",
      show: "Filters",
      hide: "Hide the filters",
    },
    centralCosts: {
      label: "Central costs",
      options: { recorded: "Where recorded", allocated: "Allocated by net revenue" },
      rule: {
        recorded: (hq) =>
          `Central costs (the tech and general teams of ${hq}, who serve every country) count in ${hq}, where they are recorded: ${hq}'s operating costs are its own teams' plus these.`,
        allocated: (hq) =>
          `Central costs (the tech and general teams of ${hq}, who serve every country) are allocated to every country by its share of net revenue each month: operating costs and EBITDA include each country's share.`,
      },
      switchTo: { recorded: "Show them where recorded", allocated: "Allocate them by net revenue" },
    },
  },
  "fr-FR": {
    tagline: "La place de marché d’électronique reconditionnée en un coup d’œil",
    skipToContent: "Aller aux chiffres",
    languageNav: "Langue",
    languageNames,
    headlineSection: "Chiffres clés",
    syntheticBadge: "Données synthétiques",
    dataAsOf: "Publié le",
    ordersThrough: "Commandes jusqu’au",
    daysOld: (days) => `il y a ${wholeFr(days)} jours`,
    staleTitle:
      "Les dernières commandes de ces données datent de plusieurs jours : le pipeline s’est peut-être arrêté.",
    partialDay: (day, time) => `(et le ${day} jusqu’à ${time})`,
    partialDayTitle:
      "L’extraction s’est arrêtée pendant cette journée : ses commandes sont dans les données, mais les périodes prédéfinies s’arrêtent la veille pour qu’elle ne se lise pas comme un effondrement.",
    period: ["Commandes du ", " au ", ""],
    noCompletedOrders: "Aucune commande finalisée dans cet instantané pour l’instant.",
    snapshot: "Instantané",
    emptyTitle: "Pas encore de données",
    emptyMessage:
      "Aucun entrepôt de données n’a encore été publié. Lancez npm run demo pour construire celui d’exemple.",
    errorTitles: {
      badRequest: "Requête invalide",
      forbidden: "Réservé à d’autres rôles",
      notFound: "Page introuvable",
      unavailable: "Entrepôt indisponible",
      unexpected: "Une erreur est survenue",
    },
    unexpectedMessage: "Une erreur inattendue est survenue. Réessayez dans un instant.",
    notFoundMessage: "Il n’y a pas de page à cette adresse.",
    warehouseUnreadable: "L’instantané publié de l’entrepôt n’a pas pu être lu. Réessayez dans un instant.",
    unsupportedLang: (value) =>
      `Langue « ${value} » non prise en charge dans le paramètre lang : utilisez lang=en ou lang=fr.`,
    repeatedLang:
      "Le paramètre lang est donné plusieurs fois : donnez-le une seule fois, lang=en ou lang=fr.",
    backToDashboard: "Retour au tableau de bord",
    retryWithout: (param) => `Afficher cette page sans « ${param} », en gardant les autres filtres`,
    forbiddenPage: "Votre rôle ne donne pas accès à cette page.",
    forbiddenFigure: (label) => `Votre rôle ne donne pas accès à : ${label}.`,
    table: {
      sortBy: "(trier)",
      empty: "Aucune ligne pour ces filtres.",
      shown: (shown, total) =>
        `Les ${wholeFr(shown)} premières lignes sur ${wholeFr(total)} : le téléchargement les contient toutes.`,
      showAll: (total) => `Afficher les ${wholeFr(total)} lignes`,
    },
    download: {
      button: "Télécharger",
      label: (what) => `Télécharger ${what}`,
      formats: {
        xlsx: "Classeur Excel (.xlsx)",
        "csv-excel-en": "CSV pour Excel (anglais)",
        "csv-excel-fr": "CSV pour Excel (français)",
        csv: "CSV (RFC 4180)",
        parquet: "Parquet",
        arrow: "Arrow (flux IPC)",
      },
      note: "Mêmes chiffres et filtres qu’à l’écran. En CSV : montants bruts, ratios en ratio (0,17 = 17 %) ; le classeur les montre mis en forme, avec ce qu’il contient sur une seconde feuille.",
    },
    filters: {
      apply: "Appliquer",
      pending: "Modifications pas encore appliquées",
      fromMonth: "Du (mois)",
      toMonth: "Au (mois)",
      fromDay: "Du",
      toDay: "Au",
      country: "Pays",
      countries: "Pays",
      noneTicked: "(aucune case cochée : tous)",
      customMonths: "Mois au choix",
      show: "Filtres",
      hide: "Masquer les filtres",
    },
    centralCosts: {
      label: "Coûts centraux",
      options: { recorded: "Là où enregistrés", allocated: "Répartis selon le revenu net" },
      rule: {
        recorded: (hq) =>
          `Les coûts centraux (équipes tech et générales du siège, ${hq}, au service de tous les pays) comptent là où ils sont enregistrés : les coûts d’exploitation de ce pays sont ceux de ses propres équipes plus ceux-ci.`,
        allocated: (hq) =>
          `Les coûts centraux (équipes tech et générales du siège, ${hq}, au service de tous les pays) sont répartis entre les pays selon leur part du revenu net de chaque mois : coûts d’exploitation et EBITDA incluent la part de chaque pays.`,
      },
      switchTo: {
        recorded: "Les montrer là où ils sont enregistrés",
        allocated: "Les répartir selon le revenu net",
      },
    },
  },
};

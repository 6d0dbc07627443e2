// Interface text of the "What changed since the last publish" page (/changes), in each locale.

import type { Locale } from "./locales";

type Kind = "added" | "corrected" | "cancelled" | "resent" | "withdrawn";

export interface ChangesMessages {
  title: string;
  intro: string;
  loading: string;
  unavailable: Record<"first_snapshot" | "not_recorded" | "previous_removed", string>;
  comparedWith: (id: string, at: string) => string;
  dataBefore: (span: string) => string;
  dataAfter: (span: string) => string;
  compared: (through: string) => string;
  metric: string;
  allMetrics: string;
  allCountries: string;
  allRegions: string;
  summaryTitle: string;
  figuresMoved: (n: number) => string;
  nothingMoved: string;
  nothingInSelection: string;
  figuresTitle: string;
  figuresIntro: string;
  shownOf: (shown: number, total: number) => string;
  month: string;
  country: string;
  metricCol: string;
  before: string;
  after: string;
  change: string;
  batchesCol: string;
  whatCol: string;
  batchesTitle: string;
  batchesIntro: (n: number) => string;
  noBatches: string;
  effectsNotRecorded: string;
  batch: string;
  entity: string;
  kind: string;
  rows: string;
  everyMonth: string;
  quarantineTitle: string;
  quarantineIntro: string;
  /** The publishing run's rows: read, quarantined, and the share (catalogue: quarantined_row_share). */
  runRows: (read: string, quarantined: string, share: string) => string;
  noQuarantine: string;
  quarantinedBefore: string;
  quarantinedAfter: string;
  unit: string;
  units: Record<"eur" | "eur_unit" | "count" | "ratio" | "rate", string>;
  kinds: Record<Kind, string>;
  entities: Record<string, string>;
  effect: (n: number, kind: Kind, entity: string) => string;
  listSeparator: string;
}

export const CHANGES_MESSAGES: Record<Locale, ChangesMessages> = {
  "en-GB": {
    title: "What changed since the last publish",
    intro:
      "The current data beside the snapshot it replaced: the days it adds, and every figure of an earlier month that moved, with the batches that moved it.",
    loading: "Comparing the snapshots…",
    unavailable: {
      first_snapshot: "This is the first snapshot published: there is no earlier one to compare with.",
      not_recorded:
        "This snapshot was not published by the pipeline's runs (no run record): there is nothing to compare it with.",
      previous_removed:
        "The snapshot this one replaced is no longer kept (the pipeline keeps the newest three): its figures cannot be compared.",
    },
    comparedWith: (id, at) => `Compared with snapshot ${id}, published ${at}.`,
    dataBefore: (span) => `Data then: ${span}`,
    dataAfter: (span) => `Data now: ${span}`,
    compared: (through) =>
      `Figures compared: every month up to ${through}, the last day the previous snapshot covered (a month cut short there is compared over the same days).`,
    metric: "Metric",
    allMetrics: "All metrics",
    allCountries: "All countries",
    allRegions: "All regions",
    summaryTitle: "Figures that moved",
    figuresMoved: (n) => (n === 1 ? "1 figure" : `${n.toLocaleString("en-GB")} figures`),
    nothingMoved:
      "No figure of the months the previous snapshot covered moved: the new batches only added what came after.",
    nothingInSelection: "No figure moved for this selection. Other countries or metrics may have moved.",
    figuresTitle: "Restated figures",
    figuresIntro:
      "Each figure of an earlier month that differs now, by month, country and metric: before, after and the change, with the batches that touched that month and country and what they did there.",
    shownOf: (shown, total) =>
      `The first ${shown.toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")} figures are shown; the download holds them all.`,
    month: "Month",
    country: "Country",
    metricCol: "Metric",
    before: "Before",
    after: "After",
    change: "Change",
    batchesCol: "Batches",
    whatCol: "What the batches did there",
    batchesTitle: "Batches applied since",
    batchesIntro: (n) =>
      n === 1
        ? "The batch published with this snapshot, what its rows did, by month and country."
        : `The ${n} batches published with this snapshot, what their rows did, by month and country.`,
    noBatches: "No batch was applied.",
    effectsNotRecorded:
      "The pipeline that published this snapshot did not record what each batch did (it predates that record).",
    batch: "Batch",
    entity: "Data",
    kind: "Change",
    rows: "Rows",
    everyMonth: "Every month",
    quarantineTitle: "Quarantine",
    quarantineIntro: "Rows set aside by the pipeline's checks, by kind of data, then and now.",
    runRows: (read, quarantined, share) =>
      `The run that published this snapshot read ${read} rows and set aside ${quarantined} (${share}).`,
    noQuarantine: "No row is in quarantine, then or now.",
    quarantinedBefore: "Quarantined then",
    quarantinedAfter: "Quarantined now",
    unit: "Unit",
    units: { eur: "€", eur_unit: "€ per device", count: "count", ratio: "%", rate: "rate" },
    kinds: {
      added: "added",
      corrected: "corrected",
      cancelled: "cancelled",
      resent: "re-sent unchanged",
      withdrawn: "withdrawn (batch re-applied)",
    },
    entities: {
      order_items: "order lines",
      returns: "returns",
      marketing_spend: "marketing spend",
      operating_costs: "operating costs",
      market_context: "market data",
      fx_rates: "exchange rates",
      products: "products",
      customers: "customers",
      sellers: "sellers",
      countries: "countries",
      new_prices: "new prices",
    },
    effect: (n, kind, entity) => `${n.toLocaleString("en-GB")} ${entity} ${CHANGES_KIND_EN[kind] ?? kind}`,
    listSeparator: "; ",
  },
  "fr-FR": {
    title: "Ce qui a changé depuis la dernière publication",
    intro:
      "Les données actuelles face à l’instantané qu’elles remplacent : les jours ajoutés, et chaque chiffre d’un mois antérieur qui a bougé, avec les lots qui l’ont fait bouger.",
    loading: "Comparaison des instantanés…",
    unavailable: {
      first_snapshot: "C’est le premier instantané publié : il n’y en a pas d’antérieur à comparer.",
      not_recorded:
        "Cet instantané n’a pas été publié par une exécution du pipeline (aucune trace d’exécution) : rien à comparer.",
      previous_removed:
        "L’instantané que celui-ci remplace n’est plus conservé (le pipeline garde les trois plus récents) : ses chiffres ne peuvent être comparés.",
    },
    comparedWith: (id, at) => `Comparé à l’instantané ${id}, publié le ${at}.`,
    dataBefore: (span) => `Données alors : ${span}`,
    dataAfter: (span) => `Données maintenant : ${span}`,
    compared: (through) =>
      `Chiffres comparés : chaque mois jusqu’au ${through}, dernier jour couvert par l’instantané précédent (un mois tronqué à cette date est comparé sur les mêmes jours).`,
    metric: "Indicateur",
    allMetrics: "Tous les indicateurs",
    allCountries: "Tous les pays",
    allRegions: "Toutes les régions",
    summaryTitle: "Chiffres qui ont bougé",
    figuresMoved: (n) => (n === 1 ? "1 chiffre" : `${n.toLocaleString("fr-FR")} chiffres`),
    nothingMoved:
      "Aucun chiffre des mois couverts par l’instantané précédent n’a bougé : les nouveaux lots n’ont ajouté que la suite.",
    nothingInSelection:
      "Aucun chiffre n’a bougé pour cette sélection. D’autres pays ou indicateurs ont pu bouger.",
    figuresTitle: "Chiffres retraités",
    figuresIntro:
      "Chaque chiffre d’un mois antérieur qui diffère désormais, par mois, pays et indicateur : avant, après et l’écart, avec les lots qui ont touché ce mois et ce pays et ce qu’ils y ont fait.",
    shownOf: (shown, total) =>
      `Les ${shown.toLocaleString("fr-FR")} premiers chiffres sur ${total.toLocaleString("fr-FR")} sont affichés ; le téléchargement les contient tous.`,
    month: "Mois",
    country: "Pays",
    metricCol: "Indicateur",
    before: "Avant",
    after: "Après",
    change: "Écart",
    batchesCol: "Lots",
    whatCol: "Ce que les lots y ont fait",
    batchesTitle: "Lots appliqués depuis",
    batchesIntro: (n) =>
      n === 1
        ? "Le lot publié avec cet instantané, ce que ses lignes ont fait, par mois et par pays."
        : `Les ${n} lots publiés avec cet instantané, ce que leurs lignes ont fait, par mois et par pays.`,
    noBatches: "Aucun lot n’a été appliqué.",
    effectsNotRecorded:
      "Le pipeline qui a publié cet instantané n’enregistrait pas encore ce que fait chaque lot.",
    batch: "Lot",
    entity: "Données",
    kind: "Changement",
    rows: "Lignes",
    everyMonth: "Tous les mois",
    quarantineTitle: "Quarantaine",
    quarantineIntro:
      "Lignes écartées par les contrôles du pipeline, par type de données, alors et maintenant.",
    runRows: (read, quarantined, share) =>
      `L’exécution qui a publié cet instantané a lu ${read} lignes et en a écarté ${quarantined} (${share}).`,
    noQuarantine: "Aucune ligne en quarantaine, ni alors ni maintenant.",
    quarantinedBefore: "En quarantaine alors",
    quarantinedAfter: "En quarantaine maintenant",
    unit: "Unité",
    units: { eur: "€", eur_unit: "€ par appareil", count: "nombre", ratio: "%", rate: "taux" },
    kinds: {
      added: "ajoutées",
      corrected: "corrigées",
      cancelled: "annulées",
      resent: "renvoyées à l’identique",
      withdrawn: "retirées (lot réappliqué)",
    },
    entities: {
      order_items: "lignes de commande",
      returns: "retours",
      marketing_spend: "dépenses marketing",
      operating_costs: "coûts d’exploitation",
      market_context: "données de marché",
      fx_rates: "taux de change",
      products: "produits",
      customers: "clients",
      sellers: "vendeurs",
      countries: "pays",
      new_prices: "prix du neuf",
    },
    effect: (n, kind, entity) => `${n.toLocaleString("fr-FR")} ${entity} : ${CHANGES_KIND_FR[kind] ?? kind}`,
    listSeparator: " ; ",
  },
};

const CHANGES_KIND_EN: Record<Kind, string> = {
  added: "added",
  corrected: "corrected",
  cancelled: "cancelled",
  resent: "re-sent unchanged",
  withdrawn: "withdrawn",
};
const CHANGES_KIND_FR: Record<Kind, string> = {
  added: "ajout",
  corrected: "correction",
  cancelled: "annulation",
  resent: "renvoi à l’identique",
  withdrawn: "retrait",
};

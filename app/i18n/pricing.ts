// The price-display compliance page's texts (/pricing), in the reader's language.

import type { Locale } from "./locales";

export interface PricingMessages {
  title: string;
  intro: string;
  loading: string;
  categories: string;
  threshold: string;
  thresholdOption: (t: number) => string;
  periodLine: (from: string, to: string) => string;
  partialNote: (month: string, day: string) => string;
  cards: {
    share: string;
    shareOf: (inflated: string, priced: string) => string;
    claimed: string;
    actual: string;
    savingsNote: string;
    overstatement: string;
    overstatementNote: string;
    unpriced: string;
    unpricedNote: (sales: string) => string;
  };
  shareChart: string;
  /** The caption of the table of a chart's figures, under the chart. */
  chartFigures: string;
  savingsChart: string;
  claimedLine: string;
  actualLine: string;
  shareLine: (t: number) => string;
  byCountry: string;
  byCategory: string;
  sellers: string;
  models: string;
  topNote: (shown: number, all: string) => string;
  columns: {
    country: string;
    category: string;
    seller: string;
    /** The seller's id as the source system issued it. */
    sellerId: string;
    home: string;
    brand: string;
    model: string;
    priced: string;
    inflated: string;
    share: string;
    claimed: string;
    actual: string;
    overstatement: string;
  };
  /** The sections' other columns (the downloads' headers in the reader's language). */
  sectionColumns: {
    month: string;
    thresholdPct: string;
    sales: string;
    sellerId: string;
    productId: string;
    sellerCountry: string;
  };
  empty: string;
  footnote: (t: number) => string;
  method: string;
}

export const PRICING_MESSAGES: Record<Locale, PricingMessages> = {
  "en-GB": {
    title: "Price-display compliance",
    intro:
      "For each sale, the “new” price the product page showed beside the refurbished price, against the market price of the same model bought new on the order date. An inflated reference makes the saving look bigger than it is.",
    loading: "Loading the price displays…",
    categories: "Categories",
    threshold: "Inflated when the displayed new price is more than",
    thresholdOption: (t) => `${t}% above the market price`,
    periodLine: (from, to) => `Sales from ${from} to ${to}, in EUR`,
    partialNote: (month, day) => `${month} is not over: its sales run to ${day}.`,
    cards: {
      share: "Sales with an inflated new price",
      shareOf: (inflated, priced) => `${inflated} of ${priced} sales compared`,
      claimed: "Saving claimed on the page",
      actual: "Saving against the real new price",
      savingsNote: "1 − price ÷ new price, weighted by price",
      overstatement: "Displayed new prices vs market",
      overstatementNote: "Σ displayed ÷ Σ market new price − 1",
      unpriced: "Sales without a market price",
      unpricedNote: (sales) => `left out of the shares and savings, of ${sales} sales`,
    },
    shareChart: "Share of sales with an inflated new price, by month",
    chartFigures: "The chart's figures",
    savingsChart: "Saving claimed vs saving against the real new price, by month",
    claimedLine: "Claimed",
    actualLine: "Actual",
    shareLine: (t) => `Over ${t}%`,
    byCountry: "By country",
    byCategory: "By category",
    sellers: "Sellers with the most inflated displays",
    models: "Models with the most inflated displays",
    topNote: (shown, all) =>
      `The ${shown} with the most inflated sales, then the highest share; the download holds all ${all}.`,
    columns: {
      country: "Country",
      category: "Category",
      seller: "Seller",
      sellerId: "Seller id",
      home: "Based in",
      brand: "Brand",
      model: "Model",
      priced: "Sales compared",
      inflated: "Inflated",
      share: "Share inflated",
      claimed: "Claimed saving",
      actual: "Actual saving",
      overstatement: "Displayed vs market",
    },
    sectionColumns: {
      month: "Month (first day)",
      thresholdPct: "Inflated when more than (%) above",
      sales: "Sales",
      sellerId: "Seller id",
      productId: "Product id",
      sellerCountry: "Based in",
    },
    empty: "No sale in this period with these filters: widen the period or untick a filter.",
    footnote: (t) =>
      `A sale counts as inflated when its displayed new price is more than ${t}% above the market new price of the model valid on its order date (exactly ${t}% is not more). Amounts in EUR at the rate of the order date.`,
    method:
      "Market new prices come from the new_prices reference data; sales of a model without a market price on the order date are counted apart and left out of every share and saving.",
  },
  "fr-FR": {
    title: "Conformité des prix affichés",
    intro:
      "Pour chaque vente, le prix « neuf » affiché à côté du prix reconditionné, comparé au prix du même modèle neuf sur le marché à la date de la commande. Une référence gonflée fait paraître l’économie plus grande qu’elle n’est.",
    loading: "Chargement des prix affichés…",
    categories: "Catégories",
    threshold: "Gonflé quand le prix neuf affiché dépasse de plus de",
    thresholdOption: (t) => `${t} % le prix du marché`,
    periodLine: (from, to) => `Ventes de ${from} à ${to}, en EUR`,
    partialNote: (month, day) =>
      `${month.charAt(0).toUpperCase()}${month.slice(1)} n’est pas terminé : ses ventes vont jusqu’au ${day}.`,
    cards: {
      share: "Ventes au prix neuf gonflé",
      shareOf: (inflated, priced) => `${inflated} sur ${priced} ventes comparées`,
      claimed: "Économie annoncée sur la page",
      actual: "Économie par rapport au vrai prix neuf",
      savingsNote: "1 − prix ÷ prix neuf, pondéré par le prix",
      overstatement: "Prix neufs affichés / marché",
      overstatementNote: "Σ affiché ÷ Σ prix neuf du marché − 1",
      unpriced: "Ventes sans prix du marché",
      unpricedNote: (sales) => `exclues des parts et des économies, sur ${sales} ventes`,
    },
    shareChart: "Part des ventes au prix neuf gonflé, par mois",
    chartFigures: "Les chiffres du graphique",
    savingsChart: "Économie annoncée et économie réelle par rapport au prix neuf, par mois",
    claimedLine: "Annoncée",
    actualLine: "Réelle",
    shareLine: (t) => `Plus de ${t} %`,
    byCountry: "Par pays",
    byCategory: "Par catégorie",
    sellers: "Vendeurs aux affichages les plus gonflés",
    models: "Modèles aux affichages les plus gonflés",
    topNote: (shown, all) =>
      `Les ${shown} qui ont le plus de ventes gonflées, puis la plus forte part ; le téléchargement les contient tous (${all}).`,
    columns: {
      country: "Pays",
      category: "Catégorie",
      seller: "Vendeur",
      sellerId: "Identifiant vendeur",
      home: "Basé en",
      brand: "Marque",
      model: "Modèle",
      priced: "Ventes comparées",
      inflated: "Gonflées",
      share: "Part gonflée",
      claimed: "Économie annoncée",
      actual: "Économie réelle",
      overstatement: "Affiché / marché",
    },
    sectionColumns: {
      month: "Mois (premier jour)",
      thresholdPct: "Gonflé au-delà de (%)",
      sales: "Ventes",
      sellerId: "Identifiant vendeur",
      productId: "Identifiant produit",
      sellerCountry: "Basé en",
    },
    empty: "Aucune vente sur cette période avec ces filtres : élargissez la période ou décochez un filtre.",
    footnote: (t) =>
      `Une vente est comptée comme gonflée quand son prix neuf affiché dépasse de plus de ${t} % le prix neuf du modèle sur le marché à la date de la commande (exactement ${t} % ne dépasse pas). Montants en EUR au taux du jour de la commande.`,
    method:
      "Les prix neufs du marché viennent des données de référence new_prices ; les ventes d’un modèle sans prix du marché à la date de la commande sont comptées à part et exclues de toutes les parts et économies.",
  },
};

// Interface text of the market context page (/market), in each locale.

import type { Locale } from "./locales";

export interface MarketMessages {
  title: string;
  intro: string;
  category: string;
  categories: Record<string, string>;
  allCountries: string;
  period: (label: string) => string;
  shareTitle: (category: string) => string;
  shareIntro: string;
  oneInFive: string;
  companyTitle: string;
  companyIntro: string;
  tableTitle: string;
  countryCol: string;
  months: string;
  devices: string;
  withoutTitle: string;
  withoutIntro: string;
  devicesInPeriod: string;
  noMarketData: (category: string) => string;
  nothing: string;
  month: string;
  compared: string;
  loading: string;
  shareCaption: string;
  companyCaption: string;
}

export const MARKET_MESSAGES: Record<Locale, MarketMessages> = {
  "en-GB": {
    title: "Market context",
    intro:
      "How much of each country's market is second-hand, where market data exists, and the company's own devices beside it.",
    category: "Category",
    categories: {
      smartphone: "Smartphones",
      laptop: "Laptops",
      tablet: "Tablets",
      console: "Consoles",
      audio: "Audio",
      wearable: "Wearables",
      other: "Other",
    },
    allCountries: "All countries",
    period: (label) => `Period: ${label}`,
    shareTitle: (category) => `Second-hand share of the market: ${category.toLowerCase()}`,
    shareIntro: "Second-hand units ÷ all units sold on the country's market, month by month.",
    oneInFive: "1 in 5 (the seed article, Kantar, France)",
    companyTitle: "The company's devices as a share of the second-hand market",
    companyIntro:
      "Devices the company sold in the category ÷ the market's second-hand units, same country and month.",
    tableTitle: "Over the period, by country",
    countryCol: "Country",
    months: "Months with market data",
    devices: "Company's devices",
    withoutTitle: "Countries without market data",
    withoutIntro: "The company sells here, but no market figures have been received for the category.",
    devicesInPeriod: "Company's devices in the period",
    noMarketData: (category) => `No market data for ${category.toLowerCase()} in this period.`,
    nothing: "Neither sales nor market data in this period for this choice.",
    month: "Month",
    compared:
      "What is compared: the company's completed items of every grade (Premium to Good) in the category, counted in the month they were ordered, against all second-hand units sold on the country's market that month (refurbished devices are part of them). Only the months with market data count in both. Market figures are synthetic in the demo.",
    loading: "Loading the market…",
    shareCaption: "Second-hand share, month by month",
    companyCaption: "The company's share of second-hand, month by month",
  },
  "fr-FR": {
    title: "Contexte de marché",
    intro:
      "La part de l’occasion dans le marché de chaque pays, là où des données existent, et les appareils vendus par l’entreprise à côté.",
    category: "Catégorie",
    categories: {
      smartphone: "Smartphones",
      laptop: "Ordinateurs portables",
      tablet: "Tablettes",
      console: "Consoles",
      audio: "Audio",
      wearable: "Objets connectés",
      other: "Autres",
    },
    allCountries: "Tous les pays",
    period: (label) => `Période : ${label}`,
    shareTitle: (category) => `Part de l’occasion dans le marché – ${category.toLowerCase()}`,
    shareIntro: "Unités d’occasion ÷ toutes les unités vendues sur le marché du pays, mois par mois.",
    oneInFive: "1 sur 5 (article de référence, Kantar, France)",
    companyTitle: "Les appareils de l’entreprise dans le marché de l’occasion",
    companyIntro:
      "Appareils vendus par l’entreprise dans la catégorie ÷ unités d’occasion du marché, même pays et même mois.",
    tableTitle: "Sur la période, par pays",
    countryCol: "Pays",
    months: "Mois avec données de marché",
    devices: "Appareils de l’entreprise",
    withoutTitle: "Pays sans données de marché",
    withoutIntro: "L’entreprise y vend, mais aucune donnée de marché n’a été reçue pour la catégorie.",
    devicesInPeriod: "Appareils de l’entreprise sur la période",
    noMarketData: (category) =>
      `Aucune donnée de marché pour : ${category.toLowerCase()}, sur cette période.`,
    nothing: "Ni ventes ni données de marché sur cette période pour ce choix.",
    month: "Mois",
    compared:
      "Ce qui est comparé : les articles vendus par l’entreprise dans la catégorie, tous grades confondus (Premium à État correct), comptés au mois de la commande, face à toutes les unités d’occasion vendues sur le marché du pays ce mois-là (le reconditionné en fait partie). Seuls les mois avec données de marché comptent des deux côtés. Les données de marché de la démo sont synthétiques.",
    loading: "Chargement du marché…",
    shareCaption: "Part de l’occasion, mois par mois",
    companyCaption: "Part de l’entreprise dans l’occasion, mois par mois",
  },
};

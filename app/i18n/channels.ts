// Interface text of the partners and app page (/channels), in each locale.

import type { Locale } from "./locales";

export interface ChannelsMessages {
  title: string;
  intro: string;
  country: string;
  allCountries: string;
  period: (label: string) => string;
  web: string;
  app: string;
  shareTitle: string;
  shareIntro: string;
  since: (month: string) => string;
  shareTotal: (devices: string, gmv: string, country: string) => string;
  deviceShare: string;
  gmvShare: string;
  month: string;
  countryDevices: string;
  countryGmv: string;
  periodRow: string;
  noPartners: string;
  compareTitle: string;
  compareIntro: string;
  compareIn: (country: string) => string;
  channel: string;
  compareNote: string;
  noSales: string;
  repeatTitle: string;
  repeatIntro: string;
  firstChannel: string;
  judgedNote: (latest90: string, latest365: string) => string;
  unjudged: (days: number) => string;
  seeEarlier: (label: string) => string;
  repeatChartTitle: string;
  appNote: string;
  noCohorts: string;
  loading: string;
  region: string;
  allRegions: string;
  countryCol: string;
  partner: string;
  shareCaption: string;
  compareCaption: string;
  repeatCaption: string;
  repeatMonthsCaption: string;
  judged: (days: number) => string;
}

export const CHANNELS_MESSAGES: Record<Locale, ChannelsMessages> = {
  "en-GB": {
    title: "Partners and app",
    intro:
      "How the partners' offers and the app sell, earn and bring customers back, beside the website in the same country.",
    country: "Country (returning customers)",
    allCountries: "All countries",
    period: (label) => `Period: ${label}`,
    web: "Web",
    app: "App",
    shareTitle: "Partners' share of their country",
    shareIntro:
      "Each partner's share of the devices sold and of the GMV in the country it sells in, month by month.",
    since: (month) => `selling since ${month}`,
    shareTotal: (devices, gmv, country) =>
      `Over the period: ${devices} of the devices and ${gmv} of the GMV in ${country}.`,
    deviceShare: "Share of devices",
    gmvShare: "Share of GMV",
    month: "Month",
    countryDevices: "Devices in the country",
    countryGmv: "GMV in the country",
    periodRow: "Period",
    noPartners: "No device has been sold through a partner yet.",
    compareTitle: "Partner, web and app in the same country",
    compareIntro: "Each channel of a partner's country over the period.",
    compareIn: (country) => `Channels in ${country}`,
    channel: "Channel",
    compareNote:
      "Take rate: net revenue ÷ GMV. Contribution before marketing: net revenue − payment fees − return costs. Marketing spend is not recorded by channel, so it is left out here (the overview's contribution margin subtracts it). Commission refunded and return costs count on the return's date. Return rate: items returned ÷ devices sold, by month of order — the last months' orders can still be returned.",
    noSales: "No sale in this country during the period.",
    repeatTitle: "Do first-time buyers come back?",
    repeatIntro:
      "New customers of the period grouped by how they bought their first item — on the web, in the app or through a partner's offer — and the share who bought again on a later day.",
    firstChannel: "First order through",
    judgedNote: (latest90, latest365) =>
      `Only cohorts old enough are judged: a month's new customers count at 90 days once the month's last day is 90 days old (the latest such month is ${latest90}), at 365 days once it is 365 days old (${latest365}).`,
    unjudged: (days) => `No first-order month of this period is ${days} days old yet.`,
    seeEarlier: (label) => `See ${label}`,
    repeatChartTitle: "Bought again within 90 days, by month of first order",
    appNote:
      "The app is offered in some countries only: choose a country to compare the app with the web where both exist.",
    noCohorts: "No customer made a first order in this period.",
    loading: "Loading the channels…",
    region: "Region (returning customers)",
    allRegions: "All regions",
    countryCol: "Country",
    partner: "Partner",
    shareCaption: "Partners' share, month by month and over the period",
    compareCaption: "Channels compared, by country",
    repeatCaption: "Bought again, by first channel",
    repeatMonthsCaption: "Bought again, by month of first order and first channel",
    judged: (days) => `New customers judged at ${days} days`,
  },
  "fr-FR": {
    title: "Partenaires et application",
    intro:
      "Ce que les offres des partenaires et l’application vendent, rapportent et fidélisent, à côté du site web du même pays.",
    country: "Pays (clients qui reviennent)",
    allCountries: "Tous les pays",
    period: (label) => `Période : ${label}`,
    web: "Site web",
    app: "Application",
    shareTitle: "Part des partenaires dans leur pays",
    shareIntro:
      "La part de chaque partenaire dans les appareils vendus et dans le volume d’affaires (GMV) de son pays, mois par mois.",
    since: (month) => `ventes depuis ${month}`,
    shareTotal: (devices, gmv, country) =>
      `Sur la période : ${devices} des appareils et ${gmv} du GMV en ${country}.`,
    deviceShare: "Part des appareils",
    gmvShare: "Part du GMV",
    month: "Mois",
    countryDevices: "Appareils dans le pays",
    countryGmv: "GMV dans le pays",
    periodRow: "Période",
    noPartners: "Aucun appareil n’a encore été vendu par un partenaire.",
    compareTitle: "Partenaire, site web et application dans le même pays",
    compareIntro: "Chaque canal du pays d’un partenaire sur la période.",
    compareIn: (country) => `Canaux – ${country}`,
    channel: "Canal",
    compareNote:
      "Taux de commission : revenu net ÷ GMV. Contribution avant marketing : revenu net − frais de paiement − coûts des retours. Les dépenses marketing ne sont pas ventilées par canal : elles ne sont pas déduites ici (la marge de contribution de la vue d’ensemble les déduit). Les commissions remboursées et les coûts des retours comptent à la date du retour. Taux de retour : articles retournés ÷ appareils vendus, par mois de commande — les commandes des derniers mois peuvent encore être retournées.",
    noSales: "Aucune vente dans ce pays sur la période.",
    repeatTitle: "Les nouveaux clients reviennent-ils ?",
    repeatIntro:
      "Les nouveaux clients de la période, selon le canal de leur premier achat — site web, application ou offre d’un partenaire — et la part qui a racheté un autre jour.",
    firstChannel: "Premier achat via",
    judgedNote: (latest90, latest365) =>
      `Seules les cohortes assez anciennes sont jugées : les nouveaux clients d’un mois comptent à 90 jours quand le dernier jour du mois a 90 jours (le dernier mois concerné est ${latest90}), à 365 jours quand il a 365 jours (${latest365}).`,
    unjudged: (days) => `Aucun mois de premier achat de cette période n’a encore ${days} jours.`,
    seeEarlier: (label) => `Voir ${label}`,
    repeatChartTitle: "Rachat sous 90 jours, par mois du premier achat",
    appNote:
      "L’application n’existe que dans certains pays : choisissez un pays pour comparer l’application et le site web là où les deux existent.",
    noCohorts: "Aucun client n’a fait son premier achat sur cette période.",
    loading: "Chargement des canaux…",
    region: "Région (clients qui reviennent)",
    allRegions: "Toutes les régions",
    countryCol: "Pays",
    partner: "Partenaire",
    shareCaption: "Part des partenaires, mois par mois et sur la période",
    compareCaption: "Canaux comparés, par pays",
    repeatCaption: "Rachat, selon le canal du premier achat",
    repeatMonthsCaption: "Rachat, par mois et canal du premier achat",
    judged: (days) => `Nouveaux clients jugés à ${days} jours`,
  },
};

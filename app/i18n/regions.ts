// The regions page's text in each locale.

import type { Locale } from "./locales";

export interface RegionsMessages {
  categoriesInEurOnly: (code: string) => string;
  title: string;
  tableTitle: string;
  multiplesTitle: string;
  footnote: string;
  drillRegion: (region: string) => string;
  drillCountry: (country: string) => string;
  unitsTitle: string;
  byCategory: string;
  unitsFootnote: string;
}

export const REGIONS_MESSAGES: Record<Locale, RegionsMessages> = {
  "en-GB": {
    categoriesInEurOnly: (code) =>
      `Unit economics by category exist in EUR only (${code} amounts are kept by country and day): switch the currency to EUR to see them.`,
    title: "Regions and countries",
    tableTitle: "Margins by region and country",
    multiplesTitle: "Contribution margin % by region",
    footnote:
      "Margins are % of net revenue. Under each figure, its change vs. the comparison period (percentage points for %). A region opens its countries; a country opens its monthly P&L.",
    drillRegion: (region) => `Show ${region}'s countries only`,
    drillCountry: (country) => `${country}: monthly P&L and path to profitability`,
    unitsTitle: "Unit economics per device sold",
    byCategory: "By category",
    unitsFootnote:
      "Marketing is spent by country and channel, not by category: per category, marketing, contribution and marketing's yield are not available.",
  },
  "fr-FR": {
    categoriesInEurOnly: (code) =>
      `L’économie unitaire par catégorie n’existe qu’en EUR (les montants en ${code} sont tenus par pays et par jour) : repassez en EUR pour la voir.`,
    title: "Régions et pays",
    tableTitle: "Marges par région et par pays",
    multiplesTitle: "Marge de contribution (%) par région",
    footnote:
      "Les marges sont en % du revenu net. Sous chaque chiffre, son évolution par rapport à la période de comparaison (en points pour les %). Une région ouvre ses pays ; un pays ouvre son compte de résultat mensuel.",
    drillRegion: (region) => `Afficher seulement les pays de ${region}`,
    drillCountry: (country) => `${country} : compte de résultat mensuel et trajectoire de rentabilité`,
    unitsTitle: "Économie unitaire par appareil vendu",
    byCategory: "Par catégorie",
    unitsFootnote:
      "Le marketing est dépensé par pays et par canal, pas par catégorie : par catégorie, le marketing, la contribution et le rendement du marketing ne sont pas disponibles.",
  },
};

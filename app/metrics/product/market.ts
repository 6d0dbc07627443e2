// The market context page's metrics (/market): the second-hand share of a country's market and the
// company's share of that second-hand market, from mart_market_months, each defined once from measure
// sums like the ledger's (../catalogue.ts). Only months with market data count. Browser-safe.

import { defineMetric } from "../define";
import { ratio } from "../evaluate";

const MARKET = ["country", "category"] as const;

export const MARKET_METRICS = {
  market_units: defineMetric({
    id: "market_units",
    unit: "count",
    measures: ["market_units"],
    derive: (m) => m.market_units,
    dimensions: MARKET,
    better: "up",
    label: { "en-GB": "Units sold on the market", "fr-FR": "Unités vendues sur le marché" },
    description: {
      "en-GB": "Units of the category sold in the country's market, new and second-hand (reference data).",
      "fr-FR":
        "Unités de la catégorie vendues sur le marché du pays, neuves et d’occasion (données de référence).",
    },
  }),
  second_hand_units: defineMetric({
    id: "second_hand_units",
    unit: "count",
    measures: ["second_hand_units"],
    derive: (m) => m.second_hand_units,
    dimensions: MARKET,
    better: "up",
    label: { "en-GB": "Second-hand units", "fr-FR": "Unités d’occasion" },
    description: {
      "en-GB": "Of the market's units, those sold second-hand (reference data).",
      "fr-FR": "Parmi les unités du marché, celles vendues d’occasion (données de référence).",
    },
  }),
  second_hand_share: defineMetric({
    id: "second_hand_share",
    unit: "ratio",
    measures: ["second_hand_units", "market_units"],
    derive: (m) => ratio(m.second_hand_units, m.market_units),
    dimensions: MARKET,
    better: "up",
    label: { "en-GB": "Second-hand share of the market", "fr-FR": "Part de l’occasion dans le marché" },
    description: {
      "en-GB": "Second-hand units ÷ all units sold on the market, in the months with market data.",
      "fr-FR":
        "Unités d’occasion ÷ toutes les unités vendues sur le marché, les mois avec des données de marché.",
    },
  }),
  market_covered_devices: defineMetric({
    id: "market_covered_devices",
    unit: "count",
    measures: ["market_covered_devices"],
    derive: (m) => m.market_covered_devices,
    dimensions: MARKET,
    better: "up",
    label: { "en-GB": "Our devices (months with market data)", "fr-FR": "Nos appareils (mois avec données)" },
    description: {
      "en-GB": "The company's completed items of the category, in the months with market data only.",
      "fr-FR": "Articles finalisés de la catégorie, sur les seuls mois avec des données de marché.",
    },
  }),
  company_second_hand_share: defineMetric({
    id: "company_second_hand_share",
    unit: "ratio",
    measures: ["market_covered_devices", "second_hand_units"],
    derive: (m) => ratio(m.market_covered_devices, m.second_hand_units),
    dimensions: MARKET,
    better: "up",
    label: { "en-GB": "Our share of second-hand", "fr-FR": "Notre part de l’occasion" },
    description: {
      "en-GB":
        "The company's devices ÷ the market's second-hand units, in the months with market data (every grade counts).",
      "fr-FR":
        "Appareils de l’entreprise ÷ unités d’occasion du marché, les mois avec des données de marché (toutes catégories d’état).",
    },
  }),
} as const;

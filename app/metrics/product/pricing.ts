// The price-display page's metrics (/pricing, ADR 0011): the "new" price displayed beside a refurbished
// one against the market price of that model new on the order date. Every sum and share is over the
// priced sales (a model with a market price that day); the threshold of "inflated" is a filter that
// picks which of the marts' count columns is the measure inflated_sales. Browser-safe.

import { defineMetric } from "../define";
import { ratio } from "../evaluate";

/** The pricing marts hold country and category (and seller, model): no grade, channel or partner. */
const GEO_CATEGORY = ["country", "category"] as const;

/** 1 − a ÷ b: a saving against a reference price (null without one). */
const savingAgainst = (price: number, reference: number): number | null => {
  const r = ratio(price, reference);
  return r === null ? null : 1 - r;
};

export const PRICING_METRICS = {
  priced_sales: defineMetric({
    id: "priced_sales",
    unit: "count",
    measures: ["priced_sales"],
    derive: (m) => m.priced_sales,
    dimensions: GEO_CATEGORY,
    better: "up",
    label: { "en-GB": "Sales compared", "fr-FR": "Ventes comparées" },
    description: {
      "en-GB": "Devices sold whose model had a market price new on the order date.",
      "fr-FR": "Appareils vendus dont le modèle avait un prix neuf du marché à la date de commande.",
    },
  }),
  unpriced_sales: defineMetric({
    id: "unpriced_sales",
    unit: "count",
    measures: ["devices_sold", "priced_sales"],
    derive: (m) => m.devices_sold - m.priced_sales,
    dimensions: GEO_CATEGORY,
    better: "down",
    label: { "en-GB": "Sales without a market price", "fr-FR": "Ventes sans prix du marché" },
    description: {
      "en-GB": "Devices sold whose model had no market price new on the order date: left out of every share.",
      "fr-FR":
        "Appareils vendus dont le modèle n’avait pas de prix neuf du marché à la date de commande : exclus de toutes les parts.",
    },
  }),
  inflated_sales: defineMetric({
    id: "inflated_sales",
    unit: "count",
    measures: ["inflated_sales"],
    derive: (m) => m.inflated_sales,
    dimensions: GEO_CATEGORY,
    better: "down",
    label: { "en-GB": "Inflated sales", "fr-FR": "Ventes gonflées" },
    description: {
      "en-GB":
        "Priced sales whose displayed new price was more than the chosen threshold above the market new price.",
      "fr-FR":
        "Ventes comparées dont le prix neuf affiché dépassait le prix neuf du marché de plus que le seuil choisi.",
    },
  }),
  inflated_display_share: defineMetric({
    id: "inflated_display_share",
    unit: "ratio",
    measures: ["inflated_sales", "priced_sales"],
    derive: (m) => ratio(m.inflated_sales, m.priced_sales),
    dimensions: GEO_CATEGORY,
    better: "down",
    label: { "en-GB": "Share inflated", "fr-FR": "Part gonflée" },
    description: {
      "en-GB": "Inflated sales ÷ priced sales, at the chosen threshold.",
      "fr-FR": "Ventes gonflées ÷ ventes comparées, au seuil choisi.",
    },
  }),
  claimed_saving_pct: defineMetric({
    id: "claimed_saving_pct",
    unit: "ratio",
    measures: ["priced_gmv_eur", "displayed_new_price_eur"],
    derive: (m) => savingAgainst(m.priced_gmv_eur, m.displayed_new_price_eur),
    dimensions: GEO_CATEGORY,
    better: "down",
    label: { "en-GB": "Claimed saving", "fr-FR": "Économie annoncée" },
    description: {
      "en-GB":
        "1 − Σ price ÷ Σ displayed new price, over priced sales: the saving the product pages claimed.",
      "fr-FR":
        "1 − Σ prix ÷ Σ prix neuf affiché, sur les ventes comparées : l’économie annoncée par les fiches produit.",
    },
  }),
  actual_saving_pct: defineMetric({
    id: "actual_saving_pct",
    unit: "ratio",
    measures: ["priced_gmv_eur", "market_new_price_eur"],
    derive: (m) => savingAgainst(m.priced_gmv_eur, m.market_new_price_eur),
    dimensions: GEO_CATEGORY,
    better: "up",
    label: { "en-GB": "Actual saving", "fr-FR": "Économie réelle" },
    description: {
      "en-GB": "1 − Σ price (EUR) ÷ Σ market new price in EUR on the order date, over priced sales.",
      "fr-FR":
        "1 − Σ prix (EUR) ÷ Σ prix neuf du marché en EUR à la date de commande, sur les ventes comparées.",
    },
  }),
  displayed_price_overstatement: defineMetric({
    id: "displayed_price_overstatement",
    unit: "ratio",
    measures: ["displayed_new_price_eur", "market_new_price_eur"],
    derive: (m) => {
      const r = ratio(m.displayed_new_price_eur, m.market_new_price_eur);
      return r === null ? null : r - 1;
    },
    dimensions: GEO_CATEGORY,
    better: "down",
    label: { "en-GB": "Displayed vs market new price", "fr-FR": "Prix neuf affiché / marché" },
    description: {
      "en-GB": "Σ displayed new price ÷ Σ market new price − 1, over priced sales: how far above, overall.",
      "fr-FR":
        "Σ prix neuf affiché ÷ Σ prix neuf du marché − 1, sur les ventes comparées : de combien au-dessus, en tout.",
    },
  }),
} as const;

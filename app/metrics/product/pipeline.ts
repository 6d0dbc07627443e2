// The pipeline's health as a figure of the catalogue (issue 21: "ETL quarantined rows > 1%"): what
// share of the rows the publishing run read were set aside. Shown on /changes, watched by alerts.
// Browser-safe.

import { defineMetric } from "../define";
import { ratio } from "../evaluate";

export const PIPELINE_METRICS = {
  quarantined_row_share: defineMetric({
    id: "quarantined_row_share",
    unit: "ratio",
    measures: ["rows_quarantined", "rows_read"],
    derive: (m) => ratio(m.rows_quarantined, m.rows_read),
    dimensions: [],
    better: "down",
    label: { "en-GB": "Rows quarantined", "fr-FR": "Lignes en quarantaine" },
    description: {
      "en-GB": "Rows the publishing run set aside in quarantine ÷ rows it read from the landing files.",
      "fr-FR":
        "Lignes mises en quarantaine par l’exécution qui a publié ÷ lignes lues dans les fichiers déposés.",
    },
  }),
} as const;

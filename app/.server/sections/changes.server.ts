// The "What changed" page's sections, each one SectionTable built from the page's view: the restated
// figures (one row per metric, month and country: before, after, change, each in its metric's unit),
// what the batches did by month and country, and the quarantine then and now. The page shows these
// tables and the download route writes them, so they cannot disagree.

import { CHANGES_MESSAGES } from "~/i18n/changes";
import type { Locale } from "~/i18n/locales";
import { METRICS, type MetricId } from "~/metrics/catalogue";
import { difference } from "~/metrics/evaluate";
import type { CHANGES_SECTIONS } from "~/sections/changes";
import { col, type SectionColumn, type SectionTable } from "~/sections/table";
import type { ChangesView } from "../changes.server";

export type ChangesSectionId = (typeof CHANGES_SECTIONS)[number];

/** The figures' unit names, as the files write them (a reader of the CSV knows what each value is). */
const UNIT_OF_METRIC = (row: readonly unknown[]) => METRICS[row[2] as MetricId]?.unit;

export function changesTables(view: ChangesView, locale: Locale): Record<ChangesSectionId, SectionTable> {
  const t = CHANGES_MESSAGES[locale];
  const table = (columns: SectionColumn[], rows: SectionTable["rows"]): SectionTable => ({
    columns,
    rows,
    range: view.range,
    currency: "EUR",
  });
  const country = col.code("country_code", t.country, view.countryNames);
  // Values of every unit in one column: exact decimals (money to 1/10,000, ratios to 6 places) in
  // the files, each row shown in its metric's unit on the page.
  const figure = (id: string, label: string, signed = false): SectionColumn => ({
    id,
    label,
    kind: "decimal",
    scale: 6,
    unitOf: UNIT_OF_METRIC,
    exact: true,
    signed,
  });
  const kinds = t.kinds as Record<string, string>;
  return {
    "changes-figures": table(
      [
        col.month("month", t.month),
        country,
        col.code("metric_id", t.metricCol, view.metricNames),
        col.code("unit", t.unit, t.units),
        figure("before", t.before),
        figure("after", t.after),
        figure("change", t.change, true),
        col.text("batches", t.batchesCol),
        col.text("what_changed", t.whatCol),
      ],
      view.rows.map((r) => [
        `${r.month}-01`,
        r.country,
        r.metric,
        METRICS[r.metric].unit,
        r.before,
        r.after,
        r.before !== null && r.after !== null
          ? difference(r.after, r.before, METRICS[r.metric].unit === "eur")
          : null,
        r.batches.join(", "),
        r.what,
      ]),
    ),
    "changes-batches": table(
      [
        col.code("batch_id", t.batch),
        col.code("entity", t.entity, t.entities),
        col.code("change", t.kind, kinds),
        col.text("month", t.month),
        col.code("country_code", t.country, view.countryNames),
        col.count("rows", t.rows),
      ],
      view.data.effects.map((e) => [e.batch, e.entity, e.change, e.month ?? t.everyMonth, e.country, e.rows]),
    ),
    "changes-quarantine": table(
      [
        col.code("entity", t.entity, t.entities),
        col.count("quarantined_before", t.quarantinedBefore),
        col.count("quarantined_after", t.quarantinedAfter),
      ],
      view.data.quarantine.map((q) => [q.entity, q.before, q.after]),
    ),
  };
}

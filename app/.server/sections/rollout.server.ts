// The rollout page's sections: each chart's figures and each table as one SectionTable, built from the
// page's view. The page shows these tables and the download route writes them, so they cannot
// disagree. `rollout` keeps the columns of the download it replaces.

import type { Cell } from "~/export/columns";
import type { Locale } from "~/i18n/locales";
import { ROLLOUT_MESSAGES } from "~/i18n/rollout";
import { monthEnd } from "~/lib/grammar";
import { CATALOGUE } from "~/metrics/catalogue";
import { AGE_CHECKPOINTS, DEVICE_MILESTONES } from "~/metrics/rollout";
import type { ROLLOUT_SECTIONS } from "~/sections/rollout";
import { col, type SectionColumn, type SectionTable } from "~/sections/table";
import { countryNames } from "../overview.server";
import { ROLLOUT_TABLE_METRICS, type RolloutRow, type RolloutView } from "../rollout.server";

export type RolloutSectionId = (typeof ROLLOUT_SECTIONS)[number];

const date = (id: string, label: string): SectionColumn => ({ ...col.text(id, label), kind: "date" });

/** The `rollout` download's column ids where they differ from the metric's (contracts). */
const TABLE_COLUMN: Partial<Record<(typeof ROLLOUT_TABLE_METRICS)[number], string>> = {
  repeat_purchase_rate: "repeat_rate",
};

/**
 * A `rollout` row's cells, once per row: the view's table is made of rows kept per snapshot and country
 * (rollout.server.ts), of which a page shows 24 and a download all.
 */
const CELLS = new WeakMap<RolloutRow, Cell[]>();

function cellsOf(r: RolloutRow): Cell[] {
  let cells = CELLS.get(r);
  if (!cells) {
    cells = [
      r.country,
      r.launchedOn,
      `${r.month}-01`,
      r.monthsSinceLaunch,
      r.population,
      ...ROLLOUT_TABLE_METRICS.map((id) => r.figures[id]),
    ];
    CELLS.set(r, cells);
  }
  return cells;
}

/** Every section of the rollout page, from its view. */
export function rolloutTables(view: RolloutView, locale: Locale): Record<RolloutSectionId, SectionTable> {
  const t = ROLLOUT_MESSAGES[locale];
  const s = t.sections;
  const regions = countryNames(locale);
  const name = (c: string) => regions.of(c) ?? c;
  const names = Object.fromEntries(view.available.map((c) => [c.country, name(c.country)]));
  const months = view.table.map((r) => r.month).sort();
  const range = {
    from: `${months[0] ?? "1970-01"}-01`,
    to: monthEnd(months.at(-1) ?? "1970-01"),
  };
  const table = (columns: SectionColumn[], rows: SectionTable["rows"]): SectionTable => ({
    columns,
    rows,
    range,
    currency: "EUR",
  });
  const byLaunch = view.params.axis === "launch";
  const metric = CATALOGUE[view.metricId];
  // The lines: one row per x, one column per country (its code in lower case), and the median of all.
  const xs = [
    ...new Set([
      ...view.series.flatMap((c) => c.points.map((p) => p.x)),
      ...(byLaunch ? view.median.map((m) => m.x) : []),
    ]),
  ].sort((a, b) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b)),
  );
  const at = new Map(view.series.map((c) => [c.country, new Map(c.points.map((p) => [p.x, p.y]))]));
  const median = new Map(view.median.map((m) => [m.x, m.y]));
  const apps = view.appShare;
  const appXs = [...new Set(apps.flatMap((a) => a.points.map((p) => p.x)))].sort((a, b) => a - b);
  const appAt = new Map(apps.map((a) => [a.country, new Map(a.points.map((p) => [p.x, p.y]))]));
  return {
    "rollout-lines": table(
      [
        byLaunch ? col.count("months_since_launch", s.monthsSinceLaunch) : col.month("month", s.month),
        ...view.series.map((c) => col.metric(metric, locale, c.country.toLowerCase(), names[c.country])),
        // The median of an even number of counts may fall halfway between two: a decimal column.
        ...(byLaunch
          ? [{ ...col.metric(metric, locale, "median", t.median), kind: "decimal" as const, scale: 1 }]
          : []),
      ],
      xs.map((x) => [
        byLaunch ? x : `${x}-01`,
        ...view.series.map((c) => at.get(c.country)?.get(x) ?? null),
        ...(byLaunch ? [median.get(x as number) ?? null] : []),
      ]),
    ),
    "rollout-app-share": table(
      [
        col.count("months_from_app_launch", s.appMonths),
        ...apps.map((a) =>
          col.metric(CATALOGUE.app_share_of_devices, locale, a.country.toLowerCase(), names[a.country]),
        ),
      ],
      appXs.map((x) => [x, ...apps.map((a) => appAt.get(a.country)?.get(x) ?? null)]),
    ),
    "rollout-app-windows": table(
      [
        col.code("country_code", t.country, names),
        date("app_launched_on", t.appLaunched),
        col.metric(CATALOGUE.app_share_of_devices, locale, "app_share_before", t.appBefore),
        col.metric(CATALOGUE.app_share_of_devices, locale, "app_share_after", t.appAfter),
      ],
      apps.map((a) => [a.country, a.appLaunchedOn, a.before, a.after]),
    ),
    "rollout-milestones": table(
      [
        col.code("country_code", t.country, names),
        date("launched_on", t.launched),
        ...DEVICE_MILESTONES.map((n) =>
          col.count(`months_to_${n}_devices`, s.monthsToId(new Intl.NumberFormat(locale).format(n))),
        ),
        ...AGE_CHECKPOINTS.map((n) =>
          col.metric(
            CATALOGUE.cumulative_customers,
            locale,
            `cumulative_customers_at_${n}`,
            t.customersAt(n),
          ),
        ),
        ...AGE_CHECKPOINTS.map((n) =>
          col.metric(
            CATALOGUE.contribution_margin_pct,
            locale,
            `contribution_margin_pct_at_${n}`,
            s.contributionAtLabel(n),
          ),
        ),
        col.count("break_even_month", s.breakEvenMonth),
        col.code("history_from_launch", s.historyFromLaunch, s.yesNo),
      ],
      view.milestones.map((m) => [
        m.country,
        m.launchedOn,
        ...DEVICE_MILESTONES.map((n) => m.monthsToDevices[n]),
        ...AGE_CHECKPOINTS.map((n) => m.customersAt[n]),
        ...AGE_CHECKPOINTS.map((n) => m.contributionPctAt[n]),
        m.breakEvenMonth,
        m.historyFromLaunch ? "yes" : "no",
      ]),
    ),
    rollout: table(
      [
        col.code("country_code", t.country, names),
        date("launched_on", t.launched),
        col.month("month", s.month),
        col.count("months_since_launch", s.monthsSinceLaunch),
        col.count("population", s.population),
        ...ROLLOUT_TABLE_METRICS.map((id) => col.metric(CATALOGUE[id], locale, TABLE_COLUMN[id] ?? id)),
      ],
      view.table.map(cellsOf),
    ),
  };
}

// The overview's breakdown in a download in the order the screen shows it: sorted by the column its URL
// names (`sort`, `dir`; by default the trend's metric, largest first), regions first and each region's
// countries under it. The sections' tables do the same with their own sort (sections/registry.server.ts).

import type { Locale } from "~/i18n/locales";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import type { Cell } from "../../export/columns";
import type { ExportTable } from "./views.server";

/** The views whose table on screen the reader can sort, and the URL parameters that say how. */
const SORTABLE_VIEWS = new Set<ExportTable["view"]>(["breakdown"]);

const countryNames = new Map<Locale, Intl.DisplayNames>();

function nameOfCountry(code: string, locale: Locale): string {
  let names = countryNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: "region" });
    countryNames.set(locale, names);
  }
  return names.of(code) ?? code;
}

/**
 * The table with its rows in the screen's order (a new table; the given one is left as it is). `params`
 * are the view's checked URL parameters. A sort column the file does not hold (a figure the role may
 * not see) falls back to the metric, and then to the stable order, as on screen.
 */
export function inScreenOrder(table: ExportTable, params: URLSearchParams, locale: Locale): ExportTable {
  if (!SORTABLE_VIEWS.has(table.view)) return table;
  const index = (id: string) => table.columns.findIndex((c) => c.id === id);
  const [series, level, region, country] = ["series", "level", "region", "country_code"].map(index);
  if ([series, level, region, country].some((i) => i === undefined || i < 0)) return table;
  const metric = params.get("metric") ?? "gmv_eur";
  const asked = params.get("sort") ?? metric;
  const sortColumn = asked === "name" ? -1 : index(index(asked) >= 0 ? asked : metric);
  if (asked !== "name" && sortColumn < 0) return table;
  const descending = (params.get("dir") ?? "desc") === "desc";

  const at = (row: readonly Cell[], i: number | undefined) => row[i as number];
  const keyOf = (row: readonly Cell[]) =>
    at(row, level) === "region" ? String(at(row, region)) : String(at(row, country));
  const nameOf = (row: readonly Cell[]) =>
    at(row, level) === "region"
      ? (OVERVIEW_MESSAGES[locale].regions[String(at(row, region))] ?? String(at(row, region)))
      : nameOfCountry(String(at(row, country)), locale);
  // The screen's comparison: a missing figure counts as the smallest; names in the reader's alphabet.
  const compare = (a: readonly Cell[], b: readonly Cell[]) => {
    const cmp =
      sortColumn < 0
        ? nameOf(a).localeCompare(nameOf(b), locale)
        : numberOf(a[sortColumn]) - numberOf(b[sortColumn]);
    return descending ? -cmp : cmp;
  };

  // The current series sets the order; the comparison series follows it row for row.
  const current = table.rows.filter((row) => at(row, series) === "current");
  const regions = current.filter((row) => at(row, level) === "region").sort(compare);
  const countriesOf = (code: Cell | undefined) =>
    current.filter((row) => at(row, level) === "country" && at(row, region) === code).sort(compare);
  const rank = new Map<string, number>();
  for (const r of regions)
    for (const row of [r, ...countriesOf(at(r, region))]) rank.set(keyOf(row), rank.size);
  const position = (row: readonly Cell[]) => rank.get(keyOf(row)) ?? Number.POSITIVE_INFINITY;
  const seriesOrder = [...new Set(table.rows.map((row) => at(row, series)))];
  const rows = [...table.rows].sort(
    (a, b) =>
      seriesOrder.indexOf(at(a, series)) - seriesOrder.indexOf(at(b, series)) || position(a) - position(b),
  );
  return { ...table, rows };
}

function numberOf(cell: Cell | undefined): number {
  if (cell === null || cell === undefined || cell === "") return Number.NEGATIVE_INFINITY;
  const value = Number(cell);
  return Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY;
}

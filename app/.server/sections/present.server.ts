// A page's section tables for a view, built and formatted once per view and locale. A page module keeps
// its view per snapshot and filters (warehouse.memo), so a repeated request finds the same view object
// here and skips re-deriving and re-formatting every cell (5–6 ms a request on /rollout); a view that is
// not kept is simply built again. Downloads ask here too, so a page and its file share the work.

import type { Locale } from "~/i18n/locales";
import { presentTable, ROWS_IN_HTML, type SectionTable, type TableView } from "~/sections/table";

/**
 * A page's tables from its view. `limits`, when given, says how many rows of a table the caller reads: a
 * builder may stop there (and say the table's `total`); without it, every row (what downloads write).
 */
export type Build<V, Id extends string> = (
  view: V,
  locale: Locale,
  limits?: Partial<Record<Id, number>>,
) => Record<Id, SectionTable>;

/** The map's value for a key, made and kept on first use. */
function kept<K, V>(map: { get(k: K): V | undefined; set(k: K, v: V): unknown }, key: K, make: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = make();
  map.set(key, made);
  return made;
}

const BUILT = new WeakMap<object, Map<Build<never, string>, Map<string, Record<string, SectionTable>>>>();
const SHOWN = new WeakMap<Record<string, SectionTable>, Map<string, TableView>>();

/**
 * The view's section tables in the reader's language (raw values: what the downloads write), every row
 * of them unless `limits` says how many of a table's rows are read.
 */
export function sectionTablesOf<V extends object, Id extends string>(
  view: V,
  locale: Locale,
  build: Build<V, Id>,
  limits?: Partial<Record<Id, number>>,
): Record<Id, SectionTable> {
  const byBuild = kept(BUILT, view, () => new Map());
  const byKey = kept(byBuild, build as Build<never, string>, () => new Map());
  const key = limits ? `${locale}|${JSON.stringify(limits)}` : locale;
  return kept(byKey, key, () => build(view, locale, limits)) as Record<Id, SectionTable>;
}

/**
 * The view's tables as the page receives them: no more rows than `limits` says for a table (the download
 * holds them all), the cells of the rows the server's HTML shows formatted in the reader's locale (the
 * browser formats the others as it draws them: `cellTexts`).
 */
export function presentTables<V extends object, Id extends string>(
  view: V,
  locale: Locale,
  build: Build<V, Id>,
  limits: Partial<Record<Id, number>> = {},
): Record<Id, TableView> {
  // Built no longer than shown: /pricing's 3,000 sellers and 2,000 models were made into rows of cells
  // on every visit for the 20 of each the page shows (the downloads build them all, once asked). A page
  // that shows every row shares its tables with its downloads.
  const tables = sectionTablesOf(view, locale, build, Object.keys(limits).length ? limits : undefined);
  const shown = kept(SHOWN, tables, () => new Map<string, TableView>());
  const out = {} as Record<Id, TableView>;
  for (const id of Object.keys(tables) as Id[]) {
    const limit = limits[id] ?? Number.POSITIVE_INFINITY;
    out[id] = kept(shown, `${id}|${limit}`, () => presentTable(id, tables[id], locale, limit, ROWS_IN_HTML));
  }
  return out;
}

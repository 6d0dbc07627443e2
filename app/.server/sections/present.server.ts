// A page's section tables for a view, built and formatted once per view and locale. A page module keeps
// its view per snapshot and filters (warehouse.memo), so a repeated request finds the same view object
// here and skips re-deriving and re-formatting every cell (5–6 ms a request on /rollout); a view that is
// not kept is simply built again. Downloads ask here too, so a page and its file share the work.

import type { Locale } from "~/i18n/locales";
import { presentTable, type SectionTable, type TableView } from "~/sections/table";

type Build<V, Id extends string> = (view: V, locale: Locale) => Record<Id, SectionTable>;

/** The map's value for a key, made and kept on first use. */
function kept<K, V>(map: { get(k: K): V | undefined; set(k: K, v: V): unknown }, key: K, make: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = make();
  map.set(key, made);
  return made;
}

const BUILT = new WeakMap<object, Map<Build<never, string>, Map<Locale, Record<string, SectionTable>>>>();
const SHOWN = new WeakMap<Record<string, SectionTable>, Map<string, TableView>>();

/** The view's section tables in the reader's language (raw values: what the downloads write). */
export function sectionTablesOf<V extends object, Id extends string>(
  view: V,
  locale: Locale,
  build: Build<V, Id>,
): Record<Id, SectionTable> {
  const byBuild = kept(BUILT, view, () => new Map());
  const byLocale = kept(byBuild, build as Build<never, string>, () => new Map());
  return kept(byLocale, locale, () => build(view, locale)) as Record<Id, SectionTable>;
}

/**
 * The view's tables as the page receives them: each cell formatted in the reader's locale, and no more
 * rows than `limits` says for a table (the download holds them all).
 */
export function presentTables<V extends object, Id extends string>(
  view: V,
  locale: Locale,
  build: Build<V, Id>,
  limits: Partial<Record<Id, number>> = {},
): Record<Id, TableView> {
  const tables = sectionTablesOf(view, locale, build);
  const shown = kept(SHOWN, tables, () => new Map<string, TableView>());
  const out = {} as Record<Id, TableView>;
  for (const id of Object.keys(tables) as Id[]) {
    const limit = limits[id] ?? Number.POSITIVE_INFINITY;
    out[id] = kept(shown, `${id}|${limit}`, () => presentTable(id, tables[id], locale, limit));
  }
  return out;
}

// Every section's table, served from the page's own loader: the download route and the command line ask
// here for a section by id, with the page's URL, and get exactly the table the page shows.

import type { Locale } from "~/i18n/locales";
import { BadRequest } from "~/lib/errors";
import { CHANGES_SECTIONS } from "~/sections/changes";
import { CHANNELS_SECTIONS } from "~/sections/channels";
import { MARKET_SECTIONS } from "~/sections/market";
import { PRICING_SECTIONS } from "~/sections/pricing";
import { QUALITY_SECTIONS, type SectionId } from "~/sections/registry";
import { ROLLOUT_SECTIONS } from "~/sections/rollout";
import { type SectionTable, sortRows } from "~/sections/table";
import { loadChanges } from "../changes.server";
import { loadChannels } from "../channels.server";
import { loadMarket } from "../market.server";
import { loadPricing } from "../pricing.server";
import { loadQuality } from "../quality.server";
import { loadRollout } from "../rollout.server";
import type { Snapshot, Warehouse } from "../warehouse.server";
import { changesTables } from "./changes.server";
import { channelsTables } from "./channels.server";
import { marketTables } from "./market.server";
import { sectionTablesOf } from "./present.server";
import { pricingTables } from "./pricing.server";
import { qualityTables } from "./quality.server";
import { rolloutTables } from "./rollout.server";

type Built = { state: "empty" } | { state: "ready"; snapshot: Snapshot; result: SectionTable };
type Builder = (warehouse: Warehouse, url: URL, locale: Locale) => Promise<Built>;
type Loaded<V> = { state: "empty" } | { state: "ready"; snapshot: Snapshot; result: V };

/** A page's sections: load the page's view for the URL (its own loader, its cache), then pick the table. */
function pageSections<const Id extends SectionId, V extends object>(
  ids: readonly Id[],
  load: (warehouse: Warehouse, url: URL, locale: Locale) => Promise<Loaded<V>>,
  tables: (view: V, locale: Locale) => Record<Id, SectionTable>,
): Record<Id, Builder> {
  const out = {} as Record<Id, Builder>;
  for (const id of ids)
    out[id] = async (warehouse, url, locale) => {
      const loaded = await load(warehouse, url, locale);
      if (loaded.state === "empty") return loaded;
      return {
        state: "ready",
        snapshot: loaded.snapshot,
        result: sectionTablesOf(loaded.result, locale, tables)[id],
      };
    };
  return out;
}

/** Every section of every page (the type checker sees that none is missing). */
const BUILDERS: Record<SectionId, Builder> = {
  ...pageSections(QUALITY_SECTIONS, loadQuality, qualityTables),
  ...pageSections(PRICING_SECTIONS, (warehouse, url) => loadPricing(warehouse, url), pricingTables),
  ...pageSections(ROLLOUT_SECTIONS, loadRollout, rolloutTables),
  ...pageSections(CHANNELS_SECTIONS, loadChannels, channelsTables),
  ...pageSections(MARKET_SECTIONS, loadMarket, marketTables),
  ...pageSections(CHANGES_SECTIONS, loadChanges, changesTables),
};

/** Parameters of a section's download that are not the page's: the screen's sort. */
export const SECTION_SORT_PARAMS = ["sort", "dir"] as const;

/**
 * A section's table for a page URL, in the order of the screen's sort (`sort` = a column id, `dir` =
 * asc|desc) when given, or null when no warehouse is published.
 */
export async function sectionTable(
  warehouse: Warehouse,
  id: SectionId,
  url: URL,
  locale: Locale,
): Promise<(SectionTable & { snapshot: Snapshot }) | null> {
  const page = new URL(url);
  const sort = page.searchParams.get("sort");
  const dir = page.searchParams.get("dir") ?? "desc";
  for (const name of SECTION_SORT_PARAMS) page.searchParams.delete(name);
  if (dir !== "asc" && dir !== "desc")
    throw new BadRequest(`dir: must be asc or desc, not "${dir.slice(0, 20)}"`);
  const built = await BUILDERS[id](warehouse, page, locale);
  if (built.state === "empty") return null;
  const table = built.result;
  if (sort === null) return { ...table, snapshot: built.snapshot };
  const index = table.columns.findIndex((c) => c.id === sort);
  if (index < 0)
    throw new BadRequest(
      `sort: "${sort.slice(0, 40)}" is not a column of ${id} (${table.columns.map((c) => c.id).join(", ")})`,
    );
  return { ...table, rows: sortRows(table.rows, index, dir, locale), snapshot: built.snapshot };
}

// Every section of every page that has a download: its export id (also the route /export/<id>, the
// command line's view and the file's name) and the page it belongs to (whoever may open the page may
// download its sections). One list, browser-safe: the pages' download menus and the policy read it.

import type { PageId } from "~/auth/policy";
import { CHANGES_SECTIONS } from "./changes";
import { CHANNELS_SECTIONS } from "./channels";
import { MARKET_SECTIONS } from "./market";
import { PRICING_SECTIONS } from "./pricing";
import { QUALITY_SECTIONS } from "./quality";
import { ROLLOUT_SECTIONS } from "./rollout";

/** Every page's sections, by page. */
export const PAGE_SECTIONS = {
  quality: QUALITY_SECTIONS,
  pricing: PRICING_SECTIONS,
  rollout: ROLLOUT_SECTIONS,
  channels: CHANNELS_SECTIONS,
  market: MARKET_SECTIONS,
  changes: CHANGES_SECTIONS,
} as const satisfies Partial<Record<PageId, readonly string[]>>;

export type SectionId = (typeof PAGE_SECTIONS)[keyof typeof PAGE_SECTIONS][number];

export const SECTION_PAGE: Record<SectionId, PageId> = Object.fromEntries(
  Object.entries(PAGE_SECTIONS).flatMap(([page, ids]) => ids.map((id) => [id, page])),
) as Record<SectionId, PageId>;

export const SECTION_IDS = Object.keys(SECTION_PAGE) as SectionId[];

export function isSectionId(view: string): view is SectionId {
  return Object.hasOwn(SECTION_PAGE, view);
}

export { QUALITY_SECTIONS };

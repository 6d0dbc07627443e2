// The grades page's fixed lists, browser-safe: the page's menus and legends and the server's schema
// share them. Grades best first; reasons in the landing contract's order.

import { CATEGORIES, GRADES, RETURN_REASONS } from "../../core/contract.ts";

export { CATEGORIES as QUALITY_CATEGORIES, GRADES, RETURN_REASONS };
export type Grade = (typeof GRADES)[number];
export type ReturnReason = (typeof RETURN_REASONS)[number];
export type Category = (typeof CATEGORIES)[number];

/** The Premium promise: a battery at least this share of a new one (%). */
export const PREMIUM_BATTERY_MIN = 85;

/** Width of the battery-health bands (mart_battery_daily): band 80 holds 80–84%. */
export const BATTERY_BAND_WIDTH = 5;

/** At most this many seller-months are listed in the compliance table (worst first). */
export const COMPLIANCE_LIST_LIMIT = 50;

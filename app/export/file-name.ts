// A download's file name says what it holds: backlight-<view>-<filters>-<from>-<to>.<ext>, e.g.
// backlight-kpis-europe-2024-01-01-2024-12-31.csv. The filters part is built only from codes of closed
// lists (never from what a user typed), so the name is always short and safe on every file system.

import { CATEGORIES, GRADES, ORDER_CHANNELS, PARTNERS, REGIONS } from "../../core/contract.ts";
import type { ExportFormat } from "./columns";
import { isIsoDate } from "./csv";

/** The filters a file name summarises, in this order, with the codes each accepts. */
const SUMMARISED: readonly { param: string; plural: string; accepts: (code: string) => boolean }[] = [
  { param: "region", plural: "regions", accepts: (c) => (REGIONS as readonly string[]).includes(c) },
  { param: "country", plural: "countries", accepts: (c) => /^[A-Z]{2}$/.test(c) },
  { param: "category", plural: "categories", accepts: (c) => (CATEGORIES as readonly string[]).includes(c) },
  { param: "grade", plural: "grades", accepts: (c) => (GRADES as readonly string[]).includes(c) },
  { param: "channel", plural: "channels", accepts: (c) => (ORDER_CHANNELS as readonly string[]).includes(c) },
  { param: "partner", plural: "partners", accepts: (c) => (PARTNERS as readonly string[]).includes(c) },
];

/** More codes than this in one filter are counted instead of listed ("5-countries"). */
const MOST_LISTED = 3;

const VIEW = /^[a-z0-9-]+$/;
const SLUG = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/;

/**
 * The active filters as a slug: each filter's codes, lower case, `_` as `-` ("europe", "fr-de",
 * "north-america-smartphone"); a filter with many codes as a count ("5-countries"); "" when none is set.
 * A code outside its list (the request is refused elsewhere) is left out rather than copied.
 */
export function filtersSummary(params: URLSearchParams): string {
  const parts: string[] = [];
  for (const { param, plural, accepts } of SUMMARISED) {
    const codes = [
      ...new Set(
        params
          .getAll(param)
          .flatMap((value) => value.split(","))
          .filter(accepts),
      ),
    ];
    if (codes.length > MOST_LISTED) parts.push(`${codes.length}-${plural}`);
    else parts.push(...codes.map((code) => code.toLowerCase().replaceAll("_", "-")));
  }
  return parts.join("-");
}

/** `backlight-<view>[-<filters>]-<from>-<to>.<ext>`; throws on a view, summary or date that is not safe. */
export function filenameFor(
  view: string,
  filters: string,
  from: string,
  to: string,
  format: ExportFormat,
): string {
  if (!VIEW.test(view)) throw new RangeError(`export view must match ${VIEW}: ${JSON.stringify(view)}`);
  if (!SLUG.test(filters))
    throw new RangeError(`export filters summary must be a slug: ${JSON.stringify(filters)}`);
  for (const date of [from, to])
    if (!isIsoDate(date)) throw new RangeError(`export date must be YYYY-MM-DD: ${JSON.stringify(date)}`);
  return `backlight-${view}${filters ? `-${filters}` : ""}-${from}-${to}.${extensionOf(format)}`;
}

function extensionOf(format: ExportFormat): string {
  switch (format) {
    case "csv":
    case "csv-excel-en":
    case "csv-excel-fr":
      return "csv";
    case "xlsx":
      return "xlsx";
    case "parquet":
      return "parquet";
    case "arrow":
      return "arrow";
    default:
      throw new RangeError(`unknown export format "${format as string}"`);
  }
}

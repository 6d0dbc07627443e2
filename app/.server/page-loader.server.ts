// What every dashboard page's loader does around its own work: who is asking and whether their role
// may open the page (sign-in redirect or 403, ~/.server/auth/access.server.ts), the reader's locale
// (400 when the lang parameter is bad), the current warehouse, bad filters as 400 with their message, any other failure
// as a 503 with a sentence (the details go to the server log, never to the reader), and the headers:
// no caching by the browser, and the snapshot the figures came from.

import { data, type LoaderFunctionArgs } from "@remix-run/node";
import type { PageId, Role } from "~/auth/policy";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { ParamError } from "~/lib/grammar";
import { Forbidden, forbidden, requirePage } from "./auth/access.server";
import type { Viewer } from "./auth/gate.server";
import { chooseLocale } from "./locale.server";
import { BadRequest } from "./overview.server";
import {
  getWarehouse,
  SNAPSHOT_HEADER,
  type Snapshot,
  type Warehouse,
  WarehouseBusy,
  WarehouseError,
} from "./warehouse.server";

type Loaded<T> = { state: "empty" } | { state: "ready"; snapshot: Snapshot; result: T };

export interface PageContext<T> {
  locale: Locale;
  url: URL;
  /** The `lang` parameter as given, for links that keep it. */
  lang: string | undefined;
  headers: Headers;
  loaded: Loaded<T>;
  viewer: Viewer;
  /** Whether the page's data goes in the document's head (a page load; `pageData`'s third argument). */
  inline: boolean;
}

export async function pageLoader<T>(
  args: Pick<LoaderFunctionArgs, "request" | "context">,
  page: PageId,
  load: (warehouse: Warehouse, url: URL, locale: Locale, role: Role) => Promise<Loaded<T>>,
): Promise<PageContext<T>> {
  const { request } = args;
  const { viewer, ctx } = requirePage(args, page);
  const choice = chooseLocale(request);
  if (!choice.ok) throw data({ message: choice.message }, { status: 400 });
  const { locale } = choice;
  const url = new URL(request.url);
  let loaded: Loaded<T>;
  try {
    loaded = await load(getWarehouse(), url, locale, viewer.role);
  } catch (error) {
    if (error instanceof Forbidden) forbidden(ctx, viewer, `${url.pathname}${url.search}`, error.message);
    if (error instanceof BadRequest) throw data(badRequestBody(error, url, locale), { status: 400 });
    console.error(`backlight: cannot compute the ${page} page`, error);
    const message =
      error instanceof WarehouseError
        ? MESSAGES[locale].warehouseUnreadable
        : MESSAGES[locale].unexpectedMessage;
    const retry =
      error instanceof WarehouseBusy ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
    throw data({ message }, { status: 503, headers: retry });
  }
  const headers = new Headers({ "Cache-Control": "private, no-cache", Vary: "Accept-Language, Cookie" });
  if (loaded.state === "ready") headers.set(SNAPSHOT_HEADER, loaded.snapshot.id);
  const inline = args.context.document === true;
  return { locale, url, lang: url.searchParams.get("lang") ?? undefined, headers, loaded, viewer, inline };
}

/** A 400's body: the sentence in the reader's language and, for a bad parameter, the page without it. */
export function badRequestBody(error: BadRequest, url: URL, locale: Locale) {
  if (!(error instanceof ParamError)) return { message: error.in(locale) };
  const search = new URLSearchParams(url.search);
  search.delete(error.param);
  // from and to go together: without one, the other would be the next error.
  if (error.param === "from" || error.param === "to") for (const p of ["from", "to"]) search.delete(p);
  for (const key of [...search.keys()]) if (key.startsWith("_")) search.delete(key);
  const rest = search.toString().replaceAll("%2C", ",");
  return {
    message: error.in(locale),
    retry: { href: `${url.pathname}${rest ? `?${rest}` : ""}`, param: error.param },
  };
}

import type { HeadersFunction } from "@remix-run/node";

/** Route `headers` export: keeps what parent routes and this route's loader, action or thrown error set. */
export const forwardHeaders: HeadersFunction = ({
  parentHeaders,
  loaderHeaders,
  actionHeaders,
  errorHeaders,
}) => {
  const headers = new Headers(parentHeaders);
  for (const source of [loaderHeaders, actionHeaders, errorHeaders]) {
    source?.forEach((value, name) => {
      headers.set(name, value);
    });
  }
  return headers;
};

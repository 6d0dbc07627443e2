import type { HeadersFunction } from "@remix-run/node";

/** Route `headers` export: keeps what parent routes and this route's loader (or thrown error) set. */
export const forwardHeaders: HeadersFunction = ({ parentHeaders, loaderHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  for (const source of [loaderHeaders, errorHeaders]) {
    source?.forEach((value, name) => {
      headers.set(name, value);
    });
  }
  return headers;
};

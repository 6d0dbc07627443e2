// The figures as a reader expects them, built here from Intl directly rather than from the app's
// formatting code, so a wrong format in the app fails the tests.

import type { HeadlineRow } from "./fixture-warehouse";

export type TestLocale = "en-GB" | "fr-FR";

export function expectedFigures(headline: HeadlineRow, locale: TestLocale): Record<string, string> {
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const euros = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "EUR",
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  });
  return {
    customers: count.format(headline.customers),
    devices_sold: count.format(headline.devices_sold),
    gmv_eur: euros.format(headline.gmv_eur),
  };
}

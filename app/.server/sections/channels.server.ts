// The partners and app page's sections: each table and each chart's figures as one SectionTable, built
// from the page's view. The page shows these tables and the download route writes them, so they cannot
// disagree. Every figure column is a catalogue metric (its id is the CSV header).

import { CHANNELS_MESSAGES } from "~/i18n/channels";
import type { Locale } from "~/i18n/locales";
import { monthEnd } from "~/lib/grammar";
import { CATALOGUE } from "~/metrics/catalogue";
import type { CHANNELS_SECTIONS } from "~/sections/channels";
import { col, type SectionTable } from "~/sections/table";
import { CHANNEL_FIGURES, type ChannelsView } from "../channels.server";

export type ChannelsSectionId = (typeof CHANNELS_SECTIONS)[number];

/** Every section of the partners and app page, from its view. */
export function channelsTables(view: ChannelsView, locale: Locale): Record<ChannelsSectionId, SectionTable> {
  const t = CHANNELS_MESSAGES[locale];
  const range = { from: `${view.period.from}-01`, to: monthEnd(view.period.to) };
  const table = (columns: SectionTable["columns"], rows: SectionTable["rows"]): SectionTable => ({
    columns,
    rows,
    range,
    currency: "EUR",
  });
  const partnerNames = Object.fromEntries(
    view.partners.map((p) => [p.partner, view.channelNames[p.partner]]),
  );
  const months = Object.fromEntries(view.partners.flatMap((p) => p.months.map((m) => [m.month, m.label])));
  const metric = (id: keyof typeof CATALOGUE, label?: string) => col.metric(CATALOGUE[id], locale, id, label);
  return {
    "channels-partner-share": table(
      [
        col.code("partner", t.partner, partnerNames as Record<string, string>),
        col.code("country", t.countryCol, view.countryNames),
        col.code("month", t.month, { ...months, period: t.periodRow }),
        metric("partner_devices"),
        metric("devices_sold", t.countryDevices),
        metric("partner_device_share"),
        metric("partner_gmv_eur"),
        metric("gmv_eur", t.countryGmv),
        metric("partner_gmv_share"),
      ],
      view.partners.flatMap((p) =>
        [...p.months, { ...p.total, month: "period" }].map((m) => [
          p.partner,
          p.country,
          m.month,
          m.partnerDevices,
          m.countryDevices,
          m.deviceShare,
          m.partnerGmv,
          m.countryGmv,
          m.gmvShare,
        ]),
      ),
    ),
    "channels-compare": table(
      [
        col.code("country", t.countryCol, view.countryNames),
        col.code("channel", t.channel, view.channelNames),
        ...CHANNEL_FIGURES.map(([, id]) => metric(id)),
      ],
      view.comparison.flatMap((c) =>
        c.channels.map((ch) => [c.country, ch.channel, ...CHANNEL_FIGURES.map(([key]) => ch.figures[key])]),
      ),
    ),
    "channels-repeat": table(
      [
        col.code("channel", t.firstChannel, view.channelNames),
        metric("cohort_customers"),
        metric("cohort_customers_judged_90", t.judged(90)),
        metric("repeat_rate_90d"),
        metric("cohort_customers_judged_365", t.judged(365)),
        metric("repeat_rate_365d"),
      ],
      view.repeat.rows.map((r) => [
        r.channel,
        r.customers,
        r.within[90].judged,
        r.within[90].rate,
        r.within[365].judged,
        r.within[365].rate,
      ]),
    ),
    "channels-repeat-months": table(
      [
        col.month("month", t.month),
        col.code("channel", t.firstChannel, view.channelNames),
        metric("cohort_customers"),
        metric("repeat_rate_90d"),
        metric("repeat_rate_365d"),
      ],
      view.repeat.months.flatMap((m) =>
        view.repeat.rows.map((r) => [
          `${m.month}-01`,
          r.channel,
          m.customers[r.channel] ?? 0,
          m.rates[r.channel]?.[90] ?? null,
          m.rates[r.channel]?.[365] ?? null,
        ]),
      ),
    ),
  };
}

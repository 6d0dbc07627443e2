// Business events on the time charts (issue 21): which events fall in a chart's periods, the dotted
// numbered markers drawn at them, and the list under the chart that names them (so the marker is never
// the only cue). Rows say which days they cover by `periodFrom`/`periodTo` or `month`; the events come
// from the root loader (the app state). A country's event shows when the page's filter names it.

import { useLocation, useRouteLoaderData } from "@remix-run/react";
import { ReferenceLine } from "recharts";
import type { Locale } from "~/i18n/locales";
import { formatDate } from "~/lib/format";
import { monthsBetween } from "~/lib/grammar";
import { type ChartEvent, useEvents } from "../account";
import { DownloadMenu } from "../download-menu";

type ChartRow = Record<string, string | number | null>;

/** The events drawn at one place of the x axis (a category, or a number on a numeric axis). */
export interface Marked {
  at: string | number;
  events: ChartEvent[];
}

/** The days a row covers: its `periodFrom`/`periodTo` (YYYY-MM-DD), or its `month` (YYYY-MM). */
function periodOf(row: ChartRow): { from: string; to: string } | null {
  const { periodFrom, periodTo, month } = row;
  if (typeof periodFrom === "string" && typeof periodTo === "string")
    return { from: periodFrom, to: periodTo };
  if (typeof month === "string" && /^\d{4}-\d{2}$/.test(month))
    return { from: `${month}-01`, to: `${month}-31` };
  return null;
}

/**
 * The business events that fall in the chart's periods, by the category they are drawn at: the whole
 * company's always, a country's when the page's `country` filter names it.
 */
export function eventsByCategory(
  rows: readonly ChartRow[],
  x: string,
  events: readonly ChartEvent[],
  countries: readonly string[],
): Marked[] {
  const out: Marked[] = [];
  for (const row of rows) {
    const period = periodOf(row);
    const at = row[x];
    if (!period || typeof at !== "string") continue;
    const here = events.filter(
      (e) =>
        e.day >= period.from && e.day <= period.to && (e.country === null || countries.includes(e.country)),
    );
    if (here.length > 0) out.push({ at, events: here });
  }
  return out;
}

/**
 * The events of a chart's rows, as the page's filter and the reader's language want them. `countries`:
 * the countries the chart shows, when the page chose them itself (default: the URL's `country`).
 */
export function useChartEvents(rows: readonly ChartRow[], x: string, countries?: readonly string[]) {
  const asked = (new URLSearchParams(useLocation().search).get("country") ?? "").split(",").filter(Boolean);
  const locale: Locale = (useRouteLoaderData("root") as { locale?: Locale } | undefined)?.locale ?? "en-GB";
  return { marked: eventsByCategory(rows, x, useEvents(), countries ?? asked), locale };
}

/**
 * A country's own events on an axis of months since each country's launch (month 1: the launch month):
 * each at its country's age, named with the country. The whole company's events are at a different age
 * in every country, so they are left to the calendar axis.
 */
export function useEventsByAge(
  series: readonly { country: string; launchedOn: string }[],
  names: Record<string, string>,
  last: number,
) {
  const locale: Locale = (useRouteLoaderData("root") as { locale?: Locale } | undefined)?.locale ?? "en-GB";
  const events = useEvents();
  const byAge = new Map<number, ChartEvent[]>();
  for (const e of events)
    for (const s of series) {
      if (e.country !== s.country || e.day < s.launchedOn) continue;
      const age = monthsBetween(s.launchedOn, e.day) + 1;
      if (age > last) continue;
      byAge.set(age, [
        ...(byAge.get(age) ?? []),
        { ...e, label: `${names[s.country] ?? s.country} — ${e.label}` },
      ]);
    }
  const marked = [...byAge].sort(([a], [b]) => a - b).map(([at, events]) => ({ at, events }));
  return { marked, locale };
}

/** The markers, as children of a recharts chart (a function, not a component: recharts reads its children). */
export function eventMarkers(marked: readonly Marked[]) {
  return marked.map((m, i) => (
    <ReferenceLine
      key={`event-${m.at}`}
      x={m.at}
      stroke="currentColor"
      strokeDasharray="2 3"
      strokeOpacity={0.7}
      label={{ value: `◆${i + 1}`, position: "top", fill: "currentColor", fontSize: 11 }}
    />
  ));
}

/** The list under the chart: each marker's number, then its events' dates and names. */
export function EventList({ marked, locale }: { marked: readonly Marked[]; locale: Locale }) {
  if (marked.length === 0) return null;
  // Their download: every event on record over the data's whole span, the company's and these countries'.
  const countries = [
    ...new Set(marked.flatMap((m) => m.events.flatMap((e) => (e.country ? [e.country] : [])))),
  ];
  const search = `?range=all_time${countries.length > 0 ? `&country=${countries.sort().join(",")}` : ""}`;
  const fr = locale === "fr-FR";
  return (
    <div className="chart__events-block">
      <ol className="chart__events" aria-label={fr ? "Événements" : "Events"}>
        {marked.map((m, i) => (
          <li key={m.at} value={i + 1} data-event-at={m.at}>
            <span aria-hidden="true">◆{i + 1}</span>{" "}
            {m.events.map((e) => `${formatDate(e.day, locale)}: ${e.label}`).join(" · ")}
          </li>
        ))}
      </ol>
      <DownloadMenu
        view="events"
        search={search}
        what={fr ? "les événements" : "the events"}
        locale={locale}
      />
    </div>
  );
}

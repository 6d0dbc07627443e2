import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { RolloutView } from "~/.server/rollout.server";
import { Drawn } from "~/components/charts/drawn";
import type { Locale } from "~/i18n/locales";
import type { RolloutMessages } from "~/i18n/rollout";
import { formatMetricValue } from "~/lib/format";
import { endLabelRoom, endLabels } from "../charts/end-labels";
import { EventList, eventMarkers, useChartEvents, useEventsByAge } from "../charts/events";
import { ChartLegend } from "../charts/legend";
import { useNarrow } from "../charts/narrow";
import { rolloutColour, TOOLTIP_STYLE, usePalette } from "../charts/palette";
import { formatTick, niceScale } from "../charts/ticks";

// Okabe–Ito's eight colours, and a dash pattern per line: colour is never the only cue, and each line
// carries its country's name at its end.
const DASHES = ["", "6 3", "2 3", "10 4 2 4", "", "6 3", "2 3", "10 4 2 4"];

/** Per capita, counts read as "rate" (two decimals) and amounts as "eur_unit" (to the cent). */
export type RolloutUnit = "count" | "eur" | "ratio" | "rate" | "eur_unit";

const HEIGHT = 360;
/** The plot area's height: the chart's, less its margins and the x axis with its title. */
const PLOT_HEIGHT = HEIGHT - 12 - 24 - 30;

type Row = Record<string, number | string | null>;

/** A line's colour and dash by its place among the chosen countries (white for the 8th in the dark). */
function lineStyle(i: number, dark: boolean) {
  const colour = rolloutColour(i, dark);
  return { colour, dash: DASHES[i % DASHES.length] };
}

export function formatRollout(value: number | null, unit: RolloutUnit, locale: Locale): string {
  if (value === null) return "—";
  if (unit === "ratio")
    return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
  return formatMetricValue(value, unit, locale);
}

/** One line per country by month of age (or calendar month), and the median of all countries, dashed. */
export function RolloutChart({
  view,
  names,
  unit,
  locale,
  messages,
}: {
  view: Omit<RolloutView, "table">;
  names: Record<string, string>;
  unit: RolloutUnit;
  locale: Locale;
  messages: RolloutMessages;
}) {
  const palette = usePalette();
  // On a phone the names go to a legend under the chart (at the ends they would squeeze the plot).
  const narrow = useNarrow();
  const byLaunch = view.params.axis === "launch";
  // One row per x: each country's value under its code, and the median (months since launch only).
  const rows = new Map<number | string, Record<string, number | string | null>>();
  const row = (x: number | string) => {
    let found = rows.get(x);
    if (!found) {
      found = { x };
      rows.set(x, found);
    }
    return found;
  };
  for (const s of view.series) for (const p of s.points) row(p.x)[s.country] = p.y;
  if (byLaunch) {
    const xs = [...rows.keys()] as number[];
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    for (const m of view.median) if (m.x >= lo && m.x <= hi) row(m.x).median = m.y;
  }
  const data = [...rows.values()].sort((a, b) =>
    typeof a.x === "number" && typeof b.x === "number" ? a.x - b.x : String(a.x).localeCompare(String(b.x)),
  );
  const dark = palette.dark;
  // Business events: on the calendar axis at their month (the company's, and the chosen countries'); by
  // months since launch, each country's own at its age.
  const calendar = useChartEvents(
    byLaunch ? [] : data.map((r) => ({ ...r, month: String(r.x) })),
    "x",
    view.countries,
  );
  const lastAge = byLaunch ? Math.max(0, ...data.map((r) => Number(r.x))) : 0;
  const aged = useEventsByAge(byLaunch ? view.series : [], names, lastAge);
  const events = byLaunch ? aged : calendar;
  const chart = () => {
    const keys = [
      ...(byLaunch && view.median.length ? ["median"] : []),
      ...view.series.map((s) => s.country),
    ];
    const values = data.flatMap((r) =>
      keys.map((k) => r[k]).filter((v): v is number => typeof v === "number"),
    );
    const scale = niceScale(Math.min(0, ...values), Math.max(0, ...values));
    const tick = (v: number) => formatTick(v, scale.step, unit, locale);
    const endLabel = endLabels(data, keys, PLOT_HEIGHT);
    const markers = view.series.flatMap((s, i) => (s.appX === null ? [] : [{ s, i }]));
    return (
      <LineChart
        responsive
        style={{ width: "100%", height: HEIGHT }}
        data={data}
        margin={{
          top: 12,
          right: narrow
            ? 12
            : endLabelRoom([
                ...(byLaunch && view.median.length ? [messages.median] : []),
                ...view.series.map((s) => names[s.country] ?? s.country),
              ]),
          bottom: 24,
          left: 8,
        }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis
          dataKey="x"
          type={byLaunch ? "number" : "category"}
          domain={byLaunch ? [1, "dataMax"] : undefined}
          allowDecimals={false}
          tick={{ fill: "currentColor", fontSize: 11 }}
          minTickGap={24}
          label={
            byLaunch
              ? {
                  value: narrow ? messages.sections.monthsSinceLaunch : messages.monthsSinceLaunch,
                  position: "insideBottom",
                  offset: -14,
                  fill: "currentColor",
                  fontSize: 12,
                }
              : undefined
          }
        />
        <YAxis
          width={72}
          domain={[scale.ticks[0] ?? 0, scale.ticks.at(-1) ?? 1]}
          ticks={scale.ticks}
          interval={0}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={tick}
        />
        <Tooltip
          labelFormatter={(x) => (byLaunch ? messages.monthOfAge(Number(x)) : String(x))}
          formatter={(v, name) => [typeof v === "number" ? formatRollout(v, unit, locale) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
        />
        {byLaunch ? (
          <Line
            dataKey="median"
            name={messages.median}
            stroke="currentColor"
            strokeOpacity={0.55}
            strokeWidth={3}
            strokeDasharray="1 5"
            strokeLinecap="round"
            dot={false}
            connectNulls
            isAnimationActive={false}
            label={narrow ? undefined : endLabel("median", messages.median, "currentColor")}
          />
        ) : null}
        {markers.map(({ s, i }, n) => {
          const { colour } = lineStyle(i, dark);
          return (
            <ReferenceLine
              key={`app-${s.country}`}
              x={s.appX ?? undefined}
              stroke={colour}
              strokeDasharray="2 4"
              ifOverflow="extendDomain"
              label={(props: { viewBox?: { x?: number; y?: number } }) => (
                <text
                  x={(props.viewBox?.x ?? 0) + 4}
                  y={(props.viewBox?.y ?? 0) + 12 + n * 14}
                  fill={colour}
                  fontSize={11}
                  data-app-marker={s.country}
                >
                  {messages.appMarker(names[s.country] ?? s.country)}
                </text>
              )}
            />
          );
        })}
        {view.series.map((s, i) => {
          const { colour, dash } = lineStyle(i, dark);
          return (
            <Line
              key={s.country}
              dataKey={s.country}
              name={names[s.country] ?? s.country}
              stroke={colour}
              strokeWidth={2}
              strokeDasharray={dash}
              dot={false}
              connectNulls
              isAnimationActive={false}
              label={narrow ? undefined : endLabel(s.country, names[s.country] ?? s.country, colour)}
            />
          );
        })}
        {eventMarkers(events.marked)}
      </LineChart>
    );
  };
  return (
    <figure className="chart">
      <Drawn height={HEIGHT}>{chart}</Drawn>
      <EventList marked={events.marked} locale={events.locale} />
      {narrow ? (
        <ChartLegend
          entries={[
            ...(byLaunch && view.median.length
              ? [{ label: messages.median, colour: "currentColor", kind: "line" as const, dash: "1 5" }]
              : []),
            ...view.series.map((s, i) => ({
              label: names[s.country] ?? s.country,
              kind: "line" as const,
              ...lineStyle(i, dark),
            })),
          ]}
        />
      ) : null}
      <figcaption className="visually-hidden">
        {messages.chartTitle(messages.metrics[view.metric])}
      </figcaption>
    </figure>
  );
}

/**
 * The app's share of devices sold in the months around each chosen country's app launch (month 0), one
 * line per country in the same colour and dash as in the main chart, each named at its end.
 */
export function AppShareChart({
  view,
  names,
  locale,
  messages,
}: {
  view: Omit<RolloutView, "table">;
  names: Record<string, string>;
  locale: Locale;
  messages: RolloutMessages;
}) {
  const palette = usePalette();
  const narrow = useNarrow();
  const dark = palette.dark;
  const chart = () => {
    const rows = new Map<number, Row>();
    for (const s of view.appShare)
      for (const p of s.points) {
        const row = rows.get(p.x) ?? { x: p.x };
        row[s.country] = p.y;
        rows.set(p.x, row);
      }
    const data = [...rows.values()].sort((a, b) => Number(a.x) - Number(b.x));
    const endLabel = endLabels(
      data,
      view.appShare.map((s) => s.country),
      PLOT_HEIGHT,
    );
    const pct = (v: number) => formatRollout(v, "ratio", locale);
    const shares = data.flatMap((r) =>
      view.appShare.map((s) => r[s.country]).filter((v): v is number => typeof v === "number"),
    );
    const shareScale = niceScale(0, Math.max(0, ...shares));
    return (
      <LineChart
        responsive
        style={{ width: "100%", height: HEIGHT }}
        data={data}
        margin={{
          top: 12,
          right: narrow ? 12 : endLabelRoom(view.appShare.map((s) => names[s.country] ?? s.country)),
          bottom: 24,
          left: 8,
        }}
        accessibilityLayer
      >
        <CartesianGrid stroke={palette.grid} vertical={false} />
        <XAxis
          dataKey="x"
          type="number"
          domain={["dataMin", "dataMax"]}
          allowDecimals={false}
          tick={{ fill: "currentColor", fontSize: 11 }}
          label={{
            value: narrow ? messages.sections.appMonths : messages.appAxis,
            position: "insideBottom",
            offset: -14,
            fill: "currentColor",
            fontSize: 12,
          }}
        />
        <YAxis
          width={72}
          domain={[0, shareScale.ticks.at(-1) ?? 1]}
          ticks={shareScale.ticks}
          interval={0}
          tick={{ fill: "currentColor", fontSize: 11 }}
          tickFormatter={(v: number) => formatTick(v, shareScale.step, "ratio", locale)}
        />
        <Tooltip
          labelFormatter={(x) => messages.appMonth(Number(x))}
          formatter={(v, name) => [typeof v === "number" ? pct(v) : "—", name]}
          contentStyle={TOOLTIP_STYLE}
        />
        <ReferenceLine
          x={0}
          stroke="currentColor"
          strokeDasharray="2 4"
          label={{
            value: messages.appLaunch,
            position: "insideTopLeft",
            fill: "currentColor",
            fontSize: 11,
          }}
        />
        {view.appShare.map((s) => {
          const i = view.series.findIndex((x) => x.country === s.country);
          const { colour, dash } = lineStyle(i, dark);
          return (
            <Line
              key={s.country}
              dataKey={s.country}
              name={names[s.country] ?? s.country}
              stroke={colour}
              strokeWidth={2}
              strokeDasharray={dash}
              dot={false}
              connectNulls
              isAnimationActive={false}
              label={narrow ? undefined : endLabel(s.country, names[s.country] ?? s.country, colour)}
            />
          );
        })}
      </LineChart>
    );
  };
  return (
    <figure className="chart">
      <Drawn height={HEIGHT}>{chart}</Drawn>
      {narrow ? (
        <ChartLegend
          entries={view.appShare.map((s) => ({
            label: names[s.country] ?? s.country,
            kind: "line" as const,
            ...lineStyle(
              view.series.findIndex((x) => x.country === s.country),
              dark,
            ),
          }))}
        />
      ) : null}
      <figcaption className="visually-hidden">{messages.appTitle}</figcaption>
    </figure>
  );
}

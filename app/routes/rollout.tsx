// /rollout: countries compared at the same age — a metric by month since launch (or by calendar month),
// one line per chosen country and the median of all countries, and each country's milestones. Every
// choice lives in the URL (country, metric, axis), so a link reproduces the view.

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { countryNames } from "~/.server/overview.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { loadRollout } from "~/.server/rollout.server";
import { presentTables } from "~/.server/sections/present.server";
import { type RolloutSectionId, rolloutTables } from "~/.server/sections/rollout.server";
import { DataTable } from "~/components/data-table";
import { EmptyPage } from "~/components/empty-page";
import { FilterFold } from "~/components/filter-fold";
import { PageFrame } from "~/components/page-frame";
import { AppShareChart, RolloutChart, type RolloutUnit } from "~/components/rollout/rollout-chart";
import { MESSAGES } from "~/i18n/messages";
import { ROLLOUT_MESSAGES } from "~/i18n/rollout";
import { byName, formatDate, formatMonth, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { usePageData } from "~/lib/page-data";
import { isRatioMetric, ROLLOUT_BASES, ROLLOUT_METRICS } from "~/metrics/rollout";

/** How many months of the `rollout` table the page shows (the download holds them all). */
const MONTHLY_ROWS = 24;

export const meta: MetaFunction = () => [
  { title: "Country rollout · Backlight" },
  { name: "description", content: "How countries ramp up after launch, compared at the same age." },
];

export const headers = forwardHeaders;

const UNITS: Record<(typeof ROLLOUT_METRICS)[number], RolloutUnit> = {
  devices_sold: "count",
  gmv_eur: "eur",
  active_customers: "count",
  cumulative_customers: "count",
  repeat_rate: "ratio",
  contribution_margin_pct: "ratio",
  take_rate: "ratio",
};

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, url, inline } = await pageLoader(args, "rollout", loadRollout);
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  const names = countryNames(locale);
  // The chosen countries month by month are the `rollout` download's rows: the page receives a table.
  const { table: _table, ...view } = loaded.result;
  const tables = presentTables(loaded.result, locale, rolloutTables, { rollout: MONTHLY_ROWS });
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      view,
      tables,
      synthetic: loaded.snapshot.synthetic,
      /** The page's parameters for its download (the same countries). */
      search: (() => {
        const q = new URLSearchParams(url.search);
        q.delete("lang");
        return q.toString().replaceAll("%2C", ",");
      })(),
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      names: Object.fromEntries(view.available.map((c) => [c.country, names.of(c.country) ?? c.country])),
      display: {
        createdAt: formatTimestamp(loaded.snapshot.createdAt, locale),
        launched: Object.fromEntries(
          view.available.map((c) => [c.country, formatDate(c.launchedOn, locale)]),
        ),
        leftOut: view.leftOut
          ? {
              month: formatMonth(view.leftOut.month, locale),
              day: formatDate(view.leftOut.lastDay, locale),
            }
          : null,
        appLaunched: Object.fromEntries(
          view.appShare.map((a) => [a.country, formatDate(a.appLaunchedOn, locale)]),
        ),
      },
    },
    { headers },
    inline,
  );
}

export default function Rollout() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang, names, display } = page;
  const t = ROLLOUT_MESSAGES[locale];
  const filterLabels = MESSAGES[locale].filters;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/rollout";
  const absolute = UNITS[view.metric];
  // Per 1,000 inhabitants, counts get two decimals and amounts cents.
  const unit: RolloutUnit = view.perCapita ? (absolute === "eur" ? "eur_unit" : "rate") : absolute;
  const missingPopulation = view.series
    .filter((s) => s.noPopulation)
    .map((s) => names[s.country] ?? s.country);
  const table = (id: RolloutSectionId, caption: string) => (
    <DataTable table={page.tables[id]} caption={caption} locale={locale} search={page.search} />
  );
  return (
    <PageFrame
      locale={locale}
      synthetic={page.synthetic}
      createdAt={page.snapshot.createdAt}
      createdAtDisplay={display.createdAt}
      snapshotId={page.snapshot.id}
      loading={loading}
      loadingText={t.loading}
    >
      <div className="page__heading">
        <h2>{t.title}</h2>
        <p className="period">{t.intro}</p>
      </div>
      {/* Keyed by the view, so that Back or a link resets the controls to what the URL says. */}
      <FilterFold locale={locale}>
        <Form key={page.search} method="get" className="filter-bar" aria-label={t.title}>
          {lang ? <input type="hidden" name="lang" value={lang} /> : null}
          <CountryChoice
            key={view.countries.join(",")}
            available={byName(
              view.available.map((c) => c.country),
              (c) => names[c] ?? c,
              locale,
            )}
            chosen={view.countries}
            names={names}
            legend={filterLabels.countries}
            messages={t}
          />
          <div className="filter-bar__group">
            <div className="field">
              <label htmlFor="r-metric">{t.metric}</label>
              <select id="r-metric" name="metric" defaultValue={view.metric}>
                {ROLLOUT_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t.metrics[m]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="r-axis">{t.axis}</label>
              <select id="r-axis" name="axis" defaultValue={view.params.axis}>
                <option value="launch">{t.axes.launch}</option>
                <option value="calendar">{t.axes.calendar}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="r-basis">{t.basis}</label>
              <select id="r-basis" name="basis" defaultValue={view.params.basis}>
                {ROLLOUT_BASES.map((b) => (
                  <option key={b} value={b}>
                    {t.bases[b]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="filter-bar__actions">
            <button type="submit">{filterLabels.apply}</button>
          </div>
        </Form>
      </FilterFold>
      <div className={loading ? "figures figures--loading" : "figures"}>
        <section className="panel" aria-labelledby="rollout-chart-title">
          <div className="panel__head">
            <h3 id="rollout-chart-title">
              {view.perCapita
                ? t.perCapitaTitle(t.metrics[view.metric])
                : t.chartTitle(t.metrics[view.metric])}
            </h3>
          </div>
          <RolloutChart view={view} names={names} unit={unit} locale={locale} messages={t} />
          {table("rollout-lines", t.sections.lines)}
          {view.params.basis === "per_capita" && isRatioMetric(view.metric) ? (
            <p className="footnote">{t.ratioSameBasis}</p>
          ) : null}
          {display.leftOut ? (
            <p className="footnote">{t.leftOut(display.leftOut.month, display.leftOut.day)}</p>
          ) : null}
          {missingPopulation.length ? (
            <p className="footnote">{t.noPopulation(missingPopulation.join(", "))}</p>
          ) : null}
          {view.perCapita && view.population ? (
            <p className="footnote">{t.populationNote(view.population.year, view.population.source)}</p>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="app-share-title">
          <div className="panel__head">
            <h3 id="app-share-title">{t.appTitle}</h3>
          </div>
          <p className="footnote">{t.appIntro}</p>
          {view.appShare.length ? (
            <>
              <AppShareChart view={view} names={names} locale={locale} messages={t} />
              {table("rollout-app-share", t.sections.appFigures)}
              {table("rollout-app-windows", t.appTable)}
            </>
          ) : (
            <p className="notice">{t.appNone}</p>
          )}
        </section>
        <section className="panel">
          {table("rollout-milestones", t.milestonesTitle)}
          <p className="footnote">{t.footnote}</p>
        </section>
        <section className="panel">{table("rollout", t.sections.monthly)}</section>
      </div>
    </PageFrame>
  );
}

/**
 * The countries' tick boxes: 1 to 8 may be chosen (one is compared with the median of all). With 8
 * ticked the others are disabled and a sentence says why; with none the sentence asks for one. Without JavaScript the server still refuses
 * a wrong count with a 400 that says so.
 */
function CountryChoice({
  available,
  chosen,
  names,
  legend,
  messages: t,
}: {
  available: string[];
  chosen: string[];
  names: Record<string, string>;
  /** The group's name: the common "Countries" label. */
  legend: string;
  messages: (typeof ROLLOUT_MESSAGES)[keyof typeof ROLLOUT_MESSAGES];
}) {
  const [ticked, setTicked] = useState(() => new Set(chosen));
  const full = ticked.size >= 8;
  const hint = full ? t.limit : ticked.size < 1 ? t.tooFew : null;
  return (
    <fieldset className="check-group" aria-describedby="rollout-countries-hint">
      <legend>
        {legend} <span className="footnote">{t.countriesHelp}</span>
      </legend>
      {available.map((c) => (
        <label key={c} className="check">
          <input
            type="checkbox"
            name="country"
            value={c}
            checked={ticked.has(c)}
            disabled={full && !ticked.has(c)}
            onChange={(e) => {
              const next = new Set(ticked);
              if (e.currentTarget.checked) next.add(c);
              else next.delete(c);
              setTicked(next);
            }}
          />
          {names[c]}
        </label>
      ))}
      <p id="rollout-countries-hint" className="footnote" aria-live="polite">
        {hint}
      </p>
    </fieldset>
  );
}

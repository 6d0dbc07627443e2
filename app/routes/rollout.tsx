// /rollout: countries compared at the same age — a metric by month since launch (or by calendar month),
// one line per chosen country and the median of all countries, and each country's milestones. Every
// choice lives in the URL (country, metric, axis), so a link reproduces the view.

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { pageLoader } from "~/.server/page-loader.server";
import { loadRollout } from "~/.server/rollout.server";
import { DownloadMenu } from "~/components/download-menu";
import { EmptyPage } from "~/components/empty-page";
import { PageFrame } from "~/components/page-frame";
import {
  AppShareChart,
  formatRollout,
  RolloutChart,
  type RolloutUnit,
} from "~/components/rollout/rollout-chart";
import { ROLLOUT_MESSAGES } from "~/i18n/rollout";
import { formatDate, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import {
  AGE_CHECKPOINTS,
  DEVICE_MILESTONES,
  isRatioMetric,
  ROLLOUT_BASES,
  ROLLOUT_METRICS,
} from "~/metrics/rollout";

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
  const { locale, lang, headers, loaded, url } = await pageLoader(args, "rollout", loadRollout);
  if (loaded.state === "empty") return data({ state: "empty" as const, locale }, { headers });
  const names = new Intl.DisplayNames([locale], { type: "region" });
  const view = loaded.result;
  return data(
    {
      state: "ready" as const,
      locale,
      lang,
      view,
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
              month: new Intl.DateTimeFormat(locale, {
                month: "long",
                year: "numeric",
                timeZone: "UTC",
              }).format(new Date(`${view.leftOut.month}-01T00:00:00Z`)),
              day: formatDate(view.leftOut.lastDay, locale),
            }
          : null,
        appLaunched: Object.fromEntries(
          view.appShare.map((a) => [a.country, formatDate(a.appLaunchedOn, locale)]),
        ),
      },
    },
    { headers },
  );
}

export default function Rollout() {
  const page = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang, names, display } = page;
  const t = ROLLOUT_MESSAGES[locale];
  const loading = navigation.state === "loading" && navigation.location.pathname === "/rollout";
  const absolute = UNITS[view.metric];
  // Per 1,000 inhabitants, counts get two decimals and amounts cents.
  const unit: RolloutUnit = view.perCapita ? (absolute === "eur" ? "eur_unit" : "rate") : absolute;
  const missingPopulation = view.series
    .filter((s) => s.noPopulation)
    .map((s) => names[s.country] ?? s.country);
  const count = (v: number) => formatRollout(v, "count", locale);
  const pct = (v: number | null) => formatRollout(v, "ratio", locale);
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
      <Form key={page.search} method="get" className="filter-bar" aria-label={t.title}>
        {lang ? <input type="hidden" name="lang" value={lang} /> : null}
        <CountryChoice
          key={view.countries.join(",")}
          available={view.available.map((c) => c.country)}
          chosen={view.countries}
          names={names}
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
          <button type="submit">{t.apply}</button>
        </div>
      </Form>
      <div className={loading ? "figures figures--loading" : "figures"}>
        <section className="panel" aria-labelledby="rollout-chart-title">
          <div className="panel__head">
            <h3 id="rollout-chart-title">
              {view.perCapita
                ? t.perCapitaTitle(t.metrics[view.metric])
                : t.chartTitle(t.metrics[view.metric])}
            </h3>
            <DownloadMenu view="rollout" search={page.search} what={t.downloadWhat} locale={locale} />
          </div>
          <RolloutChart view={view} names={names} unit={unit} locale={locale} messages={t} />
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
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
              <section className="table-wrap" tabIndex={0} aria-label={t.appTable}>
                <table className="data-table" data-table="app-share">
                  <caption className="visually-hidden">{t.appTable}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.country}</th>
                      <th scope="col">{t.appLaunched}</th>
                      <th scope="col">{t.appBefore}</th>
                      <th scope="col">{t.appAfter}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.appShare.map((a) => (
                      <tr key={a.country} data-country={a.country}>
                        <th scope="row">{names[a.country]}</th>
                        <td>{display.appLaunched[a.country]}</td>
                        <td>{pct(a.before)}</td>
                        <td>{pct(a.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </>
          ) : (
            <p className="notice">{t.appNone}</p>
          )}
        </section>
        <section className="panel" aria-labelledby="milestones-title">
          <div className="panel__head">
            <h3 id="milestones-title">{t.milestonesTitle}</h3>
          </div>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
          <section className="table-wrap" tabIndex={0} aria-label={t.milestonesTitle}>
            <table className="data-table" data-table="milestones">
              <thead>
                <tr>
                  <th scope="col">{t.country}</th>
                  <th scope="col">{t.launched}</th>
                  {DEVICE_MILESTONES.map((n) => (
                    <th key={n} scope="col">
                      {t.monthsTo(count(n))}
                    </th>
                  ))}
                  {AGE_CHECKPOINTS.map((n) => (
                    <th key={`c${n}`} scope="col">
                      {t.customersAt(n)}
                    </th>
                  ))}
                  {AGE_CHECKPOINTS.map((n) => (
                    <th key={`m${n}`} scope="col">
                      {t.contributionAt(n)}
                    </th>
                  ))}
                  <th scope="col">{t.breakEven}</th>
                </tr>
              </thead>
              <tbody>
                {view.milestones.map((m) => {
                  const missing = m.historyFromLaunch ? t.notYet : "—";
                  return (
                    <tr key={m.country} data-country={m.country}>
                      <th scope="row">{names[m.country]}</th>
                      <td>
                        {display.launched[m.country]}
                        {m.historyFromLaunch ? null : <span className="cell-change">{t.beforeHistory}</span>}
                      </td>
                      {DEVICE_MILESTONES.map((n) => (
                        <td key={n}>{m.monthsToDevices[n] ?? missing}</td>
                      ))}
                      {AGE_CHECKPOINTS.map((n) => (
                        <td key={`c${n}`}>
                          {m.customersAt[n] === null ? missing : count(m.customersAt[n] as number)}
                        </td>
                      ))}
                      {AGE_CHECKPOINTS.map((n) => (
                        <td key={`m${n}`}>
                          {m.contributionPctAt[n] === null ? missing : pct(m.contributionPctAt[n])}
                        </td>
                      ))}
                      <td>{m.breakEvenMonth === null ? missing : t.breakEvenAt(m.breakEvenMonth)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <p className="footnote">{t.footnote}</p>
        </section>
      </div>
    </PageFrame>
  );
}

/**
 * The countries' tick boxes: 2 to 8 may be chosen. With 8 ticked the others are disabled and a sentence
 * says why; with fewer than 2 the sentence asks for more. Without JavaScript the server still refuses
 * a wrong count with a 400 that says so.
 */
function CountryChoice({
  available,
  chosen,
  names,
  messages: t,
}: {
  available: string[];
  chosen: string[];
  names: Record<string, string>;
  messages: (typeof ROLLOUT_MESSAGES)[keyof typeof ROLLOUT_MESSAGES];
}) {
  const [ticked, setTicked] = useState(() => new Set(chosen));
  const full = ticked.size >= 8;
  const hint = full ? t.limit : ticked.size < 2 ? t.tooFew : null;
  return (
    <fieldset className="check-group" aria-describedby="rollout-countries-hint">
      <legend>
        {t.countries} <span className="footnote">{t.countriesHelp}</span>
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

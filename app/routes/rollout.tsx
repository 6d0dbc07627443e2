// /rollout: countries compared at the same age — a metric by month since launch (or by calendar month),
// one line per chosen country and the median of all countries, and each country's milestones. Every
// choice lives in the URL (country, metric, axis), so a link reproduces the view.

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { pageLoader } from "~/.server/page-loader.server";
import { loadRollout } from "~/.server/rollout.server";
import { EmptyPage } from "~/components/empty-page";
import { formatRollout, RolloutChart, type RolloutUnit } from "~/components/rollout/rollout-chart";
import { SiteHeader } from "~/components/site-header";
import { StatusBadges } from "~/components/status-badges";
import { MESSAGES } from "~/i18n/messages";
import { ROLLOUT_MESSAGES } from "~/i18n/rollout";
import { formatDate, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { AGE_CHECKPOINTS, DEVICE_MILESTONES, ROLLOUT_METRICS } from "~/metrics/rollout";

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
  const { locale, lang, headers, loaded } = await pageLoader(args, "rollout", loadRollout);
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
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      names: Object.fromEntries(view.available.map((c) => [c.country, names.of(c.country) ?? c.country])),
      display: {
        createdAt: formatTimestamp(loaded.snapshot.createdAt, locale),
        launched: Object.fromEntries(
          view.available.map((c) => [c.country, formatDate(c.launchedOn, locale)]),
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
  const common = MESSAGES[locale];
  const loading = navigation.state === "loading" && navigation.location.pathname === "/rollout";
  const unit = UNITS[view.metric];
  const count = (v: number) => formatRollout(v, "count", locale);
  const pct = (v: number | null) => formatRollout(v, "ratio", locale);
  return (
    <>
      <SiteHeader locale={locale}>
        <StatusBadges
          locale={locale}
          synthetic={page.synthetic}
          createdAt={page.snapshot.createdAt}
          createdAtDisplay={display.createdAt}
        />
      </SiteHeader>
      <div className={`progress${loading ? " progress--active" : ""}`} role="status" aria-live="polite">
        {loading ? <span className="visually-hidden">{t.loading}</span> : null}
      </div>
      <main id="main" className="page" tabIndex={-1} aria-busy={loading}>
        <div className="page__heading">
          <h2>{t.title}</h2>
          <p className="period">{t.intro}</p>
        </div>
        <Form method="get" className="filter-bar" aria-label={t.title}>
          {lang ? <input type="hidden" name="lang" value={lang} /> : null}
          <fieldset className="rollout-countries">
            <legend>
              {t.countries} <span className="footnote">{t.countriesHelp}</span>
            </legend>
            {view.available.map((c) => (
              <label key={c.country} className="check">
                <input
                  type="checkbox"
                  name="country"
                  value={c.country}
                  defaultChecked={view.countries.includes(c.country)}
                />
                {names[c.country]}
              </label>
            ))}
          </fieldset>
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
          </div>
          <div className="filter-bar__actions">
            <button type="submit">{t.apply}</button>
          </div>
        </Form>
        <div className={loading ? "figures figures--loading" : "figures"}>
          <section className="panel" aria-labelledby="rollout-chart-title">
            <div className="panel__head">
              <h3 id="rollout-chart-title">{t.chartTitle(t.metrics[view.metric])}</h3>
            </div>
            <RolloutChart view={view} names={names} unit={unit} locale={locale} messages={t} />
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
                          {m.historyFromLaunch ? null : (
                            <span className="cell-change">{t.beforeHistory}</span>
                          )}
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
      </main>
      <footer className="site-footer">
        <p>
          {common.snapshot} <code>{page.snapshot.id}</code>
        </p>
      </footer>
    </>
  );
}

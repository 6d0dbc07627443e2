import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useNavigate, useNavigation } from "@remix-run/react";
import type { FormEvent } from "react";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { loadProfitability, type MonthRow } from "~/.server/profitability.server";
import { CentralCostsNote, CentralCostsSelect } from "~/components/central-costs";
import { DownloadMenu } from "~/components/download-menu";
import { EmptyPage } from "~/components/empty-page";
import { FilterFold } from "~/components/filter-fold";
import { Headline } from "~/components/headline";
import { CurrencyNote } from "~/components/overview/currency-note";
import { PageFrame } from "~/components/page-frame";
import { CostCentreChart } from "~/components/profitability/cost-centre-chart";
import { EbitdaChart } from "~/components/profitability/ebitda-chart";
import { WaterfallChart } from "~/components/profitability/waterfall-chart";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { PROFITABILITY_MESSAGES } from "~/i18n/profitability";
import { byName, formatMetricValue, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { usePageData } from "~/lib/page-data";
import { METRICS, type MetricId } from "~/metrics/catalogue";

export const meta: MetaFunction = () => [
  { title: "Profitability · Backlight" },
  { name: "description", content: "Monthly EBITDA and the path to break-even, with a back-tested forecast." },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, url, inline } = await pageLoader(
    args,
    "profitability",
    loadProfitability,
  );
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      search: url.search,
      view: { ...loaded.result, months: pageMonths(loaded.result.months) },
      createdAt: formatTimestamp(loaded.snapshot.createdAt, locale),
    },
    { headers },
    inline,
  );
}

/** The P&L table's months: the last whole ones, newest first. */
const TABLE_MONTHS = 24;

/**
 * The months as the page reads them: every month's EBITDA, rolling sums and trend for the charts, and the
 * formatted P&L of the table's months only. The same figures as numbers (`values`) are the download's:
 * sent with every month, they and the older months' text were two thirds of the page's data (issue 19).
 */
function pageMonths(months: readonly MonthRow[]): PageMonth[] {
  const actual = months.filter((m) => Number.isFinite(m.ebitda));
  const shown = new Set(actual.slice(-TABLE_MONTHS).map((m) => m.month));
  return months.map(({ values: _values, display, ebitda, ...m }) => {
    // A month ahead has no EBITDA (NaN in the view): null in the page's data, which is JSON (ADR 0039).
    const month = { ...m, ebitda: Number.isFinite(ebitda) ? ebitda : null };
    return shown.has(m.month) ? { ...month, display } : month;
  });
}

type PageMonth = Omit<MonthRow, "values" | "display" | "ebitda"> & {
  /** Null for a month ahead. */
  ebitda: number | null;
  display?: MonthRow["display"];
};

const TABLE: MetricId[] = [
  "gmv_eur",
  "net_revenue_eur",
  "variable_costs_eur",
  "marketing_eur",
  "contribution_margin_eur",
  "opex_eur",
  "own_opex_eur",
  "central_costs_eur",
  "ebitda_eur",
];

export default function Profitability() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang } = page;
  const messages = PROFITABILITY_MESSAGES[locale];
  const overview = OVERVIEW_MESSAGES[locale];
  const filterLabels = MESSAGES[locale].filters;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/profitability";
  const current = new URLSearchParams(page.search);
  const geography = current.get("country")
    ? `country:${current.get("country")}`
    : `region:${current.get("region") ?? "europe"}`;
  const { forecast, breakEven } = view;
  const actual = view.months.filter((m) => Number.isFinite(m.ebitda));
  const lastRolling12 = actual[actual.length - 1]?.rolling12 ?? null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const query = new URLSearchParams();
    const [kind, code] = String(form.get("geo") ?? "region:europe").split(":");
    if (kind === "country") query.set("country", code ?? "");
    else if (code !== "europe") query.set("region", code ?? "");
    for (const name of ["as_of", "target", "window", "currency", "costs"]) {
      const value = form.get(name);
      if (typeof value === "string" && value !== "" && !(name === "costs" && value === "recorded"))
        query.set(name, value);
    }
    if (lang) query.set("lang", lang);
    navigate(`?${query.toString().replaceAll("%2C", ",")}`, { preventScrollReset: true });
  };

  return (
    <PageFrame
      locale={locale}
      synthetic={view.synthetic}
      createdAt={view.snapshot.createdAt}
      createdAtDisplay={page.createdAt}
      snapshotId={view.snapshot.id}
      loading={loading}
      loadingText={overview.loading}
    >
      <div className="page__heading">
        <h2>{messages.title}</h2>
        <p className="period">{messages.intro}</p>
      </div>
      <FilterFold locale={locale}>
        <Form method="get" className="filter-bar" aria-label={overview.filters} onSubmit={onSubmit}>
          <div className="filter-bar__group">
            <div className="field">
              <label htmlFor="p-geo">{messages.geography}</label>
              <select id="p-geo" name="geo" defaultValue={geography} key={geography}>
                {(["europe", "north_america", "asia_pacific"] as const).map((r) => (
                  <option key={r} value={`region:${r}`}>
                    {overview.regions[r]}
                  </option>
                ))}
                <option value="region:europe,north_america,asia_pacific">{messages.worldwide}</option>
                {byName(view.countries, (c) => c.name, locale).map((c) => (
                  <option key={c.code} value={`country:${c.code}`}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="p-as-of">{messages.asOf}</label>
              <input id="p-as-of" type="month" name="as_of" defaultValue={view.asOf} key={view.asOf} />
            </div>
            <div className="field">
              <label htmlFor="p-target">{messages.target}</label>
              <input id="p-target" type="date" name="target" defaultValue={view.target} key={view.target} />
            </div>
            <div className="field">
              <label htmlFor="p-window">{messages.window}</label>
              <select id="p-window" name="window" defaultValue={String(view.window)} key={view.window}>
                {[6, 9, 12, 18, 24].map((n) => (
                  <option key={n} value={n}>
                    {messages.months(n)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="filter-bar__group">
            <div className="field">
              <label htmlFor="p-currency">{overview.currency}</label>
              <select
                id="p-currency"
                name="currency"
                defaultValue={current.get("currency") ?? "eur"}
                key={current.get("currency") ?? "eur"}
              >
                <option value="eur">{overview.currencyEur}</option>
                <option value="local">
                  {overview.currencyLocal(view.currency.offer ?? messages.oneCountry)}
                </option>
              </select>
            </div>
            {view.centralCosts ? (
              <CentralCostsSelect
                value={view.centralCosts.basis}
                key={view.centralCosts.basis}
                locale={locale}
              />
            ) : null}
          </div>
          <div className="filter-bar__actions">
            <button type="submit">{filterLabels.apply}</button>
          </div>
        </Form>
        {view.centralCosts ? (
          <CentralCostsNote
            view={view.centralCosts}
            otherHref={otherCostBasis(page.search)}
            locale={locale}
          />
        ) : null}
      </FilterFold>
      <CurrencyNote
        currency={view.currency}
        countryName={view.countries.find((c) => c.code === current.get("country"))?.name ?? null}
        messages={overview}
      />
      <div className={loading ? "figures figures--loading" : "figures"}>
        <Headline headline={view.headline} locale={locale} />
        <section className="summary-cards" aria-label={messages.title}>
          <article className="kpi" data-metric="first_break_even">
            <h3 className="kpi__label">{messages.firstBreakEven}</h3>
            <p className="kpi__value">{breakEven.label ?? messages.notYet}</p>
            <p className="kpi__definition">{messages.firstBreakEvenHelp}</p>
          </article>
          <article className="kpi" data-metric="rolling12_break_even">
            <h3 className="kpi__label">{messages.rolling12From}</h3>
            <p className="kpi__value">{breakEven.rolling12Label ?? messages.notYet}</p>
            <p className="kpi__definition">
              {messages.rolling12Help}{" "}
              {lastRolling12 !== null
                ? `${messages.labels.rolling12}: ${formatMetricValue(lastRolling12, "eur", locale, view.currency.code)}`
                : ""}
            </p>
          </article>
          <article className="kpi" data-metric="forecast_break_even">
            <h3 className="kpi__label">{messages.forecastMonth}</h3>
            <p className="kpi__value">
              {forecast.tooFewMonths
                ? messages.tooFewMonths(forecast.tooFewMonths.need, forecast.tooFewMonths.have)
                : (forecast.label ?? messages.notOnTrend)}
            </p>

            {forecast.beforeTarget !== null ? (
              <p className={forecast.beforeTarget ? "verdict--good" : "verdict--bad"}>
                <span aria-hidden="true">{forecast.beforeTarget ? "✔ " : "✘ "}</span>
                {forecast.month === view.asOf && (actual[actual.length - 1]?.ebitda ?? -1) >= 0
                  ? `${messages.alreadyThere}, `
                  : ""}
                {forecast.beforeTarget ? messages.beforeTarget : messages.afterTarget}
              </p>
            ) : null}
          </article>
        </section>
        <p className="method">
          {messages.method(view.window, forecast.slopeDisplay)}{" "}
          {forecast.backtest
            ? messages.backtest(
                forecast.backtest.horizon,
                forecast.backtest.fromLabel,
                forecast.backtest.maeDisplay,
              )
            : messages.noBacktest}
        </p>
        <section className="panel" aria-labelledby="ebitda-title">
          <div className="panel__head">
            <h3 id="ebitda-title">{messages.chartTitle}</h3>
            <DownloadMenu
              view="profitability"
              search={page.search}
              what={messages.chartTitle}
              locale={locale}
            />
          </div>
          <EbitdaChart
            mode="monthly"
            rows={view.months}
            locale={locale}
            currency={view.currency.code}
            labels={messages.labels}
            breakEven={breakEven.month}
            target={view.target.slice(0, 7)}
            summary={messages.chartSummary}
          />
          <h4 className="panel__subtitle">{messages.rollingTitle}</h4>
          <EbitdaChart
            mode="rolling"
            rows={view.months.filter((m) => Number.isFinite(m.ebitda))}
            locale={locale}
            currency={view.currency.code}
            labels={messages.labels}
            breakEven={breakEven.rolling12}
            target={view.target.slice(0, 7)}
            summary={messages.rollingTitle}
          />
        </section>
        <section className="panel" aria-labelledby="waterfall-title">
          <div className="panel__head">
            <h3 id="waterfall-title">{messages.waterfallTitle(view.waterfall.rangeLabel)}</h3>
            <DownloadMenu
              view="kpis"
              search={waterfallSearch(view, page.search)}
              what={messages.waterfallTitle(view.waterfall.rangeLabel)}
              locale={locale}
            />
          </div>
          <WaterfallChart
            locale={locale}
            currency={view.currency.code}
            title={messages.waterfallTitle(view.waterfall.rangeLabel)}
            steps={view.waterfall.steps.map((s) => ({
              ...s,
              name: METRICS[s.id as MetricId].label[locale],
            }))}
          />
        </section>
        <section className="panel" aria-labelledby="costs-title">
          <div className="panel__head">
            <h3 id="costs-title">{messages.costsTitle}</h3>
            <DownloadMenu
              view="cost-centres"
              search={page.search}
              what={messages.costsTitle}
              locale={locale}
            />
          </div>
          <p className="method">{messages.costsIntro}</p>
          <div className="multiples">
            <div>
              <h4 className="panel__subtitle">{messages.headcountTitle}</h4>
              <CostCentreChart
                costs={view.costs}
                measure="headcount"
                names={messages.centres}
                locale={locale}
                currency={view.currency.code}
                title={messages.headcountTitle}
              />
            </div>
            <div>
              <h4 className="panel__subtitle">{messages.opexTitle}</h4>
              <CostCentreChart
                costs={view.costs}
                measure="opex"
                names={messages.centres}
                locale={locale}
                currency={view.currency.code}
                title={messages.opexTitle}
              />
            </div>
          </div>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
          <section className="table-wrap" tabIndex={0} aria-label={messages.costsTitle}>
            <table className="data-table data-table--compact">
              <caption className="visually-hidden">{messages.costsTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{messages.yearCol}</th>
                  <th scope="col">{messages.headcountCol}</th>
                  <th scope="col">{messages.headcountChangeCol}</th>
                  <th scope="col">{messages.opexCol}</th>
                  <th scope="col">{messages.ebitdaCol}</th>
                </tr>
              </thead>
              <tbody>
                {view.costs.years.map((y) => (
                  <tr key={y.year}>
                    <th scope="row">{y.year}</th>
                    <td>{formatMetricValue(y.headcount, "count", locale)}</td>
                    <td>{y.headcountChange ?? "—"}</td>
                    <td>{y.opex}</td>
                    <td>{y.ebitda}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </section>
        <section className="panel" aria-labelledby="pnl-title">
          <div className="panel__head">
            <h3 id="pnl-title">{messages.tableTitle}</h3>
            <DownloadMenu
              view="profitability"
              search={page.search}
              what={messages.tableTitle}
              locale={locale}
            />
          </div>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
          <section className="table-wrap" tabIndex={0} aria-label={messages.tableTitle}>
            <table className="data-table" data-table="pnl">
              <thead>
                <tr>
                  <th scope="col">{messages.monthCol}</th>
                  {TABLE.map((id) => (
                    <th key={id} scope="col">
                      {METRICS[id].label[locale]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {actual
                  .slice(-TABLE_MONTHS)
                  .reverse()
                  .map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{m.label}</th>
                      {TABLE.map((id) => (
                        <td key={id}>{m.display?.[id as keyof MonthRow["display"]]}</td>
                      ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        </section>
      </div>
    </PageFrame>
  );
}

/**
 * The waterfall's figures are the totals of its range over the page's geography: the kpis export of
 * that range (the profitability page's own parameters left out).
 */
function waterfallSearch(
  view: { waterfall: { range: { from: string; to: string } } },
  search: string,
): string {
  const page = new URLSearchParams(search);
  const out = new URLSearchParams({ from: view.waterfall.range.from, to: view.waterfall.range.to });
  out.set("compare", "none");
  for (const name of ["country", "region", "currency", "costs", "lang"]) {
    const value = page.get(name);
    if (value) out.set(name, value);
  }
  if (!out.has("country") && !out.has("region")) out.set("region", "europe");
  return `?${out.toString()}`;
}

/** The same view with central costs on the other basis (where recorded ↔ allocated by net revenue). */
function otherCostBasis(search: string): string {
  const query = new URLSearchParams(search);
  if (query.get("costs") === "allocated") query.delete("costs");
  else query.set("costs", "allocated");
  const out = query.toString().replaceAll("%2C", ",");
  return out ? `?${out}` : "?";
}

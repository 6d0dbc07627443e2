import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { comparisonDisplay, loadOverview } from "~/.server/overview.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { europeHeadline } from "~/.server/profitability.server";
import { getWarehouse } from "~/.server/warehouse.server";
import { canExport, canOpen, canSeeMetric } from "~/auth/policy";
import { useViewer } from "~/components/account";
import { DownloadMenu } from "~/components/download-menu";
import { EmptyPage } from "~/components/empty-page";
import { Headline } from "~/components/headline";
import { BreakdownBars } from "~/components/overview/breakdown-bars";
import { FilterBar, useFilterNavigate } from "~/components/overview/filter-bar";
import { KpiCard } from "~/components/overview/kpi-card";
import { TrendChart } from "~/components/overview/trend-chart";
import { SaveView } from "~/components/save-view";
import { SiteHeader } from "~/components/site-header";
import { StatusBadges } from "~/components/status-badges";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { filtersToSearch } from "~/lib/filters";
import { formatDate, formatTimestamp, labelIn } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { type PageData, usePageData } from "~/lib/page-data";
import { METRICS, type MetricId } from "~/metrics/catalogue";

export const meta: MetaFunction = () => [
  { title: "Overview · Backlight" },
  { name: "description", content: "Customers, devices sold, GMV and margins of the marketplace." },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, viewer, inline } = await pageLoader(args, "overview", loadOverview);
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  // Europe's profitability in one sentence, for the roles that may see EBITDA and its page.
  const headline =
    canSeeMetric(viewer.role, "ebitda_eur") && canOpen(viewer.role, "profitability")
      ? await europeHeadline(getWarehouse(), locale)
      : null;
  const view = loaded.result;
  const messages = OVERVIEW_MESSAGES[locale];
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      view,
      headline,
      display: {
        range: messages.range(
          formatDate(view.filters.range.from, locale),
          formatDate(view.filters.range.to, locale),
        ),
        comparison: comparisonDisplay(view.filters, view.data.from, locale),
        createdAt: formatTimestamp(view.snapshot.createdAt, locale),
        dataThrough: formatDate(view.data.through ?? view.data.to, locale),
      },
    },
    { headers },
    inline,
  );
}

export default function Overview() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/";
  const common = MESSAGES[page.locale];

  if (page.state === "empty") return <EmptyPage locale={page.locale} />;

  const { view, locale, display, lang } = page;
  const messages = OVERVIEW_MESSAGES[locale];
  const { filters } = view;
  const dimNames = view.restricted.map((d) =>
    messages[d as "category" | "grade" | "channel" | "partner"].toLowerCase(),
  );
  const devices = view.cards.find((c) => c.id === "devices_sold");
  const empty = devices !== undefined && devices.value === 0;
  const comparisonLabel = filters.comparison ? messages.comparisons[filters.params.compare] : null;

  return (
    <>
      <SiteHeader locale={locale}>
        <div className="status-row">
          <StatusBadges
            locale={locale}
            synthetic={view.synthetic}
            createdAt={view.snapshot.createdAt}
            createdAtDisplay={display.createdAt}
          />
          <SaveView locale={locale} />
        </div>
      </SiteHeader>
      <div className={`progress${loading ? " progress--active" : ""}`} role="status" aria-live="polite">
        {loading ? <span className="visually-hidden">{messages.loading}</span> : null}
      </div>
      <main id="main" className="page page--wide" tabIndex={-1} aria-busy={loading}>
        <div className="page__heading">
          <h2>{messages.title}</h2>
          <p className="period">
            <span>{display.range}</span>
            {display.comparison ? <span className="period__versus"> {display.comparison}</span> : null}
            <span className="period__through">
              {" · "}
              {messages.dataThrough} {display.dataThrough}
            </span>
          </p>
        </div>
        {page.headline ? (
          <Headline
            headline={page.headline}
            locale={locale}
            href={`/profitability${lang ? `?lang=${encodeURIComponent(lang)}` : ""}`}
          />
        ) : null}
        <FilterBar
          filters={filters}
          messages={messages}
          locale={locale}
          lang={lang}
          countries={view.countries}
          currency={view.currency}
          centralCosts={view.centralCosts}
        />
        <div className={loading ? "figures figures--loading" : "figures"}>
          {empty ? (
            <section className="notice" aria-labelledby="no-data-title">
              <h3 id="no-data-title">{messages.noData}</h3>
              <p>{messages.noDataWhy}</p>
            </section>
          ) : null}
          <section aria-labelledby="kpi-title">
            <h3 id="kpi-title" className="visually-hidden">
              {messages.kpis}
            </h3>
            <div className="kpis">
              {view.cards.map((card) => (
                <KpiCard
                  key={card.id}
                  card={card}
                  versusLabel={comparisonLabel ? `vs ${comparisonLabel.toLowerCase()}` : null}
                  unavailableLabel={messages.unavailable}
                  unavailableWhy={messages.unavailableWhy(dimNames.join(", "))}
                />
              ))}
            </div>
            <div className="section-foot">
              <p className="footnote">
                {view.metrics.includes("opex_eur") ? messages.costsNote : messages.marketingNote}{" "}
                {messages.customersNote}
              </p>
              <DownloadMenu
                view="kpis"
                search={filtersToSearch(filters.params, {}, lang)}
                what={messages.kpis}
                locale={locale}
              />
            </div>
          </section>
          <TrendSection page={page} />
          <BreakdownSection page={page} />
          <LedgerSection page={page} />
        </div>
      </main>
      <footer className="site-footer">
        <p>
          {common.snapshot} <code>{view.snapshot.id}</code>
        </p>
      </footer>
    </>
  );
}

type ReadyPage = Extract<PageData<typeof loader>, { state: "ready" }>;

function TrendSection({ page }: { page: ReadyPage }) {
  const { view, locale, lang } = page;
  const go = useFilterNavigate(view.filters.params, lang);
  const messages = OVERVIEW_MESSAGES[locale];
  const { filters } = view;
  const metric = filters.params.metric;
  const def = METRICS[metric];
  const unavailable = !view.series.some((p) => p.current !== null);
  // The metric asked for shows at once (no snapping back while it loads); arrowing through the list
  // navigates once, a moment after the last key.
  const [asked, setAsked] = useState(metric);
  useEffect(() => setAsked(metric), [metric]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const choose = (next: string) => {
    setAsked(next as typeof metric);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => go({ metric: next }), 250);
  };
  return (
    <section className="panel" aria-labelledby="trend-title">
      <div className="panel__head">
        <h3 id="trend-title">
          {messages.trend}: {def.label[locale]}
        </h3>
        <div className="field field--inline">
          <label htmlFor="trend-metric">{messages.trendMetric}</label>
          <select id="trend-metric" value={asked} onChange={(e) => choose(e.target.value)}>
            {view.metrics.map((id) => (
              <option key={id} value={id}>
                {labelIn(METRICS[id].label[locale], view.currency.code, locale)}
              </option>
            ))}
          </select>
        </div>
        <DownloadMenu
          view="trend"
          search={filtersToSearch(filters.params, {}, lang)}
          what={messages.trend}
          locale={locale}
        />
      </div>
      {unavailable ? (
        <p className="notice">{messages.unavailableWhy(view.restricted.join(", "))}</p>
      ) : (
        <TrendChart
          points={view.series}
          unit={def.unit}
          currency={view.currency.code}
          grain={filters.grain}
          locale={locale}
          currentLabel={messages.current}
          comparisonLabel={filters.comparison ? messages.comparisons[filters.params.compare] : null}
          summary={messages.chartSummary(def.label[locale], view.series.length)}
          partialNote={messages.partialNote}
          partialPeriod={messages.partialPeriod}
        />
      )}
    </section>
  );
}

function BreakdownSection({ page }: { page: ReadyPage }) {
  const { view, locale, lang } = page;
  const messages = OVERVIEW_MESSAGES[locale];
  const { params } = view.filters;
  const { columns, sort, dir, regions, bars } = view.breakdown;
  const def = METRICS[params.metric];
  const comparing = view.filters.comparison !== null;
  const sortLink = (column: string) =>
    filtersToSearch(
      params,
      { sort: column, dir: sort === column && dir === "desc" ? "asc" : "desc" },
      lang,
    ) || "?";
  const header = (column: string, label: string) => (
    <th
      key={column}
      scope="col"
      aria-sort={sort === column ? (dir === "asc" ? "ascending" : "descending") : "none"}
    >
      <Link to={sortLink(column)} preventScrollReset aria-label={messages.sortBy(label)}>
        {label}
        <span aria-hidden="true">{sort === column ? (dir === "asc" ? " ▲" : " ▼") : ""}</span>
      </Link>
    </th>
  );
  const cells = (row: { display: Partial<Record<MetricId, string>>; change: string | null }) => (
    <>
      {columns.map((c) => (
        <td key={c}>{row.display[c]}</td>
      ))}
      {comparing ? <td>{row.change ?? "—"}</td> : null}
    </>
  );
  return (
    <section className="panel" aria-labelledby="breakdown-title">
      <div className="panel__head">
        <h3 id="breakdown-title">
          {messages.breakdown}: {messages.byRegion}
        </h3>
        <DownloadMenu
          view="breakdown"
          search={filtersToSearch(params, {}, lang)}
          what={messages.byRegion}
          locale={locale}
        />
      </div>
      <div className="breakdown">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
        <section className="table-wrap" tabIndex={0} aria-label={messages.byRegion}>
          <table className="data-table">
            <caption className="visually-hidden">{messages.byRegion}</caption>
            <thead>
              <tr>
                {header("name", messages.regionCol)}
                {columns.map((c) => header(c, labelIn(METRICS[c].label[locale], view.currency.code, locale)))}
                {comparing ? <th scope="col">{messages.changeCol(def.label[locale])}</th> : null}
              </tr>
            </thead>
            {regions.map((region) => (
              <tbody key={region.key}>
                <tr className="data-table__group">
                  <th scope="row">{region.name}</th>
                  {cells(region)}
                </tr>
                {region.countries.map((country) => (
                  <tr key={country.key}>
                    <th scope="row" className="data-table__child">
                      {country.name}
                    </th>
                    {cells(country)}
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </section>
        <div className="breakdown__bars">
          <h4 className="panel__subtitle">
            {def.label[locale]} · {messages.byCountry}
          </h4>
          <BreakdownBars
            locale={locale}
            unit={def.unit}
            currency={view.currency.code}
            title={def.label[locale]}
            rows={bars}
          />
        </div>
      </div>
    </section>
  );
}

/** Finance's line-level downloads for the page's filters: the monthly P&L by country, every order line. */
function LedgerSection({ page }: { page: ReadyPage }) {
  const { view, locale, lang } = page;
  const messages = OVERVIEW_MESSAGES[locale];
  const search = filtersToSearch(view.filters.params, {}, lang);
  // Only what this role may download (the server refuses the rest anyway).
  const { viewer } = useViewer();
  const pnl = viewer !== null && canExport(viewer.role, "pnl");
  const lines = viewer !== null && canExport(viewer.role, "order-items");
  if (!pnl && !lines) return null;
  return (
    <section className="panel" aria-labelledby="ledger-title">
      <div className="panel__head">
        <h3 id="ledger-title">{messages.ledgerTitle}</h3>
      </div>
      <ul className="ledger-list">
        {pnl ? (
          <li>
            <div>
              <h4 className="panel__subtitle">{messages.pnlLedger}</h4>
              <p className="footnote">{messages.pnlLedgerHelp}</p>
            </div>
            <DownloadMenu view="pnl" search={search} what={messages.pnlLedger} locale={locale} />
          </li>
        ) : null}
        {lines ? (
          <li>
            <div>
              <h4 className="panel__subtitle">{messages.orderLines}</h4>
              <p className="footnote">{messages.orderLinesHelp}</p>
            </div>
            <DownloadMenu view="order-items" search={search} what={messages.orderLines} locale={locale} />
          </li>
        ) : null}
      </ul>
    </section>
  );
}

export type { Locale };

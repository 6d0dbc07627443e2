import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { comparisonDisplay } from "~/.server/overview.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { loadRegions } from "~/.server/regions.server";
import { DownloadMenu } from "~/components/download-menu";
import { EmptyPage } from "~/components/empty-page";
import { FilterBar } from "~/components/overview/filter-bar";
import { PageFrame } from "~/components/page-frame";
import { SmallMultiples } from "~/components/regions/small-multiples";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { REGIONS_MESSAGES } from "~/i18n/regions";
import { filtersToSearch } from "~/lib/filters";
import { formatDate, formatTimestamp, labelIn } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { usePageData } from "~/lib/page-data";
import { METRICS, REGION_METRICS as REGION_COLUMNS, UNIT_METRICS } from "~/metrics/catalogue";

export const meta: MetaFunction = () => [
  { title: "Regions · Backlight" },
  { name: "description", content: "Margins by region and country, and how they changed." },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, inline } = await pageLoader(args, "regions", loadRegions);
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  const view = loaded.result;
  const overview = OVERVIEW_MESSAGES[locale];
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      view,
      display: {
        createdAt: formatTimestamp(view.snapshot.createdAt, locale),
        range: overview.range(
          formatDate(view.filters.range.from, locale),
          formatDate(view.filters.range.to, locale),
        ),
        comparison: comparisonDisplay(view.filters, view.firstDay ?? "", locale),
      },
    },
    { headers },
    inline,
  );
}

export default function Regions() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang, display } = page;
  const messages = REGIONS_MESSAGES[locale];
  const overview = OVERVIEW_MESSAGES[locale];
  const loading = navigation.state === "loading" && navigation.location.pathname === "/regions";
  const comparing = view.filters.comparison !== null;
  const langQuery = lang ? `&lang=${encodeURIComponent(lang)}` : "";
  const search = filtersToSearch(view.filters.params, {}, lang);
  type Row = (typeof view.regions)[number];
  const cells = (row: Pick<Row, "cells">, columns: readonly (keyof Row["cells"])[] = REGION_COLUMNS) =>
    columns.map((id) => {
      const cell = row.cells[id];
      return (
        <td key={id}>
          {cell.display}
          {comparing && cell.change ? (
            <span
              className={`cell-change ${cell.good === true ? "change--good" : cell.good === false ? "change--bad" : ""}`}
            >
              {cell.change}
            </span>
          ) : null}
        </td>
      );
    });

  /** Regions with their countries under them, one column per metric; `label` draws each row's header. */
  const regionTable = (
    id: string,
    title: string,
    columns: readonly (keyof Row["cells"])[],
    label: (row: Pick<Row, "key" | "name">, kind: "region" | "country") => ReactNode,
  ) => (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
    <section className="table-wrap" tabIndex={0} aria-label={title}>
      <table className="data-table" data-table={id}>
        <thead>
          <tr>
            <th scope="col">{overview.regionCol}</th>
            {columns.map((c) => (
              <th key={c} scope="col">
                {labelIn(METRICS[c].label[locale], view.currency.code, locale)}
              </th>
            ))}
          </tr>
        </thead>
        {view.regions.map((region) => (
          <tbody key={region.key}>
            <tr className="data-table__group">
              <th scope="row">{label(region, "region")}</th>
              {cells(region, columns)}
            </tr>
            {region.countries.map((country) => (
              <tr key={country.key}>
                <th scope="row" className="data-table__child">
                  {label(country, "country")}
                </th>
                {cells(country, columns)}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );

  return (
    <PageFrame
      locale={locale}
      synthetic={view.synthetic}
      createdAt={view.snapshot.createdAt}
      createdAtDisplay={display.createdAt}
      snapshotId={view.snapshot.id}
      loading={loading}
      loadingText={overview.loading}
    >
      <div className="page__heading">
        <h2>{messages.title}</h2>
        <p className="period">
          <span>{display.range}</span>
          {display.comparison ? <span className="period__versus"> {display.comparison}</span> : null}
        </p>
      </div>
      <FilterBar
        filters={view.filters}
        messages={overview}
        locale={locale}
        lang={lang}
        countries={view.countries}
        currency={view.currency}
        centralCosts={view.centralCosts}
      />
      <div className={loading ? "figures figures--loading" : "figures"}>
        <section className="panel" aria-labelledby="margins-title">
          <div className="panel__head">
            <h3 id="margins-title">{messages.tableTitle}</h3>
            <DownloadMenu view="breakdown" search={search} what={messages.tableTitle} locale={locale} />
          </div>
          {regionTable("margins", messages.tableTitle, REGION_COLUMNS, (row, kind) => (
            <Link
              to={
                kind === "region"
                  ? filtersToSearch(view.filters.params, { region: row.key, country: undefined }, lang) || "?"
                  : `/profitability?country=${row.key}${view.currency.local ? "&currency=local" : ""}${langQuery}`
              }
              aria-label={
                kind === "region" ? messages.drillRegion(row.name) : messages.drillCountry(row.name)
              }
            >
              {row.name}
            </Link>
          ))}
          <p className="footnote">{messages.footnote}</p>
        </section>
        <section className="panel" aria-labelledby="units-title">
          <div className="panel__head">
            <h3 id="units-title">{messages.unitsTitle}</h3>
            <DownloadMenu view="categories" search={search} what={messages.byCategory} locale={locale} />
          </div>
          {regionTable("units", messages.unitsTitle, UNIT_METRICS, (row) => row.name)}
          <h4 className="panel__subtitle">{messages.byCategory}</h4>
          {view.currency.local ? (
            <p className="notice">{messages.categoriesInEurOnly(view.currency.code)}</p>
          ) : (
            /* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */
            <section className="table-wrap" tabIndex={0} aria-label={messages.byCategory}>
              <table className="data-table" data-table="categories">
                <thead>
                  <tr>
                    <th scope="col">{overview.category}</th>
                    {UNIT_METRICS.map((id) => (
                      <th key={id} scope="col">
                        {labelIn(METRICS[id].label[locale], view.currency.code, locale)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {view.categories.map((category) => (
                    <tr key={category.key}>
                      <th scope="row">{category.name}</th>
                      {cells(category, UNIT_METRICS)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <p className="footnote">{messages.unitsFootnote}</p>
        </section>
        <section className="panel" aria-labelledby="multiples-title">
          <div className="panel__head">
            <h3 id="multiples-title">{messages.multiplesTitle}</h3>
            <DownloadMenu
              view="region-trend"
              search={search}
              what={messages.multiplesTitle}
              locale={locale}
            />
          </div>
          <SmallMultiples multiples={view.multiples} locale={locale} />
        </section>
      </div>
    </PageFrame>
  );
}

// /market: market context. The second-hand share of each country's market where data exists (one
// smartphone in five in France, says the seed article), and the company's own devices as a share of
// that second-hand market; countries without market data listed as such. category, from, to and
// country are in the URL, so a link reproduces the view.

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";
import { loadMarket } from "~/.server/market.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { type MarketSectionId, marketTables } from "~/.server/sections/market.server";
import { presentTables } from "~/.server/sections/present.server";
import { RatioLines } from "~/components/channels/ratio-lines";
import { DataTable } from "~/components/data-table";
import { EmptyPage } from "~/components/empty-page";
import { FilterFold } from "~/components/filter-fold";
import { MonthPeriod } from "~/components/month-period";
import { PageFrame } from "~/components/page-frame";
import { MARKET_MESSAGES } from "~/i18n/market";
import { MESSAGES } from "~/i18n/messages";
import { CATEGORIES } from "~/lib/filters";
import { byName, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [
  { title: "Market context · Backlight" },
  { name: "description", content: "The second-hand share of each market, and the company's devices in it." },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, url, inline } = await pageLoader(args, "market", loadMarket);
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  const tables = presentTables(loaded.result, locale, marketTables);
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      view: loaded.result,
      tables,
      search: url.search,
      synthetic: loaded.snapshot.synthetic,
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      createdAtDisplay: formatTimestamp(loaded.snapshot.createdAt, locale),
    },
    { headers },
    inline,
  );
}

/** The seed article's figure: one smartphone in five sold in France is second-hand (Kantar). */
const ONE_IN_FIVE = 0.2;

export default function Market() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang } = page;
  const t = MARKET_MESSAGES[locale];
  const filterLabels = MESSAGES[locale].filters;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/market";
  const category = t.categories[view.category] ?? view.category;
  const series = view.withData.map((c) => ({ key: c.country, name: c.name }));
  const rows = (field: "secondHandShare" | "companyShare") =>
    view.months.map((m, i) => ({
      label: m.label,
      month: m.month,
      ...Object.fromEntries(view.withData.map((c) => [c.country, c.months[i]?.[field] ?? null])),
    }));
  const showsFrance = view.withData.some((c) => c.country === "FR");
  const country = view.selection.country.join(",");
  const table = (id: MarketSectionId, caption: string) => (
    <DataTable table={page.tables[id]} caption={caption} locale={locale} search={page.search} />
  );
  return (
    <PageFrame
      locale={locale}
      synthetic={page.synthetic}
      createdAt={page.snapshot.createdAt}
      createdAtDisplay={page.createdAtDisplay}
      snapshotId={page.snapshot.id}
      loading={loading}
      loadingText={t.loading}
    >
      <div className="page__heading">
        <h2>{t.title}</h2>
        <p className="period">{t.intro}</p>
      </div>
      {/* Keyed by the view: Back and Forward show the fields of the view they return to. */}
      <FilterFold locale={locale}>
        <Form
          key={`${view.category}|${view.period.from}|${view.period.to}|${country}|${view.selection.region}`}
          method="get"
          className="filter-bar"
          aria-label={t.title}
        >
          {lang ? <input type="hidden" name="lang" value={lang} /> : null}
          <div className="filter-bar__group">
            <div className="field">
              <label htmlFor="m-category">{t.category}</label>
              <select id="m-category" name="category" defaultValue={view.category}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t.categories[c] ?? c}
                  </option>
                ))}
              </select>
            </div>
            <MonthPeriod idPrefix="m" locale={locale} from={view.period.from} to={view.period.to} />
            <div className="field">
              <label htmlFor="m-country">{filterLabels.country}</label>
              <select id="m-country" name="country" defaultValue={country}>
                <option value="">{t.allCountries}</option>
                {view.selection.country.length > 1 ? (
                  <option value={country}>
                    {view.selection.country.map((c) => view.countryNames[c] ?? c).join(", ")}
                  </option>
                ) : null}
                {byName(view.countries, (c) => c.name, locale).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="filter-bar__actions">
            <button type="submit">{filterLabels.apply}</button>
            <span className="period">{t.period(view.period.label)}</span>
          </div>
        </Form>
      </FilterFold>
      <div className={loading ? "figures figures--loading" : "figures"}>
        {view.withData.length === 0 && view.without.length === 0 ? (
          <section className="panel" aria-labelledby="nothing-title">
            <div className="panel__head">
              <h3 id="nothing-title">{t.title}</h3>
            </div>
            <p>{t.nothing}</p>
          </section>
        ) : null}
        {view.withData.length === 0 && view.without.length > 0 ? (
          <section className="panel" aria-labelledby="no-data-title">
            <div className="panel__head">
              <h3 id="no-data-title">{t.shareTitle(category)}</h3>
            </div>
            <p>{t.noMarketData(category)}</p>
          </section>
        ) : null}
        {view.withData.length > 0 ? (
          <>
            <section className="panel" aria-labelledby="share-title">
              <div className="panel__head">
                <h3 id="share-title">{t.shareTitle(category)}</h3>
              </div>
              <p className="panel__subtitle">{t.shareIntro}</p>
              <RatioLines
                rows={rows("secondHandShare")}
                series={series}
                locale={locale}
                title={t.shareTitle(category)}
                reference={
                  view.category === "smartphone" && showsFrance
                    ? { value: ONE_IN_FIVE, label: t.oneInFive }
                    : undefined
                }
              />
              {table("market-second-hand-share", t.shareCaption)}
            </section>
            <section className="panel" aria-labelledby="company-title">
              <div className="panel__head">
                <h3 id="company-title">{t.companyTitle}</h3>
              </div>
              <p className="panel__subtitle">{t.companyIntro}</p>
              <RatioLines
                rows={rows("companyShare")}
                series={series}
                locale={locale}
                title={t.companyTitle}
              />
              {table("market-company-share", t.companyCaption)}
            </section>
            <section className="panel" aria-labelledby="table-title">
              <div className="panel__head">
                <h3 id="table-title">{t.tableTitle}</h3>
                <span className="period">{view.period.label}</span>
              </div>
              {table("market-countries", t.tableTitle)}
              <p className="footnote">{t.compared}</p>
            </section>
          </>
        ) : null}
        {view.without.length > 0 ? (
          <section className="panel" aria-labelledby="without-title">
            <div className="panel__head">
              <h3 id="without-title">{t.withoutTitle}</h3>
            </div>
            <p className="panel__subtitle">{t.withoutIntro}</p>
            {table("market-without", t.withoutTitle)}
          </section>
        ) : null}
      </div>
    </PageFrame>
  );
}

// /pricing: price-display compliance (the 2022 consumer-association complaint). For the sales of a period,
// the "new" price displayed beside the refurbished one against the model's market price new on the order
// date: the share of sales whose reference was inflated by more than a threshold, the saving claimed vs
// the real one, by month, country and category, and the sellers and models with the most inflated
// displays (every one of them in the downloads). Every choice lives in the URL.

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { countryNames } from "~/.server/overview.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { loadPricing } from "~/.server/pricing.server";
import { presentTables } from "~/.server/sections/present.server";
import { type PricingSectionId, pricingTables } from "~/.server/sections/pricing.server";
import { THEMED, WARNING } from "~/components/charts/palette";
import { CheckboxGroup } from "~/components/checkbox-group";
import { DataTable } from "~/components/data-table";
import { EmptyPage } from "~/components/empty-page";
import { FilterFold } from "~/components/filter-fold";
import { MonthPeriod } from "~/components/month-period";
import { PageFrame } from "~/components/page-frame";
import { formatPercent, PercentLines } from "~/components/pricing/percent-lines";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { PRICING_MESSAGES } from "~/i18n/pricing";
import { CATEGORIES } from "~/lib/filters";
import {
  byName,
  formatChange,
  formatDate,
  formatMetricValue,
  formatMonth,
  formatTimestamp,
} from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { usePageData } from "~/lib/page-data";
import { THRESHOLDS, TOP_ROWS } from "~/metrics/pricing";

export const meta: MetaFunction = () => [
  { title: "Price-display compliance · Backlight" },
  { name: "description", content: "Displayed “new” prices against the real market price of each model new." },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  // The worst TOP_ROWS sellers and models: the downloads read every one (their own view).
  const { locale, lang, headers, loaded, url, inline } = await pageLoader(args, "pricing", (warehouse, url) =>
    loadPricing(warehouse, url, TOP_ROWS),
  );
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  // The sellers and models go to the page as tables only.
  const { sellers: _sellers, models: _models, ...view } = loaded.result;
  const tables = presentTables(loaded.result, locale, pricingTables, {
    "pricing-sellers": TOP_ROWS,
    "pricing-models": TOP_ROWS,
  });
  const regions = countryNames(locale);
  const search = new URLSearchParams(url.search);
  search.delete("lang");
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      synthetic: loaded.snapshot.synthetic,
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      view,
      tables,
      /** The page's own parameters, for the downloads (which take the same ones). */
      search: search.toString().replaceAll("%2C", ","),
      display: {
        createdAt: formatTimestamp(loaded.snapshot.createdAt, locale),
        from: formatMonth(view.from, locale, "long"),
        to: formatMonth(view.to, locale, "long"),
        partial: view.partialMonth
          ? {
              month: formatMonth(view.partialMonth.month, locale, "long"),
              day: formatDate(view.partialMonth.lastDay, locale),
            }
          : null,
        months: Object.fromEntries(view.months.map((m) => [m.month, formatMonth(m.month, locale, "short")])),
        countries: Object.fromEntries(view.countries.map((c) => [c, regions.of(c) ?? c])),
      },
    },
    { headers },
    inline,
  );
}

export default function Pricing() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang, display, search } = page;
  const t = PRICING_MESSAGES[locale];
  const filterLabels = MESSAGES[locale].filters;
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/pricing";
  const count = (n: number | null) => formatMetricValue(n ?? 0, "count", locale);
  const pct = (v: number | null) => formatPercent(v, locale);
  const threshold = view.params.threshold;
  const empty = !view.totals.devices_sold;
  const table = (id: PricingSectionId, caption: string) => (
    <DataTable table={page.tables[id]} caption={caption} locale={locale} search={search} />
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
        <Form key={search} method="get" className="filter-bar" aria-label={t.title}>
          {lang ? <input type="hidden" name="lang" value={lang} /> : null}
          <div className="filter-bar__group">
            <MonthPeriod
              idPrefix="p"
              locale={locale}
              from={view.from}
              to={view.to}
              min={view.dataFrom}
              max={view.dataTo}
            />
            <div className="field">
              <label htmlFor="p-threshold">{t.threshold}</label>
              <select id="p-threshold" name="threshold" defaultValue={String(threshold)}>
                {THRESHOLDS.map((v) => (
                  <option key={v} value={v}>
                    {t.thresholdOption(v)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <CheckboxGroup
            name="country"
            legend={filterLabels.countries}
            hint={filterLabels.noneTicked}
            options={byName(
              view.countries.map((c) => ({ value: c, label: display.countries[c] ?? c })),
              (o) => o.label,
              locale,
            )}
            checked={view.params.country}
          />
          <CheckboxGroup
            name="category"
            legend={t.categories}
            hint={filterLabels.noneTicked}
            options={CATEGORIES.map((c) => ({ value: c, label: codes[c] ?? c }))}
            checked={view.params.category}
          />
          <div className="filter-bar__actions">
            <button type="submit">{filterLabels.apply}</button>
          </div>
        </Form>
      </FilterFold>
      <p className="period">
        {t.periodLine(display.from, display.to)}
        {display.partial ? ` ${t.partialNote(display.partial.month, display.partial.day)}` : null}
      </p>
      {empty ? (
        <p className="notice" role="status">
          {t.empty}
        </p>
      ) : (
        <div className={loading ? "figures figures--loading" : "figures"}>
          {cards()}
          <section className="panel" aria-labelledby="share-title">
            <div className="panel__head">
              <h3 id="share-title">{t.shareChart}</h3>
            </div>
            <PercentLines
              rows={view.months.map((m) => ({ month: m.month, share: m.figures.inflated_display_share }))}
              lines={[
                {
                  key: "share",
                  name: t.shareLine(threshold),
                  colour: WARNING,
                },
              ]}
              monthLabel={(m) => display.months[m] ?? m}
              locale={locale}
              caption={t.shareChart}
            />
            {table("pricing-inflated-share", t.chartFigures)}
          </section>
          <section className="panel" aria-labelledby="savings-title">
            <div className="panel__head">
              <h3 id="savings-title">{t.savingsChart}</h3>
            </div>
            <PercentLines
              rows={view.months.map((m) => ({
                month: m.month,
                claimed: m.figures.claimed_saving_pct,
                actual: m.figures.actual_saving_pct,
              }))}
              lines={[
                {
                  key: "claimed",
                  name: t.claimedLine,
                  colour: THEMED.claimed,
                  dash: "6 3",
                },
                {
                  key: "actual",
                  name: t.actualLine,
                  colour: THEMED.actual,
                },
              ]}
              monthLabel={(m) => display.months[m] ?? m}
              locale={locale}
              caption={t.savingsChart}
            />
            {table("pricing-savings", t.chartFigures)}
          </section>
          <section className="panel">{table("pricing-countries", t.byCountry)}</section>
          <section className="panel">{table("pricing-categories", t.byCategory)}</section>
          <section className="panel">
            {table("pricing-sellers", t.sellers)}
            <p className="footnote">
              {t.topNote(
                page.tables["pricing-sellers"].rows.length,
                count(page.tables["pricing-sellers"].total),
              )}
            </p>
          </section>
          <section className="panel">
            {table("pricing-models", t.models)}
            <p className="footnote">
              {t.topNote(
                page.tables["pricing-models"].rows.length,
                count(page.tables["pricing-models"].total),
              )}
            </p>
          </section>
        </div>
      )}
      <p className="footnote">{t.footnote(threshold)}</p>
      <p className="footnote">{t.method}</p>
    </PageFrame>
  );

  function cards() {
    const f = view.totals;
    return (
      <section className="kpis" aria-label={t.title}>
        {card(
          "share",
          t.cards.share,
          pct(f.inflated_display_share),
          t.cards.shareOf(count(f.inflated_sales), count(f.priced_sales)),
        )}
        {card("claimed", t.cards.claimed, pct(f.claimed_saving_pct), t.cards.savingsNote)}
        {card("actual", t.cards.actual, pct(f.actual_saving_pct), t.cards.savingsNote)}
        {card(
          "overstatement",
          t.cards.overstatement,
          signed(f.displayed_price_overstatement),
          t.cards.overstatementNote,
        )}
        {card(
          "unpriced",
          t.cards.unpriced,
          count(f.unpriced_sales),
          t.cards.unpricedNote(count(f.devices_sold)),
        )}
      </section>
    );
  }

  function signed(v: number | null) {
    if (v === null) return "—";
    return formatChange(v, "percent", locale);
  }

  function card(id: string, label: string, value: string, children: ReactNode) {
    return (
      <article className="kpi" aria-labelledby={`pricing-${id}`} data-card={id}>
        <h3 id={`pricing-${id}`} className="kpi__label">
          {label}
        </h3>
        <p className="kpi__value">{value}</p>
        <p className="kpi__note">{children}</p>
      </article>
    );
  }
}

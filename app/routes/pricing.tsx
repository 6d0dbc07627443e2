// /pricing: price-display compliance (the 2022 consumer-association complaint). For the sales of a period,
// the "new" price displayed beside the refurbished one against the model's market price new on the order
// date: the share of sales whose reference was inflated by more than a threshold, the saving claimed vs
// the real one, by month, country and category, and the sellers and models with the most inflated
// displays (every one of them in the downloads). Every choice lives in the URL.

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { pageLoader } from "~/.server/page-loader.server";
import { loadPricing, type PricingRow } from "~/.server/pricing.server";
import { CheckboxGroup } from "~/components/checkbox-group";
import { DownloadMenu } from "~/components/download-menu";
import { EmptyPage } from "~/components/empty-page";
import { PageFrame } from "~/components/page-frame";
import { formatPercent, PercentLines } from "~/components/pricing/percent-lines";
import type { Locale } from "~/i18n/locales";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { PRICING_MESSAGES } from "~/i18n/pricing";
import { CATEGORIES } from "~/lib/filters";
import { formatDate, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { type PricingFigures, THRESHOLDS, TOP_ROWS } from "~/metrics/pricing";

export const meta: MetaFunction = () => [
  { title: "Price-display compliance · Backlight" },
  { name: "description", content: "Displayed “new” prices against the real market price of each model new." },
];

export const headers = forwardHeaders;

function monthName(month: string, locale: Locale, style: "long" | "short"): string {
  return new Intl.DateTimeFormat(locale, { month: style, year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, url } = await pageLoader(args, "pricing", (warehouse, url) =>
    loadPricing(warehouse, url),
  );
  if (loaded.state === "empty") return data({ state: "empty" as const, locale }, { headers });
  const view = loaded.result;
  const regions = new Intl.DisplayNames([locale], { type: "region" });
  const homes = view.sellers.flatMap((s) => (s.country ? [s.country] : []));
  const search = new URLSearchParams(url.search);
  search.delete("lang");
  return data(
    {
      state: "ready" as const,
      locale,
      lang,
      synthetic: loaded.snapshot.synthetic,
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      view,
      /** The page's own parameters, for the downloads (which take the same ones). */
      search: search.toString().replaceAll("%2C", ","),
      display: {
        createdAt: formatTimestamp(loaded.snapshot.createdAt, locale),
        from: monthName(view.from, locale, "long"),
        to: monthName(view.to, locale, "long"),
        partial: view.partialMonth
          ? {
              month: monthName(view.partialMonth.month, locale, "long"),
              day: formatDate(view.partialMonth.lastDay, locale),
            }
          : null,
        months: Object.fromEntries(view.months.map((m) => [m.month, monthName(m.month, locale, "short")])),
        countries: Object.fromEntries(
          [...new Set([...view.countries, ...homes])].map((c) => [c, regions.of(c) ?? c]),
        ),
      },
    },
    { headers },
  );
}

export default function Pricing() {
  const page = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang, display, search } = page;
  const t = PRICING_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/pricing";
  const count = (n: number) => new Intl.NumberFormat(locale).format(n);
  const pct = (v: number | null) => formatPercent(v, locale);
  const threshold = view.params.threshold;
  const keep = (changes: Record<string, string | null>) => {
    const q = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) v === null ? q.delete(k) : q.set(k, v);
    if (lang) q.set("lang", lang);
    const s = q.toString().replaceAll("%2C", ",");
    return s ? `?${s}` : "?";
  };
  const empty = view.totals.sales === 0;
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
      <Form key={search} method="get" className="filter-bar" aria-label={t.title}>
        {lang ? <input type="hidden" name="lang" value={lang} /> : null}
        <div className="filter-bar__group">
          <div className="field">
            <label htmlFor="p-from">{t.from}</label>
            <input
              id="p-from"
              type="month"
              name="from"
              defaultValue={view.from}
              min={view.dataFrom}
              max={view.dataTo}
              pattern="\d{4}-\d{2}"
              required
            />
          </div>
          <div className="field">
            <label htmlFor="p-to">{t.to}</label>
            <input
              id="p-to"
              type="month"
              name="to"
              defaultValue={view.to}
              min={view.dataFrom}
              max={view.dataTo}
              pattern="\d{4}-\d{2}"
              required
            />
          </div>
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
          legend={t.countries}
          hint={t.noneTicked}
          options={view.countries.map((c) => ({ value: c, label: display.countries[c] ?? c }))}
          checked={view.params.country}
        />
        <CheckboxGroup
          name="category"
          legend={t.categories}
          hint={t.noneTicked}
          options={CATEGORIES.map((c) => ({ value: c, label: codes[c] ?? c }))}
          checked={view.params.category}
        />
        <div className="filter-bar__actions">
          <button type="submit">{t.apply}</button>
          <Link to={keep({ from: view.dataFrom, to: view.dataTo })}>{t.wholeHistory}</Link>
          <Link to={keep({ from: null, to: null })}>{t.last12}</Link>
        </div>
      </Form>
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
              rows={view.months.map((m) => ({ month: m.month, share: m.figures.inflatedShare }))}
              lines={[
                {
                  key: "share",
                  name: t.shareLine(threshold),
                  colour: { light: "#D55E00", dark: "#E69F00" },
                },
              ]}
              monthLabel={(m) => display.months[m] ?? m}
              locale={locale}
              caption={t.shareChart}
            />
          </section>
          <section className="panel" aria-labelledby="savings-title">
            <div className="panel__head">
              <h3 id="savings-title">{t.savingsChart}</h3>
            </div>
            <PercentLines
              rows={view.months.map((m) => ({
                month: m.month,
                claimed: m.figures.claimedSaving,
                actual: m.figures.actualSaving,
              }))}
              lines={[
                {
                  key: "claimed",
                  name: t.claimedLine,
                  colour: { light: "#CC79A7", dark: "#CC79A7" },
                  dash: "6 3",
                },
                { key: "actual", name: t.actualLine, colour: { light: "#0072B2", dark: "#56B4E9" } },
              ]}
              monthLabel={(m) => display.months[m] ?? m}
              locale={locale}
              caption={t.savingsChart}
            />
          </section>
          {figuresTable({
            id: "countries",
            title: t.byCountry,
            head: [t.columns.country],
            rows: view.byCountry,
            cells: (r) => [display.countries[r.key] ?? r.key],
          })}
          {figuresTable({
            id: "categories",
            title: t.byCategory,
            head: [t.columns.category],
            rows: view.byCategory,
            cells: (r) => [codes[r.key] ?? r.key],
          })}
          {figuresTable({
            id: "sellers",
            title: t.sellers,
            head: [t.columns.seller, t.columns.sellerId, t.columns.home],
            rows: view.sellers,
            cells: (r) => {
              const s = r as (typeof view.sellers)[number];
              // The id as the source issued it (opaque text), beside the name.
              return [s.name, s.key, s.country ? (display.countries[s.country] ?? s.country) : "—"];
            },
            download: { view: "pricing-sellers", total: view.sellerCount },
          })}
          {figuresTable({
            id: "models",
            title: t.models,
            head: [t.columns.model, t.columns.category],
            rows: view.models,
            cells: (r) => {
              const m = r as (typeof view.models)[number];
              return [`${m.brand} ${m.model}`.trim(), codes[m.category] ?? m.category];
            },
            download: { view: "pricing-models", total: view.modelCount },
          })}
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
          pct(f.inflatedShare),
          t.cards.shareOf(count(f.inflated), count(f.priced)),
        )}
        {card("claimed", t.cards.claimed, pct(f.claimedSaving), t.cards.savingsNote)}
        {card("actual", t.cards.actual, pct(f.actualSaving), t.cards.savingsNote)}
        {card("overstatement", t.cards.overstatement, signed(f.overstatement), t.cards.overstatementNote)}
        {card("unpriced", t.cards.unpriced, count(f.unpriced), t.cards.unpricedNote(count(f.sales)))}
      </section>
    );
  }

  function signed(v: number | null) {
    if (v === null) return "—";
    return new Intl.NumberFormat(locale, {
      style: "percent",
      maximumFractionDigits: 1,
      signDisplay: "exceptZero",
    }).format(v);
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

  function figuresTable({
    id,
    title,
    head,
    rows,
    cells,
    download,
  }: {
    id: string;
    title: string;
    head: string[];
    rows: PricingRow[];
    cells: (row: PricingRow) => string[];
    download?: { view: string; total: number };
  }) {
    const figures: [string, (f: PricingFigures) => string][] = [
      [t.columns.priced, (f) => count(f.priced)],
      [t.columns.inflated, (f) => count(f.inflated)],
      [t.columns.share, (f) => pct(f.inflatedShare)],
      [t.columns.claimed, (f) => pct(f.claimedSaving)],
      [t.columns.actual, (f) => pct(f.actualSaving)],
      [t.columns.overstatement, (f) => signed(f.overstatement)],
    ];
    return (
      <section className="panel" aria-labelledby={`${id}-title`}>
        <div className="panel__head">
          <h3 id={`${id}-title`}>{title}</h3>
          {download ? (
            <DownloadMenu view={download.view} search={search} what={title} locale={locale} />
          ) : null}
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
        <section className="table-wrap" tabIndex={0} aria-label={title}>
          <table className="data-table" data-table={id}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {head.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
                {figures.map(([h]) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const [first, ...rest] = cells(row);
                return (
                  <tr key={row.key} data-key={row.key}>
                    <th scope="row">{first}</th>
                    {rest.map((c, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns, in order.
                      <td key={i}>{c}</td>
                    ))}
                    {figures.map(([h, f]) => (
                      <td key={h}>{f(row.figures)}</td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        {download ? (
          <p className="footnote">{t.topNote(Math.min(TOP_ROWS, download.total), count(download.total))}</p>
        ) : null}
      </section>
    );
  }
}

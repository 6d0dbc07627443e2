// /channels: partners and app. Each partner's share of its country's devices and GMV by month; partner,
// web and app compared in that country; and how often a first order in each channel leads to a second
// one. The period (from, to) and the cohorts' country are in the URL, so a link reproduces the view.

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { loadChannels } from "~/.server/channels.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { type ChannelsSectionId, channelsTables } from "~/.server/sections/channels.server";
import { presentTables } from "~/.server/sections/present.server";
import { ChannelBars } from "~/components/channels/channel-bars";
import { RatioLines } from "~/components/channels/ratio-lines";
import { DataTable } from "~/components/data-table";
import { EmptyPage } from "~/components/empty-page";
import { FilterFold } from "~/components/filter-fold";
import { MonthPeriod } from "~/components/month-period";
import { PageFrame } from "~/components/page-frame";
import { CHANNELS_MESSAGES } from "~/i18n/channels";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { byName, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { usePageData } from "~/lib/page-data";
import { CATALOGUE } from "~/metrics/catalogue";

export const meta: MetaFunction = () => [
  { title: "Partners and app · Backlight" },
  {
    name: "description",
    content: "Partner share, margin and returns against the web, and repeat customers by first channel.",
  },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, url, inline } = await pageLoader(args, "channels", loadChannels);
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  const tables = presentTables(loaded.result, locale, channelsTables);
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

export default function Channels() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang } = page;
  const t = CHANNELS_MESSAGES[locale];
  const filterLabels = MESSAGES[locale].filters;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/channels";
  const names = view.channelNames;
  const countryName = (code: string) => view.countryNames[code] ?? code;
  const regionNames = OVERVIEW_MESSAGES[locale].regions;
  const { country, region } = view.selection;
  /** Whom the returning customers are, in words. */
  const cohortScope =
    country.length || region.length
      ? [...region.map((r) => regionNames[r] ?? r), ...country.map(countryName)].join(", ")
      : t.allCountries;
  /** This page's address with another period (and the rest kept). */
  const withPeriod = (from: string, to: string) => {
    const q = new URLSearchParams();
    if (lang) q.set("lang", lang);
    q.set("from", from);
    q.set("to", to);
    if (country.length) q.set("country", country.join(","));
    if (region.length) q.set("region", region.join(","));
    return `/channels?${q.toString().replaceAll("%2C", ",")}`;
  };
  const table = (id: ChannelsSectionId, caption: string) => (
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
          key={`${view.period.from}|${view.period.to}|${country}|${region}`}
          method="get"
          className="filter-bar"
          aria-label={t.title}
        >
          {lang ? <input type="hidden" name="lang" value={lang} /> : null}
          <div className="filter-bar__group">
            <MonthPeriod idPrefix="c" locale={locale} from={view.period.from} to={view.period.to} />
            <div className="field">
              <label htmlFor="c-country">{t.country}</label>
              <select id="c-country" name="country" defaultValue={country.join(",")}>
                <option value="">{t.allCountries}</option>
                {country.length > 1 ? <option value={country.join(",")}>{cohortScope}</option> : null}
                {byName(view.countries, (c) => c.name, locale).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="c-region">{t.region}</label>
              <select id="c-region" name="region" defaultValue={region.join(",")}>
                <option value="">{t.allRegions}</option>
                {region.length > 1 ? <option value={region.join(",")}>{region.join(", ")}</option> : null}
                {Object.keys(regionNames).map((r) => (
                  <option key={r} value={r}>
                    {regionNames[r] ?? r}
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
        <section className="panel" aria-labelledby="share-title">
          <div className="panel__head">
            <h3 id="share-title">{t.shareTitle}</h3>
          </div>
          <p className="panel__subtitle">{t.shareIntro}</p>
          {view.partners.length === 0 ? <p>{t.noPartners}</p> : null}
          {view.partners.map((p) => {
            const id = `share-${p.partner}-${p.country}`;
            // A group, not a section of its own: the panel's table (and its download) holds its figures.
            return (
              <div key={id} className="channel-block" data-partner={p.partner}>
                <h4 id={id}>
                  {p.title} <span className="footnote">({t.since(p.sinceLabel)})</span>
                </h4>
                <p className="channel-block__total">
                  {t.shareTotal(
                    p.total.display.deviceShare,
                    p.total.display.gmvShare,
                    countryName(p.country),
                  )}
                </p>
                <RatioLines
                  rows={p.months.map((m) => ({
                    label: m.label,
                    month: m.month,
                    deviceShare: m.deviceShare,
                    gmvShare: m.gmvShare,
                  }))}
                  series={[
                    { key: "deviceShare", name: t.deviceShare },
                    { key: "gmvShare", name: t.gmvShare },
                  ]}
                  locale={locale}
                  title={`${p.title}: ${t.deviceShare}, ${t.gmvShare}`}
                />
              </div>
            );
          })}
          {view.partners.length ? table("channels-partner-share", t.shareCaption) : null}
        </section>

        <section className="panel" aria-labelledby="compare-title">
          <div className="panel__head">
            <h3 id="compare-title">{t.compareTitle}</h3>
          </div>
          <p className="panel__subtitle">{t.compareIntro}</p>
          {view.comparison.map((c) => {
            const id = `compare-${c.country}`;
            return (
              <div key={id} className="channel-block" data-country={c.country}>
                <h4 id={id}>{t.compareIn(c.name)}</h4>
                {c.channels.length === 0 ? (
                  <p>{t.noSales}</p>
                ) : (
                  <ChannelBars
                    channels={c.channels}
                    names={names}
                    fields={[
                      { field: "takeRate", title: CATALOGUE.take_rate.label[locale] },
                      {
                        field: "contributionPct",
                        title: CATALOGUE.contribution_before_marketing_pct_gmv.label[locale],
                      },
                      { field: "returnRate", title: CATALOGUE.return_rate.label[locale] },
                    ]}
                    locale={locale}
                  />
                )}
              </div>
            );
          })}
          {view.comparison.length ? table("channels-compare", t.compareCaption) : null}
          <p className="footnote">{t.compareNote}</p>
        </section>

        <section className="panel" aria-labelledby="repeat-title">
          <div className="panel__head">
            <h3 id="repeat-title">{t.repeatTitle}</h3>
            <span className="period">{cohortScope}</span>
          </div>
          <p className="panel__subtitle">{t.repeatIntro}</p>
          {view.repeat.rows.length === 0 ? (
            <p>{t.noCohorts}</p>
          ) : (
            <>
              {table("channels-repeat", t.repeatCaption)}
              {view.repeat.unjudged.map((w) => {
                const earlier = view.repeat.earlier[w];
                return (
                  <p key={w} className="notice-line" data-unjudged={w}>
                    {t.unjudged(w)}{" "}
                    <Link to={withPeriod(earlier.from, earlier.to)}>{t.seeEarlier(earlier.label)}</Link>
                  </p>
                );
              })}
              {view.repeat.unjudged.includes(90) ? null : (
                <>
                  <h4>{t.repeatChartTitle}</h4>
                  <RatioLines
                    rows={view.repeat.months
                      .filter((m) => m.month <= view.repeat.latestJudged[90].month)
                      .map((m) => ({
                        label: m.label,
                        month: m.month,
                        ...Object.fromEntries(
                          view.repeat.rows.map((r) => [r.channel, m.rates[r.channel]?.[90] ?? null]),
                        ),
                      }))}
                    series={view.repeat.rows.map((r) => ({
                      key: r.channel,
                      name: names[r.channel] ?? r.channel,
                    }))}
                    locale={locale}
                    title={t.repeatChartTitle}
                  />
                </>
              )}
              {table("channels-repeat-months", t.repeatMonthsCaption)}
              <p className="footnote">
                {t.judgedNote(view.repeat.latestJudged[90].label, view.repeat.latestJudged[365].label)}{" "}
                {country.length === 1 ? null : t.appNote}
              </p>
            </>
          )}
        </section>
      </div>
    </PageFrame>
  );
}

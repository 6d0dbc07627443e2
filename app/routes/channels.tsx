// /channels: partners and app. Each partner's share of its country's devices and GMV by month; partner,
// web and app compared in that country; and how often a first order in each channel leads to a second
// one. The period (from, to) and the cohorts' country are in the URL, so a link reproduces the view.

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { loadChannels } from "~/.server/channels.server";
import { pageLoader } from "~/.server/page-loader.server";
import { ChannelBars } from "~/components/channels/channel-bars";
import { RatioLines } from "~/components/channels/ratio-lines";
import { EmptyPage } from "~/components/empty-page";
import { PageFrame } from "~/components/page-frame";
import { CHANNELS_MESSAGES } from "~/i18n/channels";
import { formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { REPEAT_WINDOWS } from "~/metrics/channels";

export const meta: MetaFunction = () => [
  { title: "Partners and app · Backlight" },
  {
    name: "description",
    content: "Partner share, margin and returns against the web, and repeat customers by first channel.",
  },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded } = await pageLoader(args, "channels", loadChannels);
  if (loaded.state === "empty") return data({ state: "empty" as const, locale }, { headers });
  return data(
    {
      state: "ready" as const,
      locale,
      lang,
      view: loaded.result,
      synthetic: loaded.snapshot.synthetic,
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      createdAtDisplay: formatTimestamp(loaded.snapshot.createdAt, locale),
    },
    { headers },
  );
}

export default function Channels() {
  const page = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang } = page;
  const t = CHANNELS_MESSAGES[locale];
  const loading = navigation.state === "loading" && navigation.location.pathname === "/channels";
  const names = view.channelNames;
  const countryName = (code: string) => view.countries.find((c) => c.code === code)?.name ?? code;
  /** This page's address with another period (and the rest kept). */
  const withPeriod = (from: string, to: string) => {
    const q = new URLSearchParams();
    if (lang) q.set("lang", lang);
    q.set("from", from);
    q.set("to", to);
    if (view.country) q.set("country", view.country);
    return `/channels?${q}`;
  };
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
      <Form
        key={`${view.period.from}|${view.period.to}|${view.country ?? ""}`}
        method="get"
        className="filter-bar"
        aria-label={t.title}
      >
        {lang ? <input type="hidden" name="lang" value={lang} /> : null}
        <div className="filter-bar__group">
          <div className="field">
            <label htmlFor="c-from">{t.from}</label>
            <input id="c-from" type="month" name="from" defaultValue={view.period.from} required />
          </div>
          <div className="field">
            <label htmlFor="c-to">{t.to}</label>
            <input id="c-to" type="month" name="to" defaultValue={view.period.to} required />
          </div>
          <div className="field">
            <label htmlFor="c-country">{t.country}</label>
            <select id="c-country" name="country" defaultValue={view.country ?? ""}>
              <option value="">{t.allCountries}</option>
              {view.countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="filter-bar__actions">
          <button type="submit">{t.apply}</button>
          <span className="period">{t.period(view.period.label)}</span>
        </div>
      </Form>
      <div className={loading ? "figures figures--loading" : "figures"}>
        <section className="panel" aria-labelledby="share-title">
          <div className="panel__head">
            <h3 id="share-title">{t.shareTitle}</h3>
          </div>
          <p className="panel__subtitle">{t.shareIntro}</p>
          {view.partners.length === 0 ? <p>{t.noPartners}</p> : null}
          {view.partners.map((p) => {
            const id = `share-${p.partner}-${p.country}`;
            return (
              <section key={id} className="channel-block" aria-labelledby={id} data-partner={p.partner}>
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
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
                <section className="table-wrap" tabIndex={0} aria-label={`${p.title}, ${t.month}`}>
                  <table className="data-table data-table--wrap-head" data-table={`share-${p.partner}`}>
                    <caption className="visually-hidden">{p.title}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t.month}</th>
                        <th scope="col">{t.partnerDevices}</th>
                        <th scope="col">{t.countryDevices}</th>
                        <th scope="col">{t.deviceShare}</th>
                        <th scope="col">{t.partnerGmv}</th>
                        <th scope="col">{t.countryGmv}</th>
                        <th scope="col">{t.gmvShare}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.months.map((m) => (
                        <tr key={m.month} data-month={m.month}>
                          <th scope="row">{m.label}</th>
                          <td>{m.display.partnerDevices}</td>
                          <td>{m.display.countryDevices}</td>
                          <td>{m.display.deviceShare}</td>
                          <td>{m.display.partnerGmv}</td>
                          <td>{m.display.countryGmv}</td>
                          <td>{m.display.gmvShare}</td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr data-month="period">
                        <th scope="row">{t.periodRow}</th>
                        <td>{p.total.display.partnerDevices}</td>
                        <td>{p.total.display.countryDevices}</td>
                        <td>{p.total.display.deviceShare}</td>
                        <td>{p.total.display.partnerGmv}</td>
                        <td>{p.total.display.countryGmv}</td>
                        <td>{p.total.display.gmvShare}</td>
                      </tr>
                    </tfoot>
                  </table>
                </section>
              </section>
            );
          })}
        </section>

        <section className="panel" aria-labelledby="compare-title">
          <div className="panel__head">
            <h3 id="compare-title">{t.compareTitle}</h3>
          </div>
          <p className="panel__subtitle">{t.compareIntro}</p>
          {view.comparison.map((c) => {
            const id = `compare-${c.country}`;
            return (
              <section key={id} className="channel-block" aria-labelledby={id} data-country={c.country}>
                <h4 id={id}>{t.compareIn(c.name)}</h4>
                {c.channels.length === 0 ? (
                  <p>{t.noSales}</p>
                ) : (
                  <>
                    <ChannelBars
                      channels={c.channels}
                      names={names}
                      fields={[
                        { field: "takeRate", title: t.takeRate },
                        { field: "contributionPct", title: t.contributionPct },
                        { field: "returnRate", title: t.returnRate },
                      ]}
                      locale={locale}
                    />
                    {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
                    <section className="table-wrap" tabIndex={0} aria-label={t.compareIn(c.name)}>
                      <table
                        className="data-table data-table--wrap-head"
                        data-table={`channels-${c.country}`}
                      >
                        <caption className="visually-hidden">{t.compareIn(c.name)}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{t.channel}</th>
                            <th scope="col">{t.devices}</th>
                            <th scope="col">{t.gmv}</th>
                            <th scope="col">{t.averagePrice}</th>
                            <th scope="col">{t.netRevenue}</th>
                            <th scope="col">{t.takeRate}</th>
                            <th scope="col">{t.contribution}</th>
                            <th scope="col">{t.contributionPct}</th>
                            <th scope="col">{t.contributionPerDevice}</th>
                            <th scope="col">{t.returnRate}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {c.channels.map((ch) => (
                            <tr key={ch.channel} data-channel={ch.channel}>
                              <th scope="row">{names[ch.channel]}</th>
                              <td>{ch.display.devices}</td>
                              <td>{ch.display.gmv}</td>
                              <td>{ch.display.averagePrice}</td>
                              <td>{ch.display.netRevenue}</td>
                              <td>{ch.display.takeRate}</td>
                              <td>{ch.display.contribution}</td>
                              <td>{ch.display.contributionPct}</td>
                              <td>{ch.display.contributionPerDevice}</td>
                              <td>{ch.display.returnRate}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </section>
                  </>
                )}
              </section>
            );
          })}
          <p className="footnote">{t.compareNote}</p>
        </section>

        <section className="panel" aria-labelledby="repeat-title">
          <div className="panel__head">
            <h3 id="repeat-title">{t.repeatTitle}</h3>
            <span className="period">{view.country ? countryName(view.country) : t.allCountries}</span>
          </div>
          <p className="panel__subtitle">{t.repeatIntro}</p>
          {view.repeat.rows.length === 0 ? (
            <p>{t.noCohorts}</p>
          ) : (
            <>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
              <section className="table-wrap" tabIndex={0} aria-label={t.repeatTitle}>
                <table className="data-table" data-table="repeat">
                  <caption className="visually-hidden">{t.repeatTitle}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.firstChannel}</th>
                      <th scope="col">{t.newCustomers}</th>
                      {REPEAT_WINDOWS.map((w) => (
                        <th key={w} scope="col">
                          {t.within(w)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {view.repeat.rows.map((r) => (
                      <tr key={r.channel} data-channel={r.channel}>
                        <th scope="row">{names[r.channel]}</th>
                        <td>{r.display.customers}</td>
                        {REPEAT_WINDOWS.map((w) => (
                          <td key={w}>{r.within[w].judged === 0 ? t.notJudged : r.display[w]}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
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
              <details className="cohorts">
                <summary>{t.cohortTable}</summary>
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
                <section className="table-wrap" tabIndex={0} aria-label={t.cohortTable}>
                  <table className="data-table data-table--compact" data-table="cohorts">
                    <caption className="visually-hidden">{t.cohortTable}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t.month}</th>
                        {view.repeat.rows.flatMap((r) =>
                          REPEAT_WINDOWS.map((w) => (
                            <th key={`${r.channel}-${w}`} scope="col">
                              {names[r.channel]} · {t.days(w)}
                            </th>
                          )),
                        )}
                      </tr>
                    </thead>
                    <tbody>
                      {view.repeat.months.map((m) => (
                        <tr key={m.month}>
                          <th scope="row">{m.label}</th>
                          {view.repeat.rows.flatMap((r) =>
                            REPEAT_WINDOWS.map((w) => (
                              <td key={`${r.channel}-${w}`}>{m.display[r.channel]?.[w] ?? "—"}</td>
                            )),
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              </details>
              <p className="footnote">
                {t.judgedNote(view.repeat.latestJudged[90].label, view.repeat.latestJudged[365].label)}{" "}
                {view.country ? null : t.appNote}
              </p>
            </>
          )}
        </section>
      </div>
    </PageFrame>
  );
}

// /quality: grades and battery — the grade mix by month (Premium from its launch), sales, take rate,
// return rate and the cost of returns by grade, return reasons by grade and by category, battery health
// per grade, and the Premium promise (battery ≥ 85% of new): how many devices broke it, and which sellers
// sold them, worst first. Every choice lives in the URL (from, to, country, category).

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { pageLoader } from "~/.server/page-loader.server";
import { type GradeFigures, loadQuality, type ReasonCounts } from "~/.server/quality.server";
import { CheckboxGroup } from "~/components/checkbox-group";
import { EmptyPage } from "~/components/empty-page";
import { PageFrame } from "~/components/page-frame";
import { BatteryCharts } from "~/components/quality/battery-chart";
import { GradeMixChart } from "~/components/quality/grade-mix-chart";
import type { Locale } from "~/i18n/locales";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { QUALITY_MESSAGES } from "~/i18n/quality";
import { formatMetricValue, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { BATTERY_BAND_WIDTH, GRADES, RETURN_REASONS } from "~/metrics/quality";

export const meta: MetaFunction = () => [
  { title: "Grades and battery · Backlight" },
  {
    name: "description",
    content: "Sales, returns and battery health by grade, and whether Premium keeps its 85% battery promise.",
  },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded } = await pageLoader(args, "quality", loadQuality);
  if (loaded.state === "empty") return data({ state: "empty" as const, locale }, { headers });
  const view = loaded.result;
  const t = QUALITY_MESSAGES[locale];
  const regions = new Intl.DisplayNames([locale], { type: "region" });
  const monthOf = (options: Intl.DateTimeFormatOptions) => {
    const f = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
    return (m: string) => f.format(new Date(`${m}-01T00:00:00Z`));
  };
  const long = monthOf({ month: "long", year: "numeric" });
  const short = monthOf({ month: "short", year: "2-digit" });
  return data(
    {
      state: "ready" as const,
      locale,
      lang,
      view,
      synthetic: loaded.snapshot.synthetic,
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      display: {
        createdAt: formatTimestamp(loaded.snapshot.createdAt, locale),
        months: Object.fromEntries(view.available.months.map((m) => [m, long(m)])),
        shortMonths: Object.fromEntries(view.mix.map((m) => [m.month, short(m.month)])),
        countries: Object.fromEntries(view.available.countries.map((c) => [c, regions.of(c) ?? c])),
        bands: Object.fromEntries(
          view.battery.bands.map((b) => [b, b >= 100 ? t.newBattery : t.band(b, b + BATTERY_BAND_WIDTH - 1)]),
        ),
      },
    },
    { headers },
  );
}

function formatters(locale: Locale) {
  const or = (f: (v: number) => string) => (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : f(v);
  return {
    count: or((v) => formatMetricValue(v, "count", locale)),
    ratio: or((v) => formatMetricValue(v, "ratio", locale)),
    eur: or((v) => formatMetricValue(v, "eur", locale)),
    eurUnit: or((v) => formatMetricValue(v, "eur_unit", locale)),
    /** A battery reading, a whole percentage of a new battery's capacity. */
    battery: or((v) => new Intl.NumberFormat(locale, { style: "percent" }).format(v / 100)),
  };
}

export default function Quality() {
  const page = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang, display } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/quality";
  const monthName = (m: string) => display.months[m] ?? m;
  const selection = t.selection(
    view.countries.length ? view.countries.map((c) => display.countries[c] ?? c).join(", ") : t.allCountries,
    view.categories.length ? view.categories.map((c) => codes[c] ?? c).join(", ") : t.allCategories,
  );
  const nothing = view.total.devicesSold === 0;
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
        <p className="period" data-period>
          {t.period(monthName(view.range.from), monthName(view.range.to))} · {selection}
        </p>
      </div>
      <p className="method page__intro">{t.intro}</p>
      {/* Keyed by the view, so that Back or a link resets the controls to what the URL says. */}
      <Form
        key={`${view.range.from}|${view.range.to}|${view.countries}|${view.categories}`}
        method="get"
        className="filter-bar"
        aria-label={t.title}
      >
        {lang ? <input type="hidden" name="lang" value={lang} /> : null}
        <div className="filter-bar__group">
          <div className="field">
            <label htmlFor="q-from">{t.from}</label>
            <select id="q-from" name="from" defaultValue={view.range.from}>
              {view.available.months.map((m) => (
                <option key={m} value={m}>
                  {monthName(m)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="q-to">{t.to}</label>
            <select id="q-to" name="to" defaultValue={view.range.to}>
              {view.available.months.map((m) => (
                <option key={m} value={m}>
                  {monthName(m)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <CheckboxGroup
          name="country"
          legend={t.countries}
          hint={t.allHelp}
          options={view.available.countries.map((c) => ({ value: c, label: display.countries[c] ?? c }))}
          checked={view.countries}
        />
        <CheckboxGroup
          name="category"
          legend={t.categories}
          hint={t.allHelp}
          options={view.available.categories.map((c) => ({ value: c, label: codes[c] ?? c }))}
          checked={view.categories}
        />
        <div className="filter-bar__actions">
          <button type="submit">{t.apply}</button>
        </div>
      </Form>
      {nothing ? (
        <section className="notice" aria-labelledby="quality-empty">
          <h3 id="quality-empty">{t.title}</h3>
          <p>{t.nothingSold}</p>
        </section>
      ) : (
        <div className={loading ? "figures figures--loading" : "figures"}>
          <MixSection page={page} />
          <GradesSection page={page} />
          <ReasonsSection page={page} />
          <BatterySection page={page} />
          <ComplianceSection page={page} />
        </div>
      )}
    </PageFrame>
  );
}

type Ready = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { state: "ready" }>;

function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
    <section className="table-wrap" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

function MixSection({ page }: { page: Ready }) {
  const { view, locale, display } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const f = formatters(locale);
  return (
    <section className="panel" aria-labelledby="mix-title">
      <div className="panel__head">
        <h3 id="mix-title">{t.mixTitle}</h3>
      </div>
      <p className="panel__subtitle">
        {t.mixIntro(view.premiumSince ? (display.months[view.premiumSince] ?? view.premiumSince) : null)}
      </p>
      <GradeMixChart
        mix={view.mix}
        monthLabels={display.shortMonths}
        gradeNames={codes}
        locale={locale}
        title={`${t.mixTitle}: ${t.mixAxis}`}
      />
      <ScrollTable label={t.mixCaption}>
        <table className="data-table" data-table="mix">
          <caption className="visually-hidden">{t.mixCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.month}</th>
              <th scope="col">{t.devicesSold}</th>
              {GRADES.map((g) => (
                <th key={g} scope="col">
                  {codes[g]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.mix.map((m) => (
              <tr key={m.month} data-month={m.month}>
                <th scope="row">{display.months[m.month]}</th>
                <td>{f.count(m.devicesSold)}</td>
                {GRADES.map((g) => {
                  const cell = m.grades[g];
                  return (
                    <td key={g} data-grade={g}>
                      {cell ? (
                        <>
                          {f.ratio(cell.share)} <span className="footnote">({f.count(cell.devices)})</span>
                        </>
                      ) : (
                        <span className="footnote">{t.notLaunched}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </section>
  );
}

function GradesSection({ page }: { page: Ready }) {
  const { view, locale } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const f = formatters(locale);
  type Column = [keyof GradeFigures, string, (v: number | null) => string];
  const sales: Column[] = [
    ["devicesSold", t.devicesSold, f.count],
    ["gmvEur", t.gmv, f.eur],
    ["averagePriceEur", t.averagePrice, f.eurUnit],
    ["netRevenueEur", t.netRevenue, f.eur],
    ["takeRate", t.takeRate, f.ratio],
  ];
  const returns: Column[] = [
    ["returnRate", t.returnRate, f.ratio],
    ["returnsReceived", t.returnsReceived, f.count],
    ["refundsEur", t.refunds, f.eur],
    ["commissionRefundedEur", t.commissionRefunded, f.eur],
    ["returnCostsEur", t.returnCosts, f.eur],
    ["marketplaceCostEur", t.marketplaceCost, f.eur],
    ["marketplaceCostPerDeviceEur", t.costPerDevice, f.eurUnit],
  ];
  const table = (id: string, caption: string, columns: Column[]) => {
    const row = (key: string, name: string, figures: GradeFigures, total = false) => (
      <tr key={key} data-grade={key} className={total ? "data-table__group" : undefined}>
        <th scope="row">{name}</th>
        {columns.map(([k, , format]) => (
          <td key={k} data-col={k}>
            {format(figures[k])}
          </td>
        ))}
      </tr>
    );
    return (
      <ScrollTable label={caption}>
        <table className="data-table" data-table={id}>
          <caption className="table-caption">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.grade}</th>
              {columns.map(([k, label]) => (
                <th key={k} scope="col" className="wrap">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.grades.map((g) => row(g.grade, codes[g.grade] ?? g.grade, g.figures))}
            {row("all", t.allGrades, view.total, true)}
          </tbody>
        </table>
      </ScrollTable>
    );
  };
  return (
    <section className="panel" aria-labelledby="grades-title">
      <div className="panel__head">
        <h3 id="grades-title">{t.gradesTitle}</h3>
      </div>
      <div className="quality-tables">
        {table("grades", t.salesCaption, sales)}
        {table("grade-returns", t.returnsCaption, returns)}
      </div>
      <p className="footnote">{t.gradesNote}</p>
    </section>
  );
}

function ReasonsTable({
  id,
  caption,
  head,
  rows,
  total,
  locale,
}: {
  id: string;
  caption: string;
  head: string;
  rows: { key: string; name: string; reasons: ReasonCounts }[];
  total: ReasonCounts;
  locale: Locale;
}) {
  const t = QUALITY_MESSAGES[locale];
  const f = formatters(locale);
  const line = (key: string, name: string, r: ReasonCounts, isTotal = false) => (
    <tr key={key} data-key={key} className={isTotal ? "data-table__group" : undefined}>
      <th scope="row">{name}</th>
      {RETURN_REASONS.map((reason) => (
        <td key={reason} data-reason={reason}>
          {f.count(r.counts[reason])} <span className="footnote">({f.ratio(r.shares[reason])})</span>
        </td>
      ))}
      <td data-reason="total">{f.count(r.total)}</td>
    </tr>
  );
  return (
    <ScrollTable label={caption}>
      <table className="data-table" data-table={id}>
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            {RETURN_REASONS.map((reason) => (
              <th key={reason} scope="col">
                {t.reasons[reason]}
              </th>
            ))}
            <th scope="col">{t.total}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => line(r.key, r.name, r.reasons))}
          {line("total", t.total, total, true)}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function ReasonsSection({ page }: { page: Ready }) {
  const { view, locale } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const f = formatters(locale);
  return (
    <section className="panel" aria-labelledby="reasons-title">
      <div className="panel__head">
        <h3 id="reasons-title">{t.reasonsTitle}</h3>
      </div>
      {view.reasons.total.total === 0 ? (
        <p>{t.noReturns}</p>
      ) : (
        <>
          <p className="panel__subtitle">{t.reasonsIntro}</p>
          <div className="quality-tables">
            <ReasonsTable
              id="reasons-grade"
              caption={t.reasonsByGrade}
              head={t.grade}
              rows={view.reasons.byGrade.map((g) => ({
                key: g.grade,
                name: codes[g.grade] ?? g.grade,
                reasons: g.reasons,
              }))}
              total={view.reasons.total}
              locale={locale}
            />
            <ReasonsTable
              id="reasons-category"
              caption={t.reasonsByCategory}
              head={t.category}
              rows={view.reasons.byCategory.map((c) => ({
                key: c.category,
                name: codes[c.category] ?? c.category,
                reasons: c.reasons,
              }))}
              total={view.reasons.total}
              locale={locale}
            />
          </div>
        </>
      )}
      <ScrollTable label={t.returnRatesTitle}>
        <table className="data-table" data-table="return-rates">
          <caption className="table-caption">{t.returnRatesTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.category}</th>
              {GRADES.map((g) => (
                <th key={g} scope="col">
                  {codes[g]}
                </th>
              ))}
              <th scope="col">{t.allGrades}</th>
            </tr>
          </thead>
          <tbody>
            {view.returnRates.map((r) => (
              <tr key={r.category} data-category={r.category}>
                <th scope="row">{codes[r.category] ?? r.category}</th>
                {GRADES.map((g) => (
                  <td key={g} data-grade={g}>
                    {f.ratio(r.grades[g].rate)}
                  </td>
                ))}
                <td data-grade="all">{f.ratio(r.all.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <p className="footnote">{t.returnRatesNote}</p>
    </section>
  );
}

function BatterySection({ page }: { page: Ready }) {
  const { view, locale, display } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const f = formatters(locale);
  const bandName = (b: number) => display.bands[b] ?? String(b);
  return (
    <section className="panel" aria-labelledby="battery-title">
      <div className="panel__head">
        <h3 id="battery-title">{t.batteryTitle}</h3>
      </div>
      {view.battery.bands.length === 0 ? (
        <p>{t.noBattery}</p>
      ) : (
        <>
          <p className="panel__subtitle">{t.batteryIntro}</p>
          <BatteryCharts
            grades={view.battery.grades}
            bandLabels={display.bands}
            gradeNames={codes}
            locale={locale}
            devicesLabel={(g) => t.batteryDevices(f.count(g.devices))}
          />
          <ScrollTable label={t.batteryCaption}>
            <table className="data-table data-table--compact" data-table="battery">
              <caption className="table-caption">{t.batteryCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.batteryAxis}</th>
                  {GRADES.map((g) => (
                    <th key={g} scope="col">
                      {codes[g]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.battery.bands.map((band, i) => (
                  <tr key={band} data-band={band}>
                    <th scope="row">{bandName(band)}</th>
                    {view.battery.grades.map((g) => {
                      const cell = g.bands[i];
                      return (
                        <td key={g.grade} data-grade={g.grade}>
                          {f.ratio(cell?.share)}{" "}
                          <span className="footnote">({f.count(cell?.devices ?? 0)})</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      )}
    </section>
  );
}

function ComplianceSection({ page }: { page: Ready }) {
  const { view, locale, display } = page;
  const t = QUALITY_MESSAGES[locale];
  const f = formatters(locale);
  const c = view.compliance;
  return (
    <section className="panel" aria-labelledby="compliance-title" data-section="compliance">
      <div className="panel__head">
        <h3 id="compliance-title">{t.complianceTitle}</h3>
      </div>
      {c.premiumWithBattery === 0 ? (
        <p>{t.noPremium}</p>
      ) : c.under85 === 0 ? (
        <p className="verdict--good">{t.complianceNone(f.count(c.premiumWithBattery))}</p>
      ) : (
        <>
          <p className="compliance__headline" data-under85={c.under85}>
            <strong className="verdict--bad">
              {t.complianceHeadline(f.count(c.under85), f.ratio(c.share), f.count(c.premiumWithBattery))}
            </strong>{" "}
            {t.complianceLowest(f.battery(c.lowestBatteryPct), f.count(c.sellers))}
          </p>
          <ScrollTable label={t.complianceListCaption}>
            <table className="data-table" data-table="compliance">
              <caption className="table-caption">{t.complianceListCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.seller}</th>
                  <th scope="col">{t.month}</th>
                  <th scope="col">{t.under85}</th>
                  <th scope="col">{t.premiumSold}</th>
                  <th scope="col">{t.shareOfSeller}</th>
                  <th scope="col">{t.lowestBattery}</th>
                </tr>
              </thead>
              <tbody>
                {c.list.map((s) => (
                  <tr key={`${s.sellerId}|${s.month}`} data-seller={s.sellerId} data-month={s.month}>
                    <th scope="row" className="wrap">
                      {s.sellerName}
                    </th>
                    <td>{display.months[s.month] ?? s.month}</td>
                    <td data-col="under85">{f.count(s.devicesUnder85)}</td>
                    <td>{f.count(s.premiumDevices)}</td>
                    <td>{f.ratio(s.share)}</td>
                    <td>{f.battery(s.lowestBatteryPct)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <p className="footnote">
            {c.listTotal > c.list.length
              ? t.listShown(f.count(c.list.length), f.count(c.listTotal))
              : t.listAll(f.count(c.listTotal))}{" "}
            {t.complianceNote}
          </p>
        </>
      )}
    </section>
  );
}

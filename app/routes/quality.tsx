// /quality: grades and battery — the grade mix by month (Premium from its launch), sales, take rate,
// return rate and the cost of returns by grade, return reasons by grade and by category, battery health
// per grade, and the Premium promise (battery ≥ 85% of new): how many devices broke it, and which sellers
// sold them, worst first. Every choice lives in the URL (from, to, country, category).

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";
import { countryNames } from "~/.server/overview.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { loadQuality } from "~/.server/quality.server";
import { presentTables } from "~/.server/sections/present.server";
import { qualityTables } from "~/.server/sections/quality.server";
import { CheckboxGroup } from "~/components/checkbox-group";
import { DataTable } from "~/components/data-table";
import { EmptyPage } from "~/components/empty-page";
import { FilterFold } from "~/components/filter-fold";
import { MonthPeriod } from "~/components/month-period";
import { PageFrame } from "~/components/page-frame";
import { BatteryCharts } from "~/components/quality/battery-chart";
import { GradeMixChart } from "~/components/quality/grade-mix-chart";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { QUALITY_MESSAGES } from "~/i18n/quality";
import { byName, formatMetricValue, formatMonth, formatPercentDigits, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { type PageData, usePageData } from "~/lib/page-data";
import { BATTERY_BAND_WIDTH, COMPLIANCE_LIST_LIMIT } from "~/metrics/quality";

export const meta: MetaFunction = () => [
  { title: "Grades and battery · Backlight" },
  {
    name: "description",
    content: "Sales, returns and battery health by grade, and whether Premium keeps its 85% battery promise.",
  },
];

export const headers = forwardHeaders;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, url, inline } = await pageLoader(args, "quality", loadQuality);
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  const { all: _all, ...compliance } = loaded.result.compliance;
  // The months with data as their first and last (the month fields' bounds), not each of them.
  const { months: dataMonths, ...available } = loaded.result.available;
  const view = {
    ...loaded.result,
    compliance,
    available: { ...available, firstMonth: dataMonths[0], lastMonth: dataMonths.at(-1) },
  };
  const tables = presentTables(loaded.result, locale, qualityTables, {
    "quality-premium-sellers": COMPLIANCE_LIST_LIMIT,
  });
  const t = QUALITY_MESSAGES[locale];
  const regions = countryNames(locale);
  const long = (m: string) => formatMonth(m, locale, "long");
  const short = (m: string) => formatMonth(m, locale, "short", "2-digit");
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      view,
      tables,
      search: url.search,
      synthetic: loaded.snapshot.synthetic,
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      display: {
        createdAt: formatTimestamp(loaded.snapshot.createdAt, locale),
        // The months the page names: its period's ends, and when Premium began.
        months: Object.fromEntries(
          [view.range.from, view.range.to, view.premiumSince].flatMap((m) => (m ? [[m, long(m)]] : [])),
        ),
        shortMonths: Object.fromEntries(view.mix.map((m) => [m.month, short(m.month)])),
        countries: Object.fromEntries(view.available.countries.map((c) => [c, regions.of(c) ?? c])),
        bands: Object.fromEntries(
          view.battery.bands.map((b) => [b, b >= 100 ? t.newBattery : t.band(b, b + BATTERY_BAND_WIDTH - 1)]),
        ),
      },
    },
    { headers },
    inline,
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
    battery: or((v) => formatPercentDigits(v / 100, locale, 0)),
  };
}

export default function Quality() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { view, locale, lang, display } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const filterLabels = MESSAGES[locale].filters;
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
      <FilterFold locale={locale}>
        <Form
          key={`${view.range.from}|${view.range.to}|${view.countries}|${view.categories}`}
          method="get"
          className="filter-bar"
          aria-label={t.title}
        >
          {lang ? <input type="hidden" name="lang" value={lang} /> : null}
          <div className="filter-bar__group">
            <MonthPeriod
              idPrefix="q"
              locale={locale}
              from={view.range.from}
              to={view.range.to}
              min={view.available.firstMonth}
              max={view.available.lastMonth}
            />
          </div>
          <CheckboxGroup
            name="country"
            legend={filterLabels.countries}
            hint={filterLabels.noneTicked}
            options={byName(
              view.available.countries.map((c) => ({ value: c, label: display.countries[c] ?? c })),
              (o) => o.label,
              locale,
            )}
            checked={view.countries}
          />
          <CheckboxGroup
            name="category"
            legend={t.categories}
            hint={filterLabels.noneTicked}
            options={view.available.categories.map((c) => ({ value: c, label: codes[c] ?? c }))}
            checked={view.categories}
          />
          <div className="filter-bar__actions">
            <button type="submit">{filterLabels.apply}</button>
          </div>
        </Form>
      </FilterFold>
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

type Ready = Extract<PageData<typeof loader>, { state: "ready" }>;

function MixSection({ page }: { page: Ready }) {
  const { view, locale, display } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
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
      <DataTable
        table={page.tables["quality-grade-mix"]}
        caption={t.mixCaption}
        locale={locale}
        search={page.search}
      />
    </section>
  );
}

function GradesSection({ page }: { page: Ready }) {
  const { locale } = page;
  const t = QUALITY_MESSAGES[locale];
  return (
    <section className="panel" aria-labelledby="grades-title">
      <div className="panel__head">
        <h3 id="grades-title">{t.gradesTitle}</h3>
      </div>
      <DataTable
        table={page.tables["quality-grades"]}
        caption={t.gradesTitle}
        locale={locale}
        search={page.search}
      />
      <p className="footnote">{t.gradesNote}</p>
    </section>
  );
}

function ReasonsSection({ page }: { page: Ready }) {
  const { view, locale } = page;
  const t = QUALITY_MESSAGES[locale];
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
          <DataTable
            table={page.tables["quality-return-reasons"]}
            caption={`${t.reasonsByGrade} · ${t.reasonsByCategory}`}
            locale={locale}
            search={page.search}
          />
        </>
      )}
      <DataTable
        table={page.tables["quality-return-rates"]}
        caption={t.returnRatesTitle}
        locale={locale}
        search={page.search}
      />
      <p className="footnote">{t.returnRatesNote}</p>
    </section>
  );
}

function BatterySection({ page }: { page: Ready }) {
  const { view, locale, display } = page;
  const t = QUALITY_MESSAGES[locale];
  const codes = OVERVIEW_MESSAGES[locale].codes;
  const f = formatters(locale);
  const _bandName = (b: number) => display.bands[b] ?? String(b);
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
          <DataTable
            table={page.tables["quality-battery"]}
            caption={t.batteryCaption}
            locale={locale}
            search={page.search}
          />
        </>
      )}
    </section>
  );
}

function ComplianceSection({ page }: { page: Ready }) {
  const { view, locale } = page;
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
          <DataTable
            table={page.tables["quality-premium-sellers"]}
            caption={t.complianceListCaption}
            locale={locale}
            search={page.search}
          />
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

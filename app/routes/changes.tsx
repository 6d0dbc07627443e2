// /changes: what changed since the last publish. The current snapshot beside the one it replaced: the
// days it adds, every figure of an earlier month that moved (metric × month × country, before → after)
// with the batches that moved it, what each batch did, and the quarantine then and now. country,
// region and metric are in the URL, so a link reproduces the view; every table has its download.

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";
import { loadChanges } from "~/.server/changes.server";
import { pageData } from "~/.server/page-data.server";
import { pageLoader } from "~/.server/page-loader.server";
import { type ChangesSectionId, changesTables } from "~/.server/sections/changes.server";
import { presentTables } from "~/.server/sections/present.server";
import { DataTable } from "~/components/data-table";
import { EmptyPage } from "~/components/empty-page";
import { FilterFold } from "~/components/filter-fold";
import { PageFrame } from "~/components/page-frame";
import { CHANGES_MESSAGES } from "~/i18n/changes";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { REGIONS } from "~/lib/filters";
import { byName, formatDate, formatExact, formatMetricValue, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [
  { title: "What changed · Backlight" },
  {
    name: "description",
    content:
      "What the last publish changed: new days, and every earlier figure that moved, with its batches.",
  },
];

export const headers = forwardHeaders;

/** Restated figures drawn on the page (the download holds them all). */
const FIGURES_SHOWN = 500;

export async function loader(args: LoaderFunctionArgs) {
  const { locale, lang, headers, loaded, url, inline } = await pageLoader(args, "changes", loadChanges);
  if (loaded.state === "empty") return pageData({ state: "empty" as const, locale }, { headers }, inline);
  const view = loaded.result;
  const tables = presentTables(view, locale, changesTables, { "changes-figures": FIGURES_SHOWN });
  const t = CHANGES_MESSAGES[locale];
  const through = view.data.before ? formatDate(view.data.before.to, locale) : null;
  return pageData(
    {
      state: "ready" as const,
      locale,
      lang,
      tables,
      search: url.search,
      synthetic: loaded.snapshot.synthetic,
      snapshot: { id: loaded.snapshot.id, createdAt: loaded.snapshot.createdAt },
      createdAtDisplay: formatTimestamp(loaded.snapshot.createdAt, locale),
      unavailable: view.data.unavailable,
      previous: view.data.previous,
      labels: view.labels,
      compared: through ? t.compared(through) : null,
      batches: view.data.batches,
      effectsRecorded: view.data.effectsRecorded,
      runRows: view.data.run
        ? t.runRows(
            formatMetricValue(view.data.run.rowsRead, "count", locale),
            formatMetricValue(view.data.run.rowsQuarantined, "count", locale),
            view.data.run.share === null ? "—" : formatExact(view.data.run.share, "ratio", locale),
          )
        : null,
      byMetric: view.byMetric.map((m) => ({
        metric: m.metric,
        name: view.metricNames[m.metric],
        figures: m.figures,
      })),
      anyMoved: view.data.before !== null && view.rows.length > 0,
      selection: view.selection,
      monthBounds: view.monthBounds,
      metrics: view.metrics.map((m) => ({ id: m, name: view.metricNames[m] ?? m })),
      countries: byName(
        view.data.countries.map((c) => ({
          code: c.country_code,
          name: view.countryNames[c.country_code] ?? c.country_code,
        })),
        (c) => c.name,
        locale,
      ),
      filtered:
        view.selection.country.length + view.selection.region.length + view.selection.metric.length > 0 ||
        view.selection.period !== null,
    },
    { headers },
    inline,
  );
}

export default function Changes() {
  const page = usePageData<typeof loader>();
  const navigation = useNavigation();
  if (page.state === "empty") return <EmptyPage locale={page.locale} />;
  const { locale, lang, tables } = page;
  const t = CHANGES_MESSAGES[locale];
  const filterLabels = MESSAGES[locale].filters;
  const overview = OVERVIEW_MESSAGES[locale];
  const loading = navigation.state === "loading" && navigation.location.pathname === "/changes";
  const table = (id: ChangesSectionId, caption: string, note?: string) => (
    <DataTable
      table={tables[id]}
      caption={caption}
      locale={locale}
      search={page.search}
      note={note}
      rowHeaders={false}
    />
  );
  const country = page.selection.country.join(",");
  const metric = page.selection.metric.join(",");
  const region = page.selection.region.join(",");
  const figures = tables["changes-figures"];
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
      <div className={loading ? "figures figures--loading" : "figures"}>
        <section className="panel" aria-labelledby="compared-title">
          <div className="panel__head">
            <h3 id="compared-title">{t.summaryTitle}</h3>
          </div>
          {page.unavailable ? (
            <p className="empty-note">{t.unavailable[page.unavailable]}</p>
          ) : (
            <>
              <ul className="changes-facts">
                {page.previous && page.labels.previousAt ? (
                  <li>{t.comparedWith(page.previous.id, page.labels.previousAt)}</li>
                ) : null}
                {page.labels.before ? <li>{t.dataBefore(page.labels.before)}</li> : null}
                {page.labels.after ? <li>{t.dataAfter(page.labels.after)}</li> : null}
              </ul>
              {page.compared ? <p className="footnote">{page.compared}</p> : null}
              {page.byMetric.length > 0 ? (
                <ul className="changes-metrics" aria-label={t.summaryTitle}>
                  {page.byMetric.map((m) => (
                    <li key={m.metric}>
                      <span className="changes-metrics__name">{m.name}</span>{" "}
                      <span className="changes-metrics__count">{t.figuresMoved(m.figures)}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="empty-note">{page.filtered ? t.nothingInSelection : t.nothingMoved}</p>
              )}
            </>
          )}
        </section>
        {page.unavailable ? null : (
          <>
            {/* Keyed by the view: Back and Forward show the fields of the view they return to. */}
            <FilterFold locale={locale}>
              <Form
                key={`${country}|${region}|${metric}|${page.selection.period?.from}|${page.selection.period?.to}`}
                method="get"
                className="filter-bar"
                aria-label={t.title}
              >
                {lang ? <input type="hidden" name="lang" value={lang} /> : null}
                <div className="filter-bar__group">
                  {(["from", "to"] as const).map((end) => (
                    <div className="field" key={end}>
                      <label htmlFor={`c-${end}`}>
                        {end === "from" ? filterLabels.fromMonth : filterLabels.toMonth}
                      </label>
                      <input
                        id={`c-${end}`}
                        name={end}
                        type="month"
                        pattern="\d{4}-\d{2}"
                        min={page.monthBounds?.min}
                        max={page.monthBounds?.max}
                        defaultValue={page.selection.period?.[end] ?? ""}
                      />
                    </div>
                  ))}
                  <div className="field">
                    <label htmlFor="c-country">{filterLabels.country}</label>
                    <select id="c-country" name="country" defaultValue={country}>
                      <option value="">{t.allCountries}</option>
                      {page.selection.country.length > 1 ? (
                        <option value={country}>{page.selection.country.join(", ")}</option>
                      ) : null}
                      {page.countries.map((c) => (
                        <option key={c.code} value={c.code}>
                          {c.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor="c-region">{overview.region}</label>
                    <select id="c-region" name="region" defaultValue={region}>
                      <option value="">{t.allRegions}</option>
                      {REGIONS.map((r) => (
                        <option key={r} value={r}>
                          {overview.regions[r] ?? r}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor="c-metric">{t.metric}</label>
                    <select id="c-metric" name="metric" defaultValue={metric}>
                      <option value="">{t.allMetrics}</option>
                      {page.metrics.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
                <div className="filter-bar__actions">
                  <button type="submit">{filterLabels.apply}</button>
                </div>
              </Form>
            </FilterFold>
            <section className="panel" aria-labelledby="figures-title">
              <div className="panel__head">
                <h3 id="figures-title">{t.figuresTitle}</h3>
              </div>
              <p className="panel__subtitle">{t.figuresIntro}</p>
              {figures.total > 0 ? (
                table(
                  "changes-figures",
                  t.figuresTitle,
                  figures.total > figures.rows.length
                    ? t.shownOf(figures.rows.length, figures.total)
                    : undefined,
                )
              ) : (
                <p className="empty-note">{page.filtered ? t.nothingInSelection : t.nothingMoved}</p>
              )}
            </section>
            <section className="panel" aria-labelledby="batches-title">
              <div className="panel__head">
                <h3 id="batches-title">{t.batchesTitle}</h3>
              </div>
              <p className="panel__subtitle">
                {page.batches.length > 0 ? t.batchesIntro(page.batches.length) : t.noBatches}
              </p>
              {!page.effectsRecorded ? (
                <p className="empty-note">{t.effectsNotRecorded}</p>
              ) : tables["changes-batches"].total > 0 ? (
                table("changes-batches", t.batchesTitle)
              ) : null}
            </section>
            <section className="panel" aria-labelledby="quarantine-title">
              <div className="panel__head">
                <h3 id="quarantine-title">{t.quarantineTitle}</h3>
              </div>
              <p className="panel__subtitle">{t.quarantineIntro}</p>
              {page.runRows ? <p data-run-rows="">{page.runRows}</p> : null}
              {tables["changes-quarantine"].total > 0 ? (
                table("changes-quarantine", t.quarantineTitle)
              ) : (
                <p className="empty-note">{t.noQuarantine}</p>
              )}
            </section>
          </>
        )}
      </div>
    </PageFrame>
  );
}

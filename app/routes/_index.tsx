import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { readHeadline } from "~/.server/headline.server";
import { chooseLocale } from "~/.server/locale.server";
import { getWarehouse, SNAPSHOT_HEADER } from "~/.server/warehouse.server";
import { HeadlineCard, type HeadlineCardProps } from "~/components/headline-card";
import { SiteHeader } from "~/components/site-header";
import { StatusBadges } from "~/components/status-badges";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { formatDate, formatMetric, formatTimestamp } from "~/lib/format";
import { forwardHeaders } from "~/lib/headers";
import { HEADLINE_METRICS, type HeadlineMetricId } from "~/metrics/headline";

export const meta: MetaFunction = () => [
  { title: "Backlight" },
  { name: "description", content: "Headline figures of the refurbished-electronics marketplace." },
];

export const headers = forwardHeaders;

interface DateView {
  iso: string;
  display: string;
}

type IndexData =
  | { state: "empty"; locale: Locale }
  | {
      state: "ready";
      locale: Locale;
      snapshot: { id: string; createdAt: string; createdAtDisplay: string; synthetic: boolean };
      period: { from: DateView; to: DateView } | null;
      cards: HeadlineCardProps[];
    };

export async function loader({ request }: LoaderFunctionArgs) {
  const choice = chooseLocale(request);
  if (!choice.ok) throw data({ message: choice.message }, { status: 400 });
  const { locale } = choice;

  let result: Awaited<ReturnType<typeof readHeadline>>;
  try {
    result = await readHeadline(getWarehouse());
  } catch (error) {
    console.error("backlight: cannot read the headline", error);
    throw data({ message: MESSAGES[locale].warehouseUnreadable }, { status: 503 });
  }

  const headers = new Headers({ "Cache-Control": "no-cache", Vary: "Accept-Language" });
  if (result.state === "empty") return data<IndexData>({ state: "empty", locale }, { headers });

  const { snapshot, result: headline } = result;
  headers.set(SNAPSHOT_HEADER, snapshot.id);
  const values: Record<HeadlineMetricId, number> = {
    customers: headline.customers,
    devices_sold: headline.devicesSold,
    gmv_eur: headline.gmvEur,
  };
  const date = (iso: string): DateView => ({ iso, display: formatDate(iso, locale) });
  return data<IndexData>(
    {
      state: "ready",
      locale,
      snapshot: {
        id: snapshot.id,
        createdAt: snapshot.createdAt,
        createdAtDisplay: formatTimestamp(snapshot.createdAt, locale),
        // Either source saying "synthetic" is enough: real-looking demo figures must never go unlabelled.
        synthetic: snapshot.synthetic || headline.synthetic,
      },
      period:
        headline.firstOrderDate && headline.lastOrderDate
          ? { from: date(headline.firstOrderDate), to: date(headline.lastOrderDate) }
          : null,
      cards: HEADLINE_METRICS.map((metric) => ({
        id: metric.id,
        label: metric.label[locale],
        definition: metric.definition[locale],
        value: values[metric.id],
        display: formatMetric(values[metric.id], metric.format, locale),
      })),
    },
    { headers },
  );
}

export default function Index() {
  const page = useLoaderData<typeof loader>();
  const messages = MESSAGES[page.locale];

  if (page.state === "empty") {
    return (
      <>
        <SiteHeader locale={page.locale} />
        <main id="main" className="page" tabIndex={-1}>
          <section className="notice" aria-labelledby="empty-title">
            <h2 id="empty-title">{messages.emptyTitle}</h2>
            <p>{messages.emptyMessage}</p>
          </section>
        </main>
      </>
    );
  }

  const { snapshot, period, cards } = page;
  const [before, between, after] = messages.period;
  return (
    <>
      <SiteHeader locale={page.locale}>
        <StatusBadges
          locale={page.locale}
          synthetic={snapshot.synthetic}
          createdAt={snapshot.createdAt}
          createdAtDisplay={snapshot.createdAtDisplay}
        />
      </SiteHeader>
      <main id="main" className="page" tabIndex={-1}>
        <section className="headline" aria-label={messages.headlineSection}>
          <p className="period">
            {period ? (
              <>
                {before}
                <time dateTime={period.from.iso}>{period.from.display}</time>
                {between}
                <time dateTime={period.to.iso}>{period.to.display}</time>
                {after}
              </>
            ) : (
              messages.noCompletedOrders
            )}
          </p>
          <div className="cards">
            {cards.map((card) => (
              <HeadlineCard key={card.id} {...card} />
            ))}
          </div>
        </section>
      </main>
      <footer className="site-footer">
        <p>
          {messages.snapshot} <code>{snapshot.id}</code>
        </p>
      </footer>
    </>
  );
}

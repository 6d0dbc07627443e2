import { useRouteLoaderData } from "@remix-run/react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";

export interface StatusBadgesProps {
  locale: Locale;
  synthetic: boolean;
  createdAt: string;
  createdAtDisplay: string;
}

/** Data whose last orders are more days old than this is flagged as stale. */
export const STALE_AFTER_DAYS = 3;

/** What the root loader says of the data's age (app/root.tsx). */
type Through = {
  day: string;
  display: string;
  daysAgo: number;
  /** The day after, which the extract stopped during, and the time of its last order. */
  partial: { day: string; display: string; time: string } | null;
} | null;

/**
 * The data's badges: synthetic or not, the last day with orders (flagged when it is more than a few days
 * before today: yesterday's figures read differently from last year's), and when it was published.
 */
export function StatusBadges({ locale, synthetic, createdAt, createdAtDisplay }: StatusBadgesProps) {
  const messages = MESSAGES[locale];
  const through = (useRouteLoaderData("root") as { through?: Through } | undefined)?.through ?? null;
  const stale = through !== null && through.daysAgo > STALE_AFTER_DAYS;
  return (
    <ul className="badges">
      {synthetic ? <li className="badge badge--synthetic">{messages.syntheticBadge}</li> : null}
      {through ? (
        <li
          className={stale ? "badge badge--stale" : "badge"}
          title={stale ? messages.staleTitle : undefined}
          data-orders-through={through.day}
        >
          {messages.ordersThrough} <time dateTime={through.day}>{through.display}</time>
          {through.partial ? (
            <span className="badge__partial" title={messages.partialDayTitle}>
              {" "}
              {messages.partialDay(through.partial.display, through.partial.time)}
            </span>
          ) : null}
          {stale ? (
            <>
              {" "}
              <span aria-hidden="true">⚠</span> {messages.daysOld(through.daysAgo)}
            </>
          ) : null}
        </li>
      ) : null}
      <li className="badge">
        {messages.dataAsOf} <time dateTime={createdAt}>{createdAtDisplay}</time>
      </li>
    </ul>
  );
}

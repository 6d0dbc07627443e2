import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";

export interface StatusBadgesProps {
  locale: Locale;
  synthetic: boolean;
  createdAt: string;
  createdAtDisplay: string;
}

export function StatusBadges({ locale, synthetic, createdAt, createdAtDisplay }: StatusBadgesProps) {
  const messages = MESSAGES[locale];
  return (
    <ul className="badges">
      {synthetic ? <li className="badge badge--synthetic">{messages.syntheticBadge}</li> : null}
      <li className="badge">
        {messages.dataAsOf} <time dateTime={createdAt}>{createdAtDisplay}</time>
      </li>
    </ul>
  );
}

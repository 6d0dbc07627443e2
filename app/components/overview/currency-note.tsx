import type { OverviewMessages } from "~/i18n/overview";

export interface CurrencyNoteProps {
  currency: { code: string; local: boolean; offer: string | null; refused: "one_country" | "slices" | null };
  /** The one country shown, in the reader's language (for the local rule). */
  countryName: string | null;
  messages: OverviewMessages;
}

/**
 * The conversion rule, said in words wherever one country's money is shown: in its own currency (as
 * recorded, not converted), in EUR (converted, and how), or why local currency does not apply here.
 */
export function CurrencyNote({ currency, countryName, messages }: CurrencyNoteProps) {
  const rule = messages.currencyRule;
  const text = currency.refused
    ? rule.refused[currency.refused]
    : currency.local
      ? rule.local(currency.code, countryName ?? "")
      : currency.offer
        ? rule.eur
        : null;
  if (!text) return null;
  return (
    <p
      className={`currency-note${currency.refused ? " currency-note--warn" : ""}`}
      data-testid="currency-note"
    >
      {text}
    </p>
  );
}

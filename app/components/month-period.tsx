import { useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import { OVERVIEW_MESSAGES } from "~/i18n/overview";
import { MONTH_PRESETS } from "~/lib/grammar";

/**
 * The period control of the monthly pages, the overview's in whole months: a Period preset (the same
 * `range` names) or "Custom months" with From and To. The months of a preset are shown but not sent,
 * so the URL holds either `range` or `from`/`to` (one grammar); changing a month switches to Custom.
 */
export function MonthPeriod({
  idPrefix,
  locale,
  from,
  to,
  months,
  monthName,
  min,
  max,
}: {
  idPrefix: string;
  locale: Locale;
  /** The months shown (those the page's view covers). */
  from: string;
  to: string;
  /** When given, months are picked from this list (by name); otherwise with month inputs. */
  months?: readonly string[] | undefined;
  monthName?: ((month: string) => string) | undefined;
  min?: string | undefined;
  max?: string | undefined;
}) {
  const overview = OVERVIEW_MESSAGES[locale];
  const labels = MESSAGES[locale].filters;
  const { search } = useLocation();
  const query = new URLSearchParams(search);
  const initial = query.get("range") ?? (query.has("from") || query.has("to") ? "" : "last_12_months");
  const [preset, setPreset] = useState(initial);
  useEffect(() => setPreset(initial), [initial]);
  const custom = preset === "";
  const month = (end: "from" | "to") => {
    const id = `${idPrefix}-${end}`;
    const props = {
      id,
      name: custom ? end : undefined,
      defaultValue: end === "from" ? from : to,
      onChange: () => setPreset(""),
    };
    // Keyed by the view: Back and Forward show their own months.
    const key = `${end}-${from}-${to}`;
    return (
      <div className="field" key={end}>
        <label htmlFor={id}>{end === "from" ? labels.fromMonth : labels.toMonth}</label>
        {months ? (
          <select key={key} {...props}>
            {months.map((m) => (
              <option key={m} value={m}>
                {monthName ? monthName(m) : m}
              </option>
            ))}
          </select>
        ) : (
          <input
            key={key}
            {...props}
            type="month"
            min={min}
            max={max}
            pattern="\d{4}-\d{2}"
            required={custom}
          />
        )}
      </div>
    );
  };
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-range`}>{overview.period}</label>
        <select
          id={`${idPrefix}-range`}
          name={custom ? undefined : "range"}
          value={preset}
          onChange={(e) => setPreset(e.target.value)}
        >
          {MONTH_PRESETS.map((p) => (
            <option key={p} value={p}>
              {overview.presets[p]}
            </option>
          ))}
          <option value="">{labels.customMonths}</option>
        </select>
      </div>
      {month("from")}
      {month("to")}
    </>
  );
}

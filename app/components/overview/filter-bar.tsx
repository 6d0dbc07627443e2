import { Form, Link, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { type FormEvent, useEffect, useState } from "react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import type { OverviewMessages } from "~/i18n/overview";
import {
  CATEGORIES,
  type CentralCostsView,
  CHANNELS,
  COMPARISONS,
  type FilterParams,
  filtersToSearch,
  GRADES,
  GRAINS,
  PARTNERS,
  PRESETS,
  parseFilters,
  REGIONS,
  type ResolvedFilters,
} from "~/lib/filters";
import { byName } from "~/lib/format";
import { CentralCostsNote, CentralCostsSelect } from "../central-costs";
import { FilterFold } from "../filter-fold";
import { CurrencyNote, type CurrencyNoteProps } from "./currency-note";

export interface FilterBarProps {
  filters: ResolvedFilters;
  countries: { code: string; name: string }[];
  messages: OverviewMessages;
  /** The reader's locale, for the filter labels every page shares (~/i18n/messages). */
  locale: Locale;
  lang: string | undefined;
  /**
   * The currency of the page's money, where a page offers local currency for a single country: a
   * Currency control, and the conversion rule stated under the bar.
   */
  currency?: CurrencyNoteProps["currency"];
  /** Where a page shows operating costs: the Central costs control, and its rule under the bar. */
  centralCosts?: CentralCostsView | null | undefined;
}

type Change = Partial<Record<keyof FilterParams, string | undefined>>;

/**
 * The filters, kept in the URL. A change is staged on screen (the control shows it, "Changes not applied
 * yet" says so) and applied as one navigation by Apply or Enter: a half-typed date never reaches the
 * server, arrowing through a list fires nothing, and no navigation cuts another short. The URL stays the
 * one source of truth: when it changes (Apply, Back, a link), the staged changes are dropped. Without
 * JavaScript, Apply submits the same fields as a GET form.
 */
export function FilterBar({
  filters,
  countries,
  messages,
  locale,
  lang,
  currency,
  centralCosts,
}: FilterBarProps) {
  const labels = MESSAGES[locale].filters;
  const { params } = filters;
  const go = useFilterNavigate(params, lang);
  const [draft, setDraft] = useState<Change>({});
  const applied = JSON.stringify(params);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the staged changes belong to one URL.
  useEffect(() => setDraft({}), [applied]);
  const stage = (changes: Change) => setDraft((d) => ({ ...d, ...changes }));
  const staged = <K extends keyof FilterParams>(name: K, current: string): string =>
    name in draft ? (draft[name] ?? "") : current;
  const custom = "range" in draft ? !draft.range : Boolean(params.from);
  const pending = Object.keys(draft).length > 0;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => {
      const v = form.get(name);
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const range = value("range");
    const { range: _range, from: _from, to: _to, ...rest } = draft;
    go({
      ...rest,
      ...(range
        ? { range }
        : { from: value("from") ?? filters.range.from, to: value("to") ?? filters.range.to }),
      compare: value("compare"),
      grain: value("grain"),
    });
  };

  const listSelect = (
    name: keyof FilterParams,
    label: string,
    options: { value: string; label: string }[],
  ) => {
    const current = (params[name] as string[]).join(",");
    const known = options.some((o) => o.value === current) || current === "";
    return (
      <div className="field">
        <label htmlFor={`f-${name}`}>{label}</label>
        <select
          id={`f-${name}`}
          name={name}
          value={staged(name, current)}
          onChange={(e) => stage({ [name]: e.target.value || undefined })}
        >
          <option value="">{messages.all}</option>
          {known ? null : <option value={current}>{current.split(",").join(", ")}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    );
  };
  const coded = (codes: readonly string[]) => codes.map((c) => ({ value: c, label: messages.codes[c] ?? c }));

  return (
    <>
      <FilterFold locale={locale}>
        <Form method="get" className="filter-bar" aria-label={messages.filters} onSubmit={onSubmit}>
          {lang ? <input type="hidden" name="lang" value={lang} /> : null}
          {params.metric !== "gmv_eur" ? <input type="hidden" name="metric" value={params.metric} /> : null}
          <div className="filter-bar__group">
            <div className="field">
              <label htmlFor="f-range">{messages.period}</label>
              <select
                id="f-range"
                name="range"
                value={custom ? "" : staged("range", params.range ?? "last_12_months")}
                onChange={(e) => stage({ range: e.target.value || undefined })}
              >
                {PRESETS.map((p) => (
                  <option key={p} value={p}>
                    {messages.presets[p]}
                  </option>
                ))}
                <option value="">{messages.custom}</option>
              </select>
            </div>
            {(["from", "to"] as const).map((end) => (
              <div className="field field--date" key={end}>
                <label htmlFor={`f-${end}`}>{end === "from" ? labels.fromDay : labels.toDay}</label>
                <input
                  id={`f-${end}`}
                  type="date"
                  name={custom ? end : undefined}
                  defaultValue={filters.range[end]}
                  key={`${end}-${filters.range[end]}`}
                  min={end === "to" ? filters.range.from : undefined}
                  max={end === "from" ? filters.range.to : undefined}
                  onChange={(e) => {
                    // Typing a date only stages it (a year typed digit by digit passes through 0006).
                    if (e.target.value && e.target.validity.valid)
                      stage({ range: undefined, [end]: e.target.value });
                  }}
                />
              </div>
            ))}
            <div className="field">
              <label htmlFor="f-compare">{messages.compare}</label>
              <select
                id="f-compare"
                name="compare"
                value={staged("compare", params.compare)}
                onChange={(e) => stage({ compare: e.target.value })}
              >
                {COMPARISONS.map((c) => (
                  <option key={c} value={c}>
                    {messages.comparisons[c]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-grain">{messages.grain}</label>
              <select
                id="f-grain"
                name="grain"
                value={staged("grain", filters.grain)}
                onChange={(e) => stage({ grain: e.target.value })}
              >
                {GRAINS.map((g) => (
                  <option key={g} value={g}>
                    {messages.grains[g]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="filter-bar__group">
            {listSelect(
              "region",
              messages.region,
              REGIONS.map((r) => ({ value: r, label: messages.regions[r] ?? r })),
            )}
            {listSelect(
              "country",
              labels.country,
              byName(countries, (c) => c.name, locale).map((c) => ({ value: c.code, label: c.name })),
            )}
            {listSelect("category", messages.category, coded(CATEGORIES))}
            {listSelect("grade", messages.grade, coded(GRADES))}
            {listSelect("channel", messages.channel, coded(CHANNELS))}
            {listSelect("partner", messages.partner, coded(PARTNERS))}
            {currency && (currency.offer || params.currency === "local") ? (
              <div className="field">
                <label htmlFor="f-currency">{messages.currency}</label>
                <select
                  id="f-currency"
                  name="currency"
                  value={staged("currency", params.currency)}
                  onChange={(e) => stage({ currency: e.target.value })}
                >
                  <option value="eur">{messages.currencyEur}</option>
                  <option value="local">{messages.currencyLocal(currency.offer ?? currency.code)}</option>
                </select>
              </div>
            ) : null}
            {centralCosts ? (
              <CentralCostsSelect
                value={staged("costs", params.costs)}
                onChange={(value) => stage({ costs: value })}
                locale={locale}
              />
            ) : null}
          </div>
          <div className="filter-bar__actions">
            <button type="submit" className={pending ? "filter-bar__apply--pending" : undefined}>
              {labels.apply}
            </button>
            {pending ? (
              <span className="filter-bar__pending" role="status">
                {labels.pending}
              </span>
            ) : null}
            <Link to={lang ? `?lang=${lang}` : "?"}>{messages.reset}</Link>
          </div>
        </Form>
        {centralCosts ? (
          <CentralCostsNote
            view={centralCosts}
            otherHref={
              filtersToSearch(
                params,
                { costs: centralCosts.basis === "allocated" ? undefined : "allocated" },
                lang,
              ) || "?"
            }
            locale={locale}
          />
        ) : null}
      </FilterFold>
      {currency ? (
        <CurrencyNote
          currency={currency}
          countryName={countries.find((c) => c.code === params.country[0])?.name ?? null}
          messages={messages}
        />
      ) : null}
    </>
  );
}

/** The last filter URL asked for, and the location it was asked from (the browser's URL changes later). */
let lastRequest: { fromKey: string; search: string } | null = null;

/**
 * Navigates to the filters with some changed. The base is the last URL asked for from this location, if
 * its navigation has not landed yet, else the current URL: two quick changes both land, the second does
 * not undo the first.
 */
export function useFilterNavigate(fallback: FilterParams, lang: string | undefined) {
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  return (changes: Change) => {
    const pending =
      navigation.location?.pathname === location.pathname ? navigation.location.search : undefined;
    const current = lastRequest?.fromKey === location.key ? lastRequest.search : (pending ?? location.search);
    const parsed = parseFilters(new URLSearchParams(current));
    const base = parsed.ok ? parsed.params : fallback;
    const search = filtersToSearch(base, changes, lang) || "?";
    lastRequest = { fromKey: location.key, search };
    navigate(search, { preventScrollReset: true });
  };
}

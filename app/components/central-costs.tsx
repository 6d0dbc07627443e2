import { Link } from "@remix-run/react";
import type { Locale } from "~/i18n/locales";
import { MESSAGES } from "~/i18n/messages";
import type { CentralCostsView, CostBasis } from "~/lib/filters";

/**
 * The Central costs control: where recorded (in the headquarters) or allocated to every country by its
 * share of net revenue (ADR 0019). A plain select named `costs`, staged like the other filters.
 */
export function CentralCostsSelect({
  value,
  onChange,
  locale,
}: {
  value: CostBasis | string;
  onChange?: (value: string) => void;
  locale: Locale;
}) {
  const m = MESSAGES[locale].centralCosts;
  return (
    <div className="field">
      <label htmlFor="f-costs">{m.label}</label>
      <select
        id="f-costs"
        name="costs"
        value={onChange ? value : undefined}
        defaultValue={onChange ? undefined : value}
        onChange={onChange ? (e) => onChange(e.target.value) : undefined}
      >
        <option value="recorded">{m.options.recorded}</option>
        <option value="allocated">{m.options.allocated}</option>
      </select>
    </div>
  );
}

/**
 * The rule in words under a page's filters, wherever operating costs are shown, with a link to the other
 * basis (`otherHref`: the same view with `costs` switched).
 */
export function CentralCostsNote({
  view,
  otherHref,
  locale,
}: {
  view: CentralCostsView;
  otherHref: string;
  locale: Locale;
}) {
  const m = MESSAGES[locale].centralCosts;
  const other: CostBasis = view.basis === "allocated" ? "recorded" : "allocated";
  return (
    <p className="currency-note" data-testid="central-costs-note">
      {m.rule[view.basis](view.headquarters)} <Link to={otherHref}>{m.switchTo[other]}</Link>
    </p>
  );
}

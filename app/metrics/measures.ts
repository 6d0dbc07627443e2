// The measures: the sums the warehouse returns and every metric is derived from. A measure is a plain
// sum over a mart's column (or, for customers, an exact count the query layer works out); a metric of
// the catalogue names the measures it needs and derives its value from their sums (./catalogue.ts).
// Browser-safe.

/** money: euros (or one country's currency) with at most 4 decimals; count: whole units. */
export type MeasureKind = "money" | "count";

export interface MeasureDefinition {
  kind: MeasureKind;
  /**
   * Whether sums over rows make sense. Distinct and cumulative customer counts do not add up across
   * periods or countries: the evaluator refuses to sum two rows of them into one group.
   */
  additive: boolean;
  /** What one unit of the sum is, for the reader of the code and the ADR. */
  description: string;
}

const money = (description: string): MeasureDefinition => ({ kind: "money", additive: true, description });
const count = (description: string): MeasureDefinition => ({ kind: "count", additive: true, description });
const exact = (description: string): MeasureDefinition => ({ kind: "count", additive: false, description });

export const MEASURES = {
  // Sales (on the order's reporting date) and returns (cohort counts on the order date, money on the return date).
  devices_sold: count("completed order items"),
  gmv_eur: money("price of completed items"),
  commission_eur: money("commission on completed items"),
  payment_fees_eur: money("payment fees on completed items"),
  returned_items: count("items of the period's sales that were returned (order cohort)"),
  returns_received: count("returns received in the period (return date)"),
  refunds_eur: money("refunds paid to buyers on returns received"),
  commission_refunded_eur: money("commission refunded on returns received"),
  return_costs_eur: money("return costs borne by the marketplace on returns received"),
  // Monthly costs, a month's amount spread over its days.
  marketing_eur: money("marketing spend"),
  opex_eur: money("operating costs (people and overheads)"),
  central_costs_eur: money(
    "of the operating costs, the central teams' (the headquarters' tech and general cost centres): where recorded, or the country's share by net revenue when the filters allocate them (ADR 0019)",
  ),
  headcount: count("people at the month's end"),
  // Customers.
  new_customers: count("customers whose first completed item falls in the period"),
  active_customers: exact("distinct customers with a completed item in the period"),
  cumulative_customers: exact("distinct customers with a completed item up to the period's end"),
  returning_customers: exact("active customers who had bought before the period"),
  // Channels: first-order cohorts and whether they came back.
  cohort_customers: count("new customers of the cohort"),
  cohort_customers_judged_90: count("cohort customers whose 90 days after the first order have passed"),
  cohort_repeaters_90: count("of those, customers who bought again on a later day within 90 days"),
  cohort_customers_judged_365: count("cohort customers whose 365 days after the first order have passed"),
  cohort_repeaters_365: count("of those, customers who bought again on a later day within 365 days"),
  // Channels: sales through a partner's offer, beside every channel's (mart_channel_months).
  partner_devices: count("completed items sold through the partner's offer"),
  partner_gmv_eur: money("price of completed items sold through the partner's offer"),
  // Devices sold through the app (rollout).
  app_devices: count("completed items ordered in the app"),
  // Battery and the Premium promise.
  battery_devices: count("completed items with a battery reading"),
  premium_devices: count("completed Premium items with a battery reading"),
  premium_battery_breaches: count("Premium items sold with a battery under the promised share"),
  // Price displays (ADR 0011): each sale's "new" price against the market price of the model new that
  // day; the marts' `sales` are devices_sold, their `price_eur` is priced_gmv_eur.
  priced_sales: count("completed items of a model with a market price on the order day"),
  inflated_sales: count(
    "priced items whose displayed new price was more than the chosen threshold above the market's: the marts' inflated_over_<t>_pct column of the threshold the filters choose (a filter, like a country)",
  ),
  priced_gmv_eur: money("price of the priced items"),
  displayed_new_price_eur: money("displayed new prices of the priced items"),
  market_new_price_eur: money("market new prices of the priced items"),
  // Market context.
  population: exact("inhabitants (reference data): adds up over countries, never over months"),
  market_units: count(
    "units of the category sold in the country's market, months with market data (mart_market_months)",
  ),
  second_hand_units: count("of those, second-hand units (mart_market_months)"),
  market_covered_devices: count(
    "the company's completed items of the category in the months with market data",
  ),
  // The pipeline's run that published the snapshot (meta.runs): rows of the landing files it read.
  rows_read: count("landing rows read by the run that published the snapshot"),
  rows_quarantined: count("of those, rows set aside in quarantine (a reason and line number each)"),
} as const satisfies Record<string, MeasureDefinition>;

export type MeasureId = keyof typeof MEASURES;

/** A group's sums: money in euros (exact to 1/10,000), counts as integers; absent = no row. */
export type MeasureSums = Partial<Record<MeasureId, number>>;

export function isMeasureId(id: string): id is MeasureId {
  return Object.hasOwn(MEASURES, id);
}

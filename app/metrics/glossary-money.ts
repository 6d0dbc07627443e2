// The glossary's money, once: net revenue and variable costs from the measures' sums (in euros, exact to
// 1/10,000). The catalogue's ledger metrics and the product pages' metrics both build on these.

import { roundMoney } from "./evaluate";

export type Sums<K extends string> = Readonly<Record<K, number>>;
export const NET = ["commission_eur", "commission_refunded_eur"] as const;
export const VARIABLE = ["payment_fees_eur", "return_costs_eur"] as const;
/** Net revenue: commission − commission refunded. */
export const net = (m: Sums<(typeof NET)[number]>) =>
  roundMoney(m.commission_eur - m.commission_refunded_eur);
/** Variable costs: payment fees + return costs. */
export const variable = (m: Sums<(typeof VARIABLE)[number]>) =>
  roundMoney(m.payment_fees_eur + m.return_costs_eur);

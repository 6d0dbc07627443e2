// The KPI export: every metric of the glossary (../shared/brief/product.md) by period and by
// country or region, computed from the marts of the current snapshot. DuckDB writes the CSV bytes.
//
// Monthly amounts (marketing, operating costs) exist per month only: at day and week grain they and
// the metrics built on them (contribution margin, EBITDA) are left empty rather than invented; at
// month, quarter and year grain a month counts in full when its first day is within [from, to].

import { sqlString } from "../lib/duckdb.ts";

export const GRAINS = ["day", "week", "month", "quarter", "year"] as const;
export const BREAKDOWNS = ["none", "country", "region"] as const;
export type Grain = (typeof GRAINS)[number];
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Metric ids in glossary order: they are the CSV's column names. */
export const KPI_METRICS = [
  "devices_sold",
  "gmv_eur",
  "net_revenue_eur",
  "take_rate",
  "variable_costs_eur",
  "marketing_eur",
  "contribution_margin_eur",
  "opex_eur",
  "ebitda_eur",
  "active_customers",
  "new_customers",
  "cumulative_customers",
  "return_rate",
] as const;

export interface KpiParams {
  from: string;
  to: string;
  grain: Grain;
  by: Breakdown;
  /** Region of each country code (from the snapshot's countries), for --by region. */
  regions: Record<string, string>;
}

export function kpisSql(p: KpiParams): string {
  const from = `DATE ${sqlString(p.from)}`;
  const to = `DATE ${sqlString(p.to)}`;
  const period = (column: string) => `date_trunc('${p.grain}', ${column})`;
  const monthly = p.grain === "month" || p.grain === "quarter" || p.grain === "year";
  // The breakdown column: a country's region comes from the countries it is sold in.
  const regionOf = (column: string) =>
    `CASE ${Object.entries(p.regions)
      .map(([code, region]) => `WHEN ${column} = ${sqlString(code)} THEN ${sqlString(region)}`)
      .join(" ")} END`;
  const group = (countryColumn: string) =>
    p.by === "country" ? countryColumn : p.by === "region" ? regionOf(countryColumn) : "'all'";
  const groupHeader = p.by === "country" ? "country_code" : p.by === "region" ? "region" : null;
  const money = (expr: string) => `CAST(round(${expr}, 2) AS DECIMAL(18, 2))`;
  const ratio = (num: string, den: string) => `CAST(round(${num} / nullif(${den}, 0), 6) AS DECIMAL(18, 6))`;
  return `
    WITH sales AS (
      SELECT ${period("reporting_date")} AS period, ${group("country_code")} AS grp,
        sum(devices_sold) AS devices_sold, sum(gmv_eur) AS gmv_eur,
        sum(commission_eur) - sum(commission_refunded_eur) AS net_revenue_eur,
        sum(payment_fees_eur) + sum(return_costs_eur) AS variable_costs_eur,
        sum(returned_items) AS returned_items
      FROM marts.mart_daily_sales
      WHERE reporting_date BETWEEN ${from} AND ${to}
      GROUP BY ALL
    ), costs AS (
      SELECT ${period("CAST(month || '-01' AS DATE)")} AS period, ${group("country_code")} AS grp,
        sum(marketing_eur) AS marketing_eur, sum(opex_eur) AS opex_eur
      FROM marts.mart_monthly_pnl
      WHERE ${monthly} AND CAST(month || '-01' AS DATE) BETWEEN ${from} AND ${to}
      GROUP BY ALL
    ), active AS (
      SELECT ${period("reporting_date")} AS period, ${group("country_code")} AS grp, count(DISTINCT customer_id) AS active_customers
      FROM marts.mart_customer_days
      WHERE reporting_date BETWEEN ${from} AND ${to}
      GROUP BY ALL
    ), new_customers AS (
      SELECT ${period("first_order_date")} AS period, ${group("first_order_country")} AS grp, count(*) AS new_customers
      FROM marts.mart_customers
      WHERE first_order_date BETWEEN ${from} AND ${to}
      GROUP BY ALL
    ), keys AS (
      SELECT period, grp FROM sales UNION SELECT period, grp FROM costs
      UNION SELECT period, grp FROM active UNION SELECT period, grp FROM new_customers
    ), new_by_period AS (
      SELECT ${period("first_order_date")} AS period, ${group("first_order_country")} AS grp, count(*) AS n
      FROM marts.mart_customers WHERE first_order_date <= ${to}
      GROUP BY ALL
    ), running AS (
      SELECT period, grp, sum(n) OVER (PARTITION BY grp ORDER BY period) AS cumulative_customers FROM new_by_period
    ), cumulative AS (
      -- Customers whose first completed item is on or before the end of the period (capped at --to).
      SELECT k.period, k.grp, coalesce(r.cumulative_customers, 0) AS cumulative_customers
      FROM keys k ASOF LEFT JOIN running r ON r.grp = k.grp AND k.period >= r.period
    )
    SELECT
      strftime(k.period, '%Y-%m-%d') AS period,
      ${groupHeader ? `k.grp AS ${groupHeader},` : ""}
      coalesce(s.devices_sold, 0) AS devices_sold,
      ${money("coalesce(s.gmv_eur, 0)")} AS gmv_eur,
      ${money("coalesce(s.net_revenue_eur, 0)")} AS net_revenue_eur,
      ${ratio("s.net_revenue_eur", "s.gmv_eur")} AS take_rate,
      ${money("coalesce(s.variable_costs_eur, 0)")} AS variable_costs_eur,
      ${monthly ? money("coalesce(c.marketing_eur, 0)") : "NULL"} AS marketing_eur,
      ${monthly ? money("coalesce(s.net_revenue_eur, 0) - coalesce(s.variable_costs_eur, 0) - coalesce(c.marketing_eur, 0)") : "NULL"} AS contribution_margin_eur,
      ${monthly ? money("coalesce(c.opex_eur, 0)") : "NULL"} AS opex_eur,
      ${monthly ? money("coalesce(s.net_revenue_eur, 0) - coalesce(s.variable_costs_eur, 0) - coalesce(c.marketing_eur, 0) - coalesce(c.opex_eur, 0)") : "NULL"} AS ebitda_eur,
      coalesce(a.active_customers, 0) AS active_customers,
      coalesce(n.new_customers, 0) AS new_customers,
      cu.cumulative_customers,
      ${ratio("s.returned_items", "s.devices_sold")} AS return_rate
    FROM keys k
    LEFT JOIN sales s USING (period, grp)
    LEFT JOIN costs c USING (period, grp)
    LEFT JOIN active a USING (period, grp)
    LEFT JOIN new_customers n USING (period, grp)
    LEFT JOIN cumulative cu USING (period, grp)
    ORDER BY k.period${groupHeader ? ", k.grp" : ""}`;
}

// The tables the app may read: the marts, and nothing else (raw, staging, meta stay out of reach of
// the type checker). Column types are what the DuckDB dialect returns: DATE as 'YYYY-MM-DD',
// DECIMAL, BIGINT and HUGEINT as number.

type Day = string;

export interface MartDailySales {
  reporting_date: Day;
  country_code: string;
  category: string;
  grade: string;
  channel: string;
  partner: string | null;
  devices_sold: number;
  items_cancelled: number;
  gmv_eur: number;
  commission_eur: number;
  payment_fees_eur: number;
  returned_items: number;
  returns_received: number;
  refunds_eur: number;
  commission_refunded_eur: number;
  return_costs_eur: number;
}

/** mart_daily_sales summed over category, grade, channel and partner, with money in local currency too. */
export interface MartDailyCountrySales
  extends Omit<MartDailySales, "category" | "grade" | "channel" | "partner"> {
  region: string;
  /** The country's own currency (ISO 4217) and the same money in it (mart_daily_local_sales). */
  currency: string;
  gmv_local: number;
  commission_local: number;
  payment_fees_local: number;
  commission_refunded_local: number;
  return_costs_local: number;
}

export interface MartMonthlyPnl {
  /** 'YYYY-MM' */
  month: string;
  country_code: string;
  region: string;
  devices_sold: number;
  gmv_eur: number;
  net_revenue_eur: number;
  variable_costs_eur: number;
  marketing_eur: number;
  contribution_margin_eur: number;
  opex_eur: number;
  ebitda_eur: number;
  headcount: number;
  active_customers: number;
  new_customers: number;
  returned_items: number;
  /** The country's own currency and its marketing and operating costs in it. */
  currency: string;
  marketing_local: number;
  opex_local: number;
  /** Of opex, the central costs (the headquarters' tech and general teams; ADR 0019). */
  central_costs_eur: number;
  central_costs_local: number;
  /** This country's share of the month's central costs, by net revenue. */
  central_allocated_eur: number;
  central_allocated_local: number;
}

export interface MartMonthlyOpex {
  /** 'YYYY-MM' */
  month: string;
  country_code: string;
  region: string;
  cost_center: string;
  headcount: number;
  opex_eur: number;
  currency: string;
  opex_local: number;
  /** A central cost centre (the headquarters' tech and general teams), serving every country. */
  central: boolean;
}

/** Each country's months counted from its launch (month 1 = the calendar month of launched_on). */
export interface MartRolloutMonths {
  country_code: string;
  region: string;
  month: Day;
  /** 1 = the calendar month of launch; the months before it (marketing ahead of launch) are ≤ 0. */
  months_since_launch: number;
  launched_on: Day;
  app_launched_on: Day | null;
  devices_sold: number;
  gmv_eur: number;
  net_revenue_eur: number;
  contribution_margin_eur: number;
  active_customers: number;
  returning_customers: number;
  new_customers: number;
  cumulative_customers: number;
  app_devices: number;
  /** The measures net revenue, take rate and contribution margin % are derived from (EUR). */
  commission_eur: number;
  commission_refunded_eur: number;
  payment_fees_eur: number;
  return_costs_eur: number;
  marketing_eur: number;
}

/** Sales, returns and their cost by month × country × category × grade (the grades page). */
export interface MartQualityMonths {
  /** The month's first day. */
  month: Day;
  country_code: string;
  category: string;
  grade: string;
  devices_sold: number;
  gmv_eur: number;
  commission_eur: number;
  /** Returns of the month's sales (order cohort), whenever they came back. */
  returned_items: number;
  /** Returns received in the month (on their own date), their money and their reasons. */
  returns_received: number;
  refunds_eur: number;
  commission_refunded_eur: number;
  return_costs_eur: number;
  returns_defect: number;
  returns_not_as_described: number;
  returns_battery: number;
  returns_changed_mind: number;
  returns_other: number;
}

/** Completed items with a battery reading by month × country × category × grade × 5-point band. */
export interface MartBatteryMonths {
  month: Day;
  country_code: string;
  category: string;
  grade: string;
  /** 80 = 80–84% of a new battery; 100 = a new one. */
  battery_band: number;
  devices_sold: number;
}

/** Premium sales by seller × month × country × category, for seller-months with a battery under 85%. */
export interface MartPremiumSellerMonths {
  month: Day;
  seller_id: string;
  seller_name: string;
  country_code: string;
  category: string;
  premium_devices: number;
  devices_under_85: number;
  /** The lowest battery under 85% (null for rows without one). */
  lowest_battery_pct: number | null;
}

/** Sales by month × country × channel × partner (mart_channel_months); month is 'YYYY-MM' once read. */
export interface MartChannelMonths {
  month: Day;
  country_code: string;
  channel: string;
  partner: string | null;
  devices_sold: number;
  gmv_eur: number;
  commission_eur: number;
  commission_refunded_eur: number;
  payment_fees_eur: number;
  return_costs_eur: number;
  returned_items: number;
}

/** New customers by first-order month (the cohort), country and first channel, and how many came back. */
export interface MartRepeatCohorts {
  month: Day;
  country_code: string;
  first_channel: string;
  first_partner: string | null;
  customers: number;
  repeat_90d: number;
  repeat_365d: number;
}

/** The market by month × country × category (market_context, null where none) beside the company's devices. */
export interface MartMarketMonths {
  month: Day;
  country_code: string;
  category: string;
  market_units: number | null;
  second_hand_units: number | null;
  devices_sold: number;
}

/** mart_customer_days of customers active in more than one country (sql/marts/mart_cross_border_customer_days.sql). */
export interface MartCrossBorderCustomerDays {
  reporting_date: Day;
  country_code: string;
  region: string;
  customer_id: number;
}

export interface MartCustomerDays {
  reporting_date: Day;
  country_code: string;
  region: string;
  customer_id: number;
  previous_date: Day | null;
  previous_date_in_region: Day | null;
  previous_date_anywhere: Day | null;
  next_date: Day | null;
  next_date_in_region: Day | null;
  next_date_anywhere: Day | null;
}

export interface MartActiveCustomerMonths {
  scope: "country" | "region" | "all";
  month: Day;
  country_code: string | null;
  region: string | null;
  previous_month: Day | null;
  customers: number;
}

export interface MartActiveCustomerDays {
  reporting_date: Day;
  scope: "country" | "region" | "all";
  country_code: string | null;
  region: string | null;
  active_customers: number;
}

export interface MartActiveCustomerWeeks {
  /** The Monday the ISO week starts on. */
  week: Day;
  scope: "country" | "region" | "all";
  country_code: string | null;
  region: string | null;
  active_customers: number;
}

export interface MartDailyNewCustomers {
  reporting_date: Day;
  country_code: string;
  region: string;
  new_customers: number;
}

export interface MartCountries {
  country_code: string;
  region: string;
  currency: string;
  launched_on: Day;
  app_launched_on: Day | null;
}

export interface MartHeadline {
  customers: number;
  devices_sold: number;
  gmv_eur: number;
  first_order_date: Day | null;
  last_order_date: Day | null;
  /** The last order's local time, 'YYYY-MM-DD HH:MM' (absent from snapshots published before it). */
  last_order_local?: string | null;
  synthetic: boolean;
}

/** Sums of the pricing marts (ADR 0011): priced sales have a market new price; money sums are over them. */
export interface PriceDisplaySums {
  sales: number;
  priced_sales: number;
  price_eur: number;
  displayed_new_price_eur: number;
  market_new_price_eur: number;
  inflated_over_1_pct: number;
  inflated_over_2_pct: number;
  inflated_over_3_pct: number;
  inflated_over_5_pct: number;
  inflated_over_10_pct: number;
  inflated_over_15_pct: number;
  inflated_over_20_pct: number;
  inflated_over_25_pct: number;
  inflated_over_30_pct: number;
}

export interface MartPriceDisplayMonths extends PriceDisplaySums {
  /** YYYY-MM */
  month: string;
  country_code: string;
  category: string;
}

export interface MartPriceDisplaySellers extends MartPriceDisplayMonths {
  seller_id: string;
}

export interface MartPriceDisplaySellerMonths extends PriceDisplaySums {
  month: string;
  seller_id: string;
}

export interface MartPriceDisplayModels extends MartPriceDisplayMonths {
  product_id: string;
}

export interface MartSellers {
  seller_id: string;
  name: string;
  country_code: string;
  joined_on: Day;
}

export interface MartProducts {
  product_id: string;
  category: string;
  brand: string;
  model: string;
}

/** Reference data: each country's population (mid-2023 estimates, World Bank WDI). */
export interface MartCountryPopulation {
  country_code: string;
  population: number;
  population_year: number;
  source: string;
}

export interface Database {
  "marts.mart_daily_sales": MartDailySales;
  "marts.mart_daily_country_sales": MartDailyCountrySales;
  "marts.mart_monthly_pnl": MartMonthlyPnl;
  "marts.mart_monthly_opex": MartMonthlyOpex;
  "marts.mart_customer_days": MartCustomerDays;
  "marts.mart_cross_border_customer_days": MartCrossBorderCustomerDays;
  "marts.mart_active_customer_months": MartActiveCustomerMonths;
  "marts.mart_active_customer_days": MartActiveCustomerDays;
  "marts.mart_active_customer_weeks": MartActiveCustomerWeeks;
  "marts.mart_daily_new_customers": MartDailyNewCustomers;
  "marts.mart_countries": MartCountries;
  "marts.mart_headline": MartHeadline;
  "marts.mart_rollout_months": MartRolloutMonths;
  "marts.mart_quality_months": MartQualityMonths;
  "marts.mart_battery_months": MartBatteryMonths;
  "marts.mart_premium_seller_months": MartPremiumSellerMonths;
  "marts.mart_price_display_months": MartPriceDisplayMonths;
  "marts.mart_price_display_sellers": MartPriceDisplaySellers;
  "marts.mart_price_display_seller_months": MartPriceDisplaySellerMonths;
  "marts.mart_price_display_models": MartPriceDisplayModels;
  "marts.mart_sellers": MartSellers;
  "marts.mart_products": MartProducts;
  "marts.mart_country_population": MartCountryPopulation;
  "marts.mart_channel_months": MartChannelMonths;
  "marts.mart_repeat_cohorts": MartRepeatCohorts;
  "marts.mart_market_months": MartMarketMonths;
}

// A hand-written landing batch for the overview, small enough to work out every card by hand (see
// OVERVIEW_ANSWERS), run through the real pipeline into a real snapshot.
//
// November 2024                                   December 2024
//   i1 cust 1 FR 100.00 EUR (comm 15, fee 1)        i4 cust 1 FR 150.00 EUR (22.50, 1.50)  repeat customer
//   i2 cust 2 FR 200.00 EUR (30, 2)  returned 3 Dec i5 cust 4 FR  80.00 EUR (12, 0.80)      new
//   i3 cust 3 US 300.00 USD × 0.90 (45, 3)          i6 cust 5 GB 100.00 GBP × 1.20 (15, 1)  new
//                                                   i7 cust 2 FR  50.00 EUR cancelled
//                                                   i8 cust 3 US 100.00 USD × 0.95 (15, 1)
// The return of i2 on 3 December refunds 30.00 of commission and costs the marketplace 4.00.
// Marketing: Nov FR 100 EUR, US 50 USD; Dec FR 300 EUR, GB 50 GBP, US 100 USD.
// Operating costs: Nov FR 1000 EUR; Dec FR 1000 EUR, US 500 USD. Month amounts convert at the rate on
// the month's last day: USD 0.90 in November, 0.96 in December; GBP 1.20.

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./repo";
import { copyOfWarehouse } from "./run-cache";

const ITEM_HEADER =
  "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,payment_fee,status";

export const OVERVIEW_BATCH: Record<string, string[]> = {
  countries: [
    "country_code,name,region,currency,launched_on,app_launched_on",
    "FR,France,europe,EUR,2014-11-03,2018-06-12",
    "GB,United Kingdom,europe,GBP,2020-01-20,2024-03-01",
    "US,United States,north_america,USD,2018-05-02,2024-04-01",
  ],
  fx_rates: [
    "rate_date,currency,eur_per_unit",
    "2024-11-01,USD,0.9",
    "2024-12-16,USD,0.95",
    "2024-12-31,USD,0.96",
    "2024-11-01,GBP,1.15",
    "2024-12-02,GBP,1.2",
  ],
  customers: [
    "customer_id,country_code,signed_up_at,acquisition_channel",
    "1,FR,2024-10-01T10:00:00Z,organic",
    "2,FR,2024-10-01T10:00:00Z,paid",
    "3,US,2024-10-01T10:00:00Z,organic",
    "4,FR,2024-12-01T10:00:00Z,referral",
    "5,GB,2024-12-01T10:00:00Z,paid",
  ],
  products: [
    "product_id,category,brand,model",
    "10,smartphone,Apple,iPhone 12 128 GB",
    // Hostile text for the exports: a brand that reads as a formula, a model starting with a tab.
    '11,laptop,-2+3,"\tThinkPad T14"',
  ],
  sellers: [
    "seller_id,name,country_code,joined_on",
    // Seller names that a spreadsheet would run as formulas (HOSTILE_SELLERS).
    '20,"=HYPERLINK(""http://evil.example"",""clic"")",FR,2020-01-01',
    '21,"@SUM(1+1) Électro, ""Ça coûte"" 📱",US,2020-01-01',
  ],
  // The market new prices for the price-display page (PRICING_ANSWERS): the phone at 400.00 from
  // November and 362.00 from December; the laptop has none before December, then 400.00.
  new_prices: [
    "product_id,valid_from,new_price_eur",
    "10,2024-11-01,400.00",
    "10,2024-12-01,362.00",
    "11,2024-12-01,400.00",
  ],
  order_items: [
    ITEM_HEADER,
    "1,1,1,20,10,FR,2024-11-10T10:00:00Z,web,,excellent,90,EUR,100.00,400.00,15.00,1.00,completed",
    "2,2,2,20,10,FR,2024-11-20T10:00:00Z,web,,very_good,88,EUR,200.00,600.00,30.00,2.00,completed",
    "3,3,3,21,11,US,2024-11-15T15:00:00Z,web,,good,85,USD,300.00,900.00,45.00,3.00,completed",
    "4,4,1,20,10,FR,2024-12-05T10:00:00Z,app,,premium,92,EUR,150.00,500.00,22.50,1.50,completed",
    "5,5,4,20,10,FR,2024-12-10T10:00:00Z,web,,good,81,EUR,80.00,300.00,12.00,0.80,completed",
    "6,6,5,20,11,GB,2024-12-12T12:00:00Z,web,,excellent,90,GBP,100.00,400.00,15.00,1.00,completed",
    "7,7,2,20,10,FR,2024-12-20T10:00:00Z,web,,good,80,EUR,50.00,300.00,7.50,0.50,cancelled",
    "8,8,3,21,10,US,2024-12-18T15:00:00Z,web,,very_good,87,USD,100.00,400.00,15.00,1.00,completed",
  ],
  returns: [
    "return_id,order_item_id,returned_at,reason,currency,refunded_amount,commission_refunded,cost_to_marketplace",
    "1,2,2024-12-03T10:00:00Z,defect,EUR,200.00,30.00,4.00",
  ],
  marketing_spend: [
    "month,country_code,channel,currency,amount",
    "2024-11,FR,search,EUR,100.00",
    "2024-11,US,social,USD,50.00",
    "2024-12,FR,search,EUR,300.00",
    "2024-12,GB,social,GBP,50.00",
    "2024-12,US,social,USD,100.00",
  ],
  operating_costs: [
    "month,country_code,cost_center,headcount,currency,amount",
    "2024-11,FR,tech,2,EUR,1000.00",
    "2024-12,FR,tech,2,EUR,1000.00",
    "2024-12,US,operations,1,USD,500.00",
  ],
};

/** The overview's cards worked out by hand (see the table at the top of this file). */
/** The sellers' names as loaded: hostile text the exports must neutralise and keep. */
export const HOSTILE_SELLERS = {
  20: '=HYPERLINK("http://evil.example","clic")',
  21: '@SUM(1+1) Électro, "Ça coûte" 📱',
};

export const OVERVIEW_ANSWERS = {
  december: {
    cumulative_customers: 5,
    active_customers: 4,
    new_customers: 2,
    devices_sold: 4,
    // 150 + 80 + 100 × 1.20 + 100 × 0.95
    gmv_eur: 445,
    // 22.50 + 12 + 18 + 14.25 − 30 refunded on 3 December
    net_revenue_eur: 36.75,
    take_rate: 36.75 / 445,
    // fees 1.50 + 0.80 + 1.20 + 0.95, and the 4.00 return cost
    variable_costs_eur: 8.45,
    // 300 + 50 × 1.20 + 100 × 0.96
    marketing_eur: 456,
    contribution_margin_eur: -427.7,
    // 1000 + 500 × 0.96
    opex_eur: 1480,
    ebitda_eur: -1907.7,
  },
  november: {
    cumulative_customers: 3,
    active_customers: 3,
    new_customers: 3,
    devices_sold: 3,
    gmv_eur: 570,
    net_revenue_eur: 85.5,
    take_rate: 0.15,
    variable_costs_eur: 5.7,
    // 100 + 50 × 0.90
    marketing_eur: 145,
    contribution_margin_eur: -65.2,
    opex_eur: 1000,
    ebitda_eur: -1065.2,
  },
  /** 1–15 December: a month's costs in proportion to its days, each country rounded to 1/10,000 €. */
  firstHalfOfDecember: {
    cumulative_customers: 5,
    active_customers: 3,
    new_customers: 2,
    devices_sold: 3,
    gmv_eur: 350,
    net_revenue_eur: 22.5,
    variable_costs_eur: 7.5,
    // 300 × 15/31 = 145.1613, 60 × 15/31 = 29.0323, 96 × 15/31 = 46.4516
    marketing_eur: 220.6452,
    contribution_margin_eur: -205.6452,
    // 1000 × 15/31 = 483.8710, 480 × 15/31 = 232.2581
    opex_eur: 716.1291,
    ebitda_eur: -921.7743,
  },
  /** 16–30 November, the 15 days before. */
  secondHalfOfNovember: {
    cumulative_customers: 3,
    active_customers: 1,
    new_customers: 1,
    devices_sold: 1,
    gmv_eur: 200,
    net_revenue_eur: 30,
    variable_costs_eur: 2,
    // 100 × 15/30 + 45 × 15/30
    marketing_eur: 72.5,
    contribution_margin_eur: -44.5,
    opex_eur: 500,
    ebitda_eur: -544.5,
  },
} as const;

/** Writes the batch under `landing` and publishes it into `dataDir` with the real pipeline (once per run). */
export function buildOverviewWarehouse(landing: string, dataDir: string): void {
  copyOfWarehouse("overview-warehouse", publishOverview, landing, dataDir);
}

function publishOverview(landing: string, dataDir: string): void {
  const batch = join(landing, "2025-01-01_overview");
  mkdirSync(batch, { recursive: true });
  for (const [entity, lines] of Object.entries(OVERVIEW_BATCH))
    writeFileSync(join(batch, `${entity}.csv`), `${lines.join("\n")}\n`);
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "pipelines/etl/cli.ts", "--landing", landing, "--data-dir", dataDir, "--synthetic"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`etl failed: ${run.stderr}`);
}

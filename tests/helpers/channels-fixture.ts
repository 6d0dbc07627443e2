// The overview's hand-written batch plus a second one for the channel and market pages: partner
// orders (Bouygues Telecom in France, Verizon in the United States), first orders in 2023 old enough to
// judge repeat purchases at 90 and 365 days, a partner return, a cancelled partner order, and the
// market's units where data exists. Every figure is worked out by hand in the tests that use it.
//
// Added items (product 10 is a smartphone; EUR in France; USD at 0.92 in 2023, 0.90 in November 2024)
//   101 cust 11 FR 2023-03-10 app       100.00 (comm 15, fee 1)
//   102 cust 11 FR 2023-12-01 web       200.00 (30, 2)        266 days after: within 365, not 90
//   103 cust 12 FR 2023-03-15 bouygues  300.00 (30, 3)        never again
//   104 cust 6  FR 2024-11-05 bouygues  400.00 (40, 4)        returned 10 Dec: 40 refunded, costs 6
//   105 cust 6  FR 2024-12-01 web        50.00 (7.50, 0.50)   26 days after
//   106 cust 7  FR 2024-12-12 bouygues  250.00 (25, 2.50)
//   107 cust 8  FR 2024-12-14 bouygues  100.00 cancelled      customer 8 never buys
//   108 cust 9  US 2023-06-10 verizon   500 USD (50, 5)
//   109 cust 9  US 2023-06-10 web       100 USD (15, 1)       the same day: not a repeat
//   110 cust 9  US 2023-08-01 web       100 USD (15, 1)       52 days after
//   111 cust 10 US 2024-11-20 verizon   600 USD (60, 6)

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OVERVIEW_BATCH } from "./overview-fixture";
import { REPO_ROOT } from "./repo";
import { copyOfWarehouse } from "./run-cache";

const ITEM_HEADER =
  "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,payment_fee,status";

export const CHANNELS_BATCH: Record<string, string[]> = {
  fx_rates: ["rate_date,currency,eur_per_unit", "2023-01-02,USD,0.92"],
  customers: [
    "customer_id,country_code,signed_up_at,acquisition_channel",
    "6,FR,2024-11-01T10:00:00Z,partner",
    "7,FR,2024-12-01T10:00:00Z,partner",
    "8,FR,2024-12-01T10:00:00Z,partner",
    "9,US,2023-06-01T10:00:00Z,partner",
    "10,US,2024-11-01T10:00:00Z,partner",
    "11,FR,2023-03-01T10:00:00Z,organic",
    "12,FR,2023-03-01T10:00:00Z,partner",
  ],
  order_items: [
    ITEM_HEADER,
    "101,101,11,20,10,FR,2023-03-10T10:00:00Z,app,,excellent,90,EUR,100.00,400.00,15.00,1.00,completed",
    "102,102,11,20,10,FR,2023-12-01T10:00:00Z,web,,excellent,90,EUR,200.00,600.00,30.00,2.00,completed",
    "103,103,12,20,10,FR,2023-03-15T10:00:00Z,partner,bouygues_telecom,very_good,88,EUR,300.00,700.00,30.00,3.00,completed",
    "104,104,6,20,10,FR,2024-11-05T10:00:00Z,partner,bouygues_telecom,excellent,91,EUR,400.00,900.00,40.00,4.00,completed",
    "105,105,6,20,10,FR,2024-12-01T10:00:00Z,web,,good,82,EUR,50.00,300.00,7.50,0.50,completed",
    "106,106,7,20,10,FR,2024-12-12T10:00:00Z,partner,bouygues_telecom,premium,95,EUR,250.00,800.00,25.00,2.50,completed",
    "107,107,8,20,10,FR,2024-12-14T10:00:00Z,partner,bouygues_telecom,good,80,EUR,100.00,400.00,10.00,1.00,cancelled",
    "108,108,9,21,10,US,2023-06-10T15:00:00Z,partner,verizon,excellent,90,USD,500.00,1000.00,50.00,5.00,completed",
    "109,109,9,21,10,US,2023-06-10T18:00:00Z,web,,good,84,USD,100.00,400.00,15.00,1.00,completed",
    "110,110,9,21,10,US,2023-08-01T15:00:00Z,web,,good,83,USD,100.00,400.00,15.00,1.00,completed",
    "111,111,10,21,10,US,2024-11-20T15:00:00Z,partner,verizon,very_good,87,USD,600.00,1100.00,60.00,6.00,completed",
  ],
  returns: [
    "return_id,order_item_id,returned_at,reason,currency,refunded_amount,commission_refunded,cost_to_marketplace",
    "2,104,2024-12-10T10:00:00Z,battery,EUR,400.00,40.00,6.00",
  ],
  market_context: [
    "month,country_code,category,market_units,second_hand_units",
    "2024-11,FR,smartphone,1000,200",
    "2024-12,FR,smartphone,1200,300",
    "2024-12,US,smartphone,5000,400",
    "2024-12,FR,laptop,100,10",
  ],
};

function writeBatch(landing: string, batch: string, files: Record<string, string[]>): void {
  mkdirSync(join(landing, batch), { recursive: true });
  for (const [entity, lines] of Object.entries(files))
    writeFileSync(join(landing, batch, `${entity}.csv`), `${lines.join("\n")}\n`);
}

/** Writes the overview's batch and this one under `landing` and publishes both into `dataDir` (once per run). */
export function buildChannelsWarehouse(landing: string, dataDir: string): void {
  copyOfWarehouse("channels-warehouse", publishChannels, landing, dataDir);
}

function publishChannels(landing: string, dataDir: string): void {
  writeBatch(landing, "2025-01-01_overview", OVERVIEW_BATCH);
  writeBatch(landing, "2025-01-02_channels", CHANNELS_BATCH);
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "pipelines/etl/cli.ts", "--landing", landing, "--data-dir", dataDir, "--synthetic"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`etl failed: ${run.stderr}`);
}

// The grades page's hand-written warehouse: the overview's batch (overview-fixture.ts), then two more
// runs with Premium sales from its launch in October 2024, a few under the 85% battery promise, a
// device without a battery, and returns for three more reasons. The last run touches a few December
// days only, so the monthly marts are rebuilt incrementally (from December on) as on a daily run.
//
// Second batch, then the third one (i103, i104, i107 and the return of i4); all EUR, France, 10:00 UTC
// (the same day in Paris):
//   i101 2024-10-15 premium smartphone battery 84  seller 22  300.00 (comm 45.00)  returned 2 Nov, battery
//   i102 2024-10-20 premium smartphone battery 95  seller 22  200.00 (comm 30.00)
//   i103 2024-12-08 premium smartphone battery 78  seller 22  250.00 (comm 37.50)
//   i104 2024-12-09 premium smartphone battery 83  seller 20  100.00 (comm 15.00)
//   i106 2024-11-05 excellent console (no battery) seller 20  400.00 (comm 60.00) returned 20 Nov, changed_mind
//   i107 2024-12-28 premium laptop battery 84      seller 22  500.00 cancelled: not a sale, not a breach
// Returns: i101 refunds 300.00, commission 45.00, costs the marketplace 6.00; i106 400.00, 60.00, 8.00;
// and the overview's i4 (premium, 5 Dec) comes back on 20 December as not_as_described: 150.00, 22.50, 3.00.
// With the overview's i2 (very good, 20 Nov, returned 3 Dec as defect: 200.00, 30.00, 4.00).

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildOverviewWarehouse } from "./overview-fixture";
import { REPO_ROOT } from "./repo";
import { copyOfWarehouse } from "./run-cache";

const ITEM_HEADER =
  "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,payment_fee,status";

export const QUALITY_BATCH: Record<string, string[]> = {
  products: ["product_id,category,brand,model", "12,console,Sony,PlayStation 5"],
  sellers: ["seller_id,name,country_code,joined_on", "22,Flash Phones SAS,FR,2021-01-01"],
  order_items: [
    ITEM_HEADER,
    "101,101,1,22,10,FR,2024-10-15T10:00:00Z,web,,premium,84,EUR,300.00,700.00,45.00,3.00,completed",
    "102,102,2,22,10,FR,2024-10-20T10:00:00Z,web,,premium,95,EUR,200.00,600.00,30.00,2.00,completed",
    "106,106,2,20,12,FR,2024-11-05T10:00:00Z,web,,excellent,,EUR,400.00,550.00,60.00,4.00,completed",
  ],
  returns: [
    "return_id,order_item_id,returned_at,reason,currency,refunded_amount,commission_refunded,cost_to_marketplace",
    "101,101,2024-11-02T10:00:00Z,battery,EUR,300.00,45.00,6.00",
    "106,106,2024-11-20T10:00:00Z,changed_mind,EUR,400.00,60.00,8.00",
  ],
};

export const DECEMBER_BATCH: Record<string, string[]> = {
  order_items: [
    ITEM_HEADER,
    "103,103,4,22,10,FR,2024-12-08T10:00:00Z,app,,premium,78,EUR,250.00,650.00,37.50,2.50,completed",
    "104,104,4,20,10,FR,2024-12-09T10:00:00Z,web,,premium,83,EUR,100.00,500.00,15.00,1.00,completed",
    "107,107,1,22,11,FR,2024-12-28T10:00:00Z,web,,premium,84,EUR,500.00,900.00,75.00,5.00,cancelled",
  ],
  returns: [
    "return_id,order_item_id,returned_at,reason,currency,refunded_amount,commission_refunded,cost_to_marketplace",
    "104,4,2024-12-20T10:00:00Z,not_as_described,EUR,150.00,22.50,3.00",
  ],
};

/** The overview's warehouse, then QUALITY_BATCH and DECEMBER_BATCH, each applied by a run of its own. */
export function buildQualityWarehouse(landing: string, dataDir: string): void {
  copyOfWarehouse("quality-warehouse", publishQuality, landing, dataDir);
}

function publishQuality(landing: string, dataDir: string): void {
  buildOverviewWarehouse(landing, dataDir);
  for (const [id, entities] of [
    ["2025-01-02_quality", QUALITY_BATCH],
    ["2025-01-03_december", DECEMBER_BATCH],
  ] as const) {
    const batch = join(landing, id);
    mkdirSync(batch, { recursive: true });
    for (const [entity, lines] of Object.entries(entities))
      writeFileSync(join(batch, `${entity}.csv`), `${lines.join("\n")}\n`);
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "pipelines/etl/cli.ts", "--landing", landing, "--data-dir", dataDir, "--synthetic"],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(`etl failed: ${run.stderr}`);
  }
}

// Landing batches shaped like a real company's extracts (issue 16): the overview's hand-worked batch
// (./overview-fixture.ts, two months: November and December 2024) with ids as source systems issue
// them — UUIDs, prefixed codes, digit strings with leading zeros, `007` beside `7`, `S-020` beside
// `s-020` — and a one-day cut of it. The money is the overview's, so OVERVIEW_ANSWERS still hold.

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OVERVIEW_BATCH } from "./overview-fixture";
import { REPO_ROOT } from "./repo";

/** The overview fixture's integer ids → the ids a source system would have issued. */
export const TEXT_IDS = {
  customer_id: {
    "1": "007",
    "2": "7",
    "3": "cus_8f3k2",
    "4": "C-000123",
    "5": "5b0c6d1e-7f80-4a91-b2c3-d4e5f6a7b8c9",
  },
  seller_id: { "20": "S-020", "21": "s-020" },
  product_id: { "10": "P-0010", "11": "9f8e7d6c-5b4a-4321-8fed-cba987654321" },
  order_item_id: Object.fromEntries(
    ["1", "2", "3", "4", "5", "6", "7", "8"].map((i) => [i, `0b7e9c3a-1d2f-4e5a-8b6c-00000000000${i}`]),
  ),
  order_id: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8"].map((i) => [i, `ord_${i}k2`])),
  return_id: { "1": "0000001" },
} as Record<string, Record<string, string>>;

/** The id columns leading each file of the fixture (every quoted text comes after them). */
const LEADING_IDS: Record<string, string[]> = {
  customers: ["customer_id"],
  products: ["product_id"],
  sellers: ["seller_id"],
  new_prices: ["product_id"],
  order_items: ["order_item_id", "order_id", "customer_id", "seller_id", "product_id"],
  returns: ["return_id", "order_item_id"],
};

function withTextIds(entity: string, lines: readonly string[]): string[] {
  const ids = LEADING_IDS[entity];
  if (!ids) return [...lines];
  return lines.map((line, index) => {
    if (index === 0) return line;
    const cells = line.split(",");
    const mapped = ids.map((column, i) => {
      const text = TEXT_IDS[column]?.[cells[i] as string];
      if (text === undefined) throw new Error(`no text id for ${column} ${cells[i]}`);
      return text;
    });
    return [...mapped, ...cells.slice(ids.length)].join(",");
  });
}

/** The overview's two months with text ids. */
export function twoMonthBatch(): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(OVERVIEW_BATCH).map(([entity, lines]) => [entity, withTextIds(entity, lines)]),
  );
}

/** One day of history: the items of 12 December 2024 alone (one GBP sale, 100 GBP × 1.20). */
export function oneDayBatch(): Record<string, string[]> {
  const batch = twoMonthBatch();
  const day = (line: string) => line.includes(",2024-12-12T");
  return {
    ...batch,
    order_items: [batch.order_items?.[0] as string, ...(batch.order_items ?? []).slice(1).filter(day)],
    returns: [],
    marketing_spend: ["month,country_code,channel,currency,amount", "2024-12,GB,social,GBP,50.00"],
    operating_costs: [
      "month,country_code,cost_center,headcount,currency,amount",
      "2024-12,FR,tech,2,EUR,1000.00",
    ],
  };
}

/** Writes a batch's files as CSV (entities with no line are left out). */
export function writeCsvBatch(landing: string, batchId: string, batch: Record<string, string[]>): string {
  const dir = join(landing, batchId);
  mkdirSync(dir, { recursive: true });
  for (const [entity, lines] of Object.entries(batch))
    if (lines.length > 0) writeFileSync(join(dir, `${entity}.csv`), `${lines.join("\n")}\n`);
  return dir;
}

/** Runs the ETL command line on a landing folder; throws with its stderr if it fails. */
export function publishLanding(landing: string, dataDir: string): void {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "pipelines/etl/cli.ts", "--landing", landing, "--data-dir", dataDir],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`etl failed: ${run.stderr}`);
}

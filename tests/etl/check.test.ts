// The dry run (issue 16): `npm run etl -- --landing <dir> --check` validates every pending batch as a
// real run would — types, codes, keys, references (to the warehouse and to earlier pending batches),
// FX coverage — prints rows read / would load / would quarantine per entity, by reason with the first
// lines, writes nothing, publishes nothing, and exits 0 when clean, 1 when a row would be quarantined.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanUpEtl, messageLines, readPointerFile, runEtlCli, tempDir } from "../helpers/etl.ts";
import { twoMonthBatch, writeCsvBatch } from "../helpers/real-extract.ts";

const ITEM = (id: string, customer: string, currency: string, grade = "good") =>
  `${id},ord-${id},${customer},S-020,P-0010,FR,2024-12-28T10:00:00Z,web,,${grade},85,${currency},10.00,20.00,1.50,0.10,completed`;

/** Everything under a data directory, to show that a check leaves it as it was. */
const listing = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];

describe("etl --check", () => {
  afterAll(() => cleanUpEtl());

  it("reports what a first load would quarantine, by reason with lines, and writes nothing", async () => {
    const landing = tempDir("check-landing");
    const dataDir = join(tempDir("check-data"), "data");
    const batch = twoMonthBatch();
    batch.order_items = [
      ...(batch.order_items ?? []),
      ITEM("bad-1", "8", "EUR"), // line 10: customer 8 exists nowhere (7 and 007 do)
      ITEM("bad-2", "007", "CHF"), // line 11: no CHF rate at all
      ITEM("bad-3", "7", "EUR", "mint"), // line 12: unknown grade
      ITEM("bad-4", "C-000123", "CHF"), // line 13: no CHF rate
    ];
    writeCsvBatch(landing, "2025-01-01_first", batch);
    const run = await runEtlCli({ landing, dataDir, args: ["--check"] });
    expect(run.code).toBe(1);
    expect(messageLines(run.stderr)).toEqual([
      "error: check: 4 rows would be quarantined (nothing was written)",
    ]);
    const out = run.stdout;
    expect(out).toMatch(/^check: 1 pending batch; nothing is written or published$/m);
    expect(out).toMatch(/^2025-01-01_first\s+customers\s+read\s+5\s+would load\s+5\s+would quarantine\s+0$/m);
    expect(out).toMatch(
      /^2025-01-01_first\s+order_items\s+read\s+12\s+would load\s+8\s+would quarantine\s+4$/m,
    );
    const reasons = out.slice(out.indexOf("order_items"));
    expect(reasons).toContain(
      [
        "    orphan_reference           1",
        "        2025-01-01_first/order_items.csv line 10: customer_id: 8 exists nowhere",
        "    missing_fx_rate            2",
        "        2025-01-01_first/order_items.csv line 11: currency CHF: no EUR rate on or before 2024-12-28",
        "        2025-01-01_first/order_items.csv line 13: currency CHF: no EUR rate on or before 2024-12-28",
        "    unknown_code               1",
        "        2025-01-01_first/order_items.csv line 12: grade: unknown code 'mint'",
      ].join("\n"),
    );
    expect(listing(dataDir)).toEqual([]);
  });

  it("exits 0 on a clean batch, checks references against the warehouse, and leaves it untouched", async () => {
    const landing = tempDir("check-clean");
    const dataDir = join(tempDir("check-clean-data"), "data");
    writeCsvBatch(landing, "2025-01-01_first", twoMonthBatch());
    const clean = await runEtlCli({ landing, dataDir, args: ["--check"] });
    expect(messageLines(clean.stderr)).toEqual([]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^check: clean, every row would load$/m);
    expect(listing(dataDir)).toEqual([]);

    // Publish it, then check a daily batch whose items refer to customers of the first one.
    const first = await runEtlCli({ landing, dataDir });
    expect(first.code).toBe(0);
    writeCsvBatch(landing, "2025-01-02_daily", {
      customers: [
        "customer_id,country_code,signed_up_at,acquisition_channel",
        "new-9,FR,2024-12-30T10:00:00Z,organic",
      ],
      order_items: [
        "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,payment_fee,status",
        ITEM("d-1", "007", "EUR"),
        ITEM("d-2", "new-9", "EUR"),
        ITEM("d-3", "new-10", "EUR"),
      ],
    });
    const pointer = readPointerFile(dataDir);
    const before = listing(dataDir);
    const log = readFileSync(join(dataDir, "runs.jsonl"), "utf8");
    const daily = await runEtlCli({ landing, dataDir, args: ["--check"] });
    expect(daily.code).toBe(1);
    expect(daily.stdout).toMatch(/^check: 1 pending batch \(1 already applied, skipped\)/m);
    expect(daily.stdout).toMatch(
      /^2025-01-02_daily\s+order_items\s+read\s+3\s+would load\s+2\s+would quarantine\s+1$/m,
    );
    expect(daily.stdout).toContain(
      "2025-01-02_daily/order_items.csv line 4: customer_id: new-10 exists nowhere",
    );
    expect(readPointerFile(dataDir)).toEqual(pointer);
    expect(listing(dataDir)).toEqual(before);
    expect(readFileSync(join(dataDir, "runs.jsonl"), "utf8")).toBe(log);
  });

  it("says that a run would stop on a file missing a column", async () => {
    const landing = tempDir("check-missing");
    const dataDir = join(tempDir("check-missing-data"), "data");
    const batch = twoMonthBatch();
    batch.sellers = ["seller_id,name,joined_on", "S-020,Flash,2020-01-01", "s-020,Other,2020-01-01"];
    writeCsvBatch(landing, "2025-01-01_first", batch);
    const run = await runEtlCli({ landing, dataDir, args: ["--check"] });
    expect(run.code).toBe(1);
    expect(messageLines(run.stderr)).toEqual([
      "error: check: a run would stop here: batch 2025-01-01_first: sellers.csv: refused, missing required column country_code (the file has seller_id, name, joined_on)",
    ]);
    expect(listing(dataDir)).toEqual([]);
  });
});

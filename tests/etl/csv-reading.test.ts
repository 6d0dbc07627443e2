// Tolerant, strict CSV reading (issue 16): a BOM and CRLF line ends are accepted, columns come in any
// order, a column the contract does not name is ignored and reported (run output, run log,
// etl:status); a file missing a required column is refused whole with one line and nothing of its
// batch is published; quoted fields with commas, quotes and line breaks load exactly, and the line
// numbers of quarantined rows count the line breaks inside quoted fields.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanUpEtl,
  copyDataDir,
  messageLines,
  querySnapshot,
  readPointerFile,
  runEtlCli,
  tempDir,
} from "../helpers/etl.ts";
import { OVERVIEW_ANSWERS } from "../helpers/overview-fixture.ts";
import { twoMonthBatch, writeCsvBatch } from "../helpers/real-extract.ts";
import { REPO_ROOT } from "../helpers/repo.ts";

const MULTI_LINE_NAME = 'Flash, "Phones"\nSAS';

describe("reading CSV extracts as real systems write them", () => {
  let landing: string;
  let dataDir: string;
  let firstRun: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    landing = tempDir("csv-landing");
    dataDir = join(tempDir("csv-data"), "data");
    const batch = twoMonthBatch();
    const dir = writeCsvBatch(landing, "2025-01-01_first", batch);
    // countries: a UTF-8 BOM and CRLF line ends (a Windows export).
    writeFileSync(
      join(dir, "countries.csv"),
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`${(batch.countries ?? []).join("\r\n")}\r\n`),
      ]),
    );
    // customers: columns in another order, and one the contract does not name.
    writeFileSync(
      join(dir, "customers.csv"),
      `${[
        "acquisition_channel,email,customer_id,signed_up_at,country_code",
        ...(batch.customers ?? []).slice(1).map((line) => {
          const [id, country, at, channel] = line.split(",");
          return `${channel},someone@example.com,${id},${at},${country}`;
        }),
      ].join("\n")}\n`,
    );
    // sellers: a quoted name with a comma, quotes and a line break.
    const sellers = readFileSync(join(dir, "sellers.csv"), "utf8").split("\n");
    sellers[1] = `S-020,"Flash, ""Phones""\nSAS",FR,2020-01-01`;
    writeFileSync(join(dir, "sellers.csv"), sellers.join("\n"));
    firstRun = await runEtlCli({ landing, dataDir });
  });

  afterAll(() => cleanUpEtl());

  it("loads every row of the batch, with the same figures as the plain files", async () => {
    expect(messageLines(firstRun.stderr)).toEqual([]);
    expect(firstRun.code).toBe(0);
    const file = join(dataDir, readPointerFile(dataDir).path);
    expect(await querySnapshot(file, "SELECT * FROM meta.quarantine")).toEqual([]);
    const [totals] = await querySnapshot<{ customers: number; dec_gmv: number }>(
      file,
      `SELECT (SELECT count(*) FROM raw.customers) AS customers,
        (SELECT CAST(sum(gmv_eur) AS DOUBLE) FROM marts.mart_daily_sales WHERE reporting_date >= DATE '2024-12-01') AS dec_gmv`,
    );
    expect(totals).toEqual({ customers: 5, dec_gmv: OVERVIEW_ANSWERS.december.gmv_eur });
    const [country] = await querySnapshot<{ country_code: string; currency: string }>(
      file,
      "SELECT country_code, currency FROM raw.countries ORDER BY country_code LIMIT 1",
    );
    expect(country).toEqual({ country_code: "FR", currency: "EUR" });
  });

  it("keeps a quoted name with a comma, quotes and a line break exactly", async () => {
    const file = join(dataDir, readPointerFile(dataDir).path);
    const sellers = await querySnapshot<{ seller_id: string; name: string }>(
      file,
      "SELECT seller_id, name FROM marts.mart_sellers ORDER BY seller_id",
    );
    expect(sellers[0]).toEqual({ seller_id: "S-020", name: MULTI_LINE_NAME });
    const [ledger] = await querySnapshot<{ seller_name: string }>(
      file,
      "SELECT seller_name FROM marts.mart_order_items WHERE seller_id = 'S-020' LIMIT 1",
    );
    expect(ledger?.seller_name).toBe(MULTI_LINE_NAME);
  });

  it("ignores a column the contract does not name, and says so in the run output, the log and etl:status", async () => {
    expect(firstRun.stdout).toMatch(/ignored columns \(not in the contract\): email/);
    const log = readFileSync(join(dataDir, "runs.jsonl"), "utf8").trim().split("\n");
    const last = JSON.parse(log.at(-1) as string) as {
      stats: { entity: string; ignored_columns: string[] }[];
    };
    expect(last.stats.find((s) => s.entity === "customers")?.ignored_columns).toEqual(["email"]);
    expect(last.stats.find((s) => s.entity === "sellers")?.ignored_columns).toEqual([]);
    const status = spawnSync(
      process.execPath,
      ["--import", "tsx", "pipelines/etl/status-cli.ts", "--data-dir", dataDir],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/ignored columns .*\n.*2025-01-01_first\/customers\.csv\s+email/);
    expect(status.stdout).toMatch(/ignored columns in 2025-01-01_first\/customers\.csv: email/);
  });

  it("counts the line breaks inside quoted fields in a quarantined row's line number", async () => {
    writeCsvBatch(landing, "2025-01-02_sellers", {
      sellers: [
        "seller_id,name,country_code,joined_on",
        '"S-030","Three\nline\nname",FR,2021-01-01',
        "S-031,Nowhere,XX,2021-01-01",
      ],
    });
    const run = await runEtlCli({ landing, dataDir });
    expect(run.code).toBe(0);
    const file = join(dataDir, readPointerFile(dataDir).path);
    expect(await querySnapshot(file, "SELECT file, line, rule FROM meta.quarantine ORDER BY line")).toEqual([
      { file: "2025-01-02_sellers/sellers.csv", line: 5, rule: "unknown_code" },
    ]);
    const [name] = await querySnapshot<{ name: string }>(
      file,
      "SELECT name FROM raw.sellers WHERE seller_id = 'S-030'",
    );
    expect(name?.name).toBe("Three\nline\nname");
  });

  it("refuses a file missing a required column whole, with one line, and publishes nothing of its batch", async () => {
    const copy = copyDataDir(dataDir);
    const before = readPointerFile(copy);
    const more = tempDir("csv-missing");
    writeCsvBatch(more, "2025-01-03_broken", {
      customers: [
        "customer_id,country_code,signed_up_at,acquisition_channel",
        "new-1,FR,2024-12-30T10:00:00Z,organic",
      ],
      order_items: [
        // payment_fee is missing
        "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,status",
        "x-1,o-1,new-1,S-020,P-0010,FR,2024-12-30T10:00:00Z,web,,good,85,EUR,10.00,20.00,1.00,completed",
      ],
    });
    const run = await runEtlCli({ landing: more, dataDir: copy });
    expect(run.code).toBe(1);
    expect(messageLines(run.stderr)).toEqual([
      "error: batch 2025-01-03_broken: order_items.csv: refused, missing required column payment_fee (the file has order_item_id, order_id, customer_id, seller_id, product_id, country_code, ordered_at, channel, partner, grade, battery_health_pct, currency, price, displayed_new_price, commission, status)",
    ]);
    expect(readPointerFile(copy)).toEqual(before);
    const file = join(copy, before.path);
    expect(
      await querySnapshot(file, "SELECT count(*) AS n FROM raw.customers WHERE customer_id = 'new-1'"),
    ).toEqual([{ n: 0 }]);
    expect(
      await querySnapshot(
        file,
        "SELECT count(*) AS n FROM meta.batches WHERE batch_id = '2025-01-03_broken'",
      ),
    ).toEqual([{ n: 0 }]);
  });
});

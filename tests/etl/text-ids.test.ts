// Text ids end to end (issue 16): the generator writes UUIDs and prefixed codes by default and plain
// integers with --ids numeric; the same seed must give the same figures to the cent either way, in
// every mart and in the exports. And a hand-made batch with ids as real systems issue them (UUIDs,
// prefixed codes, digit strings with leading zeros, `007` beside `7`) loads without a quarantined row.

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEtl } from "../../pipelines/etl/run.ts";
import { cleanUpEtl, querySnapshot, readPointerFile, tempDir } from "../helpers/etl.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";

const tsx = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });

const snapshotOf = (dataDir: string) => join(dataDir, readPointerFile(dataDir).path);

/** Every mart as sorted JSON lines, without the columns that hold an id or a surrogate key. */
async function martContents(dataDir: string): Promise<Map<string, string[]>> {
  const file = snapshotOf(dataDir);
  const tables = await querySnapshot<{ name: string; columns: string }>(
    file,
    `SELECT table_name AS name, string_agg(column_name, ',' ORDER BY ordinal_position) AS columns
     FROM information_schema.columns WHERE table_schema = 'marts' GROUP BY 1 ORDER BY 1`,
  );
  const out = new Map<string, string[]>();
  for (const t of tables) {
    const kept = t.columns
      .split(",")
      .filter((c) => !/_(id|key)$/.test(c))
      .map((c) => `"${c}"`);
    const rows = await querySnapshot<{ j: string }>(
      file,
      `SELECT to_json(x)::VARCHAR AS j FROM (SELECT ${kept.join(", ")} FROM marts.${t.name}) x ORDER BY j`,
    );
    out.set(
      t.name,
      rows.map((r) => r.j),
    );
  }
  return out;
}

describe("text ids and numeric ids give the same figures", () => {
  const dataDirs: Record<"text" | "numeric", string> = { text: "", numeric: "" };

  beforeAll(async () => {
    for (const ids of ["text", "numeric"] as const) {
      const { dir } = await generateTo({ scale: 0.002, format: "csv", seed: 11, daily: 2, ids });
      dataDirs[ids] = join(tempDir(`ids-${ids}`), "data");
      const summary = await runEtl({ landing: dir, dataDir: dataDirs[ids] });
      expect(summary.status).toBe("published");
      expect(summary.stats.reduce((n, s) => n + s.rows_quarantined, 0)).toBe(0);
    }
  });

  afterAll(() => {
    cleanUpEtl();
    removeGenerated();
  });

  it("writes UUIDs, prefixed codes and zero-padded digits by default, integers with --ids numeric", async () => {
    const [text] = await querySnapshot<Record<string, string>>(
      snapshotOf(dataDirs.text),
      "SELECT order_item_id, order_id, customer_id, seller_id, product_id FROM raw.order_items ORDER BY order_item_id LIMIT 1",
    );
    expect(text?.order_item_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(text?.order_id).toMatch(/^[0-9a-f]{8}-/);
    expect(text?.customer_id).toMatch(/^C-\d{8}$/);
    expect(text?.seller_id).toMatch(/^S-\d{6}$/);
    expect(text?.product_id).toMatch(/^P-\d{6}$/);
    const [ret] = await querySnapshot<{ return_id: string }>(
      snapshotOf(dataDirs.text),
      "SELECT return_id FROM raw.returns LIMIT 1",
    );
    expect(ret?.return_id).toMatch(/^0\d{9}$/);
    const [numeric] = await querySnapshot<Record<string, string>>(
      snapshotOf(dataDirs.numeric),
      "SELECT order_item_id, customer_id FROM raw.order_items LIMIT 1",
    );
    expect(numeric?.order_item_id).toMatch(/^[1-9]\d*$/);
    expect(numeric?.customer_id).toMatch(/^[1-9]\d*$/);
  });

  it("holds the same marts, row for row, apart from the ids", async () => {
    const text = await martContents(dataDirs.text);
    const numeric = await martContents(dataDirs.numeric);
    expect([...text.keys()]).toEqual([...numeric.keys()]);
    expect(text.get("mart_daily_sales")?.length).toBeGreaterThan(100);
    for (const [name, rows] of text) expect(rows, name).toEqual(numeric.get(name));
  });

  it("exports the same P&L, KPIs and trend to the cent", () => {
    for (const [view, filter] of [
      ["pnl", "range=all_time"],
      ["kpis", "range=last_12_months"],
      ["trend", "range=last_12_months&grain=month"],
      ["breakdown", "range=all_time"],
    ] as const) {
      const [text, numeric] = (["text", "numeric"] as const).map((ids) => {
        const run = tsx("cli/export.ts", view, "--filter", filter, "--data-dir", dataDirs[ids]);
        expect(run.stderr, view).toBe("");
        return run.stdout;
      });
      expect(text?.split("\n").length, view).toBeGreaterThan(2);
      expect(text, view).toBe(numeric);
    }
  });

  it("exports every order line with its source ids and the same amounts", () => {
    const lines = (ids: "text" | "numeric") => {
      const run = tsx(
        "cli/export.ts",
        "order-items",
        "--filter",
        "range=all_time",
        "--data-dir",
        dataDirs[ids],
      );
      expect(run.status).toBe(0);
      const [header, ...rows] = run.stdout.trim().split("\r\n");
      const columns = (header ?? "").split(",");
      const idColumns = columns.flatMap((c, i) => (/_id$/.test(c) ? [i] : []));
      // No text field of the generator holds a comma before the ids' columns; cut the ids out.
      return {
        first: rows[0] ?? "",
        columns,
        amounts: rows
          .map((r) => {
            const cells = r.split(",");
            return columns
              .map((c, i) => (idColumns.includes(i) || /name|model|brand/.test(c) ? "" : cells[i]))
              .join("|");
          })
          .sort(),
      };
    };
    const text = lines("text");
    const numeric = lines("numeric");
    expect(text.columns.slice(0, 3)).toEqual(["order_item_id", "order_id", "customer_id"]);
    expect(text.first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text.amounts.length).toBeGreaterThan(1000);
    expect(text.amounts).toEqual(numeric.amounts);
  });
});

describe("ids as real source systems issue them", () => {
  let dataDir: string;
  let firstLanding: string;
  const landing = () => {
    const dir = tempDir("real-ids");
    const batch = join(dir, "2025-01-01_first");
    mkdirSync(batch, { recursive: true });
    const files: Record<string, string[]> = {
      countries: [
        "country_code,name,region,currency,launched_on,app_launched_on",
        "FR,France,europe,EUR,2014-11-03,",
      ],
      // Three customers whose ids a numeric reading would confuse or refuse: 007 and 7 are two people.
      customers: [
        "customer_id,country_code,signed_up_at,acquisition_channel",
        "007,FR,2024-12-01T10:00:00Z,organic",
        "7,FR,2024-12-01T10:00:00Z,paid",
        "cust_8f3k2,FR,2024-12-01T10:00:00Z,referral",
      ],
      products: [
        "product_id,category,brand,model",
        "3f2b8c1e-0d4a-4c55-9a7e-2f1b6c9d8e01,smartphone,Apple,iPhone 13",
      ],
      // Case matters: S-1 and s-1 are two sellers.
      sellers: [
        "seller_id,name,country_code,joined_on",
        "S-1,Upper,FR,2020-01-01",
        "s-1,Lower,FR,2020-01-01",
      ],
      order_items: [
        "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,payment_fee,status",
        "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d,ord_8f3k2,007,S-1,3f2b8c1e-0d4a-4c55-9a7e-2f1b6c9d8e01,FR,2024-12-10T10:00:00Z,web,,excellent,90,EUR,100.00,400.00,15.00,1.00,completed",
        "0001,ord_8f3k2,7,s-1,3f2b8c1e-0d4a-4c55-9a7e-2f1b6c9d8e01,FR,2024-12-11T10:00:00Z,web,,good,85,EUR,200.00,400.00,30.00,2.00,completed",
        "1,ORD_8F3K2,cust_8f3k2,s-1,3f2b8c1e-0d4a-4c55-9a7e-2f1b6c9d8e01,FR,2024-12-12T10:00:00Z,app,,good,85,EUR,50.50,400.00,7.25,0.50,completed",
      ],
      returns: [
        "return_id,order_item_id,returned_at,reason,currency,refunded_amount,commission_refunded,cost_to_marketplace",
        "R-000001,0001,2024-12-20T10:00:00Z,defect,EUR,200.00,30.00,4.00",
      ],
    };
    for (const [entity, lines] of Object.entries(files))
      writeFileSync(join(batch, `${entity}.csv`), `${lines.join("\n")}\n`);
    return dir;
  };

  beforeAll(async () => {
    dataDir = join(tempDir("real-ids-data"), "data");
    firstLanding = landing();
    const summary = await runEtl({ landing: firstLanding, dataDir });
    expect(summary.status).toBe("published");
  });

  afterAll(() => cleanUpEtl());

  it("loads every row: no id is unparsable, and 007 is not 7", async () => {
    const file = snapshotOf(dataDir);
    expect(await querySnapshot(file, "SELECT rule, reason FROM meta.quarantine")).toEqual([]);
    const [counts] = await querySnapshot<Record<string, number>>(
      file,
      `SELECT (SELECT count(*) FROM marts.mart_customers) AS customers,
        (SELECT sum(new_customers) FROM marts.mart_daily_new_customers) AS new_customers,
        (SELECT count(*) FROM marts.mart_sellers) AS sellers,
        (SELECT CAST(sum(gmv_eur) AS DOUBLE) FROM marts.mart_daily_sales) AS gmv,
        (SELECT CAST(sum(commission_refunded_eur) AS DOUBLE) FROM marts.mart_daily_sales) AS refunded`,
    );
    expect(counts).toEqual({ customers: 3, new_customers: 3, sellers: 2, gmv: 350.5, refunded: 30 });
  });

  it("keeps the source ids where ids are shown, and stable integer keys behind them", async () => {
    const file = snapshotOf(dataDir);
    const items = await querySnapshot<Record<string, string>>(
      file,
      "SELECT order_item_id, order_id, customer_id, seller_id, seller_name FROM marts.mart_order_items ORDER BY ordered_at",
    );
    expect(items).toEqual([
      {
        order_item_id: "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
        order_id: "ord_8f3k2",
        customer_id: "007",
        seller_id: "S-1",
        seller_name: "Upper",
      },
      {
        order_item_id: "0001",
        order_id: "ord_8f3k2",
        customer_id: "7",
        seller_id: "s-1",
        seller_name: "Lower",
      },
      {
        order_item_id: "1",
        order_id: "ORD_8F3K2",
        customer_id: "cust_8f3k2",
        seller_id: "s-1",
        seller_name: "Lower",
      },
    ]);
    const sellers = await querySnapshot<{ seller_id: string; sales: number }>(
      file,
      "SELECT seller_id, CAST(sum(sales) AS INTEGER) AS sales FROM marts.mart_price_display_sellers GROUP BY 1 ORDER BY 1",
    );
    expect(sellers).toEqual([
      { seller_id: "S-1", sales: 1 },
      { seller_id: "s-1", sales: 2 },
    ]);
    const keys = await querySnapshot<{ customer_id: string; customer_key: number }>(
      file,
      "SELECT customer_id, customer_key FROM raw.customer_keys ORDER BY customer_key",
    );
    expect(keys).toEqual([
      { customer_id: "007", customer_key: 1 },
      { customer_id: "7", customer_key: 2 },
      { customer_id: "cust_8f3k2", customer_key: 3 },
    ]);
  });

  it("refuses an id longer than 64 characters as unparsable, and keeps the others' keys", async () => {
    const dir = tempDir("long-id");
    const batch = join(dir, "2025-01-02_more");
    mkdirSync(batch, { recursive: true });
    writeFileSync(
      join(batch, "customers.csv"),
      `customer_id,country_code,signed_up_at,acquisition_channel\n${"x".repeat(65)},FR,2024-12-01T10:00:00Z,organic\nnew-1,FR,2024-12-02T10:00:00Z,organic\n7,FR,2024-12-01T10:00:00Z,partner\n`,
    );
    // The first batch again (unchanged: skipped) and the new one.
    cpSync(join(firstLanding, "2025-01-01_first"), join(dir, "2025-01-01_first"), { recursive: true });
    const summary = await runEtl({ landing: dir, dataDir });
    expect(summary.batches).toEqual(["2025-01-02_more"]);
    const file = snapshotOf(dataDir);
    expect(await querySnapshot(file, "SELECT line, rule FROM meta.quarantine")).toEqual([
      { line: 2, rule: "unparsable_value" },
    ]);
    const keys = await querySnapshot<{ customer_id: string; customer_key: number }>(
      file,
      "SELECT customer_id, customer_key FROM raw.customer_keys ORDER BY customer_key",
    );
    expect(keys.map((k) => `${k.customer_id}=${k.customer_key}`)).toEqual([
      "007=1",
      "7=2",
      "cust_8f3k2=3",
      "new-1=4",
    ]);
    const [changed] = await querySnapshot<{ acquisition_channel: string; customer_key: number }>(
      file,
      "SELECT acquisition_channel, customer_key FROM raw.customers WHERE customer_id = '7'",
    );
    expect(changed).toEqual({ acquisition_channel: "partner", customer_key: 2 });
  });
});

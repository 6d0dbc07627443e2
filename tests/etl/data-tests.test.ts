// The ETL's data tests and reconciliation catch what they are there to catch (a failure blocks
// publishing): a duplicated key (a NULL key part included), an amount in EUR a cent off its raw events,
// a rate changed under the marts. Run on a copy of the demo warehouse, changed by hand.

import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../core/duckdb";
import { runDeclaredTests, runReconciliation } from "../../pipelines/etl/data-tests";
import { loadModels } from "../../pipelines/etl/models";
import { createDemoDataDir, readPointer, removeDir } from "../helpers/fixture-warehouse";
import { REPO_ROOT } from "../helpers/repo";

const models = loadModels(join(REPO_ROOT, "sql"));
const model = (relation: string) => {
  const found = models.find((m) => m.relation === relation);
  if (!found) throw new Error(`no model ${relation}`);
  return found;
};

describe("data tests and reconciliation", () => {
  let dataDir: string;
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;

  beforeAll(async () => {
    dataDir = await createDemoDataDir();
    const pointer = await readPointer(dataDir);
    instance = await DuckDBInstance.create(join(dataDir, pointer.path), { threads: "2" });
    conn = await instance.connect();
  }, 300_000);

  afterAll(async () => {
    conn?.closeSync();
    instance?.closeSync();
    await removeDir(dataDir);
  });

  it("pass on the published warehouse, each declared test timed", async () => {
    const declared = await runDeclaredTests(conn, models);
    expect(declared.filter((t) => !t.passed)).toEqual([]);
    expect(declared.length).toBeGreaterThan(80);
    for (const t of declared) expect(t.seconds).toBeGreaterThanOrEqual(0);
    const reconciled = await runReconciliation(conn, "no-such-run");
    expect(reconciled.filter((t) => !t.passed)).toEqual([]);
    expect(reconciled.map((t) => t.name)).toContain("reconciliation: gmv_eur (marts = raw, to the cent)");
  });

  it("fail the reconciliation when a day's rate no longer gives the marts' EUR amounts", async () => {
    // The busiest day of sales in a currency other than the euro: its rate doubled in raw.
    const [day] = await queryRows<{ currency: string; d: string }>(
      conn,
      `SELECT currency, reporting_date::VARCHAR AS d FROM raw.order_items
       WHERE status = 'completed' AND currency <> 'EUR' GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1`,
    );
    expect(day).toBeDefined();
    const [rate] = await queryRows<{ rate_date: string }>(
      conn,
      `SELECT max(rate_date)::VARCHAR AS rate_date FROM raw.fx_rates
       WHERE currency = '${day?.currency}' AND rate_date <= DATE '${day?.d}'`,
    );
    await conn.run(`UPDATE raw.fx_rates SET eur_per_unit = eur_per_unit * 2
      WHERE currency = '${day?.currency}' AND rate_date = DATE '${rate?.rate_date}'`);
    const failed = (await runReconciliation(conn, "no-such-run")).filter((t) => !t.passed).map((t) => t.name);
    expect(failed).toContain("reconciliation: gmv_eur (marts = raw, to the cent)");
    expect(failed).toContain("reconciliation: commission_eur (marts = raw, to the cent)");
    expect(failed).not.toContain("reconciliation: devices_sold (marts = raw, to the cent)");
  });

  it("count each duplicated key once, whether its parts are all values or one is NULL", async () => {
    // Two keys duplicated in the customer days, one twice over; one sales row with no partner (NULL).
    await conn.run(`INSERT INTO marts.mart_customer_days
      SELECT * FROM marts.mart_customer_days ORDER BY reporting_date, customer_id LIMIT 2`);
    await conn.run(`INSERT INTO marts.mart_customer_days
      SELECT * FROM marts.mart_customer_days ORDER BY reporting_date, customer_id LIMIT 1`);
    await conn.run(`INSERT INTO marts.mart_daily_sales
      SELECT * FROM marts.mart_daily_sales WHERE partner IS NULL ORDER BY reporting_date, country_code LIMIT 1`);
    const results = await runDeclaredTests(conn, [
      model("marts.mart_customer_days"),
      model("marts.mart_daily_sales"),
      model("marts.mart_customers"),
    ]);
    const unique = (relation: string) =>
      results.find((t) => t.model === relation && t.name.startsWith("unique("))?.failures;
    expect(unique("marts.mart_customer_days")).toBe(2);
    expect(unique("marts.mart_daily_sales")).toBe(1);
    expect(unique("marts.mart_customers")).toBe(0);
  });

  it("count the values with no key in the target, whether its keys fill a range, have a gap or repeat", async () => {
    const items = model("staging.stg_order_items");
    const relationship = async () =>
      (await runDeclaredTests(conn, [items])).find(
        (t) => t.name === "relationships(customer_key -> staging.stg_customers.customer_key)",
      )?.failures;
    // The definition: the anti-join.
    const definition = async () =>
      (
        await queryRows<{ n: number }>(
          conn,
          `SELECT count(*) AS n FROM staging.stg_order_items x WHERE x.customer_key IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM staging.stg_customers t WHERE t.customer_key = x.customer_key)`,
        )
      )[0]?.n;
    const [keys] = await queryRows<{ lo: number; hi: number; n: number }>(
      conn,
      "SELECT min(customer_key) AS lo, max(customer_key) AS hi, count(*) AS n FROM raw.customers",
    );
    expect(keys?.n).toBe((keys?.hi ?? 0) - (keys?.lo ?? 0) + 1); // the demo's keys fill a range
    expect(await relationship()).toBe(0);

    // Keys filling a range: two items outside it, just below and far above.
    await conn.run(`UPDATE raw.order_items SET customer_key = ${(keys?.lo ?? 0) - 1}
      WHERE order_item_id = (SELECT min(order_item_id) FROM raw.order_items)`);
    await conn.run(`UPDATE raw.order_items SET customer_key = ${(keys?.hi ?? 0) + 1000}
      WHERE order_item_id = (SELECT max(order_item_id) FROM raw.order_items)`);
    expect(await relationship()).toBe(2);

    // A gap: a customer with items gone from the target.
    const [gone] = await queryRows<{ key: number; items: number }>(
      conn,
      `SELECT customer_key AS key, count(*) AS items FROM raw.order_items
       WHERE customer_key BETWEEN ${keys?.lo} AND ${keys?.hi} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    await conn.run(`DELETE FROM raw.customers WHERE customer_key = ${gone?.key}`);
    expect(await relationship()).toBe(2 + (gone?.items ?? 0));

    // As many keys as the range again, but one held twice: the gap is still found.
    await conn.run(`INSERT INTO raw.customers SELECT * FROM raw.customers WHERE customer_key = ${keys?.lo}`);
    const [again] = await queryRows<{ n: number }>(conn, "SELECT count(*) AS n FROM raw.customers");
    expect(again?.n).toBe(keys?.n);
    expect(await relationship()).toBe(2 + (gone?.items ?? 0));
    expect(await relationship()).toBe(await definition());
  });
});

// The generator writes exactly the landing contract: every entity, column, type, code and reference.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT, type ContractColumn, duckdbType } from "../../core/contract.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";
import { type Landing, openLanding } from "../helpers/landing.ts";

const TEXT_FORMATS: Partial<Record<ContractColumn["kind"], string>> = {
  // Ids are opaque text up to 64 characters: the generator writes UUIDs, prefixed codes and digits.
  id: "^[^\\n]{1,64}$",
  integer: "^-?[0-9]+$",
  timestamp: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$",
  date: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
  month: "^[0-9]{4}-(0[1-9]|1[0-2])$",
  money: "^-?[0-9]+(\\.[0-9]{1,4})?$",
  rate: "^[0-9]+(\\.[0-9]+)?$",
};

describe.each(["csv", "parquet"] as const)("landing contract (%s)", (format) => {
  let dir = "";
  let landing: Landing;

  beforeAll(async () => {
    ({ dir } = await generateTo({ scale: 0.003, format, daily: 7 }));
    landing = await openLanding(dir, format);
  });
  afterAll(() => {
    landing?.close();
    removeGenerated();
  });

  it("writes a history batch then one batch per day, in lexical order", () => {
    expect(landing.batches).toEqual([
      "2024-12-24_history",
      "2024-12-25_daily",
      "2024-12-26_daily",
      "2024-12-27_daily",
      "2024-12-28_daily",
      "2024-12-29_daily",
      "2024-12-30_daily",
      "2024-12-31_daily",
    ]);
    const history = readdirSync(join(dir, "2024-12-24_history")).sort();
    expect(history).toEqual(CONTRACT.map((e) => `${e.entity}.${format}`).sort());
  });

  it.each(CONTRACT.map((e) => [e.entity, e] as const))(
    "%s: columns in contract order, with contract types",
    async (name, entity) => {
      for (const batch of landing.batches) {
        const file = join(dir, batch, `${name}.${format}`);
        if (!readdirSync(join(dir, batch)).includes(`${name}.${format}`)) continue;
        if (format === "csv") {
          const header = readFileSync(file, "utf8").split("\n", 1)[0];
          expect(header).toBe(entity.columns.map((c) => c.name).join(","));
        } else {
          const schema = await landing.rows<{ name: string; type: string }>(
            `SELECT name, type FROM parquet_schema('${file}') WHERE name <> 'duckdb_schema'`,
          );
          expect(schema.map((s) => s.name)).toEqual(entity.columns.map((c) => c.name));
          const described = await landing.rows<{ column_type: string }>(
            `DESCRIBE SELECT * FROM read_parquet('${file}')`,
          );
          expect(described.map((d) => d.column_type.replaceAll(" ", ""))).toEqual(
            entity.columns.map((c) =>
              duckdbType(c.kind).replaceAll(" ", "").replace("TIMESTAMPTZ", "TIMESTAMPWITHTIMEZONE"),
            ),
          );
        }
      }
    },
  );

  it.each(CONTRACT.map((e) => [e.entity, e] as const))(
    "%s: values, codes, nulls and keys",
    async (name, entity) => {
      for (const column of entity.columns) {
        const v = `CAST(${column.name} AS VARCHAR)`;
        const nulls = await landing.one<{ n: number }>(
          `SELECT count(*) AS n FROM ${name}_all WHERE ${column.name} IS NULL`,
        );
        if (!column.nullable) expect(nulls.n, `${name}.${column.name} nulls`).toBe(0);
        if (column.codes) {
          const bad = await landing.rows<{ value: string }>(
            `SELECT DISTINCT ${v} AS value FROM ${name}_all WHERE ${column.name} IS NOT NULL AND ${v} NOT IN (${column.codes.map((c) => `'${c}'`).join(", ")})`,
          );
          expect(bad, `${name}.${column.name} codes`).toEqual([]);
        }
        const pattern = format === "csv" ? TEXT_FORMATS[column.kind] : undefined;
        if (pattern) {
          const bad = await landing.rows(
            `SELECT ${v} AS value FROM ${name}_all WHERE NOT regexp_full_match(${v}, '${pattern}') LIMIT 3`,
          );
          expect(bad, `${name}.${column.name} format`).toEqual([]);
        }
        if (column.kind === "money") {
          const negative = await landing.one<{ n: number }>(
            `SELECT count(*) AS n FROM ${name}_all WHERE CAST(${column.name} AS DECIMAL(18, 4)) < 0`,
          );
          expect(negative.n, `${name}.${column.name} negative`).toBe(0);
        }
      }
      const duplicates = await landing.one<{ n: number }>(
        `SELECT count(*) AS n FROM (SELECT batch, ${entity.key.join(", ")} FROM ${name}_all GROUP BY ALL HAVING count(*) > 1)`,
      );
      expect(duplicates.n, `${name} duplicate keys within a batch`).toBe(0);
    },
  );

  it("references resolve: customers, sellers, products, countries, order items", async () => {
    const orphans = await landing.one<Record<string, number>>(`
      SELECT
        (SELECT count(*) FROM order_items WHERE customer_id NOT IN (SELECT customer_id FROM customers)) AS customers,
        (SELECT count(*) FROM order_items WHERE seller_id NOT IN (SELECT seller_id FROM sellers)) AS sellers,
        (SELECT count(*) FROM order_items WHERE product_id NOT IN (SELECT product_id FROM products)) AS products,
        (SELECT count(*) FROM order_items WHERE country_code NOT IN (SELECT country_code FROM countries)) AS item_countries,
        (SELECT count(*) FROM customers WHERE country_code NOT IN (SELECT country_code FROM countries)) AS customer_countries,
        (SELECT count(*) FROM returns WHERE order_item_id NOT IN (SELECT order_item_id FROM order_items)) AS returns,
        (SELECT count(*) FROM new_prices WHERE product_id NOT IN (SELECT product_id FROM products)) AS new_prices`);
    expect(orphans).toEqual({
      customers: 0,
      sellers: 0,
      products: 0,
      item_countries: 0,
      customer_countries: 0,
      returns: 0,
      new_prices: 0,
    });
  });

  it("every amount has an FX rate on or before its date; EUR needs none", async () => {
    const missing = await landing.one<{ items: number; eur_rates: number }>(`
      WITH rates AS (SELECT CAST(rate_date AS DATE) AS rate_date, currency FROM fx_rates)
      SELECT
        (SELECT count(*) FROM order_items i WHERE currency <> 'EUR' AND NOT EXISTS (
          SELECT 1 FROM rates r WHERE r.currency = i.currency AND r.rate_date <= CAST(CAST(i.ordered_at AS TIMESTAMPTZ) AS DATE))) AS items,
        (SELECT count(*) FROM fx_rates WHERE currency = 'EUR') AS eur_rates`);
    expect(missing).toEqual({ items: 0, eur_rates: 0 });
  });

  it("battery health is an integer 0–100, empty for devices without a battery", async () => {
    const check = await landing.one<{ out_of_range: number; consoles_with_battery: number }>(`
      SELECT
        count(*) FILTER (WHERE CAST(battery_health_pct AS INTEGER) NOT BETWEEN 0 AND 100) AS out_of_range,
        count(*) FILTER (WHERE p.category = 'console' AND battery_health_pct IS NOT NULL) AS consoles_with_battery
      FROM order_items i JOIN products p ON p.product_id = i.product_id`);
    expect(check).toEqual({ out_of_range: 0, consoles_with_battery: 0 });
  });
});

// SQL macros the models share, created in the warehouse before they are built.
//
// etl.to_eur(amount, rate): an amount (DECIMAL(18,4), any currency) times its EUR rate (DECIMAL(18,10)),
// rounded half away from zero to 4 decimals: exactly
//   CAST(round(CAST(amount AS DECIMAL(38,4)) * rate, 4) AS DECIMAL(18,4)),
// the project's definition of an amount in EUR. That form rounds a 128-bit decimal, which costs ~14 s per
// column over 30M order items on this project's machines (four columns: most of int_order_items' time);
// this one does the same arithmetic on 64-bit integers (~1 s). The amount and the rate are read as whole
// numbers of 1/10,000 and 1/10^10 (exact through DOUBLE below 2^53: amounts under 9 * 10^11, rates under
// 900,000); the product is split so that no step exceeds 2^63:
//   m = |amount| * 10^4, r = rate * 10^10 = hi * 10^5 + lo
//   m * r / 10^10 = (m*hi) div 10^5 + ((m*hi) mod 10^5 * 10^5 + m*lo) / 10^10
// Outside |amount| < 10^8 and 0 <= rate < 50 (where m*hi < 5 * 10^18) it takes the decimal form.
// An amount at rate 1 (EUR itself, most items) is its own EUR amount: no arithmetic at all.
// tests/etl/to-eur.test.ts checks it against the decimal form on edge cases and a million random rows.

import type { DuckDBConnection } from "@duckdb/node-api";

const UNITS = "abs(cast(round(cast(amount AS DOUBLE) * 10000) AS BIGINT))";
const RATE = "cast(round(cast(rate AS DOUBLE) * 10000000000) AS BIGINT)";

export const TO_EUR_SQL = `CREATE OR REPLACE MACRO etl.to_eur(amount, rate) AS
  CASE
    WHEN rate = 1 THEN cast(amount AS DECIMAL(18, 4))
    WHEN abs(amount) < 100000000 AND rate >= 0 AND rate < 50 THEN
      cast(sign(amount) * (
        (${UNITS} * (${RATE} // 100000)) // 100000
        + ((${UNITS} * (${RATE} // 100000)) % 100000 * 100000
           + ${UNITS} * (${RATE} % 100000)
           + 5000000000) // 10000000000
      ) / 10000 AS DECIMAL(18, 4))
    ELSE cast(round(cast(amount AS DECIMAL(38, 4)) * rate, 4) AS DECIMAL(18, 4))
  END`;

export async function createMacros(conn: DuckDBConnection): Promise<void> {
  await conn.run("CREATE SCHEMA IF NOT EXISTS etl");
  await conn.run(TO_EUR_SQL);
}

// Same seed → the same files, byte for byte, whatever the thread count; another seed → other data.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateTo, removeGenerated } from "../helpers/generated.ts";
import { openLanding } from "../helpers/landing.ts";

function checksums(dir: string): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const batch of readdirSync(dir).sort()) {
    for (const file of readdirSync(join(dir, batch)).sort()) {
      sums[`${batch}/${file}`] = createHash("sha256")
        .update(readFileSync(join(dir, batch, file)))
        .digest("hex");
    }
  }
  return sums;
}

describe("determinism", () => {
  afterAll(() => removeGenerated());

  it.each(["parquet", "csv"] as const)(
    "writes identical %s files for a seed, on 1 thread or 2",
    async (format) => {
      const one = await generateTo({ scale: 0.03, format, seed: 7, threads: 1 });
      const two = await generateTo({ scale: 0.03, format, seed: 7, threads: 2 });
      const a = checksums(one.dir);
      expect(Object.keys(a)).toHaveLength(8 * 11 - countMissing(one.dir));
      expect(checksums(two.dir)).toEqual(a);
      const other = await generateTo({ scale: 0.03, format, seed: 8, threads: 2 });
      const b = checksums(other.dir);
      expect(b[`2024-12-24_history/order_items.${format}`]).not.toBe(
        a[`2024-12-24_history/order_items.${format}`],
      );
    },
  );

  it("writes the same values in CSV and in Parquet", async () => {
    const csv = await generateTo({ scale: 0.003, format: "csv", seed: 11 });
    const parquet = await generateTo({ scale: 0.003, format: "parquet", seed: 11 });
    const fromCsv = await openLanding(csv.dir, "csv");
    const fromParquet = await openLanding(parquet.dir, "parquet");
    const query = `SELECT count(*) AS n, sum(CAST(price AS DECIMAL(18, 2))) AS price, sum(CAST(commission AS DECIMAL(18, 2))) AS commission,
      max(CAST(ordered_at AS TIMESTAMPTZ)) AS last_order, count(*) FILTER (WHERE status = 'cancelled') AS cancelled FROM order_items_all`;
    try {
      expect(await fromCsv.one(query)).toEqual(await fromParquet.one(query));
    } finally {
      fromCsv.close();
      fromParquet.close();
    }
  });
});

/** Entities with no row in a batch get no file there (e.g. no new product on a given day). */
function countMissing(dir: string): number {
  let missing = 0;
  for (const batch of readdirSync(dir)) missing += 11 - readdirSync(join(dir, batch)).length;
  return missing;
}

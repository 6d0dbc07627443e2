import { describe, expect, it } from "vitest";
import { byOffence, firstInOrder } from "./pricing.server";

/** A seeded generator: the same cases every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

describe("firstInOrder: the worst rows a page keeps", () => {
  it("gives what a stable sort's first k gives, ties and all", () => {
    const rnd = random(19);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(rnd() * 60);
      // Few distinct values: many ties, which a stable sort keeps in their first order.
      const items = Array.from({ length: n }, (_, i) => ({ i, v: Math.floor(rnd() * 5) }));
      const order = (a: { v: number }, b: { v: number }) => b.v - a.v;
      for (const k of [0, 1, 3, 20, n, n + 5])
        expect(firstInOrder(items, k, order)).toEqual([...items].sort(order).slice(0, k));
    }
  });

  it("ranks sellers as the download does: most inflated sales, then the higher share, then the key", () => {
    const rnd = random(7);
    const sellers = Array.from({ length: 3_000 }, (_, i) => {
      const inflated = rnd() < 0.6 ? 0 : Math.floor(rnd() * 40);
      const priced = inflated + Math.floor(rnd() * 100);
      return {
        key: `S-${String(3_000 - i).padStart(6, "0")}`,
        figures: { inflated_sales: inflated, inflated_display_share: priced ? inflated / priced : null },
      };
    });
    const all = [...sellers].sort(byOffence);
    expect(firstInOrder(sellers, 20, byOffence)).toEqual(all.slice(0, 20));
    expect(all[0]?.figures.inflated_sales).toBeGreaterThan(0);
  });
});

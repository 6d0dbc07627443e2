// Snapshot ids order the snapshots: replicas compare them as text (a reader who saw one is never sent
// back to an older one, issue 20). A new id sorts after the current one, whatever the clock and suffix.

import { describe, expect, it } from "vitest";
import { newSnapshotId } from "../../pipelines/etl/snapshots";

const SHAPE = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

describe("newSnapshotId", () => {
  it("is the publish time to the second and a random suffix", () => {
    const id = newSnapshotId(new Date("2026-12-04T17:03:09.512Z"));
    expect(id).toMatch(SHAPE);
    expect(id.startsWith("20261204T170309Z-")).toBe(true);
  });

  it("sorts after the current snapshot published in the same second, whatever its suffix", () => {
    const now = new Date("2026-12-04T17:03:09.512Z");
    for (const suffix of ["00000000", "7fffffff", "ffffffff"]) {
      const current = `20261204T170309Z-${suffix}`;
      for (let i = 0; i < 50; i++) {
        const id = newSnapshotId(now, current);
        expect(id).toMatch(SHAPE);
        expect(id > current, `${id} after ${current}`).toBe(true);
      }
    }
  });

  it("sorts after the current one when the clock stepped back, by taking the second after it", () => {
    const id = newSnapshotId(new Date("2026-12-04T17:00:00Z"), "20261231T235959Z-ffffffff");
    expect(id.startsWith("20270101T000000Z-")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "./nul-bytes.server";

describe("withoutNulBytes", () => {
  it("returns a chunk without a NUL as it is (no copy)", () => {
    const chunk = Buffer.from("<td>1 234,5 €</td>", "utf8");
    expect(withoutNulBytes(chunk)).toBe(chunk);
  });

  it("drops every NUL, at the start, inside, in runs and at the end, and keeps the rest in order", () => {
    const chunk = Buffer.from([0, 0x3c, 0x74, 0, 0, 0xe2, 0x82, 0xac, 0x3e, 0]);
    expect([...withoutNulBytes(chunk)]).toEqual([0x3c, 0x74, 0xe2, 0x82, 0xac, 0x3e]);
    expect(withoutNulBytes(Buffer.from([0, 0])).length).toBe(0);
  });
});

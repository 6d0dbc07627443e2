// --defects: rows that break the contract, beside the good ones, and an answer key that finds them.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT } from "../../core/contract.ts";
import { MARKER_BASE } from "../../pipelines/generate/defects.ts";
import type { GenerateSummary } from "../../pipelines/generate/generate.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";
import { openLanding } from "../helpers/landing.ts";

describe.each(["csv", "parquet"] as const)("defects (%s)", (format) => {
  let broken: { dir: string; summary: GenerateSummary };
  let clean: { dir: string; summary: GenerateSummary };

  beforeAll(async () => {
    broken = await generateTo({ scale: 0.003, format, seed: 5, defects: 0.002 });
    clean = await generateTo({ scale: 0.003, format, seed: 5, defects: 0 });
  });
  afterAll(() => removeGenerated());

  it("breaks every rule of the contract it can express in this format", () => {
    const rules = new Set(broken.summary.defects.map((d) => d.rule));
    const expected = [
      "unknown_code",
      "missing_key",
      "duplicate_key",
      "orphan_reference",
      "negative_amount",
      "out_of_range",
      "missing_fx_rate",
    ];
    if (format === "csv") expected.push("unparsable_value");
    expect([...rules].sort()).toEqual(expected.sort());
    // At least 0.2% of order items, customers and returns.
    const items = clean.summary.entities.find((e) => e.entity === "order_items")?.rows ?? 0;
    expect(broken.summary.defects.filter((d) => d.entity === "order_items").length).toBeGreaterThanOrEqual(
      Math.round(items * 0.002),
    );
  });

  it("answer key points at the exact line of each broken row", () => {
    const files = new Map<string, string[]>();
    for (const d of broken.summary.defects) {
      if (format !== "csv") continue;
      if (!files.has(d.file)) files.set(d.file, readFileSync(join(broken.dir, d.file), "utf8").split("\n"));
      const lines = files.get(d.file) ?? [];
      const line = lines[d.line - 1] ?? "";
      expect(line, `${d.file}:${d.line} (${d.defect})`).toContain(String(d.marker));
      if (d.rule === "out_of_range") expect(line).toContain(",140,");
      if (d.rule === "missing_fx_rate") expect(line).toContain(",CHF,");
      if (d.rule === "unparsable_value") expect(line).toMatch(/12,50 €|2024-02-30T25|31\/12\/2023/);
    }
  });

  it("answer key rows are found by their marker in Parquet too", async () => {
    if (format !== "parquet") return;
    const landing = await openLanding(broken.dir, "parquet");
    try {
      for (const d of broken.summary.defects.slice(0, 40)) {
        const marker =
          d.entity === "order_items" ? "order_id" : d.entity === "customers" ? "customer_id" : "return_id";
        const found = await landing.rows<{ line: number }>(
          `SELECT file_row_number + 1 AS line FROM read_parquet('${join(broken.dir, d.file)}', file_row_number = true) WHERE TRY_CAST(${marker} AS BIGINT) = ${d.marker}`,
        );
        expect(found.map((f) => f.line)).toContain(d.line);
      }
    } finally {
      landing.close();
    }
  });

  it("leaves every good row exactly as a clean run of the same seed writes it", async () => {
    const a = await openLanding(broken.dir, format);
    const b = await openLanding(clean.dir, format);
    try {
      for (const entity of CONTRACT) {
        const marker = entity.entity === "order_items" ? "order_id" : entity.key[0];
        const columns = entity.columns.map((c) => `CAST(${c.name} AS VARCHAR)`).join(", ");
        const withoutDefects = await a.rows<{ v: string }>(
          `SELECT md5(string_agg(concat_ws('|', batch, ${columns}), '\n' ORDER BY batch, ${entity.key.join(", ")})) AS v FROM ${entity.entity}_all
           WHERE TRY_CAST(${marker} AS BIGINT) IS NULL OR TRY_CAST(${marker} AS BIGINT) < ${MARKER_BASE}`,
        );
        const cleanRows = await b.rows<{ v: string }>(
          `SELECT md5(string_agg(concat_ws('|', batch, ${columns}), '\n' ORDER BY batch, ${entity.key.join(", ")})) AS v FROM ${entity.entity}_all`,
        );
        expect(withoutDefects[0]?.v, entity.entity).toBe(cleanRows[0]?.v);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});

describe("generate command line", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "pipelines/generate/cli.ts", ...args], {
      encoding: "utf8",
    });

  it.each([
    [["--scale", "abc", "--out", "/tmp/x"], "--scale must be a number"],
    [["--scale", "0.01"], "--out <dir> is required"],
    [["--scale", "0.01", "--out", "/tmp/x", "--format", "xlsx"], "--format must be parquet or csv"],
    [["--scale", "0.01", "--out", "/tmp/x", "--until", "2024-02-30"], "--until must be a date"],
    [["--scale", "0.01", "--out", "/tmp/x", "--colour", "red"], "Unknown option '--colour'"],
  ])("refuses %j with one readable line and exit code 2", (args, message) => {
    const run = cli(...args);
    expect(run.status).toBe(2);
    const [first, ...rest] = run.stderr.trim().split("\n");
    expect(first).toContain(message);
    expect(rest.join("\n")).toMatch(/^usage: npm run generate/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

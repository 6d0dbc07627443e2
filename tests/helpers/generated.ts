// Test helper: generate a landing folder once per test file, in a temporary directory.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GenerateOptions, type GenerateSummary, generate } from "../../pipelines/generate/generate.ts";

export interface Generated {
  dir: string;
  summary: GenerateSummary;
}

const created: string[] = [];

export async function generateTo(options: Partial<GenerateOptions> = {}): Promise<Generated> {
  const root = mkdtempSync(join(tmpdir(), "backlight-gen-"));
  created.push(root);
  const dir = join(root, "landing");
  const summary = await generate({
    scale: 0.01,
    out: dir,
    format: "parquet",
    seed: 42,
    until: "2024-12-31",
    daily: 7,
    defects: 0,
    ...options,
  });
  return { dir, summary };
}

export function removeGenerated(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

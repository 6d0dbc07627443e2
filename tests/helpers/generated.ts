// Test helper: a generated landing folder in a temporary directory. The same options generate the same
// bytes (the generator is deterministic), so within a test run each set of options is generated once
// (run-cache.ts) and every caller gets a copy of its own.

import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GenerateOptions, type GenerateSummary, generate } from "../../pipelines/generate/generate.ts";
import { builtOnce } from "./run-cache.ts";

export interface Generated {
  dir: string;
  summary: GenerateSummary;
}

const created: string[] = [];

export async function generateTo(options: Partial<GenerateOptions> = {}): Promise<Generated> {
  const root = mkdtempSync(join(tmpdir(), "backlight-gen-"));
  created.push(root);
  const dir = join(root, "landing");
  const chosen: Omit<GenerateOptions, "out"> = {
    scale: 0.01,
    format: "parquet",
    seed: 42,
    until: "2024-12-31",
    daily: 7,
    defects: 0,
    ...options,
  };
  // Progress callbacks must see a real run; so must an explicit output folder.
  if (chosen.onStep || chosen.onEntity || options.out)
    return { dir, summary: await generate({ ...chosen, out: dir }) };
  const built = await builtOnce(`landing-${digest(chosen)}`, async (cache) => {
    const summary = await generate({ ...chosen, out: join(cache, "landing") });
    writeFileSync(join(cache, "summary.json"), JSON.stringify(summary));
  });
  if (!built) return { dir, summary: await generate({ ...chosen, out: dir }) };
  cpSync(join(built, "landing"), dir, { recursive: true });
  return { dir, summary: JSON.parse(readFileSync(join(built, "summary.json"), "utf8")) as GenerateSummary };
}

/** A short name for a set of options, the same whatever the order they were written in. */
function digest(options: object): string {
  const sorted = Object.fromEntries(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 16);
}

export function removeGenerated(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

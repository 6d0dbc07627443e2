// Landing batches: discovery in lexical order, file checksums, and which ones are new, unchanged
// (skipped: applying a batch again changes nothing) or changed since applied (refused unless re-applied).

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { CONTRACT } from "../../core/contract.ts";

export interface BatchFile {
  entity: string;
  name: string;
  path: string;
  bytes: number;
  sha256: string;
}

export interface LandingBatch {
  batchId: string;
  files: BatchFile[];
}

export class LandingError extends Error {}

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const ENTITY_NAMES = new Set(CONTRACT.map((e) => e.entity));

export async function discoverBatches(landing: string): Promise<LandingBatch[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(landing, { withFileTypes: true });
  } catch {
    throw new LandingError(`landing folder not found: ${landing}`);
  }
  const batches: LandingBatch[] = [];
  for (const entry of entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const files: BatchFile[] = [];
    for (const name of (await readdir(join(landing, entry.name))).sort()) {
      const match = /^(\w+)\.(csv|parquet)$/.exec(name);
      if (!match || !ENTITY_NAMES.has(match[1] as string)) {
        if (!name.startsWith("."))
          throw new LandingError(
            `batch ${entry.name}: unexpected file ${name} (expected <entity>.csv or <entity>.parquet)`,
          );
        continue;
      }
      if (files.some((f) => f.entity === match[1]))
        throw new LandingError(`batch ${entry.name}: ${match[1]} given twice (csv and parquet)`);
      const path = join(landing, entry.name, name);
      files.push({
        entity: match[1] as string,
        name,
        path,
        bytes: (await stat(path)).size,
        sha256: await sha256(path),
      });
    }
    batches.push({ batchId: entry.name, files });
  }
  return batches;
}

export interface AppliedBatch {
  batch_id: string;
  files: string;
}

/** A stable fingerprint of a batch's files (name and checksum of each). */
export function fingerprint(files: readonly BatchFile[]): string {
  return JSON.stringify(files.map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes })));
}

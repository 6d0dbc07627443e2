// Landing batches: discovery in lexical order, file checksums, and which ones are new, unchanged
// (skipped: applying a batch again changes nothing) or changed since applied (refused unless re-applied).
//
// Every run checks every batch of the landing, applied ones included (a changed batch is refused),
// and hashing a year of history costs seconds (the 1.9 GB of scale 1's order items: 2–5 s). So the
// checksums are remembered per file in the data directory, as git's index does: a file whose device,
// inode, size, modification and change times are all as they were is not read again. Any write to a
// file moves its change time (which no tool can set back), so a changed file is always hashed again.

import { createHash } from "node:crypto";
import { createReadStream, type Stats } from "node:fs";
import { readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
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

/** Checksums already computed, by absolute path: valid while the file's identity is unchanged. */
export type ChecksumCache = Map<string, { identity: string; sha256: string }>;

const CACHE_FILE = "landing-checksums.json";

const identityOf = (s: Stats): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/** The checksums a data directory remembers (none when it has no cache, or an unreadable one). */
export async function readChecksumCache(dataDir: string): Promise<ChecksumCache> {
  try {
    const entries = JSON.parse(await readFile(join(dataDir, CACHE_FILE), "utf8")) as Record<
      string,
      { identity: string; sha256: string }
    >;
    return new Map(Object.entries(entries));
  } catch {
    return new Map();
  }
}

/** Remembers the checksums of the files of `batches` (only theirs: files gone are forgotten). */
export async function writeChecksumCache(dataDir: string, cache: ChecksumCache): Promise<void> {
  const tmp = join(dataDir, `.${CACHE_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(Object.fromEntries(cache))}\n`);
  await rename(tmp, join(dataDir, CACHE_FILE));
}

/**
 * The batches of a landing folder with each file's checksum. With `cache`, a file whose identity it
 * knows is not read; the cache is updated to hold exactly the files found.
 */
export async function discoverBatches(landing: string, cache?: ChecksumCache): Promise<LandingBatch[]> {
  const seen: ChecksumCache = new Map();
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
      const before = await stat(path);
      const key = resolve(path);
      const identity = identityOf(before);
      const known = cache?.get(key);
      const checksum = known?.identity === identity ? known.sha256 : await sha256(path);
      // Remembered only if the file did not change while it was read.
      if (known?.identity === identity || identityOf(await stat(path)) === identity)
        seen.set(key, { identity, sha256: checksum });
      files.push({ entity: match[1] as string, name, path, bytes: before.size, sha256: checksum });
    }
    batches.push({ batchId: entry.name, files });
  }
  if (cache) {
    cache.clear();
    for (const [key, value] of seen) cache.set(key, value);
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

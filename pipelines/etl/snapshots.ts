// Snapshot files and the pointer to the one being served. A run builds `.building-<id>.duckdb`
// (a copy of the current snapshot, or a new file), then renames it and switches `current.json`
// atomically. A crash leaves the current snapshot untouched; leftovers are removed by the next run.
//
// The copy is the one cost of a daily run that grows with the whole warehouse (6 GB at scale 1: 6–13 s
// here), so a run that has published makes it for the next one, once the new snapshot is served:
// `.spare-<id>.duckdb`, a copy of snapshot <id>, which the next run renames into its building file
// when <id> is still current (ADR 0027).

import { randomUUID } from "node:crypto";
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface SnapshotPointer {
  id: string;
  path: string;
  createdAt: string;
  synthetic: boolean;
}

export function snapshotDir(dataDir: string): string {
  return join(dataDir, "snapshots");
}

export async function readPointer(dataDir: string): Promise<SnapshotPointer | null> {
  try {
    return JSON.parse(await readFile(join(dataDir, "current.json"), "utf8")) as SnapshotPointer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export function newSnapshotId(now = new Date(), after?: string): string {
  const stamp = (at: Date) =>
    at
      .toISOString()
      .replaceAll(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
  const id = `${stamp(now)}-${randomUUID().slice(0, 8)}`;
  // Ids order the snapshots (replicas compare them as text: a reader is never sent back to an older one),
  // so a new id must sort after the current one, even when published in the same second as it (the
  // random suffix would then decide) or after the clock stepped back: then it takes the next second.
  if (after === undefined || id > after) return id;
  const previous = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(after);
  if (!previous) return id;
  const [, y, mo, d, h, mi, se] = previous.map(Number) as number[];
  const next = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, (se as number) + 1));
  return `${stamp(next)}-${randomUUID().slice(0, 8)}`;
}

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The spare copy of snapshot `id` (see the top of this file). */
export function sparePath(dataDir: string, id: string): string {
  return join(snapshotDir(dataDir), `.spare-${id}.duckdb`);
}

/**
 * Starts a new snapshot file: nothing (first run), or the current snapshot's content: its spare copy
 * renamed (instant) when a run left one, else a copy made now.
 */
export async function startBuilding(
  dataDir: string,
  current: SnapshotPointer | null,
  id: string,
): Promise<{ building: string; from: "new" | "spare" | "copy" }> {
  const dir = snapshotDir(dataDir);
  await mkdir(dir, { recursive: true });
  const building = join(dir, `.building-${id}.duckdb`);
  if (!current) return { building, from: "new" };
  const source = join(dataDir, current.path);
  const spare = sparePath(dataDir, current.id);
  const [spareStat, sourceStat] = await Promise.all([
    stat(spare).catch(() => null),
    stat(source).catch(() => null),
  ]);
  if (spareStat && sourceStat && spareStat.size === sourceStat.size) {
    await rename(spare, building);
    return { building, from: "spare" };
  }
  await rm(spare, { force: true });
  await copyFile(source, building);
  return { building, from: "copy" };
}

/**
 * The next run's starting point, made after a publish: a copy of the snapshot just published, written
 * under a temporary name, fsynced, then renamed (a spare is whole or absent, even after a crash).
 */
export async function prepareSpare(dataDir: string, pointer: SnapshotPointer): Promise<void> {
  const spare = sparePath(dataDir, pointer.id);
  const partial = `${spare}.partial`;
  try {
    await copyFile(join(dataDir, pointer.path), partial);
    await fsyncPath(partial);
    await rename(partial, spare);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Renames the built file into place, fsyncs, and switches current.json to it. */
export async function publish(dataDir: string, building: string, pointer: SnapshotPointer): Promise<void> {
  const final = join(dataDir, pointer.path);
  await fsyncPath(building);
  await rename(building, final);
  const tmp = join(dataDir, `.current.json.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(pointer, null, 2)}\n`);
  await fsyncPath(tmp);
  await rename(tmp, join(dataDir, "current.json"));
  await fsyncPath(dataDir);
}

const PUBLISHED_NAME = /^\d{8}T\d{6}Z-[0-9a-f]{8}\.duckdb$/;

/**
 * What killed runs left in a data directory: unfinished builds, run folders under tmp/, spare copies of
 * a snapshot no longer current (or half written), pointer files
 * never renamed into place, and snapshot files renamed into place but never published (newer than the
 * current snapshot: a publish makes its snapshot current, and runs are serialised by the lock, so a
 * published snapshot is never newer than the current one). Paths relative to the data directory.
 */
export async function leftovers(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const list = (dir: string) => readdir(join(dataDir, dir)).catch(() => [] as string[]);
  const current = await readPointer(dataDir).catch(() => null);
  const currentName = current?.path.split("/").at(-1);
  for (const name of await list("snapshots")) {
    if (name.startsWith(".building-")) found.push(`snapshots/${name}`);
    // A spare is kept only while its snapshot is current; a partial one is what a killed copy left.
    else if (name.startsWith(".spare-") && (!current || name !== `.spare-${current.id}.duckdb`))
      found.push(`snapshots/${name}`);
    else if (PUBLISHED_NAME.test(name) && (!currentName || name > currentName))
      found.push(`snapshots/${name}`);
    else if (name.endsWith(".duckdb.wal") && (!currentName || name.slice(0, -4) > currentName))
      found.push(`snapshots/${name}`);
  }
  for (const name of await list("tmp")) found.push(`tmp/${name}`);
  for (const name of await list("."))
    if (/^\.(current|landing-checksums)\.json\..+\.tmp$/.test(name)) found.push(name);
  return found.sort();
}

/**
 * Removes what killed runs left (see `leftovers`; only while holding the pipeline lock) and all but the
 * newest `keep` published snapshots (never the current one; an unpublished one never counts among
 * the kept).
 */
export async function pruneSnapshots(dataDir: string, keep: number): Promise<string[]> {
  const removed: string[] = [];
  for (const path of await leftovers(dataDir)) {
    await rm(join(dataDir, path), { recursive: true, force: true });
    removed.push(path.replace(/^snapshots\//, ""));
  }
  const dir = snapshotDir(dataDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  const current = await readPointer(dataDir);
  const currentName = current?.path.split("/").at(-1);
  const published = names
    .filter((n) => PUBLISHED_NAME.test(n))
    .sort()
    .reverse();
  for (const name of published.slice(keep)) {
    if (name === currentName) continue;
    await rm(join(dir, name), { force: true });
    await rm(join(dir, `${name}.wal`), { force: true });
    removed.push(name);
  }
  return removed;
}

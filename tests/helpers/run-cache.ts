// What a test run builds once: the app and the fixture warehouses are built by the first test file that
// asks for them, into the run's folder (tests/global-setup.ts makes it and removes it at the end), and
// every later file of the run reuses them. Outside a run with that setup, each call builds afresh.

import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder where this test run keeps what it built once (absolute path). */
    backlightTestRun: string;
  }
}

/** How long a file waits between looks while another one builds the same thing. */
const WAIT_MS = 200;

function runFolder(): string | undefined {
  return inject("backlightTestRun") || undefined;
}

/**
 * The folder `build` filled once in this run (built now if no file has yet), or undefined outside a run
 * with the global setup. A lock folder keeps two test processes from building the same thing at once;
 * a failed build leaves nothing behind, so the next file to ask tries again and reports its own error.
 */
export async function builtOnce(
  name: string,
  build: (dir: string) => Promise<void>,
): Promise<string | undefined> {
  const run = runFolder();
  if (!run) return undefined;
  const dir = join(run, name);
  while (!existsSync(`${dir}.done`)) {
    if (!tryLock(dir)) {
      await sleep(WAIT_MS);
      continue;
    }
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await build(dir);
      await writeFile(`${dir}.done`, "");
    } finally {
      rmSync(`${dir}.lock`, { recursive: true, force: true });
    }
  }
  return dir;
}

/** builtOnce for a build that runs synchronously (the fixtures built with spawnSync). */
export function builtOnceSync(name: string, build: (dir: string) => void): string | undefined {
  const run = runFolder();
  if (!run) return undefined;
  const dir = join(run, name);
  while (!existsSync(`${dir}.done`)) {
    if (!tryLock(dir)) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAIT_MS);
      continue;
    }
    try {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      build(dir);
      writeFileSync(`${dir}.done`, "");
    } finally {
      rmSync(`${dir}.lock`, { recursive: true, force: true });
    }
  }
  return dir;
}

/**
 * Fills `landing` and `dataDir` with a copy of the warehouse `publish(landing, dataDir)` builds, built
 * once per run: each caller may change or remove its copy (run the ETL on top, publish other snapshots).
 */
export function copyOfWarehouse(
  name: string,
  publish: (landing: string, dataDir: string) => void,
  landing: string,
  dataDir: string,
): void {
  const built = builtOnceSync(name, (dir) => publish(join(dir, "landing"), join(dir, "data")));
  if (built) {
    cpSync(join(built, "landing"), landing, { recursive: true });
    cpSync(join(built, "data"), dataDir, { recursive: true });
  } else publish(landing, dataDir);
}

function tryLock(dir: string): boolean {
  try {
    mkdirSync(`${dir}.lock`);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

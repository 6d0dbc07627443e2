// Only one pipeline run at a time per data directory: an exclusive lock file holding the owner's pid.
// A lock left by a process that no longer runs (a killed run, gone or a zombie) is taken over.

import { readFileSync } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export class LockedError extends Error {}

/**
 * Whether the pid is a running process: not gone, and not a zombie (killed, exited, not yet reaped by
 * its parent: it will never release its lock).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return !/^\d+ \(.*\) [ZX] /s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** How long a run waits for a lock holder that is exiting (a killed run takes a moment to go). */
const HOLDER_GRACE_MS = 3_000;

export async function acquireLock(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, "etl.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        // A holder that was just killed may still be exiting: give it a moment before refusing.
        const deadline = Date.now() + HOLDER_GRACE_MS;
        while (isAlive(pid) && Date.now() < deadline) await sleep(100);
        if (isAlive(pid))
          throw new LockedError(`another pipeline run (pid ${pid}) is in progress on ${dataDir}`);
      }
      await rm(path, { force: true });
    }
  }
  throw new LockedError(`cannot take the pipeline lock ${path}`);
}

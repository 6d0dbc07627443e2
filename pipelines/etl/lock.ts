// Only one pipeline run at a time per data directory: an exclusive lock file holding the owner's pid.
// A lock left by a process that no longer exists (killed run) is taken over.

import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

export class LockedError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

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
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && pid !== process.pid) {
        throw new LockedError(`another pipeline run (pid ${pid}) is in progress on ${dataDir}`);
      }
      await rm(path, { force: true });
    }
  }
  throw new LockedError(`cannot take the pipeline lock ${path}`);
}

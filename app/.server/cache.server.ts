// Results of read-only queries, kept per snapshot. A snapshot never changes once published, so a result
// is exact for as long as its snapshot is current; switching snapshots starts a new cache. Bounded by
// entry count (least recently used goes first); concurrent misses for one key share one computation.

import { AsyncLocalStorage } from "node:async_hooks";

const unkept = new AsyncLocalStorage<true>();

/**
 * Runs `work` with the results it computes kept nowhere (and none found): the renders the server makes of
 * its own when it starts (ADR 0037) neither fill the result cache nor answer from it. Resident marts and
 * held snapshot facts are not results: they are read and held as usual.
 */
export function withoutKeeping<T>(work: () => T): T {
  return unkept.run(true, work);
}

/** False inside `withoutKeeping`. */
export function keeping(): boolean {
  return unkept.getStore() !== true;
}

export class ResultCache {
  readonly #max: number;
  #snapshotId: string | undefined;
  #entries = new Map<string, Promise<unknown>>();
  hits = 0;
  misses = 0;

  constructor(max = 500) {
    this.#max = max;
  }

  get disabled(): boolean {
    return this.#max === 0;
  }

  async get<T>(snapshotId: string, key: string, compute: () => Promise<T>): Promise<T> {
    if (this.#max === 0) return compute();
    if (snapshotId !== this.#snapshotId) {
      this.#snapshotId = snapshotId;
      this.#entries.clear();
    }
    const found = this.#entries.get(key);
    if (found) {
      this.hits += 1;
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found as Promise<T>;
    }
    this.misses += 1;
    const promise = compute();
    this.#entries.set(key, promise);
    // A failure is not remembered: the next request tries again.
    promise.catch(() => {
      if (this.#entries.get(key) === promise) this.#entries.delete(key);
    });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return promise;
  }
}

/** A wait for a semaphore slot took longer than its bound (the work never started). */
export class QueueTimeout extends Error {
  override name = "QueueTimeout";
}

/** A counting semaphore: at most `slots` holders at once, the rest wait in order. */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(slots: number) {
    this.#free = slots;
  }

  /** Runs `work` in a slot; with `timeoutMs`, gives up (QueueTimeout) if no slot frees up in time. */
  async run<T>(work: () => Promise<T>, timeoutMs?: number): Promise<T> {
    await this.acquire(timeoutMs);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Takes a slot, waiting for one if need be; every acquire needs exactly one release. */
  async acquire(timeoutMs?: number): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const at = this.#waiting.indexOf(waiter);
              if (at >= 0) this.#waiting.splice(at, 1);
              reject(new QueueTimeout(`no slot free within ${timeoutMs} ms`));
            }, timeoutMs);
      this.#waiting.push(waiter);
    });
  }

  /** Units of work waiting for a slot (the queue's depth, for /metrics). */
  get waiting(): number {
    return this.#waiting.length;
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

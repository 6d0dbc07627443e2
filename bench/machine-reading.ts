// Part of `npm run bench -- --only pages` (issue 19, ADR 0046): how fast this machine is at one moment,
// apart from the code under test. The VM's speed drifts by ±30% over minutes (DuckDB's own answers to the
// beside-raw questions were 30% slower in one full run than in the run twelve minutes before it, on the
// same code), which moves every page's p95 with it. A reading is a fixed piece of work timed on an idle
// server, right before and right after a run's first visits: DuckDB answering one question over the order
// items on one thread (memory-bound, as the marts' scans are) and a fixed piece of JavaScript (JSON,
// deflate, sorting strings: what a render and its page data cost). The same work on the same machine, so
// a run whose reading is well over the quickest run's came in a slow spell, whatever the code does.

import { deflateRawSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";

export interface MachineReading {
  /** DuckDB's answer to the fixed question, median of three, ms. */
  duckdbMs: number;
  /** The fixed JavaScript, median of three, ms. */
  javascriptMs: number;
  /** Their sum: what runs are compared by. */
  ms: number;
}

const QUESTION = `SELECT country_code, sum(price)::VARCHAR AS sold, count(DISTINCT customer_key)::VARCHAR AS customers
  FROM raw.order_items WHERE reporting_date BETWEEN DATE '2022-01-01' AND DATE '2022-02-28'
  GROUP BY 1 ORDER BY 1`;

/** Rows shaped like a page's data: objects of numbers and short text. Deterministic. */
const ROWS = Array.from({ length: 4000 }, (_, i) => ({
  month: `20${10 + (i % 15)}-${String(1 + (i % 12)).padStart(2, "0")}`,
  country: ["FR", "DE", "ES", "IT", "BE", "NL", "AT", "PT"][i % 8] as string,
  devices: (i * 7919) % 10007,
  share: ((i * 104729) % 1000003) / 1000003,
  text: [`${(i * 31) % 997} €`, `${((i * 17) % 1000) / 10} %`],
}));

function javascriptWork(): number {
  let check = 0;
  for (let round = 0; round < 6; round++) {
    const text = JSON.stringify(ROWS);
    const back = JSON.parse(text) as typeof ROWS;
    check += deflateRawSync(Buffer.from(text), { level: 1 }).length;
    check += back
      .map((r) => `${r.country}-${r.month}-${r.devices}`)
      .sort((a, b) => a.localeCompare(b))
      .indexOf("FR-2010-01-0");
  }
  return check;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const round = (v: number) => Number(v.toFixed(1));

/** Opens the snapshot read-only (beside the server, as DuckDB allows) for readings of the machine. */
export async function machineReadings(snapshotFile: string) {
  const db = await DuckDBInstance.create(snapshotFile, {
    access_mode: "READ_ONLY",
    threads: "1",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const conn = await db.connect();
  // Once untimed: DuckDB's buffers and V8's code as warm as they will be.
  await conn.runAndReadAll(QUESTION);
  javascriptWork();
  return {
    async read(): Promise<MachineReading> {
      const duckdb: number[] = [];
      const javascript: number[] = [];
      for (let i = 0; i < 3; i++) {
        let start = performance.now();
        await conn.runAndReadAll(QUESTION);
        duckdb.push(performance.now() - start);
        start = performance.now();
        javascriptWork();
        javascript.push(performance.now() - start);
      }
      const duckdbMs = round(median(duckdb));
      const javascriptMs = round(median(javascript));
      return { duckdbMs, javascriptMs, ms: round(duckdbMs + javascriptMs) };
    },
    close() {
      conn.closeSync();
      db.closeSync();
    },
  };
}

// npm run bench -- --only auth: how long signing in takes (issue 8's bar: 100–500 ms, the price of the
// scrypt hash), one at a time and several at once, and whether a wrong password and an unknown account
// take as long (they must, or response times tell which emails have accounts). The cost of the gate on
// every other request is measured by the overview bench, against its last run before sign-in existed.

import { join } from "node:path";
import { BENCH_EMAIL, BENCH_PASSWORD, prepareData, run, withServer } from "./overview.ts";
import { atLeast, type Bar, bar } from "./run.ts";

async function signInMs(
  base: string,
  email: string,
  password: string,
): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const round = (v: number) => Number(v.toFixed(1));
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(at(1)),
  };
}

export async function benchAuth(work: string): Promise<Record<string, unknown>> {
  const dataDir = join(work, "data");
  const source = await prepareData(work, dataDir);
  console.log("bench auth: npx remix vite:build");
  await run("npx", ["remix", "vite:build"]);
  return withServer(work, dataDir, "auth", {}, async (base) => {
    // One person at a time: 30 sign-ins in a row.
    const alone: number[] = [];
    for (let i = 0; i < 30; i++) {
      const { ms, status } = await signInMs(base, BENCH_EMAIL, BENCH_PASSWORD);
      if (status !== 302) throw new Error(`sign-in answered ${status}`);
      alone.push(ms);
    }
    // Four people at once, five times (two hashes run at a time, the others wait their turn).
    const together: number[] = [];
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => signInMs(base, BENCH_EMAIL, BENCH_PASSWORD)),
      );
      together.push(...results.map((r) => r.ms));
    }
    // Failures: a wrong password and an unknown account, alternated, 4 each (under both throttle limits).
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      wrong.push((await signInMs(base, BENCH_EMAIL, `not the password ${i}`)).ms);
      unknown.push((await signInMs(base, `nobody${i}@backlight.local`, `not the password ${i}`)).ms);
    }
    const figures = {
      alone: summary(alone),
      fourAtOnce: summary(together),
      wrongPassword: summary(wrong),
      unknownAccount: summary(unknown),
    };
    console.log(`bench auth: ${JSON.stringify(figures)}`);
    const bars: Bar[] = [
      bar("sign-in alone, p95", figures.alone.p95, 500, "ms"),
      // The lower bound of issue 8's bar: a hash that cheap would be cheap to guess against.
      atLeast("sign-in alone, p50", figures.alone.p50, 100, "ms"),
      bar(
        "unknown account vs wrong password, |p50 difference| / p50",
        Math.abs(figures.unknownAccount.p50 - figures.wrongPassword.p50) / figures.wrongPassword.p50,
        0.2,
        "ratio",
      ),
    ];
    return { bars, source, ...figures };
  });
}

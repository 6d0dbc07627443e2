// The throwaway PostgreSQL of the tests and of `npm run cluster` (core/local-postgres.ts): it starts on
// a free loopback port with a `backlight` database, is a PostgreSQL 15 or later, and once stopped no
// longer takes connections and leaves no data folder behind. Two run side by side on distinct ports.
// Skipped where PostgreSQL is not installed, except in CI (.ci/run installs it).

import { existsSync } from "node:fs";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type LocalPostgres, postgresUnavailableReason, startPostgres } from "../../core/local-postgres.ts";

const unavailable = postgresUnavailableReason();

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function connects(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

it.runIf(process.env.CI && unavailable)("PostgreSQL is installed in CI", () => {
  expect(unavailable).toBeNull();
});

describe.skipIf(unavailable)("a throwaway PostgreSQL server", () => {
  const started: LocalPostgres[] = [];
  afterAll(async () => {
    await Promise.all(started.map((server) => server.stop()));
  });

  it("starts, answers, and is gone once stopped", async () => {
    const server = await startPostgres();
    started.push(server);
    expect(server.url).toBe(`postgres://backlight@127.0.0.1:${server.port}/backlight`);
    expect(existsSync(server.dir)).toBe(true);

    const [sum] = await query<{ sum: number }>(server.url, "SELECT 1+1 AS sum");
    expect(sum?.sum).toBe(2);
    const [version] = await query<{ v: string }>(
      server.url,
      "SELECT current_setting('server_version_num') AS v",
    );
    expect(Number(version?.v)).toBeGreaterThanOrEqual(150000);
    const [db] = await query<{ name: string }>(server.url, "SELECT current_database() AS name");
    expect(db?.name).toBe("backlight");

    await server.stop();
    expect(await connects(server.url)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
    await server.stop(); // twice is harmless
  });

  it("runs two at once on distinct ports", async () => {
    const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
    started.push(a, b);
    expect(a.port).not.toBe(b.port);
    expect(a.dir).not.toBe(b.dir);
    await query(a.url, "CREATE TABLE only_in_a (x int)");
    const tables = (url: string) =>
      query<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'");
    expect((await tables(a.url))[0]?.n).toBe(1);
    expect((await tables(b.url))[0]?.n).toBe(0);
    await Promise.all([a.stop(), b.stop()]);
    expect(await connects(a.url)).toBe(false);
    expect(await connects(b.url)).toBe(false);
  });
});

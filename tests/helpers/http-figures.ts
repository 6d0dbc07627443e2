// Reading figures back from the built server the way a reader gets them: a download's CSV as records,
// a page's data request (Remix's single-fetch stream) as its loader data, and "the same figure" as the
// file writes it (money to the cent, per-device amounts to 1/10,000, ratios to 6 decimals, counts exactly).

import { decode } from "turbo-stream";
import { expect } from "vitest";
import { parseCsv, readNumber } from "~/export/csv";
import { type Packed, unpack } from "~/lib/page-data";
import { CATALOGUE, type CatalogueId } from "~/metrics/catalogue";
import type { RunningServer } from "./server";

/** A CSV download as records keyed by column id (its first row), values left as text. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text, "csv");
  return rows.map((row) => Object.fromEntries((header ?? []).map((id, i) => [id, row[i] ?? ""])));
}

/** A CSV cell as a number; empty is null. */
export const csvNumber = (field: string | undefined): number | null =>
  field === undefined || field === "" ? null : readNumber(field, "csv");

/** How far two readings of a metric may be apart: what the file's rounding of its unit allows. */
export function figureTolerance(id: CatalogueId): number {
  const unit = CATALOGUE[id].unit;
  return unit === "count" ? 0 : unit === "ratio" ? 5e-7 : unit === "eur" ? 0.005 : 0.00005;
}

/** The same figure, as the file writes it; null only where the other is null too. */
export function expectSameFigure(
  actual: number | null,
  expected: number | null | undefined,
  id: CatalogueId,
  where: string,
): void {
  if (expected === null || expected === undefined) {
    expect(actual, `${where} ${id}`).toBeNull();
    return;
  }
  expect(actual, `${where} ${id}`).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${where} ${id}`).toBeLessThanOrEqual(
    figureTolerance(id) + 1e-9,
  );
}

/** A route's loader data, as the browser's data request receives it (`/<page>.data?…`). */
export async function loaderData<T = Record<string, unknown>>(
  server: RunningServer,
  path: string,
  route: string,
): Promise<T> {
  const response = await server.fetch(path);
  expect(response.status, path).toBe(200);
  if (!response.body) throw new Error(`${path}: no body`);
  const decoded = await decode(response.body);
  await decoded.done;
  const data = (decoded.value as Record<string, { data?: T | Packed<T> }>)[route]?.data;
  if (!data) throw new Error(`${path}: no data for ${route}`);
  // The dashboard's pages send their data as JSON text (ADR 0039); the others as it is.
  return typeof data === "object" && "json" in data && typeof data.json === "string"
    ? unpack(data as Packed<T>)
    : (data as T);
}

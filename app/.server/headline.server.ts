// The headline mart: one row of all-time totals, read from the current snapshot.

import type { DuckDBConnection } from "@duckdb/node-api";
import { z } from "zod";
import { type Warehouse, WarehouseError, type WarehouseResult } from "./warehouse.server";

export interface Headline {
  customers: number;
  devicesSold: number;
  gmvEur: number;
  /** `YYYY-MM-DD`, null when the snapshot holds no completed item. */
  firstOrderDate: string | null;
  lastOrderDate: string | null;
  synthetic: boolean;
}

// Dates leave DuckDB as text: a DATE read as a JS Date would shift with the server's time zone.
const HEADLINE_SQL = `
  SELECT
    customers,
    devices_sold,
    gmv_eur,
    strftime(first_order_date, '%Y-%m-%d') AS first_order_date,
    strftime(last_order_date, '%Y-%m-%d') AS last_order_date,
    synthetic
  FROM marts.mart_headline`;

/** BIGINT arrives as bigint: convert, refusing values a JS number cannot hold exactly. */
const count = z.union([z.bigint(), z.number().int()]).transform((value, ctx) => {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) {
    ctx.addIssue({ code: "custom", message: `count out of range: ${value}` });
    return z.NEVER;
  }
  return number;
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const headlineRow = z.object({
  customers: count,
  devices_sold: count,
  // DECIMAL(18,2) arrives as a JS number; NULL when nothing was sold.
  gmv_eur: z.number().nullable(),
  first_order_date: isoDate.nullable(),
  last_order_date: isoDate.nullable(),
  synthetic: z.boolean(),
});

export async function queryHeadline(conn: DuckDBConnection): Promise<Headline> {
  const reader = await conn.runAndReadAll(HEADLINE_SQL);
  const rows = reader.getRowObjectsJS();
  if (rows.length !== 1) throw new WarehouseError(`headline holds ${rows.length} rows, expected exactly 1`);
  const parsed = headlineRow.safeParse(rows[0]);
  if (!parsed.success)
    throw new WarehouseError(`headline row is malformed: ${z.prettifyError(parsed.error)}`);
  const row = parsed.data;
  return {
    customers: row.customers,
    devicesSold: row.devices_sold,
    gmvEur: row.gmv_eur ?? 0,
    firstOrderDate: row.first_order_date,
    lastOrderDate: row.last_order_date,
    synthetic: row.synthetic,
  };
}

export function readHeadline(warehouse: Warehouse): Promise<WarehouseResult<Headline>> {
  return warehouse.withConnection(queryHeadline);
}

// A page's sections over HTTP, on the built server and the hand-written warehouse: for a fixed set of
// filters, each section of /pricing and /rollout downloaded as CSV holds the same figures as the page's
// data request (/<page>.data, the loader's JSON): the same metric id with the same filters has the same
// value in the file, in the table the page draws, and in the view's own figures.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogueId } from "~/metrics/catalogue";
import { PRICING_SECTIONS } from "~/sections/pricing";
import { ROLLOUT_SECTIONS } from "~/sections/rollout";
import type { TableView } from "~/sections/table";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { csvNumber, csvRecords, expectSameFigure, loaderData } from "../helpers/http-figures";
import { buildOverviewWarehouse } from "../helpers/overview-fixture";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

const records = csvRecords;
const num = csvNumber;
const expectSame = expectSameFigure;

type Figures = Partial<Record<CatalogueId, number | null>>;

describe("sections over HTTP: the file and the data request agree", () => {
  let root: string | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("sections-http");
    const dataDir = join(root, "data");
    buildOverviewWarehouse(join(root, "landing"), dataDir);
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(root);
  });

  const get = async (path: string) => {
    if (!server) throw new Error("server not started");
    const response = await server.fetch(path);
    expect(response.status, path).toBe(200);
    return response;
  };

  /** The loader's data of a page, as the browser's data request receives it. */
  async function pageData<T>(page: string, query: string): Promise<T> {
    if (!server) throw new Error("server not started");
    return loaderData<T>(server, `/${page}.data?${query}&_routes=routes/${page}`, `routes/${page}`);
  }

  /** Every cell of the table the page received equals the same column of the file, row by row. */
  function expectTableInFile(table: TableView, file: Record<string, string>[], where: string) {
    expect(file.length, where).toBe(table.total);
    table.rows.forEach((row, r) => {
      table.columns.forEach((column, c) => {
        const value = row.values[c] ?? null;
        const cell = file[r]?.[column.id];
        if (typeof value === "number" && column.numeric)
          expect(Math.abs((num(cell) ?? Number.NaN) - value), `${where} ${column.id} row ${r}`).toBeLessThan(
            5e-7 + Math.abs(value) * 1e-12,
          );
        else if (value === null) expect(cell, `${where} ${column.id} row ${r}`).toBe("");
        // Text a spreadsheet would run as a formula is written with a leading apostrophe.
        else expect([String(value), `'${value}`], `${where} ${column.id} row ${r}`).toContain(cell);
      });
    });
  }

  it("/pricing: each section's file holds the figures of the page's data request", async () => {
    const query = "from=2024-11&to=2024-12&threshold=3";
    interface Row {
      key: string;
      figures: Figures;
    }
    const data = await pageData<{
      view: { totals: Figures; months: (Row & { month: string })[]; byCountry: Row[]; byCategory: Row[] };
      tables: Record<(typeof PRICING_SECTIONS)[number], TableView>;
    }>("pricing", query);
    const files = Object.fromEntries(
      await Promise.all(
        PRICING_SECTIONS.map(async (id) => [id, records(await (await get(`/export/${id}?${query}`)).text())]),
      ),
    ) as Record<(typeof PRICING_SECTIONS)[number], Record<string, string>[]>;
    for (const id of PRICING_SECTIONS) expectTableInFile(data.tables[id], files[id], id);
    // The same metric ids as the view's figures: by month, by country and by category.
    const byMonth = new Map(data.view.months.map((m) => [`${m.month}-01`, m.figures]));
    expect(files["pricing-inflated-share"].map((r) => r.month)).toEqual([...byMonth.keys()]);
    for (const row of files["pricing-inflated-share"]) {
      const f = byMonth.get(row.month as string) ?? {};
      expectSame(
        num(row.inflated_share),
        f.inflated_display_share,
        "inflated_display_share",
        row.month ?? "",
      );
      expectSame(num(row.inflated_sales), f.inflated_sales, "inflated_sales", row.month ?? "");
      expect(row.threshold_pct).toBe("3");
    }
    for (const row of files["pricing-savings"]) {
      const f = byMonth.get(row.month as string) ?? {};
      expectSame(num(row.claimed_saving_pct), f.claimed_saving_pct, "claimed_saving_pct", row.month ?? "");
      expectSame(num(row.actual_saving_pct), f.actual_saving_pct, "actual_saving_pct", row.month ?? "");
      expectSame(
        num(row.overstatement),
        f.displayed_price_overstatement,
        "displayed_price_overstatement",
        "",
      );
    }
    for (const [id, rows, key] of [
      ["pricing-countries", data.view.byCountry, "country_code"],
      ["pricing-categories", data.view.byCategory, "category"],
    ] as const) {
      expect(
        files[id].map((r) => r[key]),
        id,
      ).toEqual(rows.map((r) => r.key));
      files[id].forEach((row, i) => {
        const f = rows[i]?.figures ?? {};
        expectSame(num(row.inflated_share), f.inflated_display_share, "inflated_display_share", id);
        expectSame(num(row.actual_saving_pct), f.actual_saving_pct, "actual_saving_pct", id);
        expectSame(num(row.sales), f.devices_sold, "devices_sold", id);
      });
    }
    // The totals: every country's priced and inflated sales add up to the cards' (counts are additive).
    const sum = (field: string) => files["pricing-countries"].reduce((s, r) => s + (num(r[field]) ?? 0), 0);
    expect(sum("priced_sales")).toBe(data.view.totals.priced_sales);
    expect(sum("inflated_sales")).toBe(data.view.totals.inflated_sales);
    expect(data.view.totals.inflated_sales).toBeGreaterThan(0);
  });

  it("/rollout: each section's file holds the figures of the page's data request", async () => {
    const query = "country=FR,US&metric=repeat_rate";
    const data = await pageData<{
      view: {
        metricId: CatalogueId;
        series: { country: string; points: { x: number | string; y: number | null }[] }[];
        milestones: { country: string; customersAt: Record<string, number | null> }[];
      };
      tables: Record<(typeof ROLLOUT_SECTIONS)[number], TableView>;
    }>("rollout", query);
    expect(data.view.metricId).toBe("repeat_purchase_rate");
    const files = Object.fromEntries(
      await Promise.all(
        ROLLOUT_SECTIONS.map(async (id) => [id, records(await (await get(`/export/${id}?${query}`)).text())]),
      ),
    ) as Record<(typeof ROLLOUT_SECTIONS)[number], Record<string, string>[]>;
    for (const id of ROLLOUT_SECTIONS) expectTableInFile(data.tables[id], files[id], id);
    // The chart's lines: each country's point at each month of age is the file's figure of the same metric.
    for (const series of data.view.series)
      for (const point of series.points) {
        const row = files["rollout-lines"].find((r) => r.months_since_launch === String(point.x));
        expectSame(
          num(row?.[series.country.toLowerCase()]),
          point.y,
          "repeat_purchase_rate",
          `${series.country} ${point.x}`,
        );
      }
    // The monthly download (a contract) carries the same metric under its own column name, repeat_rate.
    for (const series of data.view.series)
      for (const point of series.points) {
        const row = files.rollout.find(
          (r) => r.country_code === series.country && r.months_since_launch === String(point.x),
        );
        expectSame(
          num(row?.repeat_rate),
          point.y,
          "repeat_purchase_rate",
          `rollout ${series.country} ${point.x}`,
        );
      }
    expect(files.rollout.some((r) => r.repeat_rate === "0.500000")).toBe(true);
  });
});

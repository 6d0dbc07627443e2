// The product pages' sections over HTTP, on the built server and the hand-written warehouse: for a fixed
// set of filters, each section's CSV download and the page's data request (/<page>.data, the loader's
// JSON) give the same value for the same metric id, cell by cell; and the figures the charts draw (the
// page's view) are those of the table. A month outside the data is a 400 that says the valid range.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readNumber } from "~/export/csv";
import { type CatalogueId, isCatalogueId } from "~/metrics/catalogue";
import { CHANNELS_SECTIONS } from "~/sections/channels";
import { MARKET_SECTIONS } from "~/sections/market";
import type { TableView } from "~/sections/table";
import { buildChannelsWarehouse } from "../helpers/channels-fixture";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { csvRecords, expectSameFigure, loaderData } from "../helpers/http-figures";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

const expectSame = (actual: number | null, expected: number | null, id: CatalogueId, where: string) =>
  expectSameFigure(actual, expected, id, where);

describe("sections over HTTP: the download and the page's data agree", () => {
  let root: string | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("sections-http");
    const dataDir = join(root, "data");
    buildChannelsWarehouse(join(root, "landing"), dataDir);
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(root);
  });

  const running = () => {
    if (!server) throw new Error("server not started");
    return server;
  };

  /** The loader's data of a page, through Remix's data request (turbo-stream). */
  async function pageData<T>(page: string, query: string): Promise<T> {
    return loaderData<T>(running(), `/${page}.data?${query}`, `routes/${page}`);
  }

  /** A section's CSV as rows of text keyed by column id. */
  async function download(id: string, query: string): Promise<Record<string, string>[]> {
    const response = await running().fetch(`/export/${id}?${query}&format=csv`);
    expect(response.status, `/export/${id}`).toBe(200);
    return csvRecords(await response.text());
  }

  /** Every metric column of a section: the file's value equals the page data's, row by row. */
  async function compareSection(id: string, query: string, table: TableView): Promise<number> {
    const csv = await download(id, query);
    expect(csv.length, id).toBe(table.total);
    let compared = 0;
    table.columns.forEach((column, c) => {
      if (!isCatalogueId(column.id)) return;
      table.rows.forEach((row, r) => {
        const field = csv[r]?.[column.id];
        const actual = field === undefined || field === "" ? null : readNumber(field, "csv");
        const expected = row.values[c] ?? null;
        expectSame(
          actual,
          typeof expected === "number" ? expected : null,
          column.id as CatalogueId,
          `${id} row ${r} ${column.id}`,
        );
        compared += 1;
      });
    });
    return compared;
  }

  it("/channels: each section's CSV holds the figures of /channels.data, metric by metric", async () => {
    const query = "from=2024-11&to=2024-12";
    type ChannelsData = {
      tables: Record<string, TableView>;
      view: {
        comparison: {
          country: string;
          channels: { channel: string; figures: Record<string, number | null> }[];
        }[];
        partners: { partner: string; total: { deviceShare: number | null; gmvShare: number | null } }[];
        repeat: { rows: { channel: string; customers: number }[] };
      };
    };
    const data = await pageData<ChannelsData>("channels", query);
    for (const id of CHANNELS_SECTIONS) {
      const table = data.tables[id];
      if (!table) throw new Error(`no table ${id}`);
      expect(await compareSection(id, query, table), id).toBeGreaterThan(0);
    }
    // The figures the charts draw are the table's: France's Bouygues Telecom row (worked out by hand in
    // tests/etl/channels-mart.test.ts: take rate 25 / 650, contribution before marketing 12.5 / 650).
    const compare = await download("channels-compare", query);
    const row = compare.find((r) => r.country === "FR" && r.channel === "bouygues_telecom");
    const bouygues = data.view.comparison
      .find((c) => c.country === "FR")
      ?.channels.find((c) => c.channel === "bouygues_telecom")?.figures;
    expectSame(readNumber(row?.take_rate ?? "", "csv"), bouygues?.takeRate ?? null, "take_rate", "take rate");
    expectSame(readNumber(row?.take_rate ?? "", "csv"), 25 / 650, "take_rate", "take rate by hand");
    expectSame(
      readNumber(row?.contribution_before_marketing_pct_gmv ?? "", "csv"),
      12.5 / 650,
      "contribution_before_marketing_pct_gmv",
      "contribution % of GMV by hand",
    );
    const share = await download("channels-partner-share", query);
    const period = share.find((r) => r.partner === "bouygues_telecom" && r.month === "period");
    expectSame(
      readNumber(period?.partner_gmv_share ?? "", "csv"),
      data.view.partners.find((p) => p.partner === "bouygues_telecom")?.total.gmvShare ?? null,
      "partner_gmv_share",
      "Bouygues Telecom's share of GMV over the period",
    );
  });

  it("/channels: a month outside the data is a 400 with the valid range, not a slow query", async () => {
    // Issue 17, rows 2 and 4: these took 30 s and 90 MB, or answered 503.
    for (const [path, message] of [
      ["/channels?from=1000-02", "from: no data in 1000-02 (the data runs from 2023-03 to 2024-12)"],
      ["/channels.data?from=1000-02", "from: no data in 1000-02 (the data runs from 2023-03 to 2024-12)"],
      ["/channels?to=9999-12", "to: no data in 9999-12 (the data runs from 2023-03 to 2024-12)"],
      [
        "/export/channels-compare?from=1000-02",
        "from: no data in 1000-02 (the data runs from 2023-03 to 2024-12)",
      ],
    ] as const) {
      const started = Date.now();
      const response = await running().fetch(path);
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toContain(message);
      expect(Date.now() - started, path).toBeLessThan(5_000);
    }
  });

  it("/market: each section's CSV holds the figures of /market.data, metric by metric", async () => {
    const query = "from=2024-11&to=2024-12";
    type MarketData = {
      tables: Record<string, TableView>;
      view: {
        withData: {
          country: string;
          figures: { secondHandShare: number | null; companyShare: number | null };
        }[];
      };
    };
    const data = await pageData<MarketData>("market", query);
    // Smartphones have market data in France and the US; laptops are sold in two countries without any.
    const compared = Object.fromEntries(MARKET_SECTIONS.map((id) => [id, 0]));
    for (const q of [query, `${query}&category=laptop`]) {
      const tables = q === query ? data.tables : (await pageData<MarketData>("market", q)).tables;
      for (const id of MARKET_SECTIONS) {
        const table = tables[id];
        if (!table) throw new Error(`no table ${id}`);
        compared[id] = (compared[id] ?? 0) + (await compareSection(id, q, table));
      }
    }
    for (const id of MARKET_SECTIONS) expect(compared[id], id).toBeGreaterThan(0);
    // France over both months, worked out by hand in tests/etl/market-mart.test.ts: 500 second-hand
    // units of 2,200, and 7 of the company's devices.
    const countries = await download("market-countries", query);
    const fr = countries.find((r) => r.country === "FR");
    const figures = data.view.withData.find((c) => c.country === "FR")?.figures;
    expectSame(
      readNumber(fr?.second_hand_share ?? "", "csv"),
      figures?.secondHandShare ?? null,
      "second_hand_share",
      "FR",
    );
    expectSame(readNumber(fr?.second_hand_share ?? "", "csv"), 500 / 2200, "second_hand_share", "FR by hand");
    expectSame(
      readNumber(fr?.company_second_hand_share ?? "", "csv"),
      7 / 500,
      "company_second_hand_share",
      "FR by hand",
    );
  });

  it("/market: a month outside the data is a 400 with the valid range, not a slow query", async () => {
    for (const path of [
      "/market?to=9999-11",
      "/market.data?to=9999-11",
      "/market?from=0001-01&to=9999-11",
      "/export/market-countries?to=9999-11",
    ]) {
      const started = Date.now();
      const response = await running().fetch(path);
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toMatch(
        /(from|to): no data in (0001-01|9999-11) \(the data runs from /,
      );
      expect(Date.now() - started, path).toBeLessThan(5_000);
    }
  });
});

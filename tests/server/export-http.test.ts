// Downloads from the built server over HTTP, on the hand-written warehouse: every view's export equals
// what its page shows (the loaders' numbers, computed here over the same warehouse), in every CSV
// dialect; the order lines exactly, hostile text neutralised; Parquet and Arrow read back with their
// types; bad parameters refused with a sentence.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { tableFromIPC } from "apache-arrow";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOverview } from "~/.server/overview.server";
import { loadRegions } from "~/.server/regions.server";
import { Warehouse } from "~/.server/warehouse.server";
import type { CsvDialect } from "~/export/columns";
import { parseCsv, readNumber } from "~/export/csv";
import { formatMetricValue } from "~/lib/format";
import { METRICS, type MetricId, OVERVIEW_METRICS, UNIT_METRICS } from "~/metrics/catalogue";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { buildOverviewWarehouse, HOSTILE_SELLERS, OVERVIEW_ANSWERS } from "../helpers/overview-fixture";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

const DIALECTS: CsvDialect[] = ["csv", "csv-excel-en", "csv-excel-fr"];
const DECEMBER = "from=2024-12-01&to=2024-12-31";

/** A CSV download as records keyed by column id (first row), numbers left as text. */
function records(text: string, dialect: CsvDialect): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text, dialect);
  // The Excel files carry a row of labels under the ids (for people); plain CSV has the ids alone.
  const data = dialect === "csv" ? rows : rows.slice(1);
  return data.map((row) => Object.fromEntries((header ?? []).map((id, i) => [id, row[i] ?? ""])));
}

/** A downloaded workbook, read back with exceljs (its types predate Node's generic Buffer). */
async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as Parameters<typeof book.xlsx.load>[0]);
  return book;
}

/** A cell as a number (null when empty), through the dialect's decimal mark. */
const num = (field: string | undefined, dialect: CsvDialect) =>
  field === undefined || field === "" ? null : readNumber(field, dialect);

/** Equal to the cent for money, to 1e-6 for ratios, exactly for counts. */
function expectSame(actual: number | null, expected: number | null | undefined, id: MetricId, where: string) {
  if (expected === null || expected === undefined) return expect(actual, `${where} ${id}`).toBeNull();
  const unit = METRICS[id].unit;
  // Written to the cent (half away from zero), ratios to 6 decimals, counts exactly.
  const tolerance = unit === "count" ? 0 : unit === "ratio" ? 5e-7 : unit === "eur" ? 0.005 : 0.00005;
  expect(actual, `${where} ${id}`).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${where} ${id}`).toBeLessThanOrEqual(tolerance + 1e-9);
}

describe("exports over HTTP, on the built server", () => {
  let root: string | undefined;
  let dataDir: string;
  let server: RunningServer | undefined;
  let warehouse: Warehouse;

  const get = async (path: string) => {
    if (!server) throw new Error("server not started");
    const response = await server.fetch(path);
    const bytes = Buffer.from(await response.arrayBuffer());
    return { response, bytes, text: bytes.toString("utf8") };
  };

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("export-http");
    dataDir = join(root, "data");
    buildOverviewWarehouse(join(root, "landing"), dataDir);
    // Runs of at most 3 ledger lines: the 8 lines of November and December come in several sorted runs.
    server = await startServer({ dataDir, env: { BACKLIGHT_LEDGER_RUN_LINES: "3" } });
    warehouse = new Warehouse({ dataDir, cacheEntries: 0 });
  });

  afterAll(async () => {
    warehouse?.close();
    await server?.stop();
    await removeDir(root);
  });

  async function overview(query: string) {
    const r = await loadOverview(warehouse, new URL(`http://t/?${query}`), "en-GB", "finance");
    if (r.state !== "ready") throw new Error("no warehouse");
    return r.result;
  }

  it("gives the KPI cards, the trend and the breakdown as the overview shows them, in every dialect", async () => {
    const view = await overview(DECEMBER);
    for (const dialect of DIALECTS) {
      const kpis = await get(`/export/kpis?${DECEMBER}&format=${dialect}`);
      expect(kpis.response.status).toBe(200);
      expect(kpis.response.headers.get("content-disposition")).toBe(
        'attachment; filename="backlight-kpis-2024-12-01-2024-12-31.csv"',
      );
      expect(kpis.text.startsWith("\uFEFF")).toBe(dialect !== "csv");
      expect(kpis.text.split("\r\n")[0]).toContain(
        dialect === "csv-excel-fr" ? "series;from;to" : "series,from,to",
      );
      const [current, comparison] = records(kpis.text, dialect);
      expect([current?.series, current?.from, current?.to]).toEqual(["current", "2024-12-01", "2024-12-31"]);
      expect(comparison?.from).toBe("2024-11-01");
      for (const card of view.cards) {
        expectSame(num(current?.[card.id], dialect), card.value, card.id, `${dialect} current`);
        expectSame(num(comparison?.[card.id], dialect), card.comparison, card.id, `${dialect} comparison`);
      }
      // The hand-worked figures, and a negative amount that stays a number (no quote, no prefix).
      expect(current?.ebitda_eur).toBe(dialect === "csv-excel-fr" ? "-1907,70" : "-1907.70");
      expect(num(current?.gmv_eur, dialect)).toBe(OVERVIEW_ANSWERS.december.gmv_eur);
    }

    const weekly = await overview(`${DECEMBER}&grain=week`);
    const trend = records((await get(`/export/trend?${DECEMBER}&grain=week`)).text, "csv");
    const currentRows = trend.filter((r) => r.series === "current");
    expect(currentRows.map((r) => r.period_from)).toEqual(weekly.series.map((p) => p.key));
    expect(currentRows.map((r) => r.period_coverage)).toEqual(
      weekly.series.map((p) => (p.partial ? "partial" : "whole")),
    );
    weekly.series.forEach((p, i) => {
      expectSame(num(currentRows[i]?.gmv_eur, "csv"), p.current, "gmv_eur", `week ${p.key}`);
      expectSame(
        num(trend.filter((r) => r.series === "comparison")[i]?.gmv_eur, "csv"),
        p.comparison,
        "gmv_eur",
        `week ${p.key} comparison`,
      );
    });

    // The regions page's table, cell by cell: the exported number formatted as the page formats it.
    const regions = await loadRegions(warehouse, new URL(`http://t/regions?${DECEMBER}`), "en-GB");
    if (regions.state !== "ready") throw new Error("no warehouse");
    const breakdown = records((await get(`/export/breakdown?${DECEMBER}`)).text, "csv").filter(
      (r) => r.series === "current",
    );
    for (const region of regions.result.regions) {
      const rows = [
        { row: region, csv: breakdown.find((r) => r.level === "region" && r.region === region.key) },
        ...region.countries.map((c) => ({
          row: c,
          csv: breakdown.find((r) => r.level === "country" && r.country_code === c.key),
        })),
      ];
      for (const { row, csv } of rows)
        for (const [id, cell] of Object.entries(row.cells) as [MetricId, { display: string }][]) {
          const value = num(csv?.[id], "csv");
          expect(
            value === null ? "—" : formatMetricValue(value, METRICS[id].unit, "en-GB"),
            `${row.key} ${id}`,
          ).toBe(cell.display);
        }
    }
    const categories = records((await get(`/export/categories?${DECEMBER}`)).text, "csv");
    for (const category of regions.result.categories) {
      const csv = categories.find((r) => r.series === "current" && r.category === category.key);
      for (const id of UNIT_METRICS) {
        const value = num(csv?.[id], "csv");
        expect(
          value === null ? "—" : formatMetricValue(value, METRICS[id].unit, "en-GB"),
          `${category.key} ${id}`,
        ).toBe(category.cells[id as keyof typeof category.cells].display);
      }
    }
    // The small multiples: each region's contribution margin % by period, as the chart has it.
    const multiples = records((await get(`/export/region-trend?${DECEMBER}&grain=week`)).text, "csv");
    const weeklyRegions = await loadRegions(
      warehouse,
      new URL(`http://t/regions?${DECEMBER}&grain=week`),
      "en-GB",
    );
    if (weeklyRegions.state !== "ready") throw new Error("no warehouse");
    for (const m of weeklyRegions.result.multiples)
      for (const p of m.points) {
        const row = multiples.find((r) => r.region === m.region && r.period_from === p.key);
        expectSame(
          num(row?.contribution_margin_pct, "csv"),
          p.value,
          "contribution_margin_pct",
          `${m.region} ${p.key}`,
        );
      }
    // December 2024 in ISO weeks: Sunday the 1st, four whole weeks, then Monday 30 and Tuesday 31.
    expect(multiples.length).toBe(weeklyRegions.result.multiples.length * 6);
    expect(OVERVIEW_METRICS.length).toBeGreaterThan(0);
  });

  it("gives finance's monthly P&L by country: each country's hand-worked figures, summing to the totals", async () => {
    const pnl = records(
      (await get("/export/pnl?from=2024-11-01&to=2024-12-31&format=csv-excel-fr")).text,
      "csv-excel-fr",
    );
    expect(pnl.map((r) => `${r.month} ${r.country_code}`)).toEqual([
      "2024-11-01 FR",
      "2024-11-01 US",
      "2024-12-01 FR",
      "2024-12-01 GB",
      "2024-12-01 US",
    ]);
    const us = pnl.find((r) => r.month === "2024-12-01" && r.country_code === "US");
    // US December: 14.25 net − 0.95 fee − 96 marketing − 480 operating costs.
    expect(us).toMatchObject({
      region: "north_america",
      currency: "EUR",
      gmv_eur: "95,00",
      ebitda_eur: "-562,70",
    });
    const december = pnl.filter((r) => r.month === "2024-12-01");
    for (const id of [
      "gmv_eur",
      "net_revenue_eur",
      "marketing_eur",
      "opex_eur",
      "ebitda_eur",
      "devices_sold",
    ] as const)
      expect(
        december.reduce((a, r) => a + (num(r[id], "csv-excel-fr") ?? 0), 0),
        id,
      ).toBeCloseTo(OVERVIEW_ANSWERS.december[id], 6);
  });

  it("exports the order lines exactly, hostile text neutralised and kept, numbers still numbers", async () => {
    for (const dialect of DIALECTS) {
      const download = await get(`/export/order-items?from=2024-11-01&to=2024-12-31&format=${dialect}`);
      expect(download.response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(download.response.headers.get("content-disposition")).toBe(
        'attachment; filename="backlight-order-items-2024-11-01-2024-12-31.csv"',
      );
      const lines = records(download.text, dialect);
      // Ids are text codes: for Excel a code with a digit gets a leading apostrophe, so that 007 stays 007.
      const id = (v: string) => (dialect === "csv" ? v : `'${v}`);
      // Eight items, the cancelled one included (CSV keeps the order they were loaded in: ADR 0028).
      expect(lines.map((l) => l.order_item_id).sort()).toEqual(
        ["1", "2", "3", "4", "5", "6", "7", "8"].map(id),
      );
      expect(lines.find((l) => l.order_item_id === id("7"))?.status).toBe("cancelled");
      const first = lines.find((l) => l.reporting_date === "2024-11-10");
      // Formula starts get a leading apostrophe: shown as text by Excel and LibreOffice, never run.
      expect(first?.seller_name).toBe(`'${HOSTILE_SELLERS[20]}`);
      expect(lines.find((l) => l.order_item_id === id("3"))).toMatchObject({
        seller_name: `'${HOSTILE_SELLERS[21]}`,
        brand: "'-2+3",
        model: "'\tThinkPad T14",
      });
      // i6: 100.00 GBP at 1.20 on 12 December; i3: 300.00 USD at 0.90.
      const i6 = lines.find((l) => l.order_item_id === id("6"));
      expect(num(i6?.price_eur, dialect)).toBe(120);
      expect(i6).toMatchObject({
        currency: "GBP",
        reporting_date: "2024-12-12",
        ordered_at: "2024-12-12T12:00:00.000Z",
      });
      expect(num(lines.find((l) => l.order_item_id === id("3"))?.commission_eur, dialect)).toBe(40.5);
    }
    // The raw bytes: the separator inside a name is quoted, quotes doubled, the apostrophe inside quotes.
    const plain = (await get("/export/order-items?from=2024-11-01&to=2024-11-30")).text;
    expect(plain).toContain(`"'@SUM(1+1) Électro, ""Ça coûte"" 📱"`);
    expect(plain).toContain(`"'=HYPERLINK(""http://evil.example"",""clic"")"`);
  });

  it("gives finance Excel workbooks: numbers and dates with formats, a frozen filterable header, what the file holds on a second sheet", async () => {
    const download = await get("/export/pnl?from=2024-11-01&to=2024-12-31&format=xlsx&lang=fr");
    expect(download.response.status).toBe(200);
    expect(download.response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(download.response.headers.get("content-disposition")).toBe(
      'attachment; filename="backlight-pnl-2024-11-01-2024-12-31.xlsx"',
    );
    const book = await workbook(download.bytes);
    const [data, about] = book.worksheets;
    expect(data?.name).toBe("Données");
    expect(about?.name).toBe("À propos");
    if (!data || !about) return;
    // The header row: labels in the reader's language, frozen and filterable.
    expect(data.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(data.autoFilter).toBeTruthy();
    const header = (data.getRow(1).values as unknown[]).slice(1).map(String);
    const csv = records(
      (await get("/export/pnl?from=2024-11-01&to=2024-12-31&format=csv-excel-fr&lang=fr")).text,
      "csv-excel-fr",
    );
    const ids = Object.keys(csv[0] ?? {});
    expect(header).toHaveLength(ids.length);
    const at = (id: string) => ids.indexOf(id) + 1;
    // Five rows, as the CSV: US December's hand-worked EBITDA, a real number with its format.
    expect(data.rowCount).toBe(1 + csv.length);
    const us = data.getRow(1 + csv.findIndex((r) => r.month === "2024-12-01" && r.country_code === "US") + 1);
    expect(us.getCell(at("ebitda_eur")).value).toBe(-562.7);
    expect(us.getCell(at("gmv_eur")).value).toBe(95);
    expect(us.getCell(at("gmv_eur")).numFmt).toMatch(/^#,##0\.00/);
    const month = us.getCell(at("month"));
    expect(month.value).toEqual(new Date("2024-12-01T00:00:00Z"));
    expect(month.numFmt).toBe("yyyy-mm-dd");
    expect(us.getCell(at("country_code")).value).toBe("US");
    // Every figure equals the CSV's, to the cent.
    csv.forEach((r, i) => {
      for (const id of ["gmv_eur", "net_revenue_eur", "opex_eur", "ebitda_eur", "devices_sold"])
        expect(data.getRow(i + 2).getCell(at(id)).value, `${r.month} ${r.country_code} ${id}`).toBe(
          num(r[id], "csv-excel-fr"),
        );
    });
    // The second sheet: the view, the period, the snapshot the figures came from, and the columns.
    const facts = new Map<string, unknown>();
    about.eachRow((row) => {
      facts.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(facts.get("Vue")).toBe("pnl");
    expect(facts.get("Période")).toBe("2024-11-01 – 2024-12-31");
    expect(facts.get("Instantané")).toBe(download.response.headers.get("x-backlight-snapshot"));
    expect(String(facts.get("Données"))).toMatch(/^(Synthétiques|Réelles)/);
    expect(facts.get("gmv_eur")).toBeTruthy();

    // Ratios as percentages: 0.17 shows as 17 %, the cell still holds 0.17.
    const kpis = await workbook((await get(`/export/kpis?${DECEMBER}&format=xlsx`)).bytes);
    const sheet = kpis.worksheets[0];
    const formats = new Set<string>();
    sheet?.getRow(2).eachCell((cell) => {
      if (cell.numFmt) formats.add(cell.numFmt);
    });
    expect([...formats].some((f) => f.endsWith("%"))).toBe(true);

    // The ledger, streamed: ids as text, amounts as numbers, instants as dates; formulas stay text.
    const ledger = await workbook(
      (await get("/export/order-items?from=2024-11-01&to=2024-12-31&format=xlsx")).bytes,
    );
    const lines = ledger.worksheets[0];
    if (!lines) throw new Error("no sheet");
    const columns = (lines.getRow(1).values as unknown[]).slice(1).map(String);
    expect(columns[0]).toBe("Order item");
    expect(lines.rowCount).toBe(1 + 8);
    const byId = new Map<string, ExcelJS.Row>();
    const order: number[] = [];
    lines.eachRow((row, n) => {
      if (n > 1) byId.set(String(row.getCell(1).value), row);
      if (n > 1) order.push((row.getCell(columns.indexOf("Ordered at (UTC)") + 1).value as Date).getTime());
    });
    // The workbook's lines by reporting date and time (sorted in runs of 3 lines here: one run would do).
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(8);
    const i6 = byId.get("6");
    expect(i6?.getCell(columns.indexOf("Price (EUR)") + 1).value).toBe(120);
    expect(i6?.getCell(columns.indexOf("Ordered at (UTC)") + 1).value).toEqual(
      new Date("2024-12-12T12:00:00.000Z"),
    );
    expect(i6?.getCell(columns.indexOf("Reporting date") + 1).value).toEqual(
      new Date("2024-12-12T00:00:00Z"),
    );
    const sellers = [...byId.values()].map((row) => row.getCell(columns.indexOf("Seller name") + 1).value);
    expect(sellers).toContain(HOSTILE_SELLERS[20]);
    expect(sellers.every((v) => typeof v === "string" || v === null)).toBe(true);
  });

  it("lists every seller and model of the price-display page, worst first, at the chosen threshold", async () => {
    // December at 5 %: seller 20 sold i4 (inflated), i5 and i6 (inflated); seller 21 sold i8 (4.97 %
    // above: not inflated). See tests/etl/pricing-mart.test.ts for the hand-worked comparison.
    for (const dialect of DIALECTS) {
      const download = await get(`/export/pricing-sellers?from=2024-12&to=2024-12&format=${dialect}`);
      expect(download.response.status).toBe(200);
      expect(download.response.headers.get("content-disposition")).toBe(
        `attachment; filename="backlight-pricing-sellers-2024-12-01-2024-12-31.csv"`,
      );
      const lines = records(download.text, dialect);
      expect(lines.map((l) => [l.seller_id, l.seller_name, l.seller_country, l.threshold_pct])).toEqual([
        [dialect === "csv" ? "20" : "'20", `'${HOSTILE_SELLERS[20]}`, "FR", "5"],
        [dialect === "csv" ? "21" : "'21", `'${HOSTILE_SELLERS[21]}`, "US", "5"],
      ]);
      expect(lines.map((l) => [l.sales, l.priced_sales, l.inflated_sales])).toEqual([
        ["3", "3", "2"],
        ["1", "1", "0"],
      ]);
      expect(num(lines[0]?.inflated_share, dialect)).toBeCloseTo(2 / 3, 6);
      // Σ price 350, Σ displayed 1,280 (500 + 300 + 480), Σ market 1,124 (362 + 362 + 400).
      expect(num(lines[0]?.claimed_saving_pct, dialect)).toBeCloseTo(1 - 350 / 1280, 6);
      expect(num(lines[0]?.actual_saving_pct, dialect)).toBeCloseTo(1 - 350 / 1124, 6);
    }
    // The models over both months at 3 %: the phone's i2, i4 and i8; the laptop's i6 (i3 had no price).
    const models = records(
      (await get("/export/pricing-models?from=2024-11&to=2024-12&threshold=3")).text,
      "csv",
    );
    expect(
      models.map((l) => [
        l.product_id,
        l.brand,
        l.model,
        l.category,
        l.sales,
        l.priced_sales,
        l.inflated_sales,
      ]),
    ).toEqual([
      ["10", "Apple", "iPhone 12 128 GB", "smartphone", "5", "5", "3"],
      ["11", "'-2+3", "'\tThinkPad T14", "laptop", "2", "1", "1"],
    ]);
    // The page's parameters are checked as on the page.
    const bad = await get("/export/pricing-models?from=2024-11&to=2024-12&threshold=4");
    expect(bad.response.status).toBe(400);
    expect(bad.text).toContain('threshold: unknown value "4" (one of: 1, 2, 3, 5, 10, 15, 20, 25, 30)');
  });

  it("gives the rollout comparison's countries month by month, every metric and the population", async () => {
    const rows = records((await get("/export/rollout?country=FR,US&metric=take_rate")).text, "csv");
    // France: 68,170,000 inhabitants, months 121 and 122; the US: 334,910,000, months 79 and 80.
    expect(
      rows.map((r) => [r.country_code, r.month, r.months_since_launch, r.population, r.devices_sold]),
    ).toEqual([
      ["FR", "2024-11-01", "121", "68170000", "2"],
      ["FR", "2024-12-01", "122", "68170000", "2"],
      ["US", "2024-11-01", "79", "334910000", "1"],
      ["US", "2024-12-01", "80", "334910000", "1"],
    ]);
    // France's December: GMV 230, net revenue 22.50 + 12 − 30 = 4.50; customer 1 came back among 2.
    expect(rows[1]).toMatchObject({ gmv_eur: "230.00", net_revenue_eur: "4.50", repeat_rate: "0.500000" });
    // One country is compared with the median of all (issue 18); nine are too many, an unknown one refused.
    expect((await get("/export/rollout?country=FR")).response.status).toBe(200);
    expect((await get("/export/rollout?country=FR,DE")).response.status).toBe(400);
  });

  it("writes Parquet and Arrow with proper types, read back with the same values", async () => {
    const parquet = await get("/export/order-items?from=2024-11-01&to=2024-12-31&format=parquet");
    expect(parquet.response.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const file = join(root as string, "items.parquet");
    writeFileSync(file, parquet.bytes);
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    const types = Object.fromEntries(
      (await conn.runAndReadAll(`DESCRIBE SELECT * FROM '${file}'`)).getRows().map((r) => [r[0], r[1]]),
    );
    expect(types).toMatchObject({
      order_item_id: "VARCHAR",
      reporting_date: "DATE",
      ordered_at: "TIMESTAMP WITH TIME ZONE",
      seller_name: "VARCHAR",
      price_eur: "DECIMAL(18,4)",
    });
    const [sum] = (
      await conn.runAndReadAll(
        `SELECT count(*)::INT AS n, sum(price_eur)::VARCHAR AS gmv, any_value(seller_name) FILTER (WHERE order_item_id = '1') AS s FROM '${file}' WHERE status = 'completed'`,
      )
    ).getRowObjectsJS();
    // Completed November and December: 570 + 445 € of GMV; the name as it was, not neutralised.
    expect(sum).toEqual({ n: 7, gmv: "1015.0000", s: HOSTILE_SELLERS[20] });

    const kpis = await get(`/export/kpis?${DECEMBER}&format=parquet`);
    writeFileSync(join(root as string, "kpis.parquet"), kpis.bytes);
    const [card] = (
      await conn.runAndReadAll(
        `SELECT ebitda_eur::VARCHAR AS e, typeof(ebitda_eur) AS t, typeof(take_rate) AS r, typeof("from") AS d FROM '${join(root as string, "kpis.parquet")}' WHERE series = 'current'`,
      )
    ).getRowObjectsJS();
    expect(card).toEqual({ e: "-1907.70", t: "DECIMAL(18,2)", r: "DOUBLE", d: "DATE" });

    const arrow = await get("/export/order-items?from=2024-11-01&to=2024-12-31&format=arrow");
    expect(arrow.response.headers.get("content-type")).toBe("application/vnd.apache.arrow.stream");
    const table = tableFromIPC(arrow.bytes);
    expect(table.numRows).toBe(8);
    const fields = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(fields).toMatchObject({
      order_item_id: "Utf8",
      reporting_date: "Date32<DAY>",
      ordered_at: "Timestamp<MILLISECOND, UTC>",
      seller_name: "Utf8",
    });
    expect(fields.price_eur).toMatch(/^Decimal/);
    const first = table.get(0)?.toJSON() as Record<string, unknown>;
    expect(first.seller_name).toBe(HOSTILE_SELLERS[20]);
    expect(first.ordered_at).toBe(Date.parse("2024-11-10T10:00:00Z"));
  });

  it("names each file for what it holds: view, filters, dates; never what was typed", async () => {
    const name = async (path: string) =>
      (await get(path)).response.headers.get("content-disposition")?.replace(/^attachment; filename=/, "");
    expect(await name(`/export/kpis?${DECEMBER}&region=europe`)).toBe(
      '"backlight-kpis-europe-2024-12-01-2024-12-31.csv"',
    );
    expect(await name(`/export/breakdown?${DECEMBER}&country=FR,GB&category=smartphone&format=parquet`)).toBe(
      '"backlight-breakdown-fr-gb-smartphone-2024-12-01-2024-12-31.parquet"',
    );
    expect(await name(`/export/order-items?${DECEMBER}&grade=very_good&channel=web`)).toBe(
      '"backlight-order-items-very-good-web-2024-12-01-2024-12-31.csv"',
    );
    expect(await name(`/export/trend?${DECEMBER}&format=arrow`)).toBe(
      '"backlight-trend-2024-12-01-2024-12-31.arrow"',
    );
  });

  it("gives the Excel files a row of labels in the reader's language; plain CSV only on request", async () => {
    const lines = async (query: string) =>
      (await get(`/export/kpis?${DECEMBER}&${query}`)).text.split("\r\n");
    const fr = await lines("format=csv-excel-fr&lang=fr");
    expect(fr[0]?.startsWith("\uFEFFseries;from;to;")).toBe(true);
    expect(fr[1]).toContain("Taux de commission (ratio : 0,17 = 17 %)");
    // The language is the reader's, not the dialect's: French Excel settings, English reader.
    const en = await lines("format=csv-excel-fr&lang=en");
    expect(en[1]).toContain("Take rate (ratio: 0.17 = 17%)");
    expect((await lines("format=csv-excel-en&lang=fr"))[1]).toContain("Taux de commission");
    expect((await lines("format=csv-excel-en&lang=fr&labels=0"))[1]?.startsWith("current,")).toBe(true);
    expect((await lines("format=csv"))[1]?.startsWith("current,")).toBe(true);
  });

  it("orders the breakdown as the screen does (sort, dir), in every format", async () => {
    const order = (rows: Record<string, string>[]) =>
      rows
        .filter((r) => r.series === "current")
        .map((r) => (r.level === "region" ? r.region : r.country_code));
    const screen = async (query: string, locale: "en-GB" | "fr-FR") => {
      const r = await loadOverview(warehouse, new URL(`http://t/?${query}`), locale, "finance");
      if (r.state !== "ready") throw new Error("no warehouse");
      return r.result.breakdown.regions.flatMap((region) => [
        region.key,
        ...region.countries.map((c) => c.key),
      ]);
    };
    for (const [query, locale] of [
      [`${DECEMBER}`, "en-GB"],
      [`${DECEMBER}&sort=gmv_eur&dir=asc`, "en-GB"],
      [`${DECEMBER}&sort=ebitda_eur&dir=desc`, "en-GB"],
      [`${DECEMBER}&sort=name&dir=asc`, "fr-FR"],
      [`${DECEMBER}&sort=name&dir=desc`, "en-GB"],
    ] as const) {
      const lang = locale === "fr-FR" ? "fr" : "en";
      const file = records(
        (await get(`/export/breakdown?${query}&format=csv-excel-fr&lang=${lang}`)).text,
        "csv-excel-fr",
      );
      expect(order(file), query).toEqual(await screen(query, locale));
      // The comparison rows follow the current ones, in the same order.
      const comparison = file
        .filter((r) => r.series === "comparison")
        .map((r) => (r.level === "region" ? r.region : r.country_code));
      expect(comparison, query).toEqual(order(file).filter((key) => comparison.includes(key)));
    }
    // December GMV: FR 150 + 80 = 230.00, GB 100 GBP × 1.20 = 120.00, so Europe 350.00; the US 100 USD ×
    // 0.95 = 95.00. Largest first, on screen and in Excel.
    expect(
      order(records((await get(`/export/breakdown?${DECEMBER}&format=csv-excel-en`)).text, "csv-excel-en")),
    ).toEqual(["europe", "FR", "GB", "north_america", "US"]);
    // Plain CSV too: the United States first when GMV is read smallest first.
    expect(
      order(records((await get(`/export/breakdown?${DECEMBER}&sort=gmv_eur&dir=asc`)).text, "csv")),
    ).toEqual(["north_america", "US", "europe", "GB", "FR"]);
  });

  it("adds a label row on request, saying ratios are ratios", async () => {
    const en = (await get(`/export/kpis?${DECEMBER}&labels=1`)).text.split("\r\n");
    expect(en[1]).toContain("Take rate (ratio: 0.17 = 17%)");
    const fr = (await get(`/export/kpis?${DECEMBER}&labels=1&format=csv-excel-fr&lang=fr`)).text.split(
      "\r\n",
    );
    expect(fr[1]).toContain("Taux de commission (ratio : 0,17 = 17 %)");
  });

  it("refuses bad parameters with one sentence, never a stack trace", async () => {
    const refused = async (path: string, status: number, message: RegExp) => {
      const { response, text } = await get(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(text, path).toMatch(message);
      expect(text).not.toMatch(/\bat .*:\d+/);
    };
    await refused(`/export/kpis?${DECEMBER}&format=xls`, 400, /format: "xls" is not one of/);
    await refused(
      "/export/kpis?from=2024-13-01&to=2024-12-31",
      400,
      /from: 2024-13-01 is not a calendar date/,
    );
    await refused("/export/kpis?colour=blue", 400, /^colour: unknown parameter/);
    await refused(`/export/kpis?${DECEMBER}&labels=yes`, 400, /labels: must be 1 or 0/);
    await refused("/export/kpis?country=FR%27%20OR%201%3D1%20--", 400, /is not a country code/);
    await refused("/export/passwords", 404, /no export named "passwords"/);
    await refused(`/export/order-items?${DECEMBER}&format=csv&format=arrow`, 400, /more than once/);
  });

  it("refuses a workbook past the sheet's limit before its first byte, and says which formats fit", async () => {
    // The limit lowered to 5 rows (Excel's is 1,048,575): the ledger's 8 lines are too many.
    const strict = await startServer({ dataDir, env: { BACKLIGHT_XLSX_MAX_ROWS: "5" } });
    try {
      const en = await strict.fetch("/export/order-items?from=2024-11-01&to=2024-12-31&format=xlsx");
      expect(en.status).toBe(400);
      expect(await en.text()).toMatch(
        /this download has 8 rows and an Excel sheet holds at most 5: choose CSV or Parquet, or a shorter period/,
      );
      const fr = await strict.fetch("/export/order-items?from=2024-11-01&to=2024-12-31&format=xlsx&lang=fr");
      expect(await fr.text()).toMatch(/ce téléchargement compte 8 lignes .* choisissez CSV ou Parquet/);
      // Within the limit, the same server writes the workbook; CSV has no such limit.
      expect((await strict.fetch(`/export/kpis?${DECEMBER}&format=xlsx`)).status).toBe(200);
      expect(
        (await strict.fetch("/export/order-items?from=2024-11-01&to=2024-12-31&format=csv")).status,
      ).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  // LibreOffice from Debian's packages, when installed: open the French CSV as Excel users would, and
  // check that no cell became a formula and that amounts are numbers.
  const soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
  it.skipIf(!soffice)(
    "opens in LibreOffice (fr-FR) with no formula evaluated and numbers as numbers",
    async () => {
      const csv = join(root as string, "items-fr.csv");
      writeFileSync(
        csv,
        (await get("/export/order-items?from=2024-11-01&to=2024-12-31&format=csv-excel-fr")).bytes,
      );
      // CSV filter: separator ';' (59), quote '"' (34), UTF-8 (76), first line 1, column types standard,
      // language fr-FR (1036).
      execFileSync(
        soffice as string,
        [
          "--headless",
          `-env:UserInstallation=file://${root}/lo-profile`,
          "--infilter=CSV:59,34,76,1,,1036",
          "--convert-to",
          "fods",
          "--outdir",
          root as string,
          csv,
        ],
        { timeout: 120_000, stdio: "ignore" },
      );
      const xml = readFileSync(join(root as string, "items-fr.fods"), "utf8");
      expect(xml).not.toContain("table:formula");
      // The hostile name is a text cell, shown with its apostrophe; the prices are floats.
      expect(xml).toContain("=HYPERLINK(&quot;http://evil.example&quot;,&quot;clic&quot;)");
      expect(xml).toMatch(/office:value-type="float" office:value="120"/);
    },
  );
});

// One figure, one value, wherever it appears: for a fixed period, every metric that two or more pages
// show is read from each page's HTML, its data request (what the browser receives) and its CSV
// download, over HTTP from the built server, and they all agree — to the cent for money, to 1e-6 for
// ratios, exactly for counts.

import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "~/export/csv";
import { formatMetricValue } from "~/lib/format";
import { CATALOGUE, type CatalogueId } from "~/metrics/catalogue";
import { createDemoDataDir, removeDir } from "../helpers/fixture-warehouse";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

/** The metrics the overview and the grades page both show, for the same months and every country. */
const SHARED = ["devices_sold", "gmv_eur", "net_revenue_eur", "take_rate", "return_rate"] as const;
const MONTHS = "from=2024-01&to=2024-06";
const DAYS = "from=2024-01-01&to=2024-06-30&compare=none";

function tolerance(id: CatalogueId): number {
  const unit = CATALOGUE[id].unit;
  return unit === "count" ? 0 : unit === "ratio" ? 5e-7 : 0.005;
}

/** A CSV download's rows as records keyed by column id. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text, "csv");
  return rows.map((row) => Object.fromEntries((header ?? []).map((id, i) => [id, row[i] ?? ""])));
}

describe("the same metric has the same value on every page, data request and download", () => {
  let dataDir: string | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await buildApp();
    dataDir = await createDemoDataDir();
    server = await startServer({ dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    await removeDir(dataDir);
  });

  const text = async (path: string) => {
    if (!server) throw new Error("not started");
    const response = await server.fetch(path);
    expect(response.status, path).toBe(200);
    return response.text();
  };

  /** A route's loader data, as the browser receives it (Remix's single-fetch stream). */
  const loaderData = async (path: string, route: string) => {
    if (!server) throw new Error("not started");
    const response = await server.fetch(path);
    expect(response.status, path).toBe(200);
    if (!response.body) throw new Error("no body");
    const decoded = await decode(response.body);
    await decoded.done;
    const routes = decoded.value as Record<string, { data: unknown }>;
    return routes[route]?.data as Record<string, unknown>;
  };

  it("agrees between /quality (HTML, data, the grades download) and the overview's KPI download", async () => {
    // The overview's KPI file: the current period's row.
    const kpis = records(await text(`/export/kpis?${DAYS}&format=csv`)).find((r) => r.series === "current");
    if (!kpis) throw new Error("no current row in kpis");
    // The grades page's download: the row of all grades together.
    const grades = records(await text(`/export/quality-grades?${MONTHS}&format=csv`)).find(
      (r) => r.grade === "all",
    );
    if (!grades) throw new Error("no 'all' row in quality-grades");
    // What the browser receives: the section's table as the page renders it.
    const data = await loaderData(`/quality.data?${MONTHS}`, "routes/quality");
    const table = (
      data.tables as Record<string, { columns: { id: string }[]; rows: { values: unknown[] }[] }>
    )["quality-grades"];
    if (!table) throw new Error("no quality-grades table in the data request");
    const all = table.rows.find((r) => r.values[0] === "all");
    const html = await text(`/quality?${MONTHS}`);
    for (const id of SHARED) {
      const overview = Number(kpis[id]);
      const file = Number(grades[id]);
      const index = table.columns.findIndex((c) => c.id === id);
      const received = all?.values[index];
      expect(Number.isFinite(overview), `kpis ${id}`).toBe(true);
      expect(Math.abs(file - overview), `quality-grades ${id} vs kpis`).toBeLessThanOrEqual(tolerance(id));
      expect(typeof received, `data request ${id}`).toBe("number");
      expect(Math.abs((received as number) - overview), `quality data ${id} vs kpis`).toBeLessThanOrEqual(
        tolerance(id) + 1e-9,
      );
      // The page's cell shows that value, formatted for the reader.
      const cell = new RegExp(`data-key="all"[^]*?data-col="${id}"[^>]*>([^<]*)<`).exec(
        html.slice(html.indexOf('data-table="quality-grades"')),
      )?.[1];
      expect(cell, `HTML ${id}`).toBe(formatMetricValue(received as number, CATALOGUE[id].unit, "en-GB"));
    }
    expect(Number(kpis.devices_sold)).toBeGreaterThan(0);
  });
});

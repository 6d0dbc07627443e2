// "What changed since the last publish" end to end: the hand-written warehouse (the overview's and the
// channels' batches, one first snapshot), then a restating batch run through the real pipeline while
// the built server serves: a late return, a cancellation, a corrected commission and an order line
// re-sent unchanged. The page's data and its downloads must show exactly the figures that moved, to the
// cent, each with the batch that moved it; the product role never sees a company-cost figure.
//
// The restating batch, worked by hand (France, EUR):
//   item 101 (March 2023)  commission 15.00 → 16.00: net revenue +1.00 (gmv 400 over 2 devices)
//   item 102 (Dec 2023)    re-sent as it was: moves nothing
//   item 106 (Dec 2024)    250.00 (commission 25.00, fee 2.50) cancelled: customer 7's only item
//   return 3 of item 5     ordered 10 Dec 2024 (80.00, commission 12.00), returned 15 Dec:
//                          commission refunded 12.00, cost to the marketplace 3.00
// December 2024 in France before: items 4, 5, 105, 106 (150 + 80 + 50 + 250 = 530.00), no return of
// a December order; after: 280.00 over 3 devices, 1 of them returned.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeReport } from "~/.server/reports/compose.server";
import { Warehouse } from "~/.server/warehouse.server";
import { CONFIDENTIAL_METRICS } from "~/auth/policy";
import { readNumber } from "~/export/csv";
import { METRICS } from "~/metrics/catalogue";
import { buildChannelsWarehouse } from "../helpers/channels-fixture";
import { runEtlCli } from "../helpers/etl";
import { makeTempDir, removeDir } from "../helpers/fixture-warehouse";
import { csvRecords, loaderData } from "../helpers/http-figures";
import { buildApp, type RunningServer, startServer } from "../helpers/server";

const ITEM_HEADER =
  "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,payment_fee,status";
const RESTATED = {
  order_items: [
    ITEM_HEADER,
    "101,101,11,20,10,FR,2023-03-10T10:00:00Z,app,,excellent,90,EUR,100.00,400.00,16.00,1.00,completed",
    "102,102,11,20,10,FR,2023-12-01T10:00:00Z,web,,excellent,90,EUR,200.00,600.00,30.00,2.00,completed",
    "106,106,7,20,10,FR,2024-12-12T10:00:00Z,partner,bouygues_telecom,premium,95,EUR,250.00,800.00,25.00,2.50,cancelled",
  ],
  returns: [
    "return_id,order_item_id,returned_at,reason,currency,refunded_amount,commission_refunded,cost_to_marketplace",
    "3,5,2024-12-15T10:00:00Z,defect,EUR,80.00,12.00,3.00",
  ],
};
const BATCH = "2025-01-03_restated";

/** Every figure that must have moved, by month, with its change where it is worked out above. */
const MOVED: Record<string, Record<string, number | null>> = {
  "2023-03": {
    net_revenue_eur: 1,
    take_rate: 0.115 - 0.1125,
    contribution_margin_eur: 1,
    ebitda_eur: 1,
    contribution_margin_pct: null,
    ebitda_margin_pct: null,
    net_revenue_per_device: 0.5,
    contribution_per_device: 0.5,
  },
  "2024-12": {
    devices_sold: -1,
    gmv_eur: -250,
    net_revenue_eur: -37,
    variable_costs_eur: 0.5,
    contribution_margin_eur: -37.5,
    ebitda_eur: -37.5,
    take_rate: null,
    return_rate: 1 / 3,
    contribution_margin_pct: null,
    ebitda_margin_pct: null,
    net_revenue_per_device: null,
    variable_costs_per_device: null,
    marketing_per_device: null,
    contribution_per_device: null,
    new_customers: -1,
    new_customers_per_1k_marketing: null,
    active_customers: -1,
    cumulative_customers: -1,
  },
};

interface ChangesPage {
  state: string;
  unavailable: string | null;
  previous: { id: string } | null;
  batches: string[];
  tables: Record<
    string,
    { total: number; columns: { id: string }[]; rows: { values: (string | number | null)[] }[] }
  >;
}

describe("what changed since the last publish, over HTTP", () => {
  let root: string | undefined;
  let server: RunningServer | undefined;
  let landing = "";
  let dataDir = "";

  beforeAll(async () => {
    await buildApp();
    root = await makeTempDir("changes-http");
    landing = join(root, "landing");
    dataDir = join(root, "data");
    buildChannelsWarehouse(landing, dataDir);
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
  const page = (query = "", role: "finance" | "product" = "finance") =>
    loaderData<ChangesPage>(
      { ...running(), fetch: (path, init) => running().fetch(path, init, role) },
      `/changes.data?${query}`,
      "routes/changes",
    );
  const download = async (id: string, query = "", role: "finance" | "product" = "finance") => {
    const response = await running().fetch(`/export/${id}?${query}${query ? "&" : ""}format=csv`, {}, role);
    expect(response.status, `/export/${id}`).toBe(200);
    return csvRecords(await response.text());
  };

  it("says why there is nothing to compare on the first snapshot", async () => {
    const first = await page();
    expect(first.state).toBe("ready");
    expect(first.unavailable).toBe("first_snapshot");
    expect(first.tables["changes-figures"]?.total).toBe(0);
    const html = await (await running().fetch("/changes")).text();
    expect(html).toContain("This is the first snapshot published");
  });

  it("shows exactly the figures a restating batch moved, to the cent, with the batch", async () => {
    const before = (await running().fetch("/healthz")).headers.get("x-backlight-snapshot");
    mkdirSync(join(landing, BATCH), { recursive: true });
    for (const [entity, lines] of Object.entries(RESTATED))
      writeFileSync(join(landing, BATCH, `${entity}.csv`), `${lines.join("\n")}\n`);
    const run = await runEtlCli({ landing, dataDir, args: ["--synthetic"] });
    expect(run.code, run.stderr).toBe(0);
    // The server follows current.json (read at most once a second).
    let now = before;
    for (let i = 0; i < 50 && now === before; i++) {
      await new Promise((r) => setTimeout(r, 200));
      now = (await running().fetch("/healthz")).headers.get("x-backlight-snapshot");
    }
    expect(now).not.toBe(before);

    const changed = await page();
    expect(changed.unavailable).toBeNull();
    expect(changed.previous?.id).toBe(before);
    expect(changed.batches).toEqual([BATCH]);

    const rows = await download("changes-figures");
    const seen = rows.map((r) => `${r.month?.slice(0, 7)} ${r.country_code} ${r.metric_id}`).sort();
    const expected = Object.entries(MOVED)
      .flatMap(([month, metrics]) => Object.keys(metrics).map((m) => `${month} FR ${m}`))
      .sort();
    expect(seen).toEqual(expected);
    for (const row of rows) {
      const month = row.month?.slice(0, 7) as string;
      const want = MOVED[month]?.[row.metric_id as string];
      const before = readNumber(row.before as string, "csv");
      const after = readNumber(row.after as string, "csv");
      if (row.before !== "" && row.after !== "")
        expect(readNumber(row.change as string, "csv")).toBeCloseTo((after ?? 0) - (before ?? 0), 5);
      if (want !== null && want !== undefined)
        expect(readNumber(row.change as string, "csv"), `${month} ${row.metric_id}`).toBeCloseTo(want, 6);
      expect(row.batches).toBe(BATCH);
    }
    const cell = (month: string, metric: string, column: "before" | "after") =>
      readNumber(
        rows.find((r) => r.month?.startsWith(month) && r.metric_id === metric)?.[column] as string,
        "csv",
      );
    // The levels too, not only the differences.
    expect(cell("2023-03", "net_revenue_eur", "before")).toBe(45);
    expect(cell("2023-03", "net_revenue_eur", "after")).toBe(46);
    expect(cell("2023-03", "take_rate", "before")).toBeCloseTo(0.1125, 9);
    expect(cell("2024-12", "gmv_eur", "before")).toBe(530);
    expect(cell("2024-12", "gmv_eur", "after")).toBe(280);
    expect(cell("2024-12", "devices_sold", "after")).toBe(3);
    expect(cell("2024-12", "return_rate", "before")).toBe(0);
    // What the batch did there, by month and country.
    const what = (month: string) => rows.find((r) => r.month?.startsWith(month))?.what_changed;
    expect(what("2024-12")).toContain("1 order lines cancelled");
    expect(what("2024-12")).toContain("1 returns added");
    expect(what("2023-03")).toContain("1 order lines corrected");

    const effects = (await download("changes-batches")).map(
      (e) => `${e.batch_id} ${e.entity} ${e.change} ${e.month} ${e.country_code} ${e.rows}`,
    );
    expect(effects.sort()).toEqual(
      [
        `${BATCH} order_items corrected 2023-03 FR 1`,
        `${BATCH} order_items resent 2023-12 FR 1`,
        `${BATCH} order_items cancelled 2024-12 FR 1`,
        `${BATCH} returns added 2024-12 FR 1`,
      ].sort(),
    );
  });

  it("filters by the shared grammar, and refuses what it does not know", async () => {
    const us = await page("country=US");
    expect(us.tables["changes-figures"]?.total).toBe(0);
    const gmv = await download("changes-figures", "metric=gmv_eur&country=FR");
    expect(gmv.map((r) => r.month)).toEqual(["2024-12-01"]);
    const europe = await page("region=europe&metric=net_revenue_eur");
    expect(europe.tables["changes-figures"]?.total).toBe(2);
    const march = await download("changes-figures", "from=2023-03&to=2023-06");
    expect(new Set(march.map((r) => r.month))).toEqual(new Set(["2023-03-01"]));
    expect(march.length).toBe(Object.keys(MOVED["2023-03"] ?? {}).length);
    for (const query of [
      "country=XX",
      "metric=nope",
      "month=2024-12",
      "from=2031-01",
      "from=2024-12&to=2024-01",
    ]) {
      const response = await running().fetch(`/changes?${query}`);
      expect(response.status, query).toBe(400);
    }
  });

  it("never gives the product role a company-cost figure, on the page or in a file", async () => {
    const product = await page("", "product");
    const ids = product.tables["changes-figures"]?.rows.map((r) => r.values[2]) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    for (const m of CONFIDENTIAL_METRICS) expect(ids).not.toContain(m);
    const file = await download("changes-figures", "", "product");
    expect(file.length).toBe(ids.length);
    for (const m of CONFIDENTIAL_METRICS) expect(file.map((r) => r.metric_id)).not.toContain(m);
    const html = await (await running().fetch("/changes", {}, "product")).text();
    expect(html).not.toMatch(/EBITDA/);
    const asked = await running().fetch("/changes?metric=ebitda_eur", {}, "product");
    expect(asked.status).toBe(403);
  });
  it("puts the restated figures in a monthly report's mail, none the role may not see", async () => {
    const warehouse = new Warehouse({ dataDir, cacheEntries: 0 });
    try {
      const mail = (role: "finance" | "product", cadence: "monthly" | "weekly") =>
        composeReport(
          warehouse,
          {
            id: 1,
            userId: 1,
            email: `${role}@example.test`,
            role,
            disabled: false,
            viewId: 1,
            viewName: "France",
            path: "/?country=FR",
            cadence,
            weekday: cadence === "weekly" ? 1 : null,
            dayOfMonth: cadence === "monthly" ? 1 : null,
            time: "08:00",
            timeZone: "Europe/Paris",
            locale: "en-GB",
            format: "none",
            createdAt: 0,
          },
          { page: "overview", baseUrl: "http://backlight.test", unsubscribeToken: "t" },
        );
      const finance = await mail("finance", "monthly");
      const total = Object.values(MOVED).reduce((n, metrics) => n + Object.keys(metrics).length, 0);
      expect(finance?.text).toContain(
        `What changed since the last publish: ${total} earlier figures restated, the first 15 here`,
      );
      // The page's own rows and formatting: December 2024's GMV, 530.00 → 280.00.
      expect(finance?.text).toMatch(
        /Dec(ember)? 2024 · France · GMV[^\n]* · €530(\.00)? · €280(\.00)? · -€250(\.00)?/,
      );
      expect(finance?.html).toContain("What changed since the last publish");
      expect(finance?.text).toContain("http://backlight.test/changes");
      const product = await mail("product", "monthly");
      expect(product?.text).toContain("What changed since the last publish");
      // The product role's list holds no company-cost row (EBITDA and its margin moved in both months).
      const confidential = CONFIDENTIAL_METRICS.filter((m) =>
        Object.values(MOVED).some((metrics) => m in metrics),
      );
      expect(confidential.length).toBeGreaterThan(0);
      const hidden = Object.values(MOVED).reduce(
        (n, metrics) => n + confidential.filter((m) => m in metrics).length,
        0,
      );
      expect(product?.text).toContain(`${total - hidden} earlier figures restated`);
      for (const m of confidential) expect(product?.text).not.toContain(` · ${METRICS[m].label["en-GB"]} · `);
      // Only a monthly report carries it.
      expect((await mail("finance", "weekly"))?.text).not.toContain("What changed since the last publish");
    } finally {
      warehouse.close();
    }
  });
});

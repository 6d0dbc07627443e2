// Hand-written landing batches with answers worked out by hand, checked to the cent through the
// command line's exports (`npm run export -- trend|pnl`): the reporting date in Europe/Paris, a missing
// FX day, a late return, a late cancellation, monthly costs.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const tsx = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8" });

function writeBatch(landing: string, batch: string, files: Record<string, string[]>): void {
  mkdirSync(join(landing, batch), { recursive: true });
  for (const [entity, lines] of Object.entries(files))
    writeFileSync(join(landing, batch, `${entity}.csv`), `${lines.join("\n")}\n`);
}

const ITEM_HEADER =
  "order_item_id,order_id,customer_id,seller_id,product_id,country_code,ordered_at,channel,partner,grade,battery_health_pct,currency,price,displayed_new_price,commission,payment_fee,status";

/** An export as records keyed by column id (the fixture's text has no comma or quote in these views). */
function exported(dataDir: string, view: string, filter: string): Record<string, string>[] {
  const run = tsx("cli/export.ts", view, "--filter", filter, "--data-dir", dataDir);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const [header, ...lines] = run.stdout.trim().split("\r\n");
  const columns = (header ?? "").split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v])));
}

/** The days of the trend export that had any sale or refund. */
const busyDays = (rows: Record<string, string>[]) =>
  rows.filter((d) => d.devices_sold !== "0" || d.net_revenue_eur !== "0.00");

function etl(landing: string, dataDir: string): void {
  const run = tsx("pipelines/etl/cli.ts", "--landing", landing, "--data-dir", dataDir);
  expect(run.stderr.split("\n").filter((l) => l.startsWith("error"))).toEqual([]);
  expect(run.status).toBe(0);
}

describe("known answers through the exports", () => {
  let root: string;
  let landing: string;
  let dataDir: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "backlight-known-"));
    landing = join(root, "landing");
    dataDir = join(root, "data");
    writeBatch(landing, "2025-01-01_a", {
      countries: [
        "country_code,name,region,currency,launched_on,app_launched_on",
        "FR,France,europe,EUR,2014-11-03,2018-06-12",
        "GB,United Kingdom,europe,GBP,2020-01-20,",
      ],
      // No GBP rate on the weekend of 28–29 December: Sunday's sale uses Friday's rate.
      fx_rates: [
        "rate_date,currency,eur_per_unit",
        "2024-12-27,GBP,1.2",
        "2024-12-30,GBP,1.25",
        "2024-12-31,GBP,1.21",
      ],
      customers: [
        "customer_id,country_code,signed_up_at,acquisition_channel",
        "1,FR,2024-12-01T10:00:00Z,organic",
        "2,GB,2024-12-01T10:00:00Z,paid",
      ],
      products: ["product_id,category,brand,model", "10,smartphone,Apple,iPhone 12 128 GB"],
      sellers: ["seller_id,name,country_code,joined_on", `20,"L'Atelier, Électro SAS",FR,2020-01-01`],
      order_items: [
        ITEM_HEADER,
        // 23:30 UTC on 31 December is 00:30 on 1 January in Paris.
        "1,1,1,20,10,FR,2024-12-31T23:30:00Z,web,,excellent,90,EUR,100.00,400.00,15.00,1.50,completed",
        "2,2,2,20,10,GB,2024-12-29T12:00:00Z,web,,very_good,88,GBP,200.00,600.00,30.00,2.00,completed",
        "3,3,1,20,10,FR,2024-12-30T10:00:00+01:00,app,,good,80,EUR,50.00,300.00,7.50,0.80,completed",
        "4,4,1,20,10,FR,2024-12-30T12:00:00Z,web,,good,82,EUR,80.00,300.00,12.00,1.00,completed",
      ],
      marketing_spend: [
        "month,country_code,channel,currency,amount",
        "2024-12,FR,search,EUR,1000.00",
        "2024-12,GB,social,GBP,100.00",
      ],
      operating_costs: [
        "month,country_code,cost_center,headcount,currency,amount",
        "2024-12,FR,tech,3,EUR,9000.00",
      ],
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("converts on the reporting date in Europe/Paris, with the last rate before a missing FX day", () => {
    etl(landing, dataDir);
    const days = (country: string) =>
      busyDays(
        exported(dataDir, "trend", `from=2024-12-28&to=2025-01-02&grain=day&compare=none&country=${country}`),
      ).map((d) => [d.period_from, d.devices_sold, d.gmv_eur, d.net_revenue_eur, d.variable_costs_eur]);
    expect(days("GB")).toEqual([["2024-12-29", "1", "240.00", "36.00", "2.40"]]);
    expect(days("FR")).toEqual([
      ["2024-12-30", "2", "130.00", "19.50", "1.80"],
      ["2025-01-01", "1", "100.00", "15.00", "1.50"],
    ]);
    // A day takes its month's marketing in proportion: 1,000 € over 31 days of December.
    const fr = exported(dataDir, "trend", "from=2024-12-30&to=2024-12-30&grain=day&compare=none&country=FR");
    expect(fr[0]).toMatchObject({ marketing_eur: "32.26", opex_eur: "290.32" });
  });

  it("applies a cancellation and a return that arrive in a later batch", () => {
    writeBatch(landing, "2025-01-02_b", {
      order_items: [
        ITEM_HEADER,
        "3,3,1,20,10,FR,2024-12-30T10:00:00+01:00,app,,good,80,EUR,50.00,300.00,7.50,0.80,cancelled",
      ],
      returns: [
        "return_id,order_item_id,returned_at,reason,currency,refunded_amount,commission_refunded,cost_to_marketplace",
        "1,4,2025-01-02T10:00:00Z,defect,EUR,80.00,12.00,5.00",
      ],
    });
    etl(landing, dataDir);
    const days = busyDays(exported(dataDir, "trend", "from=2024-12-28&to=2025-01-02&grain=day&compare=none"));
    expect(
      days.map((d) => [
        d.period_from,
        d.devices_sold,
        d.gmv_eur,
        d.net_revenue_eur,
        d.variable_costs_eur,
        d.return_rate,
      ]),
    ).toEqual([
      ["2024-12-29", "1", "240.00", "36.00", "2.40", "0.000000"],
      // The cancelled item left; the returned one counts against its order day.
      ["2024-12-30", "1", "80.00", "12.00", "1.00", "1.000000"],
      ["2025-01-01", "1", "100.00", "15.00", "1.50", "0.000000"],
      // The refund hits net revenue on the return's own date.
      ["2025-01-02", "0", "0.00", "-12.00", "5.00", ""],
    ]);
  });

  it("adds monthly costs at month grain, converted at the month's last rate", () => {
    const months = exported(dataDir, "pnl", "from=2024-12-01&to=2025-01-31");
    const dec = (country: string) =>
      months.find((m) => m.month === "2024-12-01" && m.country_code === country);
    // GB December: 36.00 net revenue − 2.40 fees − 100 GBP × 1.21 marketing = −87.40
    expect(dec("GB")).toMatchObject({
      marketing_eur: "121.00",
      contribution_margin_eur: "-87.40",
      opex_eur: "0.00",
      ebitda_eur: "-87.40",
    });
    // FR December: net 12.00 (item 4) − 1.00 fee − 1000 marketing − 9000 opex
    expect(dec("FR")).toMatchObject({
      devices_sold: "1",
      net_revenue_eur: "12.00",
      marketing_eur: "1000.00",
      contribution_margin_eur: "-989.00",
      opex_eur: "9000.00",
      ebitda_eur: "-9989.00",
      active_customers: "1",
      new_customers: "1",
      cumulative_customers: "1",
    });
    // France, launched first, is the headquarters: its tech team is central costs (ADR 0019).
    expect(dec("FR")).toMatchObject({
      own_opex_eur: "0.00",
      central_costs_eur: "9000.00",
      cost_basis: "recorded",
    });
    expect(dec("GB")).toMatchObject({ own_opex_eur: "0.00", central_costs_eur: "0.00" });
    const jan = months.find((m) => m.month === "2025-01-01" && m.country_code === "FR");
    expect(jan).toMatchObject({
      devices_sold: "1",
      gmv_eur: "100.00",
      net_revenue_eur: "3.00",
      variable_costs_eur: "6.50",
      new_customers: "0",
    });
  });

  it("allocates central costs by each month's net revenue, in EUR and in a country's own currency", () => {
    // December's net revenue: FR 12.00, GB 36.00 (after the later batch): France's 9,000 € of tech
    // costs split 1 : 3.
    const months = exported(dataDir, "pnl", "from=2024-12-01&to=2024-12-31&costs=allocated");
    const dec = (country: string) => months.find((m) => m.country_code === country);
    expect(dec("FR")).toMatchObject({
      cost_basis: "allocated",
      opex_eur: "2250.00",
      own_opex_eur: "0.00",
      central_costs_eur: "2250.00",
      ebitda_eur: "-3239.00",
    });
    expect(dec("GB")).toMatchObject({
      opex_eur: "6750.00",
      central_costs_eur: "6750.00",
      ebitda_eur: "-6837.40",
    });
    // Europe's total is the same either way: the central costs only move between its countries.
    const europe = (costs: string) =>
      exported(dataDir, "kpis", `from=2024-12-01&to=2024-12-31&compare=none&costs=${costs}`)[0];
    expect(europe("allocated")).toMatchObject({ opex_eur: "9000.00", ebitda_eur: "-10076.40" });
    expect(europe("recorded")).toMatchObject({ opex_eur: "9000.00", ebitda_eur: "-10076.40" });
    // A day takes its month's share in proportion: 2,250 € over 31 days.
    const day = exported(
      dataDir,
      "trend",
      "from=2024-12-30&to=2024-12-30&grain=day&compare=none&country=FR&costs=allocated",
    );
    expect(day[0]).toMatchObject({ opex_eur: "72.58", central_costs_eur: "72.58" });
    // In pounds, GB's share converts at December's last rate: 6,750 € ÷ 1.21.
    const gbp = exported(
      dataDir,
      "kpis",
      "from=2024-12-01&to=2024-12-31&compare=none&country=GB&currency=local&costs=allocated",
    )[0];
    expect(gbp).toMatchObject({ currency: "GBP", opex_eur: "5578.51", central_costs_eur: "5578.51" });
  });
});

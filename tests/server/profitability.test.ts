// The profitability page's loader over the demo warehouse, checked against the monthly P&L mart read
// straight with SQL: monthly EBITDA to the cent, rolling sums, the first month of break-even, the
// waterfall's steps, and bad parameters.

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExportRequest, prepareDownload } from "~/.server/export/stream.server";
import { BadRequest } from "~/.server/overview.server";
import { europeHeadline, loadProfitability } from "~/.server/profitability.server";
import { Warehouse } from "~/.server/warehouse.server";
import { parseCsv } from "~/export/csv";
import { PROFITABILITY_MESSAGES } from "~/i18n/profitability";
import { formatMetricValue } from "~/lib/format";
import { createDemoDataDir, removeDir } from "../helpers/fixture-warehouse";

describe("the profitability loader on the demo warehouse", () => {
  let dataDir: string | undefined;
  let warehouse: Warehouse;
  let pnl: Map<string, number>;

  beforeAll(async () => {
    dataDir = await createDemoDataDir();
    warehouse = new Warehouse({ dataDir, cacheEntries: 0 });
    const r = await warehouse.withDb(async (db) => {
      const { rows } = await sql<{ month: string; ebitda: number }>`
        select month, sum(ebitda_eur) as ebitda from marts.mart_monthly_pnl where region = 'europe' group by 1`.execute(
        db,
      );
      return rows;
    });
    if (r.state !== "ready") throw new Error("no warehouse");
    pnl = new Map(r.result.map((row) => [row.month, row.ebitda]));
  });
  afterAll(async () => {
    warehouse.close();
    await removeDir(dataDir);
  });

  async function view(query: string) {
    const result = await loadProfitability(
      warehouse,
      new URL(`http://backlight.test/profitability?${query}`),
      "en-GB",
    );
    if (result.state !== "ready") throw new Error("no warehouse");
    return result.result;
  }

  it("shows Europe's monthly EBITDA as the P&L mart has it, to the cent, with rolling sums", async () => {
    const v = await view("");
    const actual = v.months.filter((m) => Number.isFinite(m.ebitda));
    expect(actual.length).toBeGreaterThan(100);
    expect(v.asOf).toBe("2024-12");
    for (const m of actual) expect(m.ebitda, m.month).toBeCloseTo(pnl.get(m.month) ?? 0, 4);
    const last12 = actual.slice(-12).reduce((a, m) => a + m.ebitda, 0);
    expect(actual[actual.length - 1]?.rolling12).toBeCloseTo(last12, 4);
    const first = [...pnl.entries()].sort().find(([, e]) => e >= 0)?.[0] ?? null;
    expect(v.breakEven.month).toBe(first);
  });

  it("says in one sentence whether Europe is profitable, from the mart's own months", async () => {
    const v = await view("");
    const months = [...pnl.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .filter(([m]) => m <= "2024-12-01");
    const last4 = months.slice(-4).map(([, e]) => e);
    const eur = (e: number) => `${e > 0 ? "+" : ""}${formatMetricValue(e, "eur", "en-GB")}`;
    const dec = months.at(-1)?.[1] ?? Number.NaN;
    const decBefore = months.find(([m]) => m.startsWith("2023-12"))?.[1] ?? Number.NaN;
    const trailing = months.slice(-12).reduce((a, [, e]) => a + e, 0);
    expect(v.headline).toMatchObject({
      where: "Europe",
      positive: last4.filter((e) => e >= 0).length,
      of: 4,
      latestLabel: "Dec 2024",
      latest: eur(dec),
      yearBefore: { label: "Dec 2023", value: eur(decBefore) },
      trailing12: eur(trailing),
    });
    const sentence = PROFITABILITY_MESSAGES["en-GB"].headline(v.headline);
    expect(sentence).toContain(
      `Europe: EBITDA positive in ${last4.filter((e) => e >= 0).length} of the last 4 months.`,
    );
    expect(sentence).toContain(`Dec 2024: ${eur(dec)} (Dec 2023: ${eur(decBefore)}).`);
    // The forecast part agrees with the forecast card.
    if (v.forecast.month === null) expect(sentence).toContain("does not reach break-even");
    else if (v.forecast.month <= v.asOf) expect(sentence).toContain("is at break-even");
    else expect(sentence).toContain(`break-even in ${v.forecast.label}`);
    // It names the geography the page shows: a region, one country, or the countries chosen.
    expect((await view("country=FR,DE")).headline.where).toBe("France, Germany");
    expect((await view("country=DE")).headline.where).toBe("Germany");
    expect((await view("region=north_america")).headline.where).toBe("North America");
    // The overview shows the same sentence (computed by the same code, for Europe's default view).
    expect(await europeHeadline(warehouse, "en-GB")).toEqual(v.headline);
  });

  it("builds the waterfall so that each total is the running result of the steps before it", async () => {
    const v = await view("from=2024-01-01&to=2024-12-31");
    const step = (id: string, of = v) => of.waterfall.steps.find((s) => s.id === id)?.value ?? Number.NaN;
    // Europe bears the headquarters' central costs: shown apart from the countries' own (ADR 0019).
    expect(v.waterfall.steps.map((s) => s.id)).toEqual([
      "net_revenue_eur",
      "variable_costs_eur",
      "marketing_eur",
      "contribution_margin_eur",
      "own_opex_eur",
      "central_costs_eur",
      "ebitda_eur",
    ]);
    const [net, variable, marketing, contribution, own, central, ebitda] = v.waterfall.steps.map(
      (s) => s.value,
    );
    expect((net ?? 0) + (variable ?? 0) + (marketing ?? 0)).toBeCloseTo(contribution ?? 0, 4);
    expect((contribution ?? 0) + (own ?? 0) + (central ?? 0)).toBeCloseTo(ebitda ?? 0, 4);
    for (const [i, s] of v.waterfall.steps.entries())
      if (s.kind === "decrease") expect(s.from).toBeCloseTo(v.waterfall.steps[i - 1]?.to ?? 0, 4);
    const year = [...pnl.entries()].filter(([m]) => m.startsWith("2024")).reduce((a, [, e]) => a + e, 0);
    expect(ebitda).toBeCloseTo(year, 4);
    // Allocated by net revenue, Europe keeps only its share of them; its own costs do not move.
    const allocated = await view("from=2024-01-01&to=2024-12-31&costs=allocated");
    expect(step("own_opex_eur", allocated)).toBeCloseTo(own ?? 0, 4);
    expect(step("central_costs_eur", allocated)).toBeGreaterThan(central ?? 0);
    expect(step("central_costs_eur", allocated)).toBeLessThan(0);
    expect(step("ebitda_eur", allocated)).toBeCloseTo(
      (ebitda ?? 0) - (central ?? 0) + step("central_costs_eur", allocated),
      4,
    );
  });

  it("forecasts from an earlier month, and says whether break-even comes before the target", async () => {
    const v = await view("as_of=2023-12&target=2024-12-31&window=12");
    expect(v.asOf).toBe("2023-12");
    expect(v.months.filter((m) => Number.isFinite(m.ebitda)).at(-1)?.month).toBe("2023-12");
    // A rising line from below zero projects a month after as_of; the verdict follows from it.
    if (v.forecast.month) expect(v.forecast.beforeTarget).toBe(`${v.forecast.month}-01` <= "2024-12-31");
    expect(v.forecast.backtest?.horizon).toBe(6);
  });

  it("starts a geography's series at its first month of activity, not at the marketplace's", async () => {
    const v = await view("region=north_america");
    const first = v.months[0]?.month ?? "";
    // The US launched in 2018: no month before it can count as break-even.
    expect(first >= "2018-01").toBe(true);
    expect(v.breakEven.month === null || v.breakEven.month >= first).toBe(true);
  });

  it("splits operating costs and headcount by cost centre, summing to the P&L's, with the 2023 cut", async () => {
    const v = await view("");
    const europe = await warehouse.withDb(async (db) => {
      const { rows } = await sql<{ month: string; opex: number; headcount: number }>`
        select month, sum(opex_eur) as opex, sum(headcount) as headcount from marts.mart_monthly_pnl
        where region = 'europe' and month >= '2022-01' group by 1`.execute(db);
      return new Map(rows.map((r) => [r.month, r]));
    });
    if (europe.state !== "ready") throw new Error("no warehouse");
    expect(v.costs.months.map((m) => m.month)).toHaveLength(36);
    for (const m of v.costs.months) {
      const sum = (values: Record<string, number>) => Object.values(values).reduce((a, x) => a + x, 0);
      expect(sum(m.opex), m.month).toBeCloseTo(europe.result.get(m.month)?.opex ?? 0, 4);
      expect(sum(m.headcount), m.month).toBe(europe.result.get(m.month)?.headcount);
    }
    expect(v.costs.centres).toEqual(["customer_care", "general", "marketing_team", "operations", "tech"]);
    const [y2022, y2023] = v.costs.years;
    expect(y2022?.year).toBe("2022");
    // The generator cuts European roles during 2023 (67 of the 93 in France).
    expect((y2023?.headcount ?? 0) < (y2022?.headcount ?? 0)).toBe(true);
    expect(y2023?.headcountChange).toBe(`-${(y2022?.headcount ?? 0) - (y2023?.headcount ?? 0)}`);
  });

  it("shows the UK's P&L in GBP as recorded: sales, returns and costs summed without conversion", async () => {
    const v = await view("country=GB&currency=local");
    expect(v.currency).toEqual({ code: "GBP", local: true, offer: "GBP", refused: null });
    // Straight from the source rows (raw, as loaded), each in its own currency: GB's are all in GBP.
    const raw = await warehouse.withDb(async (db) => {
      const { rows } = await sql<{ month: string; ebitda: number; gmv: number }>`
        with tz as (select 'Europe/Paris' as z),
        items as (
          select strftime(timezone((select z from tz), ordered_at), '%Y-%m') as month,
            sum(commission - payment_fee) as money, sum(price) as gmv
          from raw.order_items where country_code = 'GB' and currency = 'GBP' and status = 'completed' group by 1),
        rets as (
          select strftime(timezone((select z from tz), r.returned_at), '%Y-%m') as month,
            -sum(r.commission_refunded + r.cost_to_marketplace) as money
          from raw.returns r join raw.order_items i using (order_item_id)
          where i.country_code = 'GB' and r.currency = 'GBP' group by 1),
        costs as (
          select month, -sum(amount) as money from (
            select month, amount from raw.marketing_spend where country_code = 'GB' and currency = 'GBP'
            union all select month, amount from raw.operating_costs where country_code = 'GB' and currency = 'GBP')
          group by 1),
        months as (select month from items union select month from rets union select month from costs)
        select m.month, coalesce(i.money, 0) + coalesce(r.money, 0) + coalesce(c.money, 0) as ebitda,
          coalesce(i.gmv, 0) as gmv
        from months m left join items i using (month) left join rets r using (month) left join costs c using (month)`.execute(
        db,
      );
      const { rows: other } = await sql<{ n: number }>`
        select count(*) as n from raw.order_items where country_code = 'GB' and currency <> 'GBP'`.execute(
        db,
      );
      return { months: new Map(rows.map((r) => [r.month, r])), foreign: other[0]?.n };
    });
    if (raw.state !== "ready") throw new Error("no warehouse");
    expect(raw.result.foreign).toBe(0);
    const actual = v.months.filter((m) => Number.isFinite(m.ebitda));
    expect(actual.length).toBeGreaterThan(24);
    for (const m of actual)
      expect(m.ebitda, m.month).toBeCloseTo(raw.result.months.get(m.month)?.ebitda ?? 0, 4);
    // Shown with the pound sign; the EUR view of the same months differs by the rates.
    expect(v.months.at(-1)?.display.gmv_eur).toMatch(/^£/);
    const eur = await view("country=GB");
    expect(eur.currency.code).toBe("EUR");
    expect(eur.months.at(-1)?.display.gmv_eur).toMatch(/^€/);
    expect(eur.months.at(-1)?.ebitda).not.toBeCloseTo(v.months.at(-1)?.ebitda ?? 0, 0);
    // Cost centres in GBP too: summed, the P&L's operating costs.
    const last = v.costs.months.at(-1);
    const opex = Object.values(last?.opex ?? {}).reduce((a, x) => a + x, 0);
    const rawOpex = await warehouse.withDb(async (db) => {
      const { rows } = await sql<{ n: number }>`
        select sum(amount) as n from raw.operating_costs where country_code = 'GB' and month = ${last?.month}`.execute(
        db,
      );
      return rows[0]?.n ?? 0;
    });
    if (rawOpex.state !== "ready") throw new Error("no warehouse");
    expect(opex).toBeCloseTo(rawOpex.result, 4);
  });

  it("exports the page's months and cost centres as its loader has them (CSV, the download's own code)", async () => {
    const csv = async (view: string, query: string) => {
      const download = await prepareDownload(
        warehouse,
        parseExportRequest(view, new URL(`http://t/export/${view}?${query}`), "en-GB"),
      );
      if (!download) throw new Error("no warehouse");
      let text = "";
      for await (const chunk of download.body) text += Buffer.from(chunk).toString("utf8");
      const [header, ...rows] = parseCsv(text, "csv");
      return {
        download,
        rows: rows.map((r) => Object.fromEntries((header ?? []).map((id, i) => [id, r[i] ?? ""]))),
      };
    };
    // Rounded to the cent, half away from zero: within half a cent of the loader's 4-decimal figure.
    const cent = (field: string | undefined, value: number, what: string) =>
      expect(Math.abs(Number(field) - value), what).toBeLessThanOrEqual(0.005 + 1e-9);
    const v = await view("country=GB&currency=local&as_of=2024-06");
    const months = await csv("profitability", "country=GB&currency=local&as_of=2024-06");
    expect(months.download.filename).toMatch(
      /^backlight-profitability-gb-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    expect(months.rows.map((r) => r.month)).toEqual(v.months.map((m) => `${m.month}-01`));
    v.months.forEach((m, i) => {
      const row = months.rows[i];
      expect(row?.currency).toBe("GBP");
      expect(row?.kind, m.month).toBe(Number.isFinite(m.ebitda) ? "actual" : "forecast");
      if (m.values.ebitda_eur === null) expect(row?.ebitda_eur).toBe("");
      else cent(row?.ebitda_eur, m.values.ebitda_eur, m.month);
      if (m.rolling12 === null) expect(row?.ebitda_rolling_12_eur).toBe("");
      else cent(row?.ebitda_rolling_12_eur, m.rolling12, m.month);
      expect(row?.ebitda_trend_eur).toBe(m.trend === null ? "" : `${m.trend}.00`);
    });
    const centres = await csv("cost-centres", "country=GB&as_of=2024-06");
    const eur = await view("country=GB&as_of=2024-06");
    for (const m of eur.costs.months)
      for (const centre of eur.costs.centres) {
        const row = centres.rows.find((r) => r.month === `${m.month}-01` && r.cost_center === centre);
        expect(Number(row?.headcount), `${m.month} ${centre}`).toBe(m.headcount[centre] ?? 0);
        cent(row?.opex_eur, m.opex[centre] ?? 0, `${m.month} ${centre}`);
      }
  });

  it("refuses bad parameters with a message", async () => {
    const bad = async (query: string) => {
      const error = await view(query).catch((e: unknown) => e);
      expect(error, query).toBeInstanceOf(BadRequest);
      return (error as Error).message;
    };
    expect(await bad("window=2")).toBe("window: at least 3 months");
    expect(await bad("as_of=2024-13")).toBe("as_of: must be a month written YYYY-MM");
    expect(await bad("as_of=2030-01")).toContain("the data covers whole months up to 2024-12");
    expect(await bad("target=tomorrow")).toBe('target: "tomorrow" must be a date written YYYY-MM-DD');
    expect(await bad("target=2024-02-30")).toBe("target: 2024-02-30 is not a calendar date");
    expect(await bad("colour=red")).toMatch(/^colour: unknown parameter \(this page takes: /);
  });
});

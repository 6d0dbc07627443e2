// The export command line's documented form (issue 16): `npm run export -- kpis --from <date> --to
// <date> --grain day|week|month|quarter|year --by none|country|region` writes `period,<group>,<every
// glossary metric>`, one row per period × group; --filter still works and combines with the flags
// (the flags win). Checked on the two-month batch with text ids, against the overview's hand-worked
// answers (tests/helpers/overview-fixture.ts).

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppState, stateDirectory } from "~/.server/auth/state.server";
import { METRIC_IDS } from "~/metrics/catalogue";
import { cleanUpEtl, tempDir } from "../helpers/etl.ts";
import { OVERVIEW_ANSWERS } from "../helpers/overview-fixture.ts";
import { publishLanding, twoMonthBatch, writeCsvBatch } from "../helpers/real-extract.ts";
import { REPO_ROOT } from "../helpers/repo.ts";

let dataDir: string;

function exportCli(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "cli/export.ts", ...args, "--data-dir", dataDir], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
}

/** The CSV as a header and records keyed by column (no field of these views holds a comma). */
function kpis(...args: string[]): { header: string[]; rows: Record<string, string>[] } {
  const run = exportCli("kpis", ...args);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const [head, ...lines] = run.stdout.trim().split("\r\n");
  const header = (head ?? "").split(",");
  return {
    header,
    rows: lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [header[i], v]))),
  };
}

const pick = (rows: Record<string, string>[], ...columns: string[]) =>
  rows.map((r) => columns.map((c) => r[c]).join(" "));

describe("npm run export -- kpis --from --to --grain --by", () => {
  beforeAll(() => {
    const landing = tempDir("export-landing");
    dataDir = join(tempDir("export-data"), "data");
    writeCsvBatch(landing, "2025-01-01_first", twoMonthBatch());
    publishLanding(landing, dataDir);
  });

  afterAll(() => cleanUpEtl());

  it("writes one row per month with every glossary metric, matching the hand-worked answers", () => {
    const { header, rows } = kpis(
      "--from",
      "2024-11-01",
      "--to",
      "2024-12-31",
      "--grain",
      "month",
      "--by",
      "none",
    );
    expect(header).toEqual(["period", ...METRIC_IDS]);
    expect(rows.map((r) => r.period)).toEqual(["2024-11-01", "2024-12-01"]);
    const [november, december] = rows;
    for (const [row, answers] of [
      [november, OVERVIEW_ANSWERS.november],
      [december, OVERVIEW_ANSWERS.december],
    ] as const) {
      expect(Number(row?.gmv_eur)).toBe(answers.gmv_eur);
      expect(Number(row?.devices_sold)).toBe(answers.devices_sold);
      expect(Number(row?.new_customers)).toBe(answers.new_customers);
      expect(Number(row?.active_customers)).toBe(answers.active_customers);
      expect(Number(row?.cumulative_customers)).toBe(answers.cumulative_customers);
      expect(Number(row?.net_revenue_eur)).toBeCloseTo(answers.net_revenue_eur, 2);
      expect(Number(row?.ebitda_eur)).toBeCloseTo(answers.ebitda_eur, 2);
    }
  });

  it("splits by country and by region at every grain", () => {
    const byCountry = kpis(
      "--from",
      "2024-11-01",
      "--to",
      "2024-12-31",
      "--grain",
      "month",
      "--by",
      "country",
    );
    expect(byCountry.header.slice(0, 3)).toEqual(["period", "country_code", METRIC_IDS[0]]);
    // December: FR 150 + 80, GB 100 GBP × 1.20, US 100 USD × 0.95; GB had no sale in November.
    expect(pick(byCountry.rows, "period", "country_code", "gmv_eur", "devices_sold")).toEqual([
      "2024-11-01 FR 300.00 2",
      "2024-11-01 GB 0.00 0",
      "2024-11-01 US 270.00 1",
      "2024-12-01 FR 230.00 2",
      "2024-12-01 GB 120.00 1",
      "2024-12-01 US 95.00 1",
    ]);
    const byRegion = kpis(
      "--from",
      "2024-10-01",
      "--to",
      "2024-12-31",
      "--grain",
      "quarter",
      "--by",
      "region",
    );
    expect(pick(byRegion.rows, "period", "region", "gmv_eur", "new_customers")).toEqual([
      "2024-10-01 europe 650.00 4",
      "2024-10-01 north_america 365.00 1",
    ]);
    const byYear = kpis("--from", "2024-01-01", "--to", "2024-12-31", "--grain", "year", "--by", "country");
    expect(pick(byYear.rows, "period", "country_code", "gmv_eur")).toEqual([
      "2024-01-01 FR 530.00",
      "2024-01-01 GB 120.00",
      "2024-01-01 US 365.00",
    ]);
    const byWeek = kpis("--from", "2024-12-09", "--to", "2024-12-22", "--grain", "week", "--by", "region");
    // Week of 9 December: FR 80 (10th), GB 120 (12th); week of 16 December: US 95 (18th); FR's
    // cancelled item of the 20th counts nothing.
    expect(pick(byWeek.rows, "period", "region", "gmv_eur")).toEqual([
      "2024-12-09 europe 200.00",
      "2024-12-09 north_america 0.00",
      "2024-12-16 europe 0.00",
      "2024-12-16 north_america 95.00",
    ]);
    const byDay = kpis("--from", "2024-12-10", "--to", "2024-12-12", "--grain", "day", "--by", "country");
    expect(
      byDay.rows.filter((r) => r.devices_sold !== "0").map((r) => `${r.period} ${r.country_code}`),
    ).toEqual(["2024-12-10 FR", "2024-12-12 GB"]);
    expect(byDay.rows).toHaveLength(9);
  });

  it("combines with --filter; the flags win over the same filters", () => {
    const { rows } = kpis(
      "--filter",
      "http://localhost:3000/?range=last_30_days&grain=day&country=FR",
      "--from",
      "2024-11-01",
      "--to",
      "2024-12-31",
      "--grain",
      "month",
    );
    expect(pick(rows, "period", "gmv_eur")).toEqual(["2024-11-01 300.00", "2024-12-01 230.00"]);
  });

  it("refuses bad flags in one line with exit code 2", () => {
    for (const [args, message] of [
      [["--grain", "fortnight"], '--grain must be one of day, week, month, quarter, year, got "fortnight"'],
      [["--by", "city"], '--by must be none, country or region, got "city"'],
      [["--from", "2024-11-01"], "--from and --to go together"],
      [["--from", "2024-12-31", "--to", "2024-11-01"], "from: 2024-12-31 is after to (2024-11-01)"],
    ] as const) {
      const run = exportCli("kpis", ...args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr.split("\n")[0]).toContain(message);
    }
    const trend = exportCli("trend", "--by", "country");
    expect(trend.status).toBe(2);
    expect(trend.stderr.split("\n")[0]).toBe("error: --by applies to kpis only (trend has its own rows)");
  });
  it("writes the file alone to stdout: the server's notes go to stderr (a CSV piped to a file starts with its header)", () => {
    const run = exportCli("pricing-sellers", "--filter", "range=all_time");
    expect(run.status, run.stderr).toBe(0);
    const [head, ...lines] = run.stdout.trim().split("\r\n");
    expect(head?.split(",").slice(0, 3)).toEqual(["seller_id", "seller_name", "seller_country"]);
    expect(lines.length).toBeGreaterThan(0);
    expect(run.stdout).not.toContain("backlight:");
  });
  it("writes the business events kept in the warehouse's app state (the events view)", async () => {
    // None recorded: a header and no row, not an error.
    const none = exportCli("events", "--from", "2024-11-01", "--to", "2024-12-31");
    expect(none.status, none.stderr).toBe(0);
    expect(none.stdout.trim().split("\r\n")).toEqual(["day,country_code,label,label_en,label_fr"]);
    const state = await AppState.open(stateDirectory(dataDir));
    try {
      await state.addEvent(
        {
          day: "2024-11-15",
          label: { "en-GB": "Black Friday, early", "fr-FR": "Black Friday, en avance" },
          country: null,
        },
        null,
      );
      await state.addEvent(
        { day: "2024-12-02", label: { "en-GB": "Lyon shop", "fr-FR": "Boutique de Lyon" }, country: "FR" },
        null,
      );
      await state.addEvent(
        {
          day: "2024-12-03",
          label: { "en-GB": "Berlin shop", "fr-FR": "Boutique de Berlin" },
          country: "DE",
        },
        null,
      );
    } finally {
      await state.close();
    }
    const run = exportCli(
      "events",
      "--filter",
      "country=FR",
      "--from",
      "2024-11-01",
      "--to",
      "2024-12-31",
      "--lang",
      "fr",
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\r\n")).toEqual([
      "day,country_code,label,label_en,label_fr",
      '2024-11-15,,"Black Friday, en avance","Black Friday, early","Black Friday, en avance"',
      "2024-12-02,FR,Boutique de Lyon,Lyon shop,Boutique de Lyon",
    ]);
  });
});

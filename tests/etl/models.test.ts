// The model headers' month_onward lookback: where a run's rebuild starts, and what a header may say.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstAffectedMonth, loadModels, renderSql } from "../../pipelines/etl/models";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A sql/ folder holding one mart with the given text. */
function sqlDir(mart: string): string {
  const dir = mkdtempSync(join(tmpdir(), "backlight-models-"));
  dirs.push(dir);
  for (const layer of ["staging", "intermediate", "marts"]) mkdirSync(join(dir, layer));
  writeFileSync(join(dir, "marts", "mart_x.sql"), mart);
  return dir;
}

describe("month_onward models with a lookback", () => {
  it("start the rebuild at the month of the first affected date less the lookback", () => {
    const context = {
      timeZone: "Europe/Paris",
      full: false,
      affectedRange: ["2024-12-01", "2024-12-31"] as [string, string],
    };
    expect(firstAffectedMonth(context)).toBe("2024-12-01");
    // 365 days before 1 December 2024 is 2 December 2023 (2024 is a leap year): December 2023.
    expect(firstAffectedMonth(context, 365)).toBe("2023-12-01");
    expect(firstAffectedMonth({ ...context, affectedRange: ["2024-03-01", "2024-03-02"] }, 1)).toBe(
      "2024-02-01",
    );
    expect(firstAffectedMonth({ ...context, affectedRange: undefined }, 365)).toBe("9999-12-01");
  });

  it("render incremental_from with the lookback, and true on a full build", () => {
    const [model] = loadModels(
      sqlDir(
        "-- materialized: incremental\n-- incremental_by: month_onward\n-- lookback_days: 365\nselect 1 as month from t where {{ incremental_from('d') }}\n",
      ),
    );
    expect(model?.lookbackDays).toBe(365);
    const context = {
      timeZone: "Europe/Paris",
      full: false,
      affectedRange: ["2024-12-01", "2024-12-31"] as [string, string],
    };
    expect(renderSql(model as never, context)).toContain("(d) >= DATE '2023-12-01'");
    expect(renderSql(model as never, { ...context, full: true })).toContain("where true");
  });

  it("refuse a lookback on any other kind of model, or one that is not a number of days", () => {
    expect(() => loadModels(sqlDir("-- materialized: table\n-- lookback_days: 30\nselect 1\n"))).toThrow(
      "mart_x.sql: lookback_days takes a whole number of days, for month_onward models only",
    );
    expect(() =>
      loadModels(
        sqlDir(
          "-- materialized: incremental\n-- incremental_by: month_onward\n-- lookback_days: a year\nselect 1\n",
        ),
      ),
    ).toThrow("lookback_days takes a whole number of days");
  });
});

import { describe, expect, it } from "vitest";
import type { Cell, ExportColumn } from "~/export/columns";
import { inScreenOrder } from "./screen-order.server";
import type { ExportTable } from "./views.server";

const column = (id: string, kind: ExportColumn["kind"] = "code"): ExportColumn => ({ id, label: id, kind });

// A breakdown as views.server.ts writes it: by series, then regions and their countries by code.
//   current:    europe 350 (FR 230, GB 120, DE null)   north_america 95 (US 95)
//   comparison: europe 300 (FR 300)                     north_america 50 (US 50)
const rows: Cell[][] = [
  ["current", "region", "europe", null, "EUR", 350],
  ["current", "country", "europe", "DE", "EUR", null],
  ["current", "country", "europe", "FR", "EUR", 230],
  ["current", "country", "europe", "GB", "EUR", 120],
  ["current", "region", "north_america", null, "EUR", 95],
  ["current", "country", "north_america", "US", "EUR", 95],
  ["comparison", "region", "europe", null, "EUR", 300],
  ["comparison", "country", "europe", "FR", "EUR", 300],
  ["comparison", "region", "north_america", null, "EUR", 50],
  ["comparison", "country", "north_america", "US", "EUR", 50],
];

const table = (view: ExportTable["view"] = "breakdown"): ExportTable => ({
  view,
  snapshot: { id: "s", file: "/s.duckdb", createdAt: "2025-01-01T00:00:00Z", synthetic: true },
  range: { from: "2024-12-01", to: "2024-12-31" },
  columns: [
    column("series", "text"),
    column("level", "text"),
    column("region"),
    column("country_code"),
    column("currency"),
    column("gmv_eur", "decimal"),
  ],
  rows,
});

const keys = (t: ExportTable) => t.rows.map((r) => `${r[0] === "current" ? "" : "~"}${r[3] ?? r[2]}`);
const ordered = (query: string, locale: "en-GB" | "fr-FR" = "en-GB", view?: ExportTable["view"]) =>
  keys(inScreenOrder(table(view), new URLSearchParams(query), locale));

describe("the Excel breakdown in the screen's order", () => {
  it("sorts by the trend's metric, largest first, by default; a missing figure last", () => {
    expect(ordered("")).toEqual([
      "europe",
      "FR",
      "GB",
      "DE",
      "north_america",
      "US",
      "~europe",
      "~FR",
      "~north_america",
      "~US",
    ]);
  });

  it("follows sort and dir, regions first and each region's countries under it", () => {
    expect(ordered("sort=gmv_eur&dir=asc")).toEqual([
      "north_america",
      "US",
      "europe",
      "DE",
      "GB",
      "FR",
      "~north_america",
      "~US",
      "~europe",
      "~FR",
    ]);
  });

  it("sorts names in the reader's language: Amérique du Nord before Europe in French", () => {
    expect(ordered("sort=name&dir=asc", "fr-FR").slice(0, 6)).toEqual([
      "north_america",
      "US",
      "europe",
      "DE", // Allemagne
      "FR", // France
      "GB", // Royaume-Uni
    ]);
    expect(ordered("sort=name&dir=asc", "en-GB").slice(0, 6)).toEqual([
      "europe",
      "FR", // France
      "DE", // Germany
      "GB", // United Kingdom
      "north_america",
      "US",
    ]);
  });

  it("falls back to the metric when the sort column is not in the file, and leaves other views alone", () => {
    expect(ordered("sort=ebitda_eur&dir=asc")).toEqual(ordered("sort=gmv_eur&dir=asc"));
    expect(ordered("sort=name", "en-GB", "kpis")).toEqual(keys(table()));
  });
});

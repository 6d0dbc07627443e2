import { describe, expect, it } from "vitest";
import { filenameFor, filtersSummary } from "./file-name.ts";

const summary = (query: string) => filtersSummary(new URLSearchParams(query));

describe("a download's file name", () => {
  it("says the view, the active filters and the dates", () => {
    expect(
      filenameFor("kpis", summary("region=europe&range=last_12_months"), "2024-01-01", "2024-12-31", "csv"),
    ).toBe("backlight-kpis-europe-2024-01-01-2024-12-31.csv");
    expect(filenameFor("overview", "", "2024-01-01", "2024-03-31", "csv-excel-fr")).toBe(
      "backlight-overview-2024-01-01-2024-03-31.csv",
    );
    expect(filenameFor("unit-economics", "fr", "2024-01-01", "2024-01-01", "parquet")).toBe(
      "backlight-unit-economics-fr-2024-01-01-2024-01-01.parquet",
    );
    expect(filenameFor("pnl", "north-america", "2024-01-01", "2024-01-02", "arrow")).toBe(
      "backlight-pnl-north-america-2024-01-01-2024-01-02.arrow",
    );
  });

  it("summarises the filters as a short slug of codes, in a fixed order, empty when none is set", () => {
    expect(summary("")).toBe("");
    expect(summary("from=2024-01-01&to=2024-12-31&metric=gmv_eur&sort=name&dir=asc&currency=local")).toBe("");
    expect(summary("country=FR,DE")).toBe("fr-de");
    expect(summary("grade=very_good&category=smartphone&region=north_america")).toBe(
      "north-america-smartphone-very-good",
    );
    expect(summary("channel=partner&partner=bouygues_telecom")).toBe("partner-bouygues-telecom");
    // Many codes are counted, not listed: the name stays short.
    expect(summary("country=FR,DE,ES,IT,NL&category=smartphone")).toBe("5-countries-smartphone");
    expect(summary("country=FR&country=FR")).toBe("fr");
  });

  it("never copies what a user typed: codes outside their lists are left out", () => {
    expect(summary("region=../../etc&country=fr,F R,FRA,\r\nX&category=<script>&grade=Premium")).toBe("");
    expect(summary("partner=verizon%2F..%2Fx&channel=web")).toBe("web");
    for (const slug of ["../x", "a b", "-fr", "fr-", "FR", "a--b", "é"])
      expect(() => filenameFor("kpis", slug, "2024-01-01", "2024-01-02", "csv")).toThrow(/slug/);
  });

  it("refuses a view or a date that is not safe", () => {
    for (const view of ["../etc/passwd", "a b", "", "Overview", "a/b", "a\r\nb", "ünit"])
      expect(() => filenameFor(view, "", "2024-01-01", "2024-01-02", "csv")).toThrow(/view/);
    for (const date of ["2024-13-45", "2024-1-1", "20240101", "2024-01-01/../x", "2024-02-30"])
      expect(() => filenameFor("overview", "", date, "2024-01-02", "csv")).toThrow(/date/);
    expect(() => filenameFor("overview", "", "2024-01-01", "x", "csv")).toThrow(/date/);
  });
});

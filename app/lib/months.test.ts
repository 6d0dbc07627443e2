import { describe, expect, it } from "vitest";
import { lastDayOf, monthsBack, monthsBetween, unfinishedMonth } from "./months";

describe("calendar months", () => {
  it("counts, steps back and ends months across years and leap years", () => {
    expect(monthsBetween("2021-06-20", "2021-06")).toBe(0);
    expect(monthsBetween("2020-01-15", "2021-06-20")).toBe(17);
    expect(monthsBetween("2021-06", "2020-06-01")).toBe(-12);
    expect(monthsBack("2024-12", 12)).toBe("2024-01");
    expect(monthsBack("2024-03", 4)).toBe("2023-12");
    expect(monthsBack("2024-03", 1)).toBe("2024-03");
    expect(lastDayOf("2024-02")).toBe("2024-02-29");
    expect(lastDayOf("2023-02")).toBe("2023-02-28");
    expect(lastDayOf("2024-12")).toBe("2024-12-31");
  });

  it("tells a month not over yet from one whose last day has data", () => {
    expect(unfinishedMonth("2025-01-01")).toBe("2025-01");
    expect(unfinishedMonth("2024-12-31")).toBeNull();
    expect(unfinishedMonth(null)).toBeNull();
  });
});

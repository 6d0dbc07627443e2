import { describe, expect, it } from "vitest";
import {
  backtest,
  fitLine,
  MAX_BREAK_EVEN_MONTHS,
  monthsToBreakEven,
  project,
  rollingSums,
} from "./forecast";

describe("the profitability forecast", () => {
  it("fits a straight line exactly through points on a line", () => {
    const fit = fitLine([-100, -80, -60, -40]);
    expect(fit?.slope).toBeCloseTo(20, 10);
    expect(fit?.last).toBeCloseTo(-40, 10);
    expect(project(fit as NonNullable<typeof fit>, 2)).toBeCloseTo(0, 10);
    expect(monthsToBreakEven(fit as NonNullable<typeof fit>)).toBe(2);
  });

  it("least squares through noisy points: slope and level by hand", () => {
    // x = 0..3, y = 1, 3, 2, 6: mean x 1.5, mean y 3, Sxy = 3 + 0 − 0.5 + 4.5 = 7, Sxx = 5
    // → slope 1.4, level at x = 3: 3 + 1.4 × 1.5 = 5.1
    const fit = fitLine([1, 3, 2, 6]);
    expect(fit?.slope).toBeCloseTo(1.4, 12);
    expect(fit?.last).toBeCloseTo(5.1, 12);
    expect(monthsToBreakEven(fit as NonNullable<typeof fit>)).toBe(0);
  });

  it("says never when below zero and not rising", () => {
    expect(monthsToBreakEven({ slope: 0, last: -5 })).toBeNull();
    expect(monthsToBreakEven({ slope: -1, last: -5 })).toBeNull();
    expect(fitLine([3])).toBeNull();
  });

  it("says never when the line rises too slowly to reach zero within a century", () => {
    // Three months of flat losses that a young country showed (issue 19's bench drew its page): a rise
    // of €0.0164 a month, zero in 9.6 million months.
    const fit = fitLine([-157548.882, -157548.8668, -157548.8492]) as NonNullable<ReturnType<typeof fitLine>>;
    expect(fit.slope).toBeCloseTo(0.0164, 10);
    expect(monthsToBreakEven(fit)).toBeNull();
    expect(monthsToBreakEven({ slope: 1, last: -MAX_BREAK_EVEN_MONTHS })).toBe(MAX_BREAK_EVEN_MONTHS);
    expect(monthsToBreakEven({ slope: 1, last: -MAX_BREAK_EVEN_MONTHS - 1 })).toBeNull();
  });

  it("back-tests the fit made `horizon` months earlier against what followed", () => {
    // The window [0, 10, 20] fits y = 10x exactly; the next two months were 35 and 40 (forecast 30, 40).
    expect(backtest([0, 10, 20, 35, 40], 3, 2)).toEqual({ horizon: 2, mae: 2.5, from: 3 });
    expect(backtest([0, 10], 3, 2)).toBeNull();
  });

  it("sums the last n months, exact to 1/10,000", () => {
    expect(rollingSums([0.1, 0.2, 0.3, -0.6], 3)).toEqual([null, null, 0.6, -0.1]);
  });
});

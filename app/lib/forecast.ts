// The path-to-profitability forecast: a straight line fitted by least squares to the last N months of
// EBITDA, extended until it crosses zero. Deliberately simple, so that the page can state it in one
// sentence, and checked by a back-test: the same fit made some months earlier, against what happened.

export interface LinearFit {
  /** EBITDA change per month. */
  slope: number;
  /** Fitted value at the last month of the window. */
  last: number;
}

/** Least-squares line through the values (x = 0, 1, 2…), or null with fewer than 2 points. */
export function fitLine(values: readonly number[]): LinearFit | null {
  const n = values.length;
  if (n < 2) return null;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  values.forEach((v, x) => {
    sxy += (x - meanX) * (v - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxy / sxx;
  return { slope, last: meanY + slope * (n - 1 - meanX) };
}

/** The fitted line's value `ahead` months after the window's last month. */
export function project(fit: LinearFit, ahead: number): number {
  return fit.last + fit.slope * ahead;
}

/**
 * Months after the window's end until the fitted line reaches zero: 0 when the fit is already at or
 * above zero, null when it is below and not rising, or rising so slowly that it would take more than
 * MAX_BREAK_EVEN_MONTHS (never on this trend).
 */
export function monthsToBreakEven(fit: LinearFit): number | null {
  if (fit.last >= 0) return 0;
  if (fit.slope <= 0) return null;
  const months = Math.ceil(-fit.last / fit.slope);
  return months <= MAX_BREAK_EVEN_MONTHS ? months : null;
}

/**
 * A line that reaches zero only after this many months does not reach it in any sense a reader can use:
 * a young country's three months of flat losses (−€157,548.88, −€157,548.87, −€157,548.85) fit a rise of
 * €0.02 a month, "break-even" 9.6 million months on, which no calendar holds (the page answered 503).
 */
export const MAX_BREAK_EVEN_MONTHS = 100 * 12;

export interface Backtest {
  /** Months held out after the fit's window. */
  horizon: number;
  /** Mean absolute error of the held-out months' forecasts. */
  mae: number;
  /** Index (in the series) of the first held-out month. */
  from: number;
}

/**
 * Fits the `window` months that end `horizon` months before the series' end and measures how far its
 * projections fell from the `horizon` months that followed. Null when the series is too short.
 */
export function backtest(values: readonly number[], window: number, horizon: number): Backtest | null {
  const end = values.length - horizon;
  if (end - window < 0 || horizon < 1) return null;
  const fit = fitLine(values.slice(end - window, end));
  if (!fit) return null;
  let error = 0;
  for (let h = 1; h <= horizon; h++) error += Math.abs(project(fit, h) - (values[end + h - 1] as number));
  return { horizon, mae: error / horizon, from: end };
}

/** Sums of the last `n` values at each position (null until `n` values exist). */
export function rollingSums(values: readonly number[], n: number): (number | null)[] {
  let sum = 0;
  return values.map((v, i) => {
    sum += v;
    if (i >= n) sum -= values[i - n] as number;
    return i >= n - 1 ? Math.round(sum * 10_000) / 10_000 : null;
  });
}

/** The line's value `ahead` months on, in whole euros (what the chart draws). */
export function projectWholeEuros(fit: LinearFit, ahead: number): number {
  return Math.round(project(fit, ahead));
}

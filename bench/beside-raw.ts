// Part of `npm run bench -- --only pages` (issue 19): three representative questions, each asked of the
// built server as a page (a first visit: an URL nobody asked since the server started) and of DuckDB
// straight from the order items (raw.order_items, 30.5M rows at scale 1, through the views that convert
// amounts to EUR at the day's rate, as the pipeline's marts read them), side by side in one run, one
// question at a time on an otherwise idle server. The page's answer is read back from its download (the
// same filters) and must equal DuckDB's: the same figure, to the customer and to the cent.
//
// The page does more than the raw query (its comparison, sparklines, every other figure on it, the HTML);
// the raw query is the question alone. Each question is asked over several periods (fresh URLs, so no
// cache answers the page); DuckDB is first asked the question once over another period (its buffers warm,
// as the server's are after its start-up warming) and then over the same periods as the page.

import { DuckDBInstance } from "@duckdb/node-api";
import { parseCsv } from "~/export/csv";
import { monthEnd } from "~/lib/grammar";

/** A signed-in GET on the server under test: status, Server-Timing header, decoded body. */
export type Fetch = (
  path: string,
) => Promise<{ status: number; serverTiming: string | null; text: () => string }>;

interface Period {
  from: string;
  to: string;
  /** The one country, for the questions about one. */
  country?: string;
}

interface Question {
  name: string;
  /** What is asked, in words (printed and kept with the figures). */
  asks: string;
  page: (p: Period) => string;
  download: (p: Period) => string;
  sql: (p: Period) => string;
  /** The answer as comparable text lines, from DuckDB's rows and from the page's download. */
  fromRows: (rows: Record<string, unknown>[]) => string[];
  fromDownload: (records: string[][]) => string[];
  /** Asked once before the timed periods, to warm DuckDB's buffers. */
  warm: Period;
  periods: Period[];
}

const day = (iso: string) => `DATE '${iso}'`;
/** Columns of a download by name, for the rows that pass `keep`. */
function columns(records: string[][], names: string[], keep: (row: Record<string, string>) => boolean) {
  const [header, ...rows] = records;
  if (!header) return [];
  return rows
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])))
    .filter(keep)
    .map((row) => names.map((n) => row[n]).join(" "));
}

const countryOf = (p: Period) => p.country ?? "FR";
const sorted = (lines: string[]) => [...lines].sort();

export const QUESTIONS: readonly Question[] = [
  {
    name: "overview",
    asks: "active customers of France and Japan (two regions) over about three months",
    page: (p) => `/?from=${p.from}&to=${p.to}&compare=none&metric=active_customers&country=FR,JP`,
    download: (p) => `/export/kpis?from=${p.from}&to=${p.to}&compare=none&country=FR,JP&format=csv`,
    sql: (p) =>
      `SELECT count(DISTINCT customer_key)::VARCHAR AS active FROM raw.order_items
       WHERE status = 'completed' AND country_code IN ('FR', 'JP')
         AND reporting_date BETWEEN ${day(p.from)} AND ${day(p.to)}`,
    fromRows: (rows) => rows.map((r) => String(r.active)),
    fromDownload: (records) => columns(records, ["active_customers"], (r) => r.series === "current"),
    warm: { from: "2021-05-02", to: "2021-08-01" },
    periods: [
      { from: "2022-02-10", to: "2022-05-10" },
      { from: "2022-07-05", to: "2022-10-04" },
      { from: "2023-01-15", to: "2023-04-14" },
      { from: "2023-06-20", to: "2023-09-17" },
      { from: "2024-03-03", to: "2024-06-01" },
    ],
  },
  {
    name: "regions",
    asks: "net revenue of every country (commission less commission refunded) over about half a year",
    page: (p) => `/regions?from=${p.from}&to=${p.to}&compare=none`,
    download: (p) => `/export/breakdown?from=${p.from}&to=${p.to}&compare=none&format=csv`,
    sql: (p) =>
      `WITH sold AS (
         SELECT country_code, sum(commission_eur) AS eur FROM intermediate.int_order_items
         WHERE status = 'completed' AND reporting_date BETWEEN ${day(p.from)} AND ${day(p.to)} GROUP BY 1),
       refunded AS (
         SELECT country_code, sum(commission_refunded_eur) AS eur FROM intermediate.int_returns
         WHERE reporting_date BETWEEN ${day(p.from)} AND ${day(p.to)} GROUP BY 1)
       SELECT country_code, round(coalesce(sold.eur, 0) - coalesce(refunded.eur, 0), 2)::VARCHAR AS net
       FROM sold FULL JOIN refunded USING (country_code)`,
    // The download lists every country, 0.00 for one not yet launched; the order items have no row there.
    fromRows: (rows) =>
      sorted(rows.map((r) => `${r.country_code} ${r.net}`).filter((l) => !l.endsWith(" 0.00"))),
    fromDownload: (records) =>
      sorted(
        columns(
          records,
          ["country_code", "net_revenue_eur"],
          (r) => r.series === "current" && r.level === "country" && r.net_revenue_eur !== "0.00",
        ),
      ),
    warm: { from: "2020-01-07", to: "2020-06-30" },
    periods: [
      { from: "2021-03-09", to: "2021-09-02" },
      { from: "2022-01-17", to: "2022-07-15" },
      { from: "2022-08-01", to: "2023-01-31" },
      { from: "2023-05-12", to: "2023-11-03" },
      { from: "2024-02-20", to: "2024-08-19" },
    ],
  },
  {
    name: "pricing",
    asks: "each seller's sales in one country over two years whose displayed new price is over 10% above the market's",
    page: (p) => `/pricing?from=${p.from}&to=${p.to}&country=${countryOf(p)}&threshold=10`,
    download: (p) =>
      `/export/pricing-sellers?from=${p.from}&to=${p.to}&country=${countryOf(p)}&threshold=10&format=csv`,
    // The market new price of the model on the day sold: the latest new_prices row on or before it.
    sql: (p) =>
      `SELECT i.seller_id, count(*)::VARCHAR AS sales,
         count(*) FILTER (WHERE 100 * i.displayed_new_price_eur > 110 * n.new_price_eur)::VARCHAR AS inflated
       FROM intermediate.int_order_items i
       ASOF LEFT JOIN staging.stg_new_prices n ON n.product_key = i.product_key AND i.reporting_date >= n.valid_from
       WHERE i.status = 'completed' AND i.country_code = '${countryOf(p)}'
         AND i.reporting_date BETWEEN ${day(`${p.from}-01`)} AND ${day(monthEnd(p.to))}
       GROUP BY 1`,
    fromRows: (rows) => rows.map((r) => `${r.seller_id} ${r.sales} ${r.inflated}`),
    fromDownload: (records) => columns(records, ["seller_id", "sales", "inflated_sales"], () => true),
    warm: { from: "2019-01", to: "2020-12", country: "GB" },
    periods: [
      { from: "2021-03", to: "2023-02", country: "FR" },
      { from: "2022-01", to: "2023-12", country: "DE" },
      { from: "2022-07", to: "2024-06", country: "ES" },
      { from: "2021-10", to: "2023-09", country: "IT" },
      { from: "2023-01", to: "2024-12", country: "US" },
    ],
  },
];

export interface BesideRaw {
  name: string;
  asks: string;
  example: { page: string; sql: string };
  /** The page as its client saw it (to the last byte), and the server's own time to its headers. */
  pageMs: number[];
  pageServerMs: number[];
  rawMs: number[];
  /** Medians over the periods, and page ÷ raw. */
  pageMedianMs: number;
  pageServerMedianMs: number;
  rawMedianMs: number;
  ratio: number;
  /** Periods whose download did not give DuckDB's answer (each named). */
  differing: { page: string; raw: string[]; download: string[] }[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2 : Number.NaN;
};
const round = (v: number) => Number(v.toFixed(1));

/** Asks each question of the server and of DuckDB (the snapshot's file, read-only), one at a time. */
export async function besideRaw(snapshotFile: string, fetchPage: Fetch): Promise<BesideRaw[]> {
  const db = await DuckDBInstance.create(snapshotFile, {
    access_mode: "READ_ONLY",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const conn = await db.connect();
  const ask = async (sql: string) => {
    const start = performance.now();
    const rows = (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    return { rows, ms: performance.now() - start };
  };
  const out: BesideRaw[] = [];
  try {
    for (const q of QUESTIONS) {
      await ask(q.sql(q.warm));
      const pageMs: number[] = [];
      const pageServerMs: number[] = [];
      const rawMs: number[] = [];
      const differing: BesideRaw["differing"] = [];
      for (const p of q.periods) {
        const start = performance.now();
        const page = await fetchPage(q.page(p));
        pageMs.push(performance.now() - start);
        if (page.status !== 200) throw new Error(`${q.page(p)} answered ${page.status}`);
        pageServerMs.push(Number(/app;dur=([\d.]+)/.exec(page.serverTiming ?? "")?.[1] ?? Number.NaN));
        const raw = await ask(q.sql(p));
        rawMs.push(raw.ms);
        const download = await fetchPage(q.download(p));
        if (download.status !== 200) throw new Error(`${q.download(p)} answered ${download.status}`);
        const mine = q.fromDownload(parseCsv(download.text(), "csv"));
        const theirs = q.fromRows(raw.rows);
        // The sellers' download lists the sellers the page ranks, not every one: each of its rows must be
        // DuckDB's, and it must not be empty.
        const same =
          q.name === "pricing"
            ? mine.length > 0 && mine.every((line) => theirs.includes(line))
            : JSON.stringify(mine) === JSON.stringify(theirs);
        if (!same) differing.push({ page: q.page(p), raw: theirs.slice(0, 20), download: mine.slice(0, 20) });
      }
      const pageMedianMs = round(median(pageMs));
      const rawMedianMs = round(median(rawMs));
      out.push({
        name: q.name,
        asks: q.asks,
        example: {
          page: q.page(q.periods[0] as Period),
          sql: q.sql(q.periods[0] as Period).replace(/\s+/g, " "),
        },
        pageMs: pageMs.map(round),
        pageServerMs: pageServerMs.map(round),
        rawMs: rawMs.map(round),
        pageMedianMs,
        pageServerMedianMs: round(median(pageServerMs)),
        rawMedianMs,
        ratio: Number((pageMedianMs / rawMedianMs).toFixed(3)),
        differing,
      });
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return out;
}

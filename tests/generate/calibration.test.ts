// The synthetic marketplace shows the patterns the dashboards are built to reveal (scale 0.01).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTRIES, PARTNERS, PREMIUM_LAUNCHED_ON } from "../../pipelines/generate/reference.ts";
import { generateTo, removeGenerated } from "../helpers/generated.ts";
import { type Landing, openLanding } from "../helpers/landing.ts";

describe("calibration at scale 0.01", () => {
  let landing: Landing;

  beforeAll(async () => {
    const { dir } = await generateTo({ scale: 0.01, format: "parquet" });
    landing = await openLanding(dir, "parquet");
    // Latest version of each item, in EUR at the rate on or before its date.
    await landing.conn.run(`
      CREATE TABLE fx AS SELECT rate_date, currency, eur_per_unit FROM fx_rates
        UNION ALL SELECT DATE '2014-01-01', 'EUR', 1;
      CREATE TABLE items AS
        SELECT i.*, p.category, f.eur_per_unit, i.price * f.eur_per_unit AS price_eur
        FROM order_items i JOIN products p USING (product_id)
        ASOF JOIN fx f ON f.currency = i.currency AND CAST(i.ordered_at AS DATE) >= f.rate_date;`);
  });
  afterAll(() => {
    landing?.close();
    removeGenerated();
  });

  it("holds ~150k customers who bought and ~300k completed items (±5%), 2014-11 → 2024-12", async () => {
    const totals = await landing.one<{
      buyers: number;
      customers: number;
      completed: number;
      first: string;
      last: string;
    }>(`
      SELECT count(DISTINCT customer_id) AS buyers, (SELECT count(*) FROM customers) AS customers,
        count(*) AS completed, strftime(min(ordered_at), '%Y-%m') AS first, strftime(max(ordered_at), '%Y-%m') AS last
      FROM items WHERE status = 'completed'`);
    expect(totals.buyers).toBeGreaterThan(142_500);
    expect(totals.buyers).toBeLessThan(157_500);
    // A customer who signs up just before the end of the data may order after it.
    expect(totals.customers).toBeGreaterThanOrEqual(totals.buyers);
    expect(totals.customers - totals.buyers).toBeLessThan(totals.buyers * 0.001);
    expect(totals.completed).toBeGreaterThan(285_000);
    expect(totals.completed).toBeLessThan(315_000);
    expect(totals.first).toBe("2014-11");
    expect(totals.last).toBe("2024-12");
  });

  it("has a take rate near 16% in 2023, rising from ~11% in 2015", async () => {
    const take = await landing.rows<{ year: number; take_rate: number }>(`
      SELECT year(ordered_at) AS year, sum(commission * eur_per_unit) / sum(price_eur) AS take_rate
      FROM items WHERE status = 'completed' AND year(ordered_at) IN (2015, 2023) GROUP BY 1 ORDER BY 1`);
    expect(take[0]?.take_rate).toBeGreaterThan(0.1);
    expect(take[0]?.take_rate).toBeLessThan(0.125);
    expect(take[1]?.take_rate).toBeGreaterThan(0.15);
    expect(take[1]?.take_rate).toBeLessThan(0.17);
  });

  it("sells Premium only from its launch, with the grade mix shifting then", async () => {
    const mix = await landing.rows<{ era: string; grade: string; share: number }>(`
      SELECT era, grade, n / sum(n) OVER (PARTITION BY era) AS share FROM (
        SELECT CASE WHEN ordered_at < TIMESTAMPTZ '${PREMIUM_LAUNCHED_ON} 00:00:00+02' THEN 'before' ELSE 'after' END AS era,
          grade, count(*) AS n
        FROM items WHERE category = 'smartphone' GROUP BY ALL
      ) ORDER BY ALL`);
    const share = (era: string, grade: string) =>
      mix.find((m) => m.era === era && m.grade === grade)?.share ?? 0;
    expect(share("before", "premium")).toBe(0);
    expect(share("before", "excellent")).toBeCloseTo(0.3, 1);
    expect(share("before", "very_good")).toBeCloseTo(0.45, 1);
    expect(share("before", "good")).toBeCloseTo(0.25, 1);
    expect(share("after", "premium")).toBeGreaterThan(0.07);
    expect(share("after", "premium")).toBeLessThan(0.13);
  });

  it("keeps Premium batteries at ≥ 85% except a few violations, concentrated on a few sellers", async () => {
    const premium = await landing.one<{ premium: number; violations: number; sellers: number }>(`
      SELECT count(*) AS premium, count(*) FILTER (WHERE battery_health_pct < 85) AS violations,
        count(DISTINCT seller_id) FILTER (WHERE battery_health_pct < 85) AS sellers
      FROM items WHERE grade = 'premium'`);
    expect(premium.violations).toBeGreaterThan(0);
    expect(premium.violations / premium.premium).toBeLessThan(0.02);
    expect(premium.sellers).toBeLessThanOrEqual(premium.violations);
  });

  it("takes app orders only after each country's app launch (UK and US in 2024)", async () => {
    const early = await landing.rows<{ country_code: string; n: number }>(`
      SELECT i.country_code, count(*) AS n FROM items i JOIN countries c USING (country_code)
      WHERE i.channel = 'app' AND (c.app_launched_on IS NULL OR CAST(i.ordered_at AS DATE) < c.app_launched_on - 1)
      GROUP BY 1`);
    expect(early).toEqual([]);
    const apps = await landing.rows<{ country_code: string; first_app: string }>(`
      SELECT country_code, strftime(min(ordered_at), '%Y') AS first_app FROM items
      WHERE channel = 'app' AND country_code IN ('GB', 'US') GROUP BY 1 ORDER BY 1`);
    expect(apps).toEqual([
      { country_code: "GB", first_app: "2024" },
      { country_code: "US", first_app: "2024" },
    ]);
    const share = await landing.one<{ share: number }>(`
      SELECT avg((channel = 'app')::INT) AS share FROM items WHERE country_code = 'FR' AND year(ordered_at) = 2024`);
    expect(share.share).toBeGreaterThan(0.2);
  });

  it("sells through Bouygues Telecom in France and Verizon in the US only, from their partnership dates", async () => {
    const partners = await landing.rows<{
      partner: string;
      country_code: string;
      first_day: string;
      share_2024: number;
    }>(`
      WITH volume AS (SELECT country_code, count(*) AS n FROM items WHERE year(ordered_at) = 2024 GROUP BY 1)
      SELECT partner, country_code, strftime(min(ordered_at), '%Y-%m-%d') AS first_day,
        count(*) FILTER (WHERE year(ordered_at) = 2024) / any_value(v.n) AS share_2024
      FROM items i JOIN volume v USING (country_code) WHERE channel = 'partner' GROUP BY partner, country_code ORDER BY 1`);
    expect(partners.map((p) => [p.partner, p.country_code])).toEqual([
      ["bouygues_telecom", "FR"],
      ["verizon", "US"],
    ]);
    for (const p of partners) {
      const spec = PARTNERS.find((s) => s.partner === p.partner);
      expect(p.first_day >= (spec?.from ?? "")).toBe(true);
      expect(p.share_2024).toBeGreaterThan(0.02);
      expect(p.share_2024).toBeLessThan(0.12);
    }
  });

  it("peaks on Black Friday and in December, against October", async () => {
    const days = await landing.one<{ october: number; black_friday: number; december: number }>(`
      SELECT
        count(*) FILTER (WHERE CAST(ordered_at AS DATE) BETWEEN '2023-10-01' AND '2023-10-31') / 31 AS october,
        count(*) FILTER (WHERE CAST(ordered_at AS DATE) = '2023-11-24') AS black_friday,
        count(*) FILTER (WHERE CAST(ordered_at AS DATE) BETWEEN '2023-12-01' AND '2023-12-20') / 20 AS december
      FROM items`);
    expect(days.black_friday).toBeGreaterThan(2.5 * days.october);
    expect(days.december).toBeGreaterThan(1.25 * days.october);
  });

  it("launches countries on staggered dates, each ramping up after launch", async () => {
    const launches = await landing.rows<{ country_code: string; launched_on: string; first_sale: string }>(`
      SELECT country_code, strftime(launched_on, '%Y-%m-%d') AS launched_on,
        (SELECT strftime(min(ordered_at), '%Y-%m-%d') FROM items i WHERE i.country_code = c.country_code) AS first_sale
      FROM countries c ORDER BY launched_on`);
    expect(launches).toHaveLength(18);
    expect(launches.map((l) => l.country_code).slice(0, 1)).toEqual(["FR"]);
    for (const l of launches) expect(l.first_sale >= l.launched_on || l.first_sale === null).toBe(true);
    const ramp = await landing.one<{ first_quarter: number; second_year: number }>(`
      SELECT count(*) FILTER (WHERE ordered_at < TIMESTAMPTZ '2020-04-20') AS first_quarter,
        count(*) FILTER (WHERE ordered_at BETWEEN TIMESTAMPTZ '2022-01-20' AND TIMESTAMPTZ '2022-04-20') AS second_year
      FROM items WHERE country_code = 'GB'`);
    expect(ramp.second_year).toBeGreaterThan(5 * ramp.first_quarter);
    expect(COUNTRIES.find((c) => c.code === "GB")?.launchedOn.startsWith("2020")).toBe(true);
  });

  it("returns lower grades more often; some returns and cancellations arrive in a later batch", async () => {
    const rates = await landing.rows<{ grade: string; return_rate: number }>(`
      SELECT grade, count(r.return_id) / count(*) AS return_rate
      FROM items i LEFT JOIN returns r USING (order_item_id) WHERE status = 'completed' GROUP BY 1`);
    const rate = (g: string) => rates.find((r) => r.grade === g)?.return_rate ?? 0;
    expect(rate("good")).toBeGreaterThan(rate("very_good"));
    expect(rate("very_good")).toBeGreaterThan(rate("excellent"));
    expect(rate("excellent")).toBeGreaterThan(rate("premium"));
    const late = await landing.one<{ late_returns: number; late_cancellations: number }>(`
      SELECT
        (SELECT count(*) FROM returns r JOIN order_items_all i USING (order_item_id) WHERE r.batch > i.batch) AS late_returns,
        (SELECT count(*) FROM order_items_all a JOIN order_items_all b USING (order_item_id)
          WHERE a.batch < b.batch AND a.status = 'completed' AND b.status = 'cancelled') AS late_cancellations`);
    expect(late.late_returns).toBeGreaterThan(0);
    expect(late.late_cancellations).toBeGreaterThan(0);
  });

  it("shows inflated 'new' prices on a share of listings that falls after 2022", async () => {
    const inflated = await landing.rows<{ year: number; share: number }>(`
      WITH priced AS (
        SELECT i.ordered_at, i.displayed_new_price * i.eur_per_unit AS displayed_eur, n.new_price_eur
        FROM items i ASOF JOIN new_prices n ON n.product_id = i.product_id AND CAST(i.ordered_at AS DATE) >= n.valid_from
      )
      SELECT year(ordered_at) AS year, avg((displayed_eur > 1.05 * new_price_eur)::INT) AS share
      FROM priced WHERE year(ordered_at) IN (2021, 2024) GROUP BY 1 ORDER BY 1`);
    expect(inflated[0]?.share).toBeGreaterThan(0.15);
    expect(inflated[1]?.share).toBeLessThan(0.08);
  });

  it("cuts 93 roles in Europe (67 in France) in early 2023", async () => {
    const headcount = await landing.rows<{ month: string; europe: number; france: number }>(`
      SELECT month, sum(headcount) FILTER (WHERE c.region = 'europe') AS europe, sum(headcount) FILTER (WHERE country_code = 'FR') AS france
      FROM operating_costs o JOIN countries c USING (country_code) WHERE month IN ('2023-01', '2023-02') GROUP BY 1 ORDER BY 1`);
    expect((headcount[0]?.europe ?? 0) - (headcount[1]?.europe ?? 0)).toBe(93);
    expect((headcount[0]?.france ?? 0) - (headcount[1]?.france ?? 0)).toBe(67);
  });

  it("puts Europe's monthly EBITDA below zero through 2023 and above it during 2024", async () => {
    const ebitda = await landing.rows<{ month: string; ebitda: number }>(`
      WITH month_rate AS (
        SELECT m.month, m.currency, (SELECT eur_per_unit FROM fx WHERE fx.currency = m.currency AND rate_date <= last_day(CAST(m.month || '-01' AS DATE)) ORDER BY rate_date DESC LIMIT 1) AS rate
        FROM (SELECT DISTINCT month, currency FROM marketing_spend UNION SELECT DISTINCT month, currency FROM operating_costs) m
      ), europe AS (SELECT country_code FROM countries WHERE region = 'europe'),
      flows AS (
        SELECT strftime(ordered_at, '%Y-%m') AS month, (commission - payment_fee) * eur_per_unit AS eur FROM items WHERE status = 'completed' AND country_code IN (SELECT * FROM europe)
        UNION ALL
        SELECT strftime(r.returned_at, '%Y-%m'), -(r.commission_refunded + r.cost_to_marketplace) * f.eur_per_unit
        FROM returns r JOIN items i USING (order_item_id) ASOF JOIN fx f ON f.currency = r.currency AND CAST(r.returned_at AS DATE) >= f.rate_date
        WHERE i.country_code IN (SELECT * FROM europe)
        UNION ALL
        SELECT s.month, -s.amount * m.rate FROM marketing_spend s JOIN month_rate m USING (month, currency) WHERE s.country_code IN (SELECT * FROM europe)
        UNION ALL
        SELECT o.month, -o.amount * m.rate FROM operating_costs o JOIN month_rate m USING (month, currency) WHERE o.country_code IN (SELECT * FROM europe)
      )
      SELECT month, sum(eur) AS ebitda FROM flows WHERE month BETWEEN '2023-01' AND '2024-12' GROUP BY 1 ORDER BY 1`);
    const of2023 = ebitda.filter((e) => e.month.startsWith("2023"));
    const of2024 = ebitda.filter((e) => e.month.startsWith("2024"));
    expect(of2023).toHaveLength(12);
    expect(of2023.filter((e) => e.ebitda >= 0)).toEqual([]);
    expect(of2024.filter((e) => e.ebitda > 0).length).toBeGreaterThan(0);
    expect(of2024.slice(-2).every((e) => e.ebitda > 0)).toBe(true);
  });

  it("puts about one smartphone in five second-hand in France in 2024", async () => {
    const share = await landing.one<{ share: number }>(`
      SELECT sum(second_hand_units) / sum(market_units) AS share FROM market_context
      WHERE country_code = 'FR' AND category = 'smartphone' AND month LIKE '2024-%'`);
    expect(share.share).toBeGreaterThan(0.18);
    expect(share.share).toBeLessThan(0.22);
  });

  it("publishes FX rates on business days only (no weekends, no 25 December)", async () => {
    const fx = await landing.one<{ weekend: number; christmas: number; days: number }>(`
      SELECT count(*) FILTER (WHERE dayofweek(rate_date) IN (0, 6)) AS weekend,
        count(*) FILTER (WHERE strftime(rate_date, '%m-%d') = '12-25') AS christmas,
        count(DISTINCT rate_date) AS days
      FROM fx_rates`);
    expect(fx.weekend).toBe(0);
    expect(fx.christmas).toBe(0);
    expect(fx.days).toBeGreaterThan(2500);
  });
});

import { describe, expect, it } from "vitest";
import { niceTicks } from "~/components/charts/ticks";
import { lastWholeMonth, monthList, ParamError, resolveMonthRange } from "~/lib/grammar";
import { sumMeasures } from "~/metrics/evaluate";
import {
  type ChannelMonth,
  channelFigures,
  channelsOf,
  isJudged,
  latestJudged,
  parseChannelsParams,
  partnerShare,
  partnerships,
  type RepeatCohort,
  repeatByChannel,
} from "./channels.server";

const row = (
  month: string,
  country: string,
  channel: string,
  partner: string | null,
  devices: number,
  gmv: number,
  extra: Partial<ChannelMonth> = {},
): ChannelMonth => ({
  month,
  country_code: country,
  channel,
  partner,
  devices_sold: devices,
  gmv_eur: gmv,
  commission_eur: gmv * 0.1,
  commission_refunded_eur: 0,
  payment_fees_eur: devices,
  return_costs_eur: 0,
  returned_items: 0,
  ...extra,
});

const params = (q: string) => parseChannelsParams(new URLSearchParams(q));

describe("channel page parameters", () => {
  it("reads months, countries and regions, and ignores the language and empty fields", () => {
    expect(params("from=2024-01&to=2024-06&country=FR&lang=fr")).toEqual({
      from: "2024-01",
      to: "2024-06",
      country: "FR",
    });
    expect(params("region=europe&country=FR&country=DE")).toEqual({ region: "europe", country: "FR,DE" });
    expect(params("from=&country=")).toEqual({});
  });

  it("refuses unknown names and repeats with a sentence in each language", () => {
    for (const [query, message] of [
      ["metric=gmv", "metric: unknown parameter (this page takes: range, from, to, country, region)"],
      ["from=2024-01&from=2024-02", "from: was given more than once"],
    ] as const) {
      expect(() => params(query), query).toThrow(ParamError);
      expect(() => params(query), query).toThrow(message);
    }
  });

  it("defaults to the last 12 whole months, never before the data, and refuses months outside it", () => {
    // The grammar's month range, as this page uses it: bounded by the data's first and last day.
    const data = { from: "2014-11-03", to: "2025-01-01" };
    // The data's last day (1 January) does not end its month: December is the last whole month.
    expect(resolveMonthRange({}, data)).toEqual({ from: "2024-01", to: "2024-12" });
    expect(resolveMonthRange({}, { ...data, to: "2024-12-31" })).toEqual({ from: "2024-01", to: "2024-12" });
    expect(resolveMonthRange({ to: "2023-06" }, data)).toEqual({ from: "2022-07", to: "2023-06" });
    expect(resolveMonthRange({ from: "2024-11" }, data)).toEqual({ from: "2024-11", to: "2024-12" });
    expect(resolveMonthRange({}, { from: "2024-05-20", to: "2024-12-18" })).toEqual({
      from: "2024-05",
      to: "2024-11",
    });
    expect(() => resolveMonthRange({ from: "2024-12", to: "2024-01" }, data)).toThrow(
      "from: 2024-12 is after to (2024-01)",
    );
    // Issue 17: a month outside the data is a 400 that says the valid range, not a slow query.
    expect(() => resolveMonthRange({ from: "1000-02" }, data)).toThrow(
      "from: no data in 1000-02 (the data runs from 2014-11 to 2025-01)",
    );
    expect(() => resolveMonthRange({ from: "2024-13" }, data)).toThrow(ParamError);
  });
});

describe("chart ticks", () => {
  it("are round steps from zero up to the largest value", () => {
    expect(niceTicks(0.34)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0.098)).toEqual([0, 0.025, 0.05, 0.075, 0.1]);
    expect(niceTicks(0.05)).toEqual([0, 0.02, 0.04, 0.06]);
    expect(niceTicks(1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe("months and cohorts", () => {
  it("counts months across years and finds the last whole month", () => {
    expect(monthList("2023-11", "2024-02")).toEqual(["2023-11", "2023-12", "2024-01", "2024-02"]);
    expect(lastWholeMonth({ from: "2014-11-03", to: "2024-02-29" })).toBe("2024-02");
    expect(lastWholeMonth({ from: "2014-11-03", to: "2024-03-01" })).toBe("2024-02");
  });

  it("judges a cohort once its last day is as old as the window", () => {
    // September's last customer (30 September) reaches 90 days on 29 December.
    expect(isJudged("2024-09", 90, "2024-12-29")).toBe(true);
    expect(isJudged("2024-09", 90, "2024-12-28")).toBe(false);
    expect(latestJudged(90, "2024-12-28")).toBe("2024-08");
    // 365 days after 31 December 2023 is 30 December 2024 (2024 is a leap year).
    expect(latestJudged(365, "2024-12-30")).toBe("2023-12");
    expect(latestJudged(365, "2024-12-29")).toBe("2023-11");
  });
});

describe("partners and channels", () => {
  const rows = [
    row("2024-01", "FR", "web", null, 90, 9000),
    row("2024-01", "FR", "partner", "bouygues_telecom", 10, 1000),
    row("2024-02", "FR", "web", null, 80, 8000),
    row("2024-02", "FR", "app", null, 20, 2000),
    row("2024-02", "FR", "partner", "bouygues_telecom", 0, 0, {
      commission_refunded_eur: 50,
      return_costs_eur: 5,
    }),
    row("2024-02", "US", "partner", "verizon", 5, 500),
    row("2024-02", "US", "web", null, 45, 4500),
  ];

  it("finds each partner's country from its sales, oldest first", () => {
    expect(partnerships(rows)).toEqual([
      { partner: "bouygues_telecom", country: "FR", since: "2024-01" },
      { partner: "verizon", country: "US", since: "2024-02" },
    ]);
  });

  it("gives a partner's share month by month, with no share for a month without sales", () => {
    const share = partnerShare(
      rows,
      { partner: "bouygues_telecom", country: "FR", since: "2024-01" },
      {
        from: "2024-01",
        to: "2024-03",
      },
    );
    expect(share.months.map((m) => [m.month, m.deviceShare, m.gmvShare])).toEqual([
      ["2024-01", 0.1, 0.1],
      ["2024-02", 0, 0],
      ["2024-03", null, null],
    ]);
    expect(share.total).toMatchObject({ partnerDevices: 10, countryDevices: 200, deviceShare: 0.05 });
  });

  it("computes take rate, contribution before marketing and return rate per channel, partners first", () => {
    const fr = channelsOf(rows, "FR", { from: "2024-01", to: "2024-02" });
    expect(fr.map((c) => c.channel)).toEqual(["bouygues_telecom", "web", "app"]);
    // Bouygues: commission 100 − 50 refunded = 50; − 10 of fees − 5 of return costs = 35.
    expect(fr[0]?.figures).toMatchObject({ devices: 10, gmv: 1000, netRevenue: 50, contribution: 35 });
    expect(fr[0]?.figures.takeRate).toBeCloseTo(0.05, 12);
    expect(fr[0]?.figures.contributionPct).toBeCloseTo(0.035, 12);
    expect(channelFigures({})).toMatchObject({
      takeRate: null,
      returnRate: null,
      averagePrice: null,
    });
  });

  it("keeps money at 1/10,000 € however many rows are summed", () => {
    const many = Array.from({ length: 1000 }, () => row("2024-01", "FR", "web", null, 1, 0.1));
    expect(channelFigures(sumMeasures(many, () => "all").get("all")).gmv).toBe(100);
  });
});

describe("repeat customers by first channel", () => {
  const cohort = (
    month: string,
    country: string,
    channel: string,
    partner: string | null,
    n: number,
    r90: number,
    r365: number,
  ): RepeatCohort => ({
    month,
    country_code: country,
    first_channel: channel,
    first_partner: partner,
    customers: n,
    repeat_90d: r90,
    repeat_365d: r365,
  });
  const cohorts = [
    cohort("2023-01", "FR", "web", null, 100, 10, 40),
    cohort("2023-01", "FR", "app", null, 50, 8, 25),
    cohort("2023-01", "GB", "web", null, 100, 20, 50),
    cohort("2024-06", "FR", "web", null, 100, 15, 15),
    cohort("2024-06", "FR", "partner", "bouygues_telecom", 10, 1, 1),
  ];

  it("counts only cohorts old enough for each window", () => {
    // Data to 2024-12-31: June 2024 is judged at 90 days, not at 365.
    const { rows } = repeatByChannel(cohorts, { from: "2023-01", to: "2024-06" }, "2024-12-31", ["FR"]);
    expect(rows.map((r) => r.channel)).toEqual(["web", "app", "bouygues_telecom"]);
    expect(rows[0]).toEqual({
      channel: "web",
      customers: 200,
      within: {
        90: { judged: 200, repeaters: 25, rate: 0.125 },
        365: { judged: 100, repeaters: 40, rate: 0.4 },
      },
    });
    expect(rows[2]?.within[365]).toEqual({ judged: 0, repeaters: 0, rate: null });
  });

  it("gives each cohort month's rates by channel, across countries unless one is chosen", () => {
    const { months } = repeatByChannel(cohorts, { from: "2023-01", to: "2023-02" }, "2024-12-31");
    expect(months[0]?.rates.web).toEqual({ 90: 30 / 200, 365: 90 / 200 });
    expect(months[0]?.customers.web).toBe(200);
    expect(months[1]?.rates.web).toEqual({ 90: null, 365: null });
  });
});

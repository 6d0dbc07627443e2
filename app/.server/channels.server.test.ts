import { describe, expect, it } from "vitest";
import { niceTicks } from "~/metrics/channels";
import {
  type ChannelMonth,
  channelFigures,
  channelsOf,
  isJudged,
  lastWholeMonth,
  latestJudged,
  monthsBetween,
  parseChannelsParams,
  partnerShare,
  partnerships,
  type RepeatCohort,
  repeatByChannel,
  resolvePeriod,
  sumRows,
} from "./channels.server";
import { BadRequest } from "./overview.server";

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
  it("reads months and a country, and ignores the language and empty fields", () => {
    expect(params("from=2024-01&to=2024-06&country=FR&lang=fr")).toEqual({
      from: "2024-01",
      to: "2024-06",
      country: "FR",
    });
    expect(params("from=&country=")).toEqual({});
  });

  it("refuses bad months, unknown names, repeats and lower-case countries with a sentence", () => {
    for (const [query, message] of [
      ["from=2024-13", "from: must be a month written YYYY-MM"],
      ["to=2024-1", "to: must be a month written YYYY-MM"],
      ["from=2024-01-01", "from: must be a month written YYYY-MM"],
      ["country=fr", "country: must be a two-letter country code"],
      ["metric=gmv", 'parameters: Unrecognized key: "metric"'],
      ["from=2024-01&from=2024-02", "the from parameter was given more than once"],
    ] as const) {
      expect(() => params(query), query).toThrow(BadRequest);
      expect(() => params(query), query).toThrow(message);
    }
  });

  it("defaults to the last 12 whole months, never before the data, and refuses from after to", () => {
    const data = { firstDay: "2014-11-03", lastDay: "2025-01-01" };
    // The data's last day (1 January) does not end its month: December is the last whole month.
    expect(resolvePeriod({}, data)).toEqual({ from: "2024-01", to: "2024-12" });
    expect(resolvePeriod({}, { ...data, lastDay: "2024-12-31" })).toEqual({ from: "2024-01", to: "2024-12" });
    expect(resolvePeriod({ to: "2023-06" }, data)).toEqual({ from: "2022-07", to: "2023-06" });
    expect(resolvePeriod({ from: "2024-11" }, data)).toEqual({ from: "2024-11", to: "2024-12" });
    expect(resolvePeriod({}, { firstDay: "2024-05-20", lastDay: "2024-12-18" })).toEqual({
      from: "2024-05",
      to: "2024-11",
    });
    expect(() => resolvePeriod({ from: "2024-12", to: "2024-01" }, data)).toThrow(
      "from: 2024-12 is after to (2024-01)",
    );
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
    expect(monthsBetween("2023-11", "2024-02")).toEqual(["2023-11", "2023-12", "2024-01", "2024-02"]);
    expect(lastWholeMonth("2024-02-29")).toBe("2024-02");
    expect(lastWholeMonth("2024-03-01")).toBe("2024-02");
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
    expect(channelFigures(sumRows([]))).toMatchObject({
      takeRate: null,
      returnRate: null,
      averagePrice: null,
    });
  });

  it("keeps money at 1/10,000 € however many rows are summed", () => {
    const many = Array.from({ length: 1000 }, () => row("2024-01", "FR", "web", null, 1, 0.1));
    expect(sumRows(many).gmv).toBe(100);
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
    const { rows } = repeatByChannel(cohorts, { from: "2023-01", to: "2024-06" }, "2024-12-31", "FR");
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
    expect(months[1]?.rates.web).toEqual({ 90: null, 365: null });
  });
});

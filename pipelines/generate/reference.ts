// The shape of the synthetic marketplace: who launched where and when, what sells, at what margin.
// Dates from public sources: FR 2014, ES ~2017, US ~2018, UK 2020, JP 2021; the rest is synthetic.

export type Region = "europe" | "north_america" | "asia_pacific";

export interface CountrySpec {
  code: string;
  region: Region;
  currency: string;
  launchedOn: string;
  appLaunchedOn: string | null;
  /** Relative size of the country's market once mature (France = 1). */
  size: number;
  /** Months for the ramp-up curve to reach half of maturity. */
  rampMonths: number;
  /** Offset of local time from UTC in hours (rough, for the time of day of orders). */
  utcOffset: number;
  /** Population in millions (reference data for per-capita views). */
  populationM: number;
}

export const COUNTRIES: readonly CountrySpec[] = [
  {
    code: "FR",
    region: "europe",
    currency: "EUR",
    launchedOn: "2014-11-03",
    appLaunchedOn: "2018-06-12",
    size: 1.0,
    rampMonths: 30,
    utcOffset: 1,
    populationM: 68,
  },
  {
    code: "BE",
    region: "europe",
    currency: "EUR",
    launchedOn: "2016-05-02",
    appLaunchedOn: "2020-10-05",
    size: 0.12,
    rampMonths: 20,
    utcOffset: 1,
    populationM: 11.7,
  },
  {
    code: "ES",
    region: "europe",
    currency: "EUR",
    launchedOn: "2017-03-06",
    appLaunchedOn: "2020-10-05",
    size: 0.42,
    rampMonths: 22,
    utcOffset: 1,
    populationM: 48,
  },
  {
    code: "DE",
    region: "europe",
    currency: "EUR",
    launchedOn: "2017-06-12",
    appLaunchedOn: "2020-10-05",
    size: 0.62,
    rampMonths: 26,
    utcOffset: 1,
    populationM: 84,
  },
  {
    code: "IT",
    region: "europe",
    currency: "EUR",
    launchedOn: "2017-10-02",
    appLaunchedOn: "2021-03-01",
    size: 0.38,
    rampMonths: 24,
    utcOffset: 1,
    populationM: 59,
  },
  {
    code: "US",
    region: "north_america",
    currency: "USD",
    launchedOn: "2018-05-14",
    appLaunchedOn: "2024-05-21",
    size: 1.05,
    rampMonths: 34,
    utcOffset: -5,
    populationM: 335,
  },
  {
    code: "NL",
    region: "europe",
    currency: "EUR",
    launchedOn: "2019-03-04",
    appLaunchedOn: "2022-04-04",
    size: 0.15,
    rampMonths: 18,
    utcOffset: 1,
    populationM: 17.9,
  },
  {
    code: "AT",
    region: "europe",
    currency: "EUR",
    launchedOn: "2019-09-02",
    appLaunchedOn: null,
    size: 0.08,
    rampMonths: 16,
    utcOffset: 1,
    populationM: 9.1,
  },
  {
    code: "GB",
    region: "europe",
    currency: "GBP",
    launchedOn: "2020-01-20",
    appLaunchedOn: "2024-03-12",
    size: 0.55,
    rampMonths: 26,
    utcOffset: 0,
    populationM: 68,
  },
  {
    code: "PT",
    region: "europe",
    currency: "EUR",
    launchedOn: "2020-06-01",
    appLaunchedOn: null,
    size: 0.07,
    rampMonths: 16,
    utcOffset: 0,
    populationM: 10.4,
  },
  {
    code: "IE",
    region: "europe",
    currency: "EUR",
    launchedOn: "2021-03-01",
    appLaunchedOn: null,
    size: 0.05,
    rampMonths: 14,
    utcOffset: 0,
    populationM: 5.3,
  },
  {
    code: "SE",
    region: "europe",
    currency: "SEK",
    launchedOn: "2021-04-06",
    appLaunchedOn: null,
    size: 0.09,
    rampMonths: 16,
    utcOffset: 1,
    populationM: 10.5,
  },
  {
    code: "JP",
    region: "asia_pacific",
    currency: "JPY",
    launchedOn: "2021-06-01",
    appLaunchedOn: null,
    size: 0.22,
    rampMonths: 24,
    utcOffset: 9,
    populationM: 124,
  },
  {
    code: "FI",
    region: "europe",
    currency: "EUR",
    launchedOn: "2021-09-06",
    appLaunchedOn: null,
    size: 0.05,
    rampMonths: 14,
    utcOffset: 2,
    populationM: 5.6,
  },
  {
    code: "GR",
    region: "europe",
    currency: "EUR",
    launchedOn: "2021-11-02",
    appLaunchedOn: null,
    size: 0.06,
    rampMonths: 14,
    utcOffset: 2,
    populationM: 10.4,
  },
  {
    code: "DK",
    region: "europe",
    currency: "DKK",
    launchedOn: "2022-03-01",
    appLaunchedOn: null,
    size: 0.05,
    rampMonths: 14,
    utcOffset: 1,
    populationM: 5.9,
  },
  {
    code: "SK",
    region: "europe",
    currency: "EUR",
    launchedOn: "2022-05-02",
    appLaunchedOn: null,
    size: 0.03,
    rampMonths: 12,
    utcOffset: 1,
    populationM: 5.4,
  },
  {
    code: "AU",
    region: "asia_pacific",
    currency: "AUD",
    launchedOn: "2022-09-05",
    appLaunchedOn: null,
    size: 0.12,
    rampMonths: 18,
    utcOffset: 10,
    populationM: 26.6,
  },
];

/** Partner channels: subscription offers bundled with a refurbished device. */
export const PARTNERS = [
  {
    partner: "bouygues_telecom",
    country: "FR",
    from: "2021-06-01",
    share: 0.03,
    extendedFrom: "2024-11-05",
    extendedShare: 0.08,
  },
  {
    partner: "verizon",
    country: "US",
    from: "2022-03-01",
    share: 0.04,
    extendedFrom: "2024-11-12",
    extendedShare: 0.1,
  },
] as const;

/** The Premium grade (battery ≥ 85% of new) appears in autumn 2024. */
export const PREMIUM_LAUNCHED_ON = "2024-10-08";

/** Start of the synthetic history. */
export const HISTORY_START = "2014-11-01";

/** FX rates start a month before the first launch so that every sale has a rate. */
export const FX_START = "2014-10-01";

/** Starting EUR value of one unit of each foreign currency (2014), and its daily volatility. */
export const FX_SPECS: Record<string, { start: number; dailyVol: number; decimals: number }> = {
  USD: { start: 0.79, dailyVol: 0.0045, decimals: 2 },
  GBP: { start: 1.26, dailyVol: 0.004, decimals: 2 },
  JPY: { start: 0.0073, dailyVol: 0.0055, decimals: 0 },
  SEK: { start: 0.108, dailyVol: 0.0035, decimals: 2 },
  DKK: { start: 0.1343, dailyVol: 0.0002, decimals: 2 },
  AUD: { start: 0.7, dailyVol: 0.005, decimals: 2 },
};

export interface CategorySpec {
  category: string;
  /** Number of models released between 2010 and the end of 2024 (scale-independent catalogue). */
  models: number;
  /** Share of order items. */
  share: number;
  /** Launch price range in EUR. */
  priceMin: number;
  priceMax: number;
  hasBattery: boolean;
  /** Take-rate offset against the average. */
  takeOffset: number;
  /** Return-rate multiplier. */
  returnFactor: number;
  brands: readonly { brand: string; series: readonly string[]; weight: number }[];
}

export const CATEGORIES: readonly CategorySpec[] = [
  {
    category: "smartphone",
    models: 1000,
    share: 0.62,
    priceMin: 250,
    priceMax: 1400,
    hasBattery: true,
    takeOffset: 0,
    returnFactor: 1,
    brands: [
      { brand: "Apple", series: ["iPhone"], weight: 0.5 },
      { brand: "Samsung", series: ["Galaxy S", "Galaxy A", "Galaxy Z Flip"], weight: 0.28 },
      { brand: "Google", series: ["Pixel"], weight: 0.07 },
      { brand: "Xiaomi", series: ["Redmi Note", "Mi"], weight: 0.08 },
      { brand: "OnePlus", series: ["OnePlus"], weight: 0.04 },
      { brand: "Huawei", series: ["P", "Mate"], weight: 0.03 },
    ],
  },
  {
    category: "laptop",
    models: 350,
    share: 0.1,
    priceMin: 600,
    priceMax: 2800,
    hasBattery: true,
    takeOffset: -0.025,
    returnFactor: 1.45,
    brands: [
      { brand: "Apple", series: ["MacBook Air", "MacBook Pro"], weight: 0.5 },
      { brand: "Lenovo", series: ["ThinkPad", "IdeaPad"], weight: 0.18 },
      { brand: "Dell", series: ["XPS", "Latitude"], weight: 0.14 },
      { brand: "HP", series: ["EliteBook", "Pavilion"], weight: 0.12 },
      { brand: "Asus", series: ["ZenBook"], weight: 0.06 },
    ],
  },
  {
    category: "tablet",
    models: 250,
    share: 0.1,
    priceMin: 250,
    priceMax: 1300,
    hasBattery: true,
    takeOffset: 0,
    returnFactor: 1.1,
    brands: [
      { brand: "Apple", series: ["iPad", "iPad Air", "iPad Pro"], weight: 0.7 },
      { brand: "Samsung", series: ["Galaxy Tab"], weight: 0.22 },
      { brand: "Lenovo", series: ["Tab"], weight: 0.08 },
    ],
  },
  {
    category: "console",
    models: 100,
    share: 0.04,
    priceMin: 250,
    priceMax: 600,
    hasBattery: false,
    takeOffset: -0.02,
    returnFactor: 1.15,
    brands: [
      { brand: "Sony", series: ["PlayStation"], weight: 0.45 },
      { brand: "Nintendo", series: ["Switch"], weight: 0.35 },
      { brand: "Microsoft", series: ["Xbox"], weight: 0.2 },
    ],
  },
  {
    category: "audio",
    models: 150,
    share: 0.07,
    priceMin: 80,
    priceMax: 450,
    hasBattery: true,
    takeOffset: 0.03,
    returnFactor: 0.8,
    brands: [
      { brand: "Apple", series: ["AirPods", "AirPods Pro"], weight: 0.55 },
      { brand: "Sony", series: ["WH"], weight: 0.2 },
      { brand: "Bose", series: ["QuietComfort"], weight: 0.15 },
      { brand: "JBL", series: ["Tune"], weight: 0.1 },
    ],
  },
  {
    category: "wearable",
    models: 100,
    share: 0.05,
    priceMin: 150,
    priceMax: 900,
    hasBattery: true,
    takeOffset: 0.01,
    returnFactor: 0.9,
    brands: [
      { brand: "Apple", series: ["Watch Series", "Watch SE"], weight: 0.65 },
      { brand: "Samsung", series: ["Galaxy Watch"], weight: 0.2 },
      { brand: "Garmin", series: ["Forerunner"], weight: 0.15 },
    ],
  },
  {
    category: "other",
    models: 50,
    share: 0.02,
    priceMin: 100,
    priceMax: 900,
    hasBattery: false,
    takeOffset: 0.01,
    returnFactor: 1,
    brands: [
      { brand: "Dyson", series: ["V"], weight: 0.4 },
      { brand: "GoPro", series: ["Hero"], weight: 0.35 },
      { brand: "Canon", series: ["EOS"], weight: 0.25 },
    ],
  },
];

/** Grade mix before and after the Premium launch, refurbished discount against the new price, return rate. */
export const GRADES = {
  premium: { before: 0, after: 0.1, discount: 0.18, returnRate: 0.025 },
  excellent: { before: 0.3, after: 0.25, discount: 0.27, returnRate: 0.04 },
  very_good: { before: 0.45, after: 0.42, discount: 0.33, returnRate: 0.055 },
  good: { before: 0.25, after: 0.23, discount: 0.4, returnRate: 0.08 },
} as const;

/** Cost centres with the headcount each country's team has once mature. */
export const COST_CENTERS = ["tech", "operations", "customer_care", "marketing_team", "general"] as const;

/** Headcount cut of early 2023 (93 roles in Europe, 67 of them in France), effective this month. */
export const HEADCOUNT_CUT = {
  month: "2023-02",
  byCountry: { FR: 67, DE: 8, ES: 7, IT: 6, GB: 5 } as Record<string, number>,
};

/** Second-hand share of the smartphone market once the trend settles (FR: one in five by 2024). */
export const MARKET_CONTEXT_COUNTRIES: Record<
  string,
  { smartphonesPerMonthK: number; secondHand2024: number }
> = {
  FR: { smartphonesPerMonthK: 1900, secondHand2024: 0.2 },
  DE: { smartphonesPerMonthK: 2300, secondHand2024: 0.16 },
  ES: { smartphonesPerMonthK: 1300, secondHand2024: 0.15 },
  IT: { smartphonesPerMonthK: 1500, secondHand2024: 0.14 },
  GB: { smartphonesPerMonthK: 1800, secondHand2024: 0.18 },
  US: { smartphonesPerMonthK: 12000, secondHand2024: 0.13 },
};

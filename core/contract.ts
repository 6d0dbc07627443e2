// The landing contract (../shared/brief/landing-contract.md) as data: entities, keys, columns and
// accepted codes. The generator writes it and the pipeline reads it; neither owns it.

export type ColumnKind =
  | "id"
  | "text"
  | "code"
  | "timestamp"
  | "date"
  | "month"
  | "money"
  | "rate"
  | "integer";

export interface ContractColumn {
  name: string;
  kind: ColumnKind;
  /** Accepted values for a code column. */
  codes?: readonly string[];
  nullable?: boolean;
}

export interface ContractEntity {
  entity: string;
  key: readonly string[];
  columns: readonly ContractColumn[];
}

export const REGIONS = ["europe", "north_america", "asia_pacific"] as const;
export const ACQUISITION_CHANNELS = ["organic", "paid", "referral", "partner"] as const;
export const CATEGORIES = [
  "smartphone",
  "laptop",
  "tablet",
  "console",
  "audio",
  "wearable",
  "other",
] as const;
export const ORDER_CHANNELS = ["web", "app", "partner"] as const;
export const PARTNERS = ["bouygues_telecom", "verizon"] as const;
export const GRADES = ["premium", "excellent", "very_good", "good"] as const;
export const STATUSES = ["completed", "cancelled"] as const;
export const RETURN_REASONS = ["defect", "not_as_described", "battery", "changed_mind", "other"] as const;
export const MARKETING_CHANNELS = ["search", "social", "tv", "affiliate", "partner", "other"] as const;
export const COST_CENTERS = ["tech", "operations", "customer_care", "marketing_team", "general"] as const;

const c = (name: string, kind: ColumnKind, extra: Partial<ContractColumn> = {}): ContractColumn => ({
  name,
  kind,
  ...extra,
});

export const CONTRACT: readonly ContractEntity[] = [
  {
    entity: "countries",
    key: ["country_code"],
    columns: [
      c("country_code", "text"),
      c("name", "text"),
      c("region", "code", { codes: REGIONS }),
      c("currency", "text"),
      c("launched_on", "date"),
      c("app_launched_on", "date", { nullable: true }),
    ],
  },
  {
    entity: "fx_rates",
    key: ["rate_date", "currency"],
    columns: [c("rate_date", "date"), c("currency", "text"), c("eur_per_unit", "rate")],
  },
  {
    entity: "customers",
    key: ["customer_id"],
    columns: [
      c("customer_id", "id"),
      c("country_code", "text"),
      c("signed_up_at", "timestamp"),
      c("acquisition_channel", "code", { codes: ACQUISITION_CHANNELS }),
    ],
  },
  {
    entity: "products",
    key: ["product_id"],
    columns: [
      c("product_id", "id"),
      c("category", "code", { codes: CATEGORIES }),
      c("brand", "text"),
      c("model", "text"),
    ],
  },
  {
    entity: "new_prices",
    key: ["product_id", "valid_from"],
    columns: [c("product_id", "id"), c("valid_from", "date"), c("new_price_eur", "money")],
  },
  {
    entity: "sellers",
    key: ["seller_id"],
    columns: [c("seller_id", "id"), c("name", "text"), c("country_code", "text"), c("joined_on", "date")],
  },
  {
    entity: "order_items",
    key: ["order_item_id"],
    columns: [
      c("order_item_id", "id"),
      c("order_id", "id"),
      c("customer_id", "id"),
      c("seller_id", "id"),
      c("product_id", "id"),
      c("country_code", "text"),
      c("ordered_at", "timestamp"),
      c("channel", "code", { codes: ORDER_CHANNELS }),
      c("partner", "code", { codes: PARTNERS, nullable: true }),
      c("grade", "code", { codes: GRADES }),
      c("battery_health_pct", "integer", { nullable: true }),
      c("currency", "text"),
      c("price", "money"),
      c("displayed_new_price", "money"),
      c("commission", "money"),
      c("payment_fee", "money"),
      c("status", "code", { codes: STATUSES }),
    ],
  },
  {
    entity: "returns",
    key: ["return_id"],
    columns: [
      c("return_id", "id"),
      c("order_item_id", "id"),
      c("returned_at", "timestamp"),
      c("reason", "code", { codes: RETURN_REASONS }),
      c("currency", "text"),
      c("refunded_amount", "money"),
      c("commission_refunded", "money"),
      c("cost_to_marketplace", "money"),
    ],
  },
  {
    entity: "marketing_spend",
    key: ["month", "country_code", "channel"],
    columns: [
      c("month", "month"),
      c("country_code", "text"),
      c("channel", "code", { codes: MARKETING_CHANNELS }),
      c("currency", "text"),
      c("amount", "money"),
    ],
  },
  {
    entity: "operating_costs",
    key: ["month", "country_code", "cost_center"],
    columns: [
      c("month", "month"),
      c("country_code", "text"),
      c("cost_center", "code", { codes: COST_CENTERS }),
      c("headcount", "integer"),
      c("currency", "text"),
      c("amount", "money"),
    ],
  },
  {
    entity: "market_context",
    key: ["month", "country_code", "category"],
    columns: [
      c("month", "month"),
      c("country_code", "text"),
      c("category", "code", { codes: CATEGORIES }),
      c("market_units", "integer"),
      c("second_hand_units", "integer"),
    ],
  },
];

/** The longest identifier the contract accepts. */
export const ID_MAX_LENGTH = 64;

export function contractEntity(entity: string): ContractEntity {
  const found = CONTRACT.find((e) => e.entity === entity);
  if (!found) throw new Error(`not an entity of the landing contract: ${entity}`);
  return found;
}

/** DuckDB type of a contract column once loaded. */
export function duckdbType(kind: ColumnKind): string {
  switch (kind) {
    case "id":
      // Opaque source identifiers (UUIDs, prefixed codes, digit strings): never numbers (`007` ≠ `7`).
      return "VARCHAR";
    case "integer":
      return "INTEGER";
    case "money":
      return "DECIMAL(18, 4)";
    case "rate":
      return "DECIMAL(18, 10)";
    case "date":
      return "DATE";
    case "timestamp":
      return "TIMESTAMPTZ";
    default:
      return "VARCHAR";
  }
}

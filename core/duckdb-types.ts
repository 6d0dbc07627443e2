// DuckDB's type names, as typeof() and DESCRIBE give them (no DuckDB import: the app's export SQL uses
// these too).

/** DuckDB's integer types: whole numbers, exact in arithmetic and comparisons. */
export const DUCKDB_INTEGER_TYPES: readonly string[] = [
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "HUGEINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
  "UHUGEINT",
];

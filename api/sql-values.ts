import { DuckDBTypeId, JsonDuckDBValueConverter, type DuckDBDecimalValue, type DuckDBValueConverter, type Json } from '@duckdb/node-api';

/** Largest DECIMAL width whose every value survives a trip through a JS number (15 significant digits). */
const EXACT_DECIMAL_WIDTH = 15;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function safeInteger(value: bigint): number | string {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
}

/** ISO 8601 (UTC, `Z`) of a microsecond epoch timestamp; infinities and out-of-range values as DuckDB prints them. */
function isoFromMicros(micros: bigint, fallback: string): string {
  const ms = Number(micros / 1000n);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : fallback;
}

/**
 * Converts DuckDB values to JSON-safe values for API answers: BIGINT and HUGEINT become
 * numbers when they are safe integers and decimal strings otherwise; DECIMAL becomes a
 * number up to 15 digits (exact) and a string beyond; TIMESTAMPTZ becomes ISO 8601 in UTC;
 * DATE stays `YYYY-MM-DD`; the rest follows DuckDB's own JSON conversion (lists, structs,
 * maps recursively). `JSON.stringify` never throws on the result.
 */
export const apiValueConverter: DuckDBValueConverter<unknown> = (value, type, converter) => {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return safeInteger(value as bigint);
    case DuckDBTypeId.DECIMAL: {
      const d = value as DuckDBDecimalValue;
      return d.width <= EXACT_DECIMAL_WIDTH ? d.toDouble() : d.toString();
    }
    case DuckDBTypeId.TIMESTAMP_TZ:
      return isoFromMicros((value as { micros: bigint }).micros, String(value));
    default:
      return JsonDuckDBValueConverter(value, type, converter as DuckDBValueConverter<Json>);
  }
};

/** A value bound to a `$n` parameter: DuckDB binds primitives only, Dates go as ISO strings. */
export type SqlParam = string | number | boolean | bigint | null | Date;

/** Converts parameters to what @duckdb/node-api binds (Dates -> ISO strings, undefined -> null). */
export function bindable(params: readonly (SqlParam | undefined)[]): (string | number | boolean | bigint | null)[] {
  return params.map((p) => (p === undefined ? null : p instanceof Date ? p.toISOString() : p));
}

/**
 * Turns a value read from DuckDB into plain JSON-safe JS: BIGINT/HUGEINT to number when
 * it is a safe integer (else a decimal string), nested lists and structs recursively.
 * Dates stay Dates.
 */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
  return out;
}

/** Quotes an identifier for SQL (`"name"`), for names that come from code, not users. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for SQL, for the few places that cannot take a parameter (paths in COPY, settings). */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

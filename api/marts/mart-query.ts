import type { Warehouse } from '../../warehouse/db.ts';
import { bindable, type SqlParam } from '../../warehouse/values.ts';
import { apiValueConverter } from '../sql-values.ts';

/** Runs a mart query and returns JSON-safe rows (dates as YYYY-MM-DD, timestamps ISO 8601, big numbers safe). */
export function martQuery(wh: Warehouse, sql: string, params: readonly SqlParam[] = []): Promise<Record<string, unknown>[]> {
  return wh.withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(sql, params.length ? bindable(params) : undefined);
    return reader.convertRowObjects(apiValueConverter) as Record<string, unknown>[];
  });
}

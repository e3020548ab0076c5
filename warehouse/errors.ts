import { ParleyError } from '../config/parley-error.ts';

/** Codes of warehouse errors, each with what it means. */
export const WarehouseErrorCodes = {
  WH_LOCKED: 'The warehouse file is held by another process.',
  WH_CORRUPT: 'The warehouse file exists but is not a DuckDB database.',
  WH_OPEN_FAILED: 'The warehouse file could not be opened or created.',
  WH_MIGRATION_FAILED: 'A migration failed; the warehouse is left at the last good migration.',
  WH_MODEL_CYCLE: 'Models reference each other in a cycle.',
  WH_MODEL_INVALID: 'A model file is malformed (header or SQL).',
  WH_MODEL_FAILED: 'One or more models failed to build.',
  WH_QUERY_FAILED: 'A query against the warehouse failed.',
  WH_QUALITY_FAILED: 'An error-level data-quality check failed; the build was rolled back and the previous marts are kept.',
  WH_STAFFING_INVALID: 'A staffing parameter (target, share, handling time, weeks) is out of range.',
  WH_REPORT_UNKNOWN: 'No report has that name.',
  WH_REPORT_NO_DATA: 'The report has no data for that week (or the marts were never built).',
  WH_EXPORT_FAILED: 'The Parquet export could not be written.',
} as const;
export type WarehouseErrorCode = keyof typeof WarehouseErrorCodes;

/** An error from the warehouse layer with a stable code. */
export class WarehouseError extends ParleyError {
  constructor(code: WarehouseErrorCode, message: string, opts: { cause?: unknown; exitCode?: 1 | 2; httpStatus?: number } = {}) {
    super(code, message, { httpStatus: opts.httpStatus ?? 500, exitCode: opts.exitCode ?? 1, cause: opts.cause });
    this.name = 'WarehouseError';
  }
}

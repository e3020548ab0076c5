import { ParleyError } from '../config/parley-error.ts';

/** Codes of API errors, each with what it means (every code is documented here). */
export const ApiErrorCodes = {
  API_SQL_FORBIDDEN: 'The SQL is not a single read-only query (writes, settings, files, ATTACH, PRAGMA and several statements are refused).',
  API_SQL_INVALID: 'The SQL does not parse or refers to something that does not exist.',
  API_SQL_TIMEOUT: 'The query ran past its time limit and was interrupted.',
  API_SQL_CANCELLED: 'The query was cancelled by its caller.',
} as const;
export type ApiErrorCode = keyof typeof ApiErrorCodes;

const STATUS: Record<ApiErrorCode, number> = {
  API_SQL_FORBIDDEN: 403,
  API_SQL_INVALID: 400,
  API_SQL_TIMEOUT: 408,
  API_SQL_CANCELLED: 409,
};

/** An error the API answers with `{error: {code, message}}` and the code's HTTP status. */
export class ApiError extends ParleyError {
  constructor(code: ApiErrorCode, message: string, opts: { cause?: unknown; httpStatus?: number } = {}) {
    super(code, message, { httpStatus: opts.httpStatus ?? STATUS[code], exitCode: code === 'API_SQL_FORBIDDEN' || code === 'API_SQL_INVALID' ? 2 : 1, cause: opts.cause });
    this.name = 'ApiError';
  }
}

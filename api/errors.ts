import { ParleyError } from '../config/parley-error.ts';

/**
 * Codes of API errors, each with what it means and its HTTP status. Every code is listed in
 * docs/api.md (a test checks it), and every code the API answers with is one of these.
 */
export const ApiErrorCodes = {
  API_BAD_REQUEST: 'The request does not match the route\'s schema (query, params or body).',
  API_UNAUTHORIZED: 'No bearer token, or a token that is not in PARLEY_TOKENS.',
  API_FORBIDDEN: 'The token\'s role may not use this route.',
  API_NOT_FOUND: 'No such route, or the thing asked for (customer, report week, archive file) does not exist.',
  API_NOT_ACCEPTABLE: 'The Accept header asks for a format this route cannot produce.',
  API_PAYLOAD_TOO_LARGE: 'The request body is larger than the route accepts.',
  API_UNSUPPORTED_MEDIA_TYPE: 'The request body has a content type this route does not read.',
  API_MART_NOT_BUILT: 'The mart table this route reads does not exist yet: its models have not been built.',
  API_REPORT_NOT_AVAILABLE: 'No renderer is registered for this report kind, so it cannot be written as Markdown or HTML.',
  API_PIPELINE_BUSY: 'That pipeline is already running; wait for it to finish.',
  API_SHUTTING_DOWN: 'The server is stopping and does not start new work.',
  API_INSECURE_BIND: 'The server would listen beyond loopback without any tokens.',
  API_SERVER_RUNNING: 'Another `parley serve` already holds this data folder.',
  API_SERVER_UNREACHABLE: 'The CLI found a running server but could not talk to it.',
  API_WEBHOOK_NOT_CONFIGURED: 'WHATSAPP_APP_SECRET or WHATSAPP_VERIFY_TOKEN is not set, so the webhook cannot check requests.',
  API_WEBHOOK_SIGNATURE: 'X-Hub-Signature-256 is missing or does not match the body signed with WHATSAPP_APP_SECRET.',
  API_WEBHOOK_VERIFY: 'The webhook handshake carried the wrong hub.verify_token or hub.mode.',
  API_WEBHOOK_STORE_FAILED: 'The webhook payload could not be stored; Meta will retry it.',
  API_SQL_FORBIDDEN: 'The SQL is not a single read-only query (writes, settings, files, ATTACH, PRAGMA and several statements are refused).',
  API_SQL_INVALID: 'The SQL does not parse or refers to something that does not exist.',
  API_SQL_TIMEOUT: 'The query ran past its time limit and was interrupted.',
  API_SQL_CANCELLED: 'The query was cancelled by its caller.',
  API_INTERNAL: 'Something failed inside the server; the log has the details.',
} as const;
export type ApiErrorCode = keyof typeof ApiErrorCodes;

/** HTTP status of each code. */
export const API_ERROR_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  API_BAD_REQUEST: 400,
  API_UNAUTHORIZED: 401,
  API_FORBIDDEN: 403,
  API_NOT_FOUND: 404,
  API_NOT_ACCEPTABLE: 406,
  API_PAYLOAD_TOO_LARGE: 413,
  API_UNSUPPORTED_MEDIA_TYPE: 415,
  API_MART_NOT_BUILT: 503,
  API_REPORT_NOT_AVAILABLE: 503,
  API_PIPELINE_BUSY: 409,
  API_SHUTTING_DOWN: 503,
  API_INSECURE_BIND: 500,
  API_SERVER_RUNNING: 409,
  API_SERVER_UNREACHABLE: 502,
  API_WEBHOOK_NOT_CONFIGURED: 503,
  API_WEBHOOK_SIGNATURE: 401,
  API_WEBHOOK_VERIFY: 403,
  API_WEBHOOK_STORE_FAILED: 503,
  API_SQL_FORBIDDEN: 403,
  API_SQL_INVALID: 400,
  API_SQL_TIMEOUT: 408,
  API_SQL_CANCELLED: 409,
  API_INTERNAL: 500,
};

/** Codes that are the caller's mistake: the CLI exits 2 on them. */
const USAGE_CODES = new Set<ApiErrorCode>(['API_BAD_REQUEST', 'API_SQL_FORBIDDEN', 'API_SQL_INVALID', 'API_NOT_FOUND', 'API_INSECURE_BIND', 'API_NOT_ACCEPTABLE']);

/** An error the API answers with `{error: {code, message}}` and the code's HTTP status. */
export class ApiError extends ParleyError {
  constructor(code: ApiErrorCode, message: string, opts: { cause?: unknown; httpStatus?: number } = {}) {
    super(code, message, { httpStatus: opts.httpStatus ?? API_ERROR_STATUS[code], exitCode: USAGE_CODES.has(code) ? 2 : 1, cause: opts.cause });
    this.name = 'ApiError';
  }
}

/** True when `code` is one of the API's codes. */
export function isApiErrorCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(ApiErrorCodes, code);
}

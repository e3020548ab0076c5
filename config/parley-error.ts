/**
 * The base of every typed error in Parley. Each folder defines its own codes in its
 * `errors.ts`; `code` is stable (tests, API clients and docs depend on it) and the
 * message says what to do next.
 */
export class ParleyError extends Error {
  /** Stable machine-readable code such as `PIPE_UNKNOWN_SOURCE`. */
  readonly code: string;
  /** HTTP status the API answers with when this error reaches a route. */
  readonly httpStatus: number;
  /** Exit code the CLI ends with: 1 failed, 2 bad usage. */
  readonly exitCode: 1 | 2;

  constructor(code: string, message: string, opts: { httpStatus?: number; exitCode?: 1 | 2; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.httpStatus = opts.httpStatus ?? 500;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** True when `err` is a ParleyError with the given code (or any code when omitted). */
export function isParleyError(err: unknown, code?: string): err is ParleyError {
  return err instanceof ParleyError && (code === undefined || err.code === code);
}

/** The message of anything thrown, for logs and run records. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

import { ParleyError } from '../config/parley-error.ts';
import type { Config } from '../config/config.ts';
import { ApiError, isApiErrorCode } from '../api/errors.ts';
import { liveServer } from '../api/server-lock.ts';

/** A running `parley serve` the CLI talks to instead of opening the warehouse file. */
export interface ServerClient {
  readonly url: string;
  readonly pid: number;
  /** Calls the API; a JSON error answer is thrown as a ParleyError with its code. */
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Thrown when the lock names a live process that does not answer: the lock is stale. */
class NoServer extends Error {}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Parses JSON turning ISO timestamps back into Dates (the shapes the CLI renders hold Dates). */
export function parseWithDates<T>(text: string): T {
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && ISO_DATE.test(v) ? new Date(v) : v)) as T;
}

/** Statuses the CLI treats as bad usage (exit code 2). */
const USAGE_STATUS = new Set([400, 404, 406, 413, 415]);

/** The client of the server running for this data folder, or undefined when none runs. */
export function serverFor(config: Config, fetchImpl: typeof fetch = fetch): ServerClient | undefined {
  const lock = liveServer(config);
  if (!lock) return undefined;
  return {
    url: lock.url,
    pid: lock.pid,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await fetchImpl(`${lock.url}${path}`, {
          method,
          headers: { ...(config.cliToken ? { authorization: `Bearer ${config.cliToken}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (code === 'ECONNREFUSED') throw new NoServer(`${lock.url} refused the connection`);
        throw new ApiError('API_SERVER_UNREACHABLE', `parley serve (pid ${lock.pid}) holds the warehouse but ${lock.url} did not answer: ${(err as Error).message}. Wait for it to finish starting, or stop it.`, { cause: err });
      }
      const text = await res.text();
      if (!res.ok) {
        let code = 'API_INTERNAL';
        let message = `${method} ${path} answered ${res.status}`;
        try {
          const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
          code = parsed.error?.code ?? code;
          message = parsed.error?.message ?? message;
        } catch {
          // Not our JSON: keep the status line.
        }
        if (code === 'API_UNAUTHORIZED' || code === 'API_FORBIDDEN') message += ` (the CLI sends PARLEY_TOKEN to the running server at ${lock.url})`;
        throw isApiErrorCode(code) && !USAGE_STATUS.has(res.status) ? new ApiError(code, message, { httpStatus: res.status }) : new ParleyError(code, message, { httpStatus: res.status, exitCode: USAGE_STATUS.has(res.status) ? 2 : 1 });
      }
      return parseWithDates<T>(text);
    },
  };
}

/**
 * Runs `remote` against the running server when there is one, else `local` (which opens the
 * warehouse file itself). A lock whose server refuses connections is treated as stale.
 */
export async function viaServer<T>(config: Config, remote: (client: ServerClient) => Promise<T>, local: () => Promise<T>, fetchImpl?: typeof fetch): Promise<T> {
  const client = serverFor(config, fetchImpl);
  if (!client) return local();
  try {
    return await remote(client);
  } catch (err) {
    if (err instanceof NoServer) return local();
    throw err;
  }
}

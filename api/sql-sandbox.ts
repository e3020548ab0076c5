import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBPreparedStatement, DuckDBResult, DuckDBType } from '@duckdb/node-api';
import { errorMessage } from '../config/parley-error.ts';
import type { Logger } from '../pipelines/logger.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { ApiError } from './errors.ts';
import { auditQuery, auditStatus } from './sql-audit.ts';
import { classifySqlError, prepareReadOnly } from './sql-guard.ts';
import { apiValueConverter } from './sql-values.ts';

export { firstKeyword } from './sql-guard.ts';

/** A column of a query result. */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** A sandboxed query's result: rows capped at `limit`, `truncated` when more existed. */
export interface SandboxResult {
  readonly queryId: string;
  readonly columns: ResultColumn[];
  readonly rows: Record<string, unknown>[];
  readonly truncated: boolean;
  readonly elapsedMs: number;
}

/** Options of a sandboxed query. */
export interface SandboxOptions {
  /** Row cap (default 1000, at most `maxLimit`). */
  readonly limit?: number;
  /** Highest cap allowed (default MAX_SQL_LIMIT; streamed formats allow MAX_STREAM_LIMIT). */
  readonly maxLimit?: number;
  /** Time limit in ms after which the query is interrupted (default 30 s). */
  readonly timeoutMs?: number;
  /** Aborting it cancels the query. */
  readonly signal?: AbortSignal;
  /** Id to cancel the query by (`DELETE /api/sql/:id`); a fresh UUID by default. */
  readonly queryId?: string;
  /** Who runs it, for the audit log. */
  readonly actor?: string;
  readonly channel?: 'api' | 'cli';
  /** Where a failed audit write is reported (the query's answer does not depend on it). */
  readonly log?: Logger;
}

/** Most rows a JSON answer carries. */
export const MAX_SQL_LIMIT = 100_000;
/** Most rows a streamed answer (CSV, Arrow) carries. */
export const MAX_STREAM_LIMIT = 1_000_000;
/** Default time limit of a query. */
export const DEFAULT_SQL_TIMEOUT_MS = 30_000;

/** An open query: its columns, then its rows chunk by chunk up to the cap. */
export interface SandboxCursor {
  readonly queryId: string;
  readonly columns: ResultColumn[];
  readonly types: DuckDBType[];
  readonly limit: number;
  /** Chunks in order; `rows` is how many leading rows of `chunk` are inside the cap. The cursor closes itself at the end. */
  chunks(): AsyncGenerator<{ chunk: DuckDBDataChunk; rows: number }>;
  /** True once more rows than `limit` were seen. */
  readonly truncated: boolean;
  readonly rowCount: number;
  readonly elapsedMs: number;
  /** Stops early (e.g. the client went away); idempotent. */
  close(): Promise<void>;
}

/** A query that is running, for cancellation and the console. */
interface RunningQuery {
  readonly queryId: string;
  readonly actor: string;
  readonly startedAt: Date;
  cancel(): void;
}

const RUNNING = new Map<string, RunningQuery>();

/**
 * Cancels a running query. `actor` (when given) must be the one who started it; admins
 * pass undefined.
 */
export function cancelSandboxedQuery(queryId: string, actor?: string): 'cancelled' | 'not-found' | 'forbidden' {
  const q = RUNNING.get(queryId);
  if (!q) return 'not-found';
  if (actor !== undefined && q.actor !== actor) return 'forbidden';
  q.cancel();
  return 'cancelled';
}

/** Ids of the queries running now. */
export function runningQueryIds(): string[] {
  return [...RUNNING.keys()];
}

/**
 * Opens one read-only query (see `prepareReadOnly` for what is refused) and streams it. The
 * time limit interrupts the query for real, also while rows are being fetched; cancelling
 * (by id or signal) does the same. Every query is audit-logged when it ends, however it ends.
 */
export async function openSandboxedQuery(wh: Warehouse, sql: string, opts: SandboxOptions = {}): Promise<SandboxCursor> {
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 1000)), opts.maxLimit ?? MAX_SQL_LIMIT);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SQL_TIMEOUT_MS;
  const queryId = opts.queryId ?? randomUUID();
  const actor = opts.actor ?? 'unknown';
  if (RUNNING.has(queryId)) throw new ApiError('API_BAD_REQUEST', `A query with id ${queryId} is already running; use a new id.`);

  const startedAt = new Date();
  const t0 = performance.now();
  let conn: DuckDBConnection | undefined;
  let prepared: DuckDBPreparedStatement | undefined;
  let timedOut = false;
  let cancelled = false;
  let closed = false;
  let rowCount = 0;
  let truncated = false;
  let elapsedMs = 0;

  // An interrupt reaches only a statement that is executing; one sent while the query is
  // still being checked or prepared is lost. So once stopped, keep interrupting until closed.
  let kicker: NodeJS.Timeout | undefined;
  const stop = () => {
    conn?.interrupt();
    kicker ??= setInterval(() => conn?.interrupt(), 20);
  };
  const running: RunningQuery = {
    queryId,
    actor,
    startedAt,
    cancel() {
      cancelled = true;
      stop();
    },
  };
  const onAbort = () => running.cancel();
  RUNNING.set(queryId, running);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) cancelled = true;
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);

  const stopped = (): ApiError | undefined =>
    timedOut
      ? new ApiError('API_SQL_TIMEOUT', `The query ran longer than ${timeoutMs} ms and was interrupted; add filters or a LIMIT.`)
      : cancelled
        ? new ApiError('API_SQL_CANCELLED', 'The query was cancelled.')
        : undefined;
  const mapError = (err: unknown): ApiError => {
    const s = stopped();
    if (s && !(err instanceof ApiError && err.code === 'API_SQL_FORBIDDEN')) return s;
    return classifySqlError(err);
  };
  const close = async (error?: ApiError): Promise<void> => {
    if (closed) return;
    closed = true;
    elapsedMs = performance.now() - t0;
    clearTimeout(timer);
    clearInterval(kicker);
    RUNNING.delete(queryId);
    opts.signal?.removeEventListener('abort', onAbort);
    try {
      prepared?.destroySync();
    } finally {
      conn?.closeSync();
    }
    try {
      await auditQuery(wh, { queryId, actor, channel: opts.channel ?? 'api', startedAt, elapsedMs, status: auditStatus(error?.code), rows: error ? null : rowCount, truncated: error ? null : truncated, errorCode: error?.code ?? null, sql });
    } catch (err) {
      opts.log?.error('could not write the SQL audit row', { query_id: queryId, error: errorMessage(err) });
    }
  };

  let result: DuckDBResult;
  try {
    conn = await wh.connect();
    const early = stopped();
    if (early) throw early;
    prepared = await prepareReadOnly(conn, sql);
    result = await prepared.stream();
  } catch (err) {
    const e = mapError(err);
    await close(e);
    throw e;
  }
  const types = result.columnTypes();
  const columns = result.deduplicatedColumnNames().map((name, i) => ({ name, type: types[i]!.toString() }));

  return {
    queryId,
    columns,
    types,
    limit,
    get truncated() {
      return truncated;
    },
    get rowCount() {
      return rowCount;
    },
    get elapsedMs() {
      return closed ? elapsedMs : performance.now() - t0;
    },
    close: () => close(),
    async *chunks() {
      let failure: ApiError | undefined;
      try {
        for (;;) {
          // An interrupt between fetches would be lost on an idle connection: check first.
          const s = stopped();
          if (s) throw s;
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          const room = limit - rowCount;
          if (room <= 0) {
            truncated = true;
            break;
          }
          const rows = Math.min(room, chunk.rowCount);
          rowCount += rows;
          if (rows < chunk.rowCount) truncated = true;
          yield { chunk, rows };
          if (truncated) break;
        }
      } catch (err) {
        failure = mapError(err);
        throw failure;
      } finally {
        await close(failure);
      }
    },
  };
}

/** Runs one read-only query and returns its rows (JSON-safe values) up to the cap. */
export async function runSandboxedQuery(wh: Warehouse, sql: string, opts: SandboxOptions = {}): Promise<SandboxResult> {
  const cursor = await openSandboxedQuery(wh, sql, opts);
  const names = cursor.columns.map((c) => c.name);
  const rows: Record<string, unknown>[] = [];
  for await (const { chunk, rows: n } of cursor.chunks()) {
    const values = chunk.convertRows(apiValueConverter);
    for (let i = 0; i < n; i++) {
      const row: Record<string, unknown> = {};
      const v = values[i]!;
      for (let j = 0; j < names.length; j++) row[names[j]!] = v[j];
      rows.push(row);
    }
  }
  return { queryId: cursor.queryId, columns: cursor.columns, rows, truncated: cursor.truncated, elapsedMs: cursor.elapsedMs };
}

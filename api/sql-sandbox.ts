import { StatementType } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse/db.ts';
import { toPlain } from '../warehouse/values.ts';
import { ApiError } from './errors.ts';

/** A column of a query result. */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** A sandboxed query's result: rows capped at `limit`, `truncated` when more existed. */
export interface SandboxResult {
  readonly columns: ResultColumn[];
  readonly rows: Record<string, unknown>[];
  readonly truncated: boolean;
  readonly elapsedMs: number;
}

/** Options of a sandboxed query. */
export interface SandboxOptions {
  /** Row cap (default 1000, at most 100,000). */
  readonly limit?: number;
  /** Time limit in ms after which the query is interrupted (default 30 s). */
  readonly timeoutMs?: number;
  /** Aborting it cancels the query. */
  readonly signal?: AbortSignal;
}

export const MAX_SQL_LIMIT = 100_000;

/** Statements an analyst may start a query with: reads only (PRAGMA parses as SELECT, so the keyword is checked too). */
const READ_KEYWORDS = new Set(['select', 'with', 'from', 'values', 'table', 'describe', 'show', 'summarize', 'pivot', 'unpivot', '(']);

/** The first keyword of a statement, skipping comments and whitespace. */
export function firstKeyword(sql: string): string {
  const code = sql.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  if (code.startsWith('(')) return '(';
  return (/^[a-zA-Z_]+/.exec(code)?.[0] ?? '').toLowerCase();
}

/**
 * Runs one read-only query. DuckDB's own parser must find exactly one statement, of type
 * SELECT, starting with a read keyword; the instance itself is locked down at open (no
 * files outside the allowed folders, no ATTACH/INSTALL/LOAD/SET), so this check is the
 * rest of the sandbox. A time limit interrupts the query for real; the connection is
 * closed afterwards either way.
 */
export async function runSandboxedQuery(wh: Warehouse, sql: string, opts: SandboxOptions = {}): Promise<SandboxResult> {
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 1000)), MAX_SQL_LIMIT);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = performance.now();
  if (sql.trim() === '') throw new ApiError('API_SQL_INVALID', 'The query is empty: send one SELECT statement.');
  const conn = await wh.connect();
  let timedOut = false;
  let cancelled = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, timeoutMs);
  const onAbort = () => {
    cancelled = true;
    conn.interrupt();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let extracted;
    try {
      extracted = await conn.extractStatements(sql);
    } catch (err) {
      throw new ApiError('API_SQL_INVALID', `The query does not parse: ${firstLine(err)}`, { cause: err });
    }
    if (extracted.count !== 1) {
      throw new ApiError('API_SQL_FORBIDDEN', `Send exactly one statement per request (found ${extracted.count}).`);
    }
    let prepared;
    try {
      prepared = await extracted.prepare(0);
    } catch (err) {
      throw classify(err);
    }
    if (prepared.statementType !== StatementType.SELECT || !READ_KEYWORDS.has(firstKeyword(sql))) {
      prepared.destroySync();
      throw new ApiError('API_SQL_FORBIDDEN', 'Only read-only queries (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE ...) may run here; writes, settings, PRAGMA, ATTACH and files are refused.');
    }
    try {
      const reader = await prepared.streamAndReadUntil(limit + 1);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const all = reader.getRowObjectsJS();
      const truncated = all.length > limit || !reader.done;
      const rows = all.slice(0, limit).map((r) => toPlain(r) as Record<string, unknown>);
      return {
        columns: names.map((name, i) => ({ name, type: types[i]!.toString() })),
        rows,
        truncated,
        elapsedMs: performance.now() - started,
      };
    } catch (err) {
      if (timedOut) throw new ApiError('API_SQL_TIMEOUT', `The query ran longer than ${timeoutMs} ms and was interrupted; add filters or a LIMIT.`, { cause: err });
      if (cancelled) throw new ApiError('API_SQL_CANCELLED', 'The query was cancelled.', { cause: err });
      throw classify(err);
    } finally {
      prepared.destroySync();
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    conn.closeSync();
  }
}

function classify(err: unknown): ApiError {
  const msg = firstLine(err);
  if (/Permission Error|disabled by configuration|locked/i.test(msg)) {
    return new ApiError('API_SQL_FORBIDDEN', `Refused: ${msg}`, { cause: err });
  }
  if (/Interrupt/i.test(msg)) return new ApiError('API_SQL_CANCELLED', 'The query was interrupted.', { cause: err });
  return new ApiError('API_SQL_INVALID', msg, { cause: err });
}

function firstLine(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0] ?? '';
}

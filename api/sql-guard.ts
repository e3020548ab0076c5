import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { queryOn } from '../warehouse/db.ts';
import { ApiError } from './errors.ts';

/** Statements an analyst may start a query with: reads only (PRAGMA parses as SELECT, so the keyword is checked too). */
const READ_KEYWORDS = new Set(['select', 'with', 'from', 'values', 'table', 'describe', 'show', 'summarize', 'pivot', 'unpivot', '(']);

/**
 * Functions a read-only query may not call, though DuckDB types the statement as SELECT:
 * dynamic SQL that a static check cannot see into (`query`, `query_table`,
 * `json_execute_serialized_sql`), writes and settings in disguise (sequences, checkpoints,
 * logging, profiling, the parser), raw pointers (`arrow_scan`), other database files
 * (`read_duckdb`), and sleeps that an interrupt cannot cut short.
 */
export const DENIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'query', 'query_table', 'json_execute_serialized_sql',
  'nextval', 'setval',
  'checkpoint', 'force_checkpoint',
  'enable_logging', 'disable_logging', 'truncate_duckdb_logs', 'write_log',
  'enable_profiling', 'disable_profiling',
  'enable_peg_parser', 'disable_peg_parser',
  'arrow_scan', 'arrow_scan_dumb', 'read_duckdb',
  'sleep_ms',
]);

const REFUSED = 'Only read-only queries (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE ...) may run here; writes, settings, PRAGMA, CALL, ATTACH and files outside the landing and data folders are refused.';

/** The first keyword of a statement, skipping comments and whitespace. */
export function firstKeyword(sql: string): string {
  const code = sql.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  if (code.startsWith('(')) return '(';
  return (/^[a-zA-Z_]+/.exec(code)?.[0] ?? '').toLowerCase();
}

/** Every function name in a statement's syntax tree (DuckDB's own `json_serialize_sql`), or the reason it cannot be read. */
export async function functionsIn(conn: DuckDBConnection, sql: string): Promise<{ names: Set<string> } | { reason: string }> {
  const [row] = await queryOn<{ tree: string }>(conn, 'select json_serialize_sql($1::varchar) as tree', [sql]);
  const tree = JSON.parse(row?.tree ?? '{}') as { error?: boolean; error_message?: string };
  if (tree.error) return { reason: tree.error_message ?? 'the statement cannot be analysed' };
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'function_name' && typeof v === 'string') names.add(v.toLowerCase());
        else walk(v);
      }
    }
  };
  walk(tree);
  return { names };
}

/**
 * Checks `sql` with DuckDB's own parser and returns it prepared: exactly one statement, of
 * type SELECT, starting with a read keyword, calling no denied function. The instance is
 * locked down at open (no files outside the allowed folders, no ATTACH/INSTALL/LOAD/SET),
 * so this check is the rest of the sandbox. The caller destroys the prepared statement.
 */
export async function prepareReadOnly(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  if (sql.trim() === '') throw new ApiError('API_SQL_INVALID', 'The query is empty: send one SELECT statement.');
  let extracted;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (err) {
    throw new ApiError('API_SQL_INVALID', `The query does not parse: ${firstLine(err)}`, { cause: err });
  }
  if (extracted.count !== 1) {
    throw new ApiError('API_SQL_FORBIDDEN', `Send exactly one statement per request (found ${extracted.count}; a PIVOT without an IN list also counts as two).`);
  }
  if (!READ_KEYWORDS.has(firstKeyword(sql))) throw new ApiError('API_SQL_FORBIDDEN', REFUSED);
  // The syntax tree is checked before binding, so denied functions are refused whatever their arguments.
  const fns = await functionsIn(conn, sql);
  if ('reason' in fns) throw new ApiError('API_SQL_FORBIDDEN', `The query cannot be checked (${fns.reason}), so it is refused; write it as a plain SELECT.`);
  const denied = [...fns.names].filter((n) => DENIED_FUNCTIONS.has(n));
  if (denied.length > 0) throw new ApiError('API_SQL_FORBIDDEN', `${denied.join(', ')} ${denied.length === 1 ? 'is' : 'are'} not allowed in the SQL console: ${REFUSED}`);
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await extracted.prepare(0);
  } catch (err) {
    throw classifySqlError(err);
  }
  try {
    if (prepared.statementType !== StatementType.SELECT) throw new ApiError('API_SQL_FORBIDDEN', REFUSED);
    return prepared;
  } catch (err) {
    prepared.destroySync();
    throw err;
  }
}

/** Maps a DuckDB error to the API's codes: permission problems are forbidden, the rest invalid. */
export function classifySqlError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const msg = firstLine(err);
  if (/Permission Error|disabled by configuration|configuration has been locked/i.test(msg)) {
    return new ApiError('API_SQL_FORBIDDEN', `Refused: ${msg}`, { cause: err });
  }
  if (/Interrupt/i.test(msg)) return new ApiError('API_SQL_CANCELLED', 'The query was interrupted.', { cause: err });
  return new ApiError('API_SQL_INVALID', msg, { cause: err });
}

function firstLine(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0] ?? '';
}

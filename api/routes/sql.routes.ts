import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { ApiApp, AppContext } from '../app-context.ts';
import { arrowIpcStream } from '../arrow-ipc.ts';
import { csvLine } from '../csv.ts';
import { ApiError } from '../errors.ts';
import { AnyObject, errorResponses } from '../schemas.ts';
import { cancelSandboxedQuery, MAX_SQL_LIMIT, MAX_STREAM_LIMIT, openSandboxedQuery, runSandboxedQuery, type SandboxCursor } from '../sql-sandbox.ts';
import { apiValueConverter } from '../sql-values.ts';

/** The Arrow IPC stream media type. */
export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

const SqlBody = Type.Object({
  sql: Type.String({ minLength: 1, maxLength: 100_000, description: 'one read-only statement' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_STREAM_LIMIT, description: `row cap (default 1000; JSON at most ${MAX_SQL_LIMIT})` })),
  timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, description: 'time limit (default 30000)' })),
  query_id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'id to cancel the query by with DELETE /api/sql/:id' })),
});

const SqlResult = Type.Object({
  query_id: Type.String(),
  columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  rows: Type.Array(AnyObject),
  row_count: Type.Integer(),
  truncated: Type.Boolean(),
  elapsed_ms: Type.Number(),
});

type Format = 'json' | 'csv' | 'arrow';

/** The answer format: `?format=` first, then the Accept header. */
function negotiate(request: FastifyRequest): Format {
  const asked = (request.query as { format?: Format }).format;
  if (asked) return asked;
  const accept = (request.headers.accept ?? '*/*').toLowerCase();
  if (accept.includes(ARROW_STREAM)) return 'arrow';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('application/json') || accept.includes('*/*') || accept.includes('application/*')) return 'json';
  throw new ApiError('API_NOT_ACCEPTABLE', `POST /api/sql answers application/json, text/csv or ${ARROW_STREAM}; Accept was "${request.headers.accept}".`);
}

/** Reads the first chunk before any header goes out, so an error there is still a clean 4xx. */
async function startChunks(cursor: SandboxCursor) {
  const gen = cursor.chunks();
  const first = await gen.next();
  return (async function* () {
    if (!first.done) {
      yield first.value;
      yield* gen;
    }
  })();
}

/** CSV text of the chunks, header first. */
async function* csvText(cursor: SandboxCursor, chunks: AsyncIterable<{ chunk: import('@duckdb/node-api').DuckDBDataChunk; rows: number }>) {
  yield csvLine(cursor.columns.map((c) => c.name));
  for await (const { chunk, rows } of chunks) {
    const values = chunk.convertRows(apiValueConverter);
    let text = '';
    for (let i = 0; i < rows; i++) text += csvLine(values[i]!);
    yield text;
  }
}

/** `POST /api/sql` (JSON, CSV streamed, Arrow IPC stream) and `DELETE /api/sql/:id`. */
export async function sqlRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  app.post(
    '/api/sql',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Run one read-only query through the sandbox',
        description: `JSON by default; text/csv (streamed, capped at limit; trailer x-parley-truncated) or ${ARROW_STREAM} by Accept or ?format=. One statement, checked by DuckDB's parser; writes, settings, PRAGMA, CALL, ATTACH and files outside the landing and data folders are refused. Audit-logged in ops.sql_audit.`,
        tags: ['sql'],
        security: [{ bearer: [] }],
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('arrow')])) }),
        body: SqlBody,
        response: { 200: SqlResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const format = negotiate(request);
      const body = request.body;
      if (format === 'json' && (body.limit ?? 0) > MAX_SQL_LIMIT) {
        throw new ApiError('API_BAD_REQUEST', `limit ${body.limit} is above ${MAX_SQL_LIMIT} for JSON; ask for text/csv or Arrow to get up to ${MAX_STREAM_LIMIT} rows.`);
      }
      // A client that goes away cancels its query.
      const gone = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) gone.abort();
      });
      const opts = { limit: body.limit, maxLimit: format === 'json' ? MAX_SQL_LIMIT : MAX_STREAM_LIMIT, timeoutMs: body.timeout_ms, queryId: body.query_id, actor: request.principal?.actor, channel: 'api' as const, signal: gone.signal, log: ctx.log };
      if (format === 'json') {
        const r = await runSandboxedQuery(ctx.wh, body.sql, opts);
        reply.header('x-parley-query-id', r.queryId);
        return { query_id: r.queryId, columns: r.columns, rows: r.rows, row_count: r.rows.length, truncated: r.truncated, elapsed_ms: Math.round(r.elapsedMs * 10) / 10 };
      }
      const cursor = await openSandboxedQuery(ctx.wh, body.sql, opts);
      const chunks = await startChunks(cursor);
      reply.header('x-parley-query-id', cursor.queryId).header('x-parley-row-limit', String(cursor.limit));
      if (format === 'arrow') return reply.type(ARROW_STREAM).send(arrowIpcStream(cursor.columns, cursor.types, chunks) as never);
      reply.trailer('x-parley-truncated', async () => String(cursor.truncated));
      return reply.type('text/csv; charset=utf-8').send(Readable.from(csvText(cursor, chunks)) as never);
    },
  );

  app.delete(
    '/api/sql/:id',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Cancel a running query by its query_id (your own; admins any)',
        tags: ['sql'],
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }) }),
        response: { 200: Type.Object({ query_id: Type.String(), cancelled: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const principal = request.principal;
      const outcome = cancelSandboxedQuery(id, principal?.role === 'admin' ? undefined : principal?.actor);
      if (outcome === 'not-found') throw new ApiError('API_NOT_FOUND', `No query ${id} is running (it may have finished already).`);
      if (outcome === 'forbidden') throw new ApiError('API_FORBIDDEN', `Query ${id} was started by someone else; only they or an admin can cancel it.`);
      return { query_id: id, cancelled: true };
    },
  );
}

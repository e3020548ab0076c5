import { Type, type TSchema } from 'typebox';
import type { Warehouse } from '../../warehouse/db.ts';
import type { ApiApp, AppContext } from '../app-context.ts';
import { toCsv } from '../csv.ts';
import { ApiError } from '../errors.ts';
import { answeredNotModified, currentDataVersion } from '../etag.ts';
import { MartAnswerCache } from '../marts/answer-cache.ts';
import type { MartContext, MartRoute } from '../marts/mart-route.ts';
import { AnyObject, errorResponses } from '../schemas.ts';

/** Tables and views that exist now. */
async function listTables(wh: Warehouse): Promise<Set<string>> {
  const rows = await wh.query<{ name: string }>(`select schema_name || '.' || table_name as name from duckdb_tables() union all select schema_name || '.' || view_name from duckdb_views() where not internal`);
  return new Set(rows.map((r) => r.name));
}

/** The CSV columns of an answer: the row schema's fields, else the first row's keys. */
function csvColumns(route: MartRoute, rows: readonly Record<string, unknown>[]): string[] {
  const props = (route.row as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : Object.keys(rows[0] ?? {});
}

/** Registers one mart route with its roles, 503-until-built, ETag/304 and `?format=`. */
function registerMartRoute(app: ApiApp, ctx: AppContext, route: MartRoute, cache: MartAnswerCache): void {
  const formats = ['json', 'csv', ...Object.keys(route.formats ?? {})];
  const querystring = Type.Object({
    ...(route.querystring?.properties ?? {}),
    format: Type.Optional(Type.Union(formats.map((f) => Type.Literal(f)), { description: 'json (default), csv, or another format this route offers' })),
  });
  const body = Type.Object({ data_version: Type.Integer(), ...(route.meta ?? {}), rows: Type.Array(route.row ?? AnyObject) } as Record<string, TSchema>);
  app.get(
    route.url,
    {
      config: { roles: route.roles },
      schema: {
        summary: route.summary,
        description: `Roles: ${route.roles.join(', ')} (and admin). Reads ${route.tables({}).join(', ') || 'marts'}; ETag = data version.`,
        tags: ['marts'],
        security: [{ bearer: [] }],
        querystring,
        ...(route.params ? { params: route.params } : {}),
        response: { 200: body, ...errorResponses },
      },
    },
    async (request, reply) => {
      const params = request.params as Record<string, string>;
      const query = request.query as Record<string, unknown>;
      const version = await currentDataVersion(ctx.wh);
      const existing = await cache.existingTables(version, () => listTables(ctx.wh));
      const missing = route.tables(params).filter((t) => !existing.has(t));
      if (missing.length > 0) {
        throw new ApiError('API_MART_NOT_BUILT', `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not built yet; once its models exist, \`parley build\` (or the scheduler) creates ${missing.length === 1 ? 'it' : 'them'}.`);
      }
      if (answeredNotModified(request, reply, version)) return reply;
      const mctx: MartContext = { wh: ctx.wh, config: ctx.config, clock: ctx.clock, reports: ctx.reports, query, params };
      const format = (query.format as string | undefined) ?? 'json';
      const extra = route.formats?.[format];
      if (extra) {
        const answer = await extra(mctx);
        return reply.type(answer.contentType).send(answer.body as never);
      }
      // Keyed by the hour too: routes default to the last complete week of the clock.
      const cached = cache.answer(version, `${ctx.clock.now().toISOString().slice(0, 13)}\n${request.url}`, () => route.read(mctx));
      const answer = await cached.answer;
      if (format === 'csv') {
        const week = answer.meta?.week;
        const name = `${request.url.split('?')[0]!.replace(/^\/api\//, '').replace(/[^A-Za-z0-9_-]+/g, '-')}${typeof week === 'string' ? `-${week}` : ''}`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(cache.body(cached, 'csv', () => toCsv(csvColumns(route, answer.rows), answer.rows)) as never);
      }
      // Encoded once by the route's response serializer (the same bytes as returning the object).
      const json = cache.body(cached, 'json', () => String(reply.serialize({ data_version: version, ...(answer.meta ?? {}), rows: answer.rows })));
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );
}

/** Every mart route of the app, sharing one answer cache (this app's only). */
export async function martRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  const cache = new MartAnswerCache();
  for (const route of ctx.martRoutes) registerMartRoute(app, ctx, route, cache);
}

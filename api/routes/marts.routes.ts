import { Type, type TSchema } from 'typebox';
import type { Warehouse } from '../../warehouse/db.ts';
import type { ApiApp, AppContext } from '../app-context.ts';
import { toCsv } from '../csv.ts';
import { ApiError } from '../errors.ts';
import { answeredNotModified, currentDataVersion } from '../etag.ts';
import type { MartAnswer, MartContext, MartRoute } from '../marts/mart-route.ts';
import { AnyObject, errorResponses } from '../schemas.ts';

const known = new Map<number, Promise<Set<string>>>();

/** Tables and views that exist at a data version (builds move the version, so the answer holds until then). */
function existingTables(wh: Warehouse, version: number): Promise<Set<string>> {
  let found = known.get(version);
  if (!found) {
    known.clear();
    found = wh
      .query<{ name: string }>(`select schema_name || '.' || table_name as name from duckdb_tables() union all select schema_name || '.' || view_name from duckdb_views() where not internal`)
      .then((rows) => new Set(rows.map((r) => r.name)));
    known.set(version, found);
    found.catch(() => known.delete(version));
  }
  return found;
}

/** Most answers kept per data version (a dashboard page asks a handful of URLs). */
const CACHED_ANSWERS = 256;
const answers = new Map<string, Promise<MartAnswer>>();
let answersVersion = -1;

/**
 * The answer of a mart URL at a data version, read once: marts change only when the data
 * version moves (loads and builds bump it), so repeated dashboard requests skip DuckDB.
 */
function cachedAnswer(version: number, url: string, read: () => Promise<MartAnswer>): Promise<MartAnswer> {
  if (version !== answersVersion) {
    answers.clear();
    answersVersion = version;
  }
  let answer = answers.get(url);
  if (!answer) {
    if (answers.size >= CACHED_ANSWERS) answers.delete(answers.keys().next().value!);
    answer = read();
    answers.set(url, answer);
    answer.catch(() => answers.delete(url));
  }
  return answer;
}

/** The CSV columns of an answer: the row schema's fields, else the first row's keys. */
function csvColumns(route: MartRoute, rows: readonly Record<string, unknown>[]): string[] {
  const props = (route.row as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : Object.keys(rows[0] ?? {});
}

/** Registers one mart route with its roles, 503-until-built, ETag/304 and `?format=`. */
export function registerMartRoute(app: ApiApp, ctx: AppContext, route: MartRoute): void {
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
      const existing = await existingTables(ctx.wh, version);
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
      const answer = await cachedAnswer(version, `${ctx.config.dbPath}\n${ctx.clock.now().toISOString().slice(0, 13)}\n${request.url}`, () => route.read(mctx));
      if (format === 'csv') {
        const week = answer.meta?.week;
        const name = `${request.url.split('?')[0]!.replace(/^\/api\//, '').replace(/[^A-Za-z0-9_-]+/g, '-')}${typeof week === 'string' ? `-${week}` : ''}`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(toCsv(csvColumns(route, answer.rows), answer.rows) as never);
      }
      return { data_version: version, ...(answer.meta ?? {}), rows: answer.rows };
    },
  );
}

/** Every mart route of the app. */
export async function martRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  for (const route of ctx.martRoutes) registerMartRoute(app, ctx, route);
}

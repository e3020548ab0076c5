import { Type } from 'typebox';
import { erasePerson } from '../../pipelines/erasure/erase-person.ts';
import { isValidWeek } from '../../warehouse/reports/iso-week.ts';
import { getReport, REPORTS } from '../../warehouse/reports/registry.ts';
import type { ApiApp, AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { AnyObject, errorResponses, Week } from '../schemas.ts';

const ReportData = Type.Object({
  kind: Type.String(),
  title: Type.String(),
  week: Type.String(),
  week_start: Type.String(),
  week_end: Type.String(),
  source: Type.String(),
  metrics: Type.Array(AnyObject),
  tables: Type.Array(AnyObject),
  notes: Type.Array(Type.String()),
});

const EraseResult = Type.Object({
  erasureId: Type.String(),
  phones: Type.Array(Type.String(), { description: 'the number given and every number merged with it (the caller scans its landing files for them)' }),
  phoneNumbers: Type.Integer(),
  rowsDeleted: Type.Integer(),
  rowsRewritten: Type.Integer(),
  tables: Type.Record(Type.String(), Type.Integer()),
  namesLeft: Type.Array(Type.Object({ table: Type.String(), rows: Type.Integer() })),
});

/**
 * What `parley report` and `parley erase` need while `parley serve` holds the warehouse:
 * a weekly report's data (the CLI renders it exactly as it does locally) and the erasure.
 */
export async function cliOpsRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/reports/:kind/data',
    {
      config: { roles: ['manager'] },
      schema: {
        summary: 'One weekly report as data: metrics against targets, tables and notes (what `parley report` renders)',
        tags: ['reports'],
        security: [{ bearer: [] }],
        params: Type.Object({ kind: Type.String({ maxLength: 64, description: REPORTS.map((r) => r.kind).join(', ') }) }),
        querystring: Type.Object({ week: Week }),
        response: { 200: ReportData, ...errorResponses },
      },
    },
    async (request) => {
      const { kind } = request.params;
      const { week } = request.query;
      if (!REPORTS.some((r) => r.kind === kind)) throw new ApiError('API_NOT_FOUND', `No report "${kind}"; reports: ${REPORTS.map((r) => r.kind).join(', ')}.`);
      if (!isValidWeek(week)) throw new ApiError('API_BAD_REQUEST', `week ${week} does not exist (week 53 is only in long ISO years).`);
      const data = await getReport(kind).load(ctx.wh, week);
      return { ...data, metrics: data.metrics.map((m) => ({ ...m })), tables: data.tables.map((t) => ({ ...t })), notes: [...data.notes] };
    },
  );

  app.post(
    '/api/erase',
    {
      config: { roles: [] },
      schema: {
        summary: 'Erase one person (every number merged with theirs) from raw, staging, marts and ops; recorded without who',
        tags: ['ops'],
        security: [{ bearer: [] }],
        body: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: EraseResult, ...errorResponses },
      },
    },
    async (request) => {
      const r = await erasePerson(ctx.wh, request.body.phone);
      // the erased rows must not linger in the write-ahead log
      await ctx.wh.run('checkpoint');
      return { ...r, phones: [...r.phones], namesLeft: [...r.namesLeft], tables: { ...r.tables } };
    },
  );
}

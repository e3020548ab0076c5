import { Type } from 'typebox';
import type { ApiApp, AppContext } from '../app-context.ts';
import { errorResponses, Nullable, Timestamp } from '../schemas.ts';

const SourceHealth = Type.Object({
  source: Type.String(),
  lastRunStatus: Nullable(Type.String()),
  lastRunAt: Nullable(Timestamp),
  lastSuccessAt: Nullable(Timestamp),
  newestDataAt: Nullable(Timestamp),
  freshnessSeconds: Nullable(Type.Number({ description: 'now minus the newest event time in the data' })),
  quarantined: Type.Integer(),
});

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], { description: 'degraded when the last build or a source\'s last run failed' }),
  dataVersion: Type.Integer(),
  serverTime: Timestamp,
  timezone: Type.String({ description: 'PARLEY_TZ: the business timezone of local days, hours and ISO weeks' }),
  dbPath: Type.String(),
  dbBytes: Type.Integer({ description: 'DuckDB file plus its WAL' }),
  lastBuild: Nullable(Type.Object({ buildId: Type.Integer(), status: Type.String(), finishedAt: Nullable(Timestamp), error: Nullable(Type.String()) })),
  sources: Type.Array(SourceHealth),
  scheduler: Nullable(Type.Array(Type.Object({ name: Type.String(), running: Type.Boolean(), lastStatus: Nullable(Type.String()), nextRunAt: Nullable(Timestamp), nextRetryAt: Nullable(Timestamp) }))),
});

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** `GET /api/health`: data version, last runs per source, freshness, file size. */
export async function healthRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { roles: ['manager', 'scheduler', 'analyst', 'admin'] },
      schema: { summary: 'Status, data version, last run and freshness per source, DuckDB file size', tags: ['ops'], security: [{ bearer: [] }], response: { 200: Health, ...errorResponses } },
    },
    async () => {
      const s = await ctx.status.get();
      const now = ctx.clock.now();
      const failed = s.lastBuild?.status === 'failed' || s.sources.some((src) => src.lastRun?.status === 'failed');
      return {
        status: failed ? ('degraded' as const) : ('ok' as const),
        dataVersion: s.dataVersion,
        serverTime: now.toISOString(),
        timezone: ctx.config.tz,
        dbPath: s.dbPath,
        dbBytes: s.dbBytes,
        lastBuild: s.lastBuild ? { buildId: s.lastBuild.buildId, status: s.lastBuild.status, finishedAt: iso(s.lastBuild.finishedAt), error: s.lastBuild.error } : null,
        sources: s.sources.map((src) => ({
          source: src.source,
          lastRunStatus: src.lastRun?.status ?? null,
          lastRunAt: iso(src.lastRun?.startedAt),
          lastSuccessAt: iso(src.lastSuccessAt),
          newestDataAt: iso(src.newestDataAt),
          freshnessSeconds: src.newestDataAt ? Math.round((now.getTime() - src.newestDataAt.getTime()) / 1000) : null,
          quarantined: src.quarantined,
        })),
        scheduler: ctx.scheduler ? ctx.scheduler.state().map((j) => ({ name: j.name, running: j.running, lastStatus: j.lastStatus, nextRunAt: iso(j.nextRunAt), nextRetryAt: iso(j.nextRetryAt) })) : null,
      };
    },
  );
}

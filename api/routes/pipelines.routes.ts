import { Type } from 'typebox';
import { readJobHistory } from '../../pipelines/scheduler-history.ts';
import type { ApiApp, AppContext } from '../app-context.ts';
import { jsonSafe } from '../json-safe.ts';
import { checkTrigger, runTrigger, type TriggerBody } from '../pipeline-trigger.ts';
import { AnyObject, errorResponses, Nullable } from '../schemas.ts';

const RECENT_RUNS = 50;

/** `GET /api/pipelines` (status, runs, quarantine, scheduler) and `POST /api/pipelines/:name/run`. */
export async function pipelinesRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/pipelines',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Warehouse status (as `parley status --format json`), recent runs, quarantine counts and the scheduler',
        tags: ['ops'],
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({
            status: AnyObject,
            runs: Type.Array(AnyObject),
            quarantine: Type.Array(Type.Object({ source: Type.String(), reason: Type.String(), records: Type.Integer(), latest_at: Type.String() })),
            scheduler: Nullable(Type.Object({ timezone: Type.String(), jobs: Type.Array(AnyObject), history: Type.Array(AnyObject) })),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const [status, runs, quarantine, history] = await Promise.all([
        ctx.status.get(),
        ctx.wh.query(`select run_id, source, trigger, started_at, finished_at, status, rows_read, rows_loaded, rows_quarantined, batches, error from ops.pipeline_runs order by run_id desc limit ${RECENT_RUNS}`),
        ctx.wh.query<{ source: string; reason: string; records: number; latest_at: Date }>(
          `select source, regexp_replace(reason, '[0-9]+', 'N', 'g') as reason, count(*) as records, max(quarantined_at) as latest_at
           from ops.quarantine group by all order by records desc limit 100`,
        ),
        ctx.scheduler ? readJobHistory(ctx.wh, 20) : Promise.resolve([]),
      ]);
      return jsonSafe({
        status,
        runs,
        quarantine,
        scheduler: ctx.scheduler ? { timezone: ctx.config.tz, jobs: ctx.scheduler.state(), history } : null,
      }) as never;
    },
  );

  app.post(
    '/api/pipelines/:name/run',
    {
      config: { roles: ['admin'] },
      // A trigger without a body is the usual case: validate it as an empty object.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Run a pipeline now: a source, `build`, `all` (every source, then the build) or a scheduler job',
        description: 'Answers 202 at once, or with ?wait=true the results when done (what the CLI does while a server runs). A source or job already running answers 409; builds queue.',
        tags: ['ops'],
        security: [{ bearer: [] }],
        params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9:_-]{1,64}$' }) }),
        querystring: Type.Object({ wait: Type.Optional(Type.Boolean({ default: false })) }),
        body: Type.Object({
          full: Type.Optional(Type.Boolean()),
          path: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
          options: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z-]{1,32}$' }), Type.String({ maxLength: 200 }))),
        }),
        response: { 200: AnyObject, 202: Type.Object({ accepted: Type.Boolean(), name: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      checkTrigger(ctx, name);
      const body: TriggerBody = request.body;
      const work = ctx.background.track(() => runTrigger(ctx, name, body));
      if (request.query.wait === true) return jsonSafe(await work) as never;
      work.catch((err) => ctx.log.error(`manual run of ${name} failed`, { error: String(err) }));
      return reply.code(202).send({ accepted: true, name });
    },
  );
}

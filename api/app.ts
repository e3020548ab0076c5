import path from 'node:path';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { PROJECT_ROOT, type Config } from '../config/config.ts';
import { errorMessage } from '../config/parley-error.ts';
import { systemClock, type Clock } from '../pipelines/clock.ts';
import type { Logger } from '../pipelines/logger.ts';
import { runAll } from '../pipelines/run-all.ts';
import type { Scheduler } from '../pipelines/scheduler.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { buildMessages } from '../warehouse/messages-build.ts';
import type { ApiApp, AppContext } from './app-context.ts';
import { authenticate, roleAllowed } from './auth.ts';
import { Background } from './background.ts';
import { installErrorHandling } from './error-handler.ts';
import { ApiError } from './errors.ts';
import type { MartRoute } from './marts/mart-route.ts';
import { MART_ROUTES } from './marts/registry.ts';
import { REPORT_RENDERERS, type ReportRenderers } from './reports/report-registry.ts';
import { dashboardRoutes } from './routes/dashboard.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { martRoutes } from './routes/marts.routes.ts';
import { pipelinesRoutes } from './routes/pipelines.routes.ts';
import { cliOpsRoutes } from './routes/cli-ops.routes.ts';
import { reportsArchiveRoutes } from './routes/reports-archive.routes.ts';
import { schemaRoutes } from './routes/schema.routes.ts';
import { sqlRoutes } from './routes/sql.routes.ts';
import { webhookRoutes } from './routes/webhook.routes.ts';
import { StatusCache } from './status-cache.ts';
import { DebouncedBuild, type DebounceOptions } from './webhook/debounced-build.ts';
import { WebhookReceiver } from './webhook/webhook-receiver.ts';

/** What the app is built from; everything with a side effect is passed in. */
export interface AppDeps {
  readonly config: Config;
  readonly warehouse: Warehouse;
  readonly clock?: Clock;
  /** A pino logger (the server's), `true` for Fastify's default, or nothing for silence (tests). */
  readonly logger?: FastifyBaseLogger | boolean;
  /** The running scheduler, shown in /api/pipelines and /api/health and triggerable by name. */
  readonly scheduler?: Scheduler;
  readonly reports?: ReportRenderers;
  readonly martRoutes?: readonly MartRoute[];
  /** Quiet time before the fast build that carries webhook payloads into marts.fct_messages (default `FAST_BUILD_DEBOUNCE`). */
  readonly webhookDebounce?: DebounceOptions;
  /** Quiet time before the complete build after webhook payloads (default `COMPLETE_BUILD_DEBOUNCE`). */
  readonly webhookCompleteDebounce?: DebounceOptions;
  /** Check every JSON answer against its route's response schema (tests turn it on). */
  readonly validateResponses?: boolean;
  readonly dashboardDir?: string;
}

/** Webhook deliveries a second from which the builds after them wait for the flood to pass. */
const FLOOD_PER_SECOND = 200;

/**
 * The fast build after webhook deliveries: 200 ms after they stop, at most 1 s after the first
 * while they keep coming, but builds take at most half the time (spacing 1) and during a
 * flood it waits for 1 s without deliveries, or at most 10 s (docs/builds.md).
 */
export const FAST_BUILD_DEBOUNCE: DebounceOptions = { delayMs: 200, maxDelayMs: 1000, backOff: { spacing: 1, flood: { perSecond: FLOOD_PER_SECOND, maxDelayMs: 10_000 } } };

/** The complete build: 10 s after deliveries stop, at most 60 s while they keep coming (spacing 3), at most 10 min during a flood. */
export const COMPLETE_BUILD_DEBOUNCE: DebounceOptions = { delayMs: 10_000, maxDelayMs: 60_000, backOff: { spacing: 3, flood: { perSecond: FLOOD_PER_SECOND, maxDelayMs: 600_000 } } };

/** The pipelines' logger interface over pino. */
export function pinoLogger(log: FastifyBaseLogger): Logger {
  return {
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, f) => log.error(f ?? {}, m),
  };
}

/**
 * Builds the Fastify app (without listening): auth by role on every `/api` route, TypeBox
 * schemas on every input and output, OpenAPI at `/docs`, one error shape, the webhook
 * receiver with its debounced build, and the dashboard at `/`. Closing the app flushes the
 * webhook receiver and waits for the work it started.
 */
export async function buildApp(deps: AppDeps): Promise<ApiApp> {
  const logger = deps.logger;
  const app = Fastify({
    ...(logger && typeof logger === 'object' ? { loggerInstance: logger } : { logger: logger === true }),
  })
    .withTypeProvider<TypeBoxTypeProvider>()
    .setValidatorCompiler(TypeBoxValidatorCompiler);
  const log = pinoLogger(app.log);
  const clock = deps.clock ?? systemClock;
  const wh = deps.warehouse;
  const background = new Background();
  // Deliveries reach marts.fct_messages by a fast build soon after them; the complete build
  // (every mart, staffing, data-quality checks) follows once they stop for a while.
  const fastBuild = new DebouncedBuild(
    async () => {
      const build = await buildMessages(wh);
      if (build.status !== 'success') log.warn(`webhook messages build ${build.buildId} ${build.status}`);
    },
    clock,
    log,
    deps.webhookDebounce ?? FAST_BUILD_DEBOUNCE,
  );
  const completeBuild = new DebouncedBuild(
    async () => {
      // Through runAll with no sources: the same build step the scheduler and `parley run` use.
      const { build } = await runAll(wh, { trigger: 'webhook', sources: [], log });
      if (build && build.status !== 'success') log.warn(`webhook build ${build.buildId} ${build.status}`);
    },
    clock,
    log,
    deps.webhookCompleteDebounce ?? COMPLETE_BUILD_DEBOUNCE,
  );
  const ctx: AppContext = {
    config: deps.config,
    wh,
    clock,
    log,
    scheduler: deps.scheduler,
    reports: deps.reports ?? REPORT_RENDERERS,
    martRoutes: deps.martRoutes ?? MART_ROUTES,
    background,
    receiver: new WebhookReceiver(wh, {
      clock,
      log,
      onStored: (bodies) => {
        fastBuild.poke(bodies);
        completeBuild.poke(bodies);
      },
    }),
    status: new StatusCache(wh),
    dashboardDir: deps.dashboardDir ?? path.join(PROJECT_ROOT, 'dashboard', 'dist'),
  };

  installErrorHandling(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Parley API', version: '0.1.0', description: 'WhatsApp SCRM analytics: weekly reports, metrics, SQL over the marts, pipelines and the WhatsApp webhook. Errors are `{error: {code, message}}`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token of PARLEY_TOKENS' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (request, reply) => {
    const roles = request.routeOptions.config.roles;
    if (!roles) return;
    const principal = authenticate(deps.config.tokens, request.headers.authorization);
    if (principal === 'missing' || principal === 'invalid') {
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError('API_UNAUTHORIZED', principal === 'missing' ? 'Send Authorization: Bearer <token> with a token of PARLEY_TOKENS.' : 'The bearer token is not one of PARLEY_TOKENS.');
    }
    if (!roleAllowed(principal.role, roles)) {
      throw new ApiError('API_FORBIDDEN', `This route is for ${roles.join(', ')} (and admin); this token's role is ${principal.role}.`);
    }
    request.principal = principal;
  });
  if (deps.validateResponses) installResponseValidation(app);

  await app.register(async (scope) => {
    await healthRoutes(scope, ctx);
    await sqlRoutes(scope, ctx);
    await schemaRoutes(scope, ctx);
    await pipelinesRoutes(scope, ctx);
    await reportsArchiveRoutes(scope, ctx);
    await cliOpsRoutes(scope, ctx);
    await martRoutes(scope, ctx);
  });
  await app.register(async (scope) => webhookRoutes(scope, ctx));
  await app.register(async (scope) => dashboardRoutes(scope, ctx));

  app.addHook('onClose', async () => {
    await ctx.receiver.close();
    await fastBuild.close();
    await completeBuild.close();
    await background.drain();
  });
  return app;
}

/** Checks each JSON answer against its route's response schema for its status (tests). */
function installResponseValidation(app: ApiApp): void {
  const compiled = new WeakMap<object, ReturnType<typeof Compile>>();
  app.addHook('onSend', async (request, reply, payload) => {
    const schemas = request.routeOptions.schema?.response as Record<string, TSchema> | undefined;
    const type = String(reply.getHeader('content-type') ?? '');
    const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : payload;
    if (!schemas || typeof text !== 'string' || !type.startsWith('application/json')) return payload;
    const status = reply.statusCode;
    const schema = schemas[status] ?? schemas[`${String(status)[0]}xx`];
    if (!schema) throw new Error(`${request.method} ${request.url} answered ${status}, which its schema does not list`);
    let check = compiled.get(schema);
    if (!check) compiled.set(schema, (check = Compile(schema)));
    const value: unknown = JSON.parse(text);
    if (!check.Check(value)) {
      throw new Error(`${request.method} ${request.url} answered ${status} outside its schema: ${errorMessage([...check.Errors(value)].map((e) => `${e.instancePath} ${e.message}`).join('; '))}`);
    }
    return payload;
  });
}

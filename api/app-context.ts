import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config, Role } from '../config/config.ts';
import type { Clock } from '../pipelines/clock.ts';
import type { Logger } from '../pipelines/logger.ts';
import type { Scheduler } from '../pipelines/scheduler.ts';
import type { Warehouse } from '../warehouse/db.ts';
import type { Background } from './background.ts';
import type { Principal } from './auth.ts';
import type { MartRoute } from './marts/mart-route.ts';
import type { ReportRenderers } from './reports/report-registry.ts';
import type { StatusCache } from './status-cache.ts';
import type { WebhookReceiver } from './webhook/webhook-receiver.ts';

/** The Fastify instance routes are registered on (TypeBox schemas give typed requests). */
export type ApiApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** What every route plugin gets: the app's dependencies, resolved. */
export interface AppContext {
  readonly config: Config;
  readonly wh: Warehouse;
  readonly clock: Clock;
  /** The pipelines' logger interface over the app's pino logger. */
  readonly log: Logger;
  readonly scheduler: Scheduler | undefined;
  readonly reports: ReportRenderers;
  readonly martRoutes: readonly MartRoute[];
  readonly background: Background;
  readonly receiver: WebhookReceiver;
  readonly status: StatusCache;
  /** Where the built dashboard is (served at `/` when it exists). */
  readonly dashboardDir: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles that may call the route (admin always may); routes without it are public. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

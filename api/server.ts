import { pino, type Logger as PinoLogger } from 'pino';
import type { Config } from '../config/config.ts';
import { errorMessage } from '../config/parley-error.ts';
import { systemClock, type Clock } from '../pipelines/clock.ts';
import { seedDemoIfEmpty } from '../pipelines/demo/seed-demo.ts';
import { SOURCES } from '../pipelines/registry.ts';
import { readScheduleConfig } from '../pipelines/schedule-config.ts';
import { pipelineJobs, retryPolicy } from '../pipelines/scheduled-jobs.ts';
import { recordJobRun } from '../pipelines/scheduler-history.ts';
import { Scheduler } from '../pipelines/scheduler.ts';
import { compactDataVersionLog } from '../warehouse/data-version.ts';
import { openWarehouse } from '../warehouse/db.ts';
import { buildApp, pinoLogger } from './app.ts';
import type { ApiApp } from './app-context.ts';
import { isLoopback } from './auth.ts';
import { ApiError } from './errors.ts';
import { REPORT_RENDERERS, type ReportRenderers } from './reports/report-registry.ts';
import { weeklyReportsJob } from './reports/weekly-reports.job.ts';
import { liveServer, removeServerLock, writeServerLock } from './server-lock.ts';

/** Options of `parley serve`. */
export interface ServeOptions {
  readonly config: Config;
  readonly port?: number;
  readonly host?: string;
  /** Seed demo data into an empty warehouse (default true; `--no-demo` turns it off). */
  readonly demo?: boolean;
  /** Run the scheduler (default true). */
  readonly schedule?: boolean;
  readonly logger?: PinoLogger;
  readonly clock?: Clock;
  readonly reports?: ReportRenderers;
  readonly dashboardDir?: string;
}

/** A listening server. */
export interface RunningServer {
  readonly url: string;
  readonly app: ApiApp;
  readonly scheduler: Scheduler | undefined;
  /** Graceful stop: no new runs, in-flight requests and the running batch finish, then DuckDB closes. */
  close(): Promise<void>;
}

/** How long requests in flight may take to finish once the server stops. */
const SHUTDOWN_GRACE_MS = 30_000;

/** How often the data-version log is folded (it grows by one row per load or build). */
const COMPACT_EVERY_MS = 10 * 60_000;

/** Refuses to listen beyond loopback when no tokens protect the API. */
export function checkBind(config: Pick<Config, 'tokens'>, host: string): void {
  if (config.tokens.size === 0 && !isLoopback(host)) {
    throw new ApiError('API_INSECURE_BIND', `Refusing to listen on ${host} without tokens: anyone could read the warehouse. Set PARLEY_TOKENS=token:role,... (roles manager, scheduler, analyst, admin) or listen on 127.0.0.1.`);
  }
}

/**
 * `parley serve`: opens the warehouse (this process then owns the file), seeds demo data
 * into an empty one, listens, writes `<data folder>/parley.lock` so the CLI talks to this
 * server instead of the file, and starts the scheduler.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const config = opts.config;
  const host = opts.host ?? config.host;
  const port = opts.port ?? config.port;
  checkBind(config, host);
  const running = liveServer(config);
  if (running) {
    throw new ApiError('API_SERVER_RUNNING', `parley serve is already running for ${config.dataDir} (pid ${running.pid}, ${running.url}); stop it first.`);
  }
  const logger = opts.logger ?? pino({ level: 'info', base: { service: 'parley' } });
  const log = pinoLogger(logger);
  const clock = opts.clock ?? systemClock;
  const reports = opts.reports ?? REPORT_RENDERERS;
  const wh = await openWarehouse(config);
  try {
    if (opts.demo !== false) {
      const seeded = await seedDemoIfEmpty(wh, log);
      if (!seeded) log.info('warehouse has data: no demo seeding');
    } else log.info('--no-demo: not seeding demo data');

    let scheduler: Scheduler | undefined;
    if (opts.schedule !== false) {
      const schedule = readScheduleConfig(config, SOURCES.map((s) => s.name));
      scheduler = new Scheduler({
        jobs: [...pipelineJobs(wh, schedule, SOURCES, log), weeklyReportsJob({ wh, config, clock, log, renderers: reports, schedule: schedule.weekly_reports, retry: retryPolicy(schedule) })],
        timezone: config.tz,
        clock,
        log,
        record: (row) => recordJobRun(wh, row),
      });
    }
    const app = await buildApp({ config, warehouse: wh, clock, logger, scheduler, reports, dashboardDir: opts.dashboardDir });
    // Requests in flight, so shutdown can let them finish and then close every connection:
    // an idle keep-alive or a pre-opened connection without a request would otherwise hold
    // the close until its timeout.
    let inFlight = 0;
    let drained: (() => void) | undefined;
    app.server.on('request', (_req, res) => {
      inFlight++;
      res.once('close', () => {
        inFlight--;
        if (inFlight === 0) drained?.();
      });
    });
    const address = await app.listen({ port, host });
    const url = address.replace('[::1]', 'localhost');
    writeServerLock(config, url);
    scheduler?.start();
    const compactor = setInterval(() => {
      wh.locks.run('data-version-compact', () => wh.withConnection((c) => compactDataVersionLog(c))).catch((err) => log.warn('could not compact the data-version log', { error: errorMessage(err) }));
    }, COMPACT_EVERY_MS);
    compactor.unref();
    log.info(`parley serving ${url} (API docs ${url}/docs)`, { tokens: config.tokens.size, db: config.dbPath });

    let closing: Promise<void> | undefined;
    return {
      url,
      app,
      scheduler,
      close() {
        closing ??= (async () => {
          log.info('shutting down: finishing the running batch and requests in flight');
          clearInterval(compactor);
          await scheduler?.stop();
          const appClosed = app.close();
          if (inFlight > 0) {
            await new Promise<void>((resolve) => {
              drained = resolve;
              setTimeout(resolve, SHUTDOWN_GRACE_MS).unref();
            });
          }
          app.server.closeAllConnections();
          await appClosed;
          removeServerLock(config);
          await wh.close();
          log.info('stopped; the warehouse is closed');
        })();
        return closing;
      },
    };
  } catch (err) {
    removeServerLock(config);
    await wh.close();
    throw err;
  }
}

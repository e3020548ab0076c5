import { createTask } from 'node-cron';
import { errorMessage } from '../config/parley-error.ts';
import type { Clock, TimerHandle } from './clock.ts';
import type { Logger } from './logger.ts';

/** How one execution of a job ended. */
export interface JobOutcome {
  readonly status: 'success' | 'failed';
  readonly error?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Retries after a failure: `attempts` more tries, waiting base, 2 x base, 4 x base ... (at most max). */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

/** A job the scheduler runs on a cron schedule. */
export interface JobSpec {
  readonly name: string;
  /** Five- or six-field cron expression, read in the scheduler's timezone. */
  readonly schedule: string;
  readonly description: string;
  readonly retry?: RetryPolicy;
  /** Does the work; `signal` aborts on shutdown (sources stop between batches). */
  run(signal: AbortSignal): Promise<JobOutcome>;
}

/** How an execution was started. */
export type JobTrigger = 'scheduled' | 'retry' | 'manual';

/** One row of the scheduler's history (`ops.scheduler_runs`). */
export interface JobRecord {
  readonly job: string;
  readonly trigger: JobTrigger;
  readonly attempt: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly status: 'success' | 'failed' | 'skipped';
  readonly error: string | null;
  readonly details: Readonly<Record<string, unknown>> | null;
}

/** What `/api/pipelines` and `parley status` show about a job. */
export interface JobState {
  readonly name: string;
  readonly schedule: string;
  readonly description: string;
  readonly running: boolean;
  readonly runningSince: Date | null;
  readonly lastStartedAt: Date | null;
  readonly lastFinishedAt: Date | null;
  readonly lastStatus: 'success' | 'failed' | null;
  readonly lastError: string | null;
  /** Failures since the last success; attempt N of a retry is failures + 1. */
  readonly consecutiveFailures: number;
  readonly nextRetryAt: Date | null;
  readonly nextRunAt: Date | null;
  readonly runs: number;
  readonly skipped: number;
}

/** The part of a node-cron task the scheduler uses (tests pass a stand-in). */
export interface CronTask {
  start(): void | Promise<void>;
  destroy(): void | Promise<void>;
  getNextRun(): Date | null;
  on(event: 'execution:overlap', fn: () => void): void;
}

/** Makes a cron task that calls `fn` on `schedule` in `timezone`, skipping ticks while `fn` still runs. */
export type CronFactory = (schedule: string, fn: () => Promise<unknown>, opts: { timezone: string; name: string; log: Logger }) => CronTask;

/** node-cron v4: `noOverlap` skips a tick while the previous execution runs (reported as `execution:overlap`). */
export const nodeCronFactory: CronFactory = (schedule, fn, opts) =>
  createTask(schedule, fn, {
    timezone: opts.timezone,
    name: opts.name,
    noOverlap: true,
    logger: {
      info: (m) => opts.log.info(`cron ${opts.name}: ${m}`),
      // Overlaps are logged by the scheduler itself, as skipped runs.
      warn: (m) => (/overlap/i.test(m) ? undefined : opts.log.warn(`cron ${opts.name}: ${m}`)),
      error: (m) => opts.log.error(`cron ${opts.name}: ${errorMessage(m)}`),
      debug: () => {},
    },
  }) as unknown as CronTask;

/** What the scheduler needs. */
export interface SchedulerDeps {
  readonly jobs: readonly JobSpec[];
  readonly timezone: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Keeps the history (the server writes it to `ops.scheduler_runs`); failures here are logged, never thrown. */
  readonly record?: (row: JobRecord) => Promise<void>;
  readonly cron?: CronFactory;
}

interface Slot {
  spec: JobSpec;
  task?: CronTask;
  running?: { since: Date; done: Promise<void> };
  retryTimer?: TimerHandle;
  nextRetryAt: Date | null;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastStatus: 'success' | 'failed' | null;
  lastError: string | null;
  consecutiveFailures: number;
  runs: number;
  skipped: number;
}

/**
 * Runs jobs on cron schedules in the business timezone. A job never runs twice at once: a
 * tick, retry or manual trigger that arrives while it runs is skipped and logged. A failed
 * execution is retried with exponential backoff while attempts remain; the next scheduled
 * tick supersedes a pending retry.
 */
export class Scheduler {
  private readonly slots = new Map<string, Slot>();
  private readonly controller = new AbortController();
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {
    for (const spec of deps.jobs) {
      if (this.slots.has(spec.name)) throw new Error(`Scheduler: two jobs are called ${spec.name}`);
      this.slots.set(spec.name, { spec, nextRetryAt: null, lastStartedAt: null, lastFinishedAt: null, lastStatus: null, lastError: null, consecutiveFailures: 0, runs: 0, skipped: 0 });
    }
  }

  /** Starts the cron tasks. */
  start(): void {
    const cron = this.deps.cron ?? nodeCronFactory;
    for (const slot of this.slots.values()) {
      const task = cron(slot.spec.schedule, () => this.trigger(slot.spec.name, 'scheduled'), { timezone: this.deps.timezone, name: slot.spec.name, log: this.deps.log });
      // node-cron skips a tick itself while our execution still runs: that is a skipped run too.
      task.on('execution:overlap', () => void this.skip(slot, 'scheduled'));
      void task.start();
      slot.task = task;
    }
    this.deps.log.info(`scheduler started in ${this.deps.timezone}`, { jobs: [...this.slots.values()].map((s) => `${s.spec.name} (${s.spec.schedule})`).join(', ') });
  }

  /** Job names. */
  names(): string[] {
    return [...this.slots.keys()];
  }

  /**
   * Runs `name` now unless it is already running. Resolves when the execution is over with
   * `ran`, or at once with `skipped` (logged and recorded).
   */
  async trigger(name: string, trigger: JobTrigger = 'manual'): Promise<'ran' | 'skipped'> {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`Scheduler: no job called ${name}`);
    if (this.stopped) return 'skipped';
    if (slot.running) {
      await this.skip(slot, trigger);
      return 'skipped';
    }
    if (trigger !== 'retry') this.clearRetry(slot);
    const since = this.deps.clock.now();
    const done = this.execute(slot, trigger, since);
    slot.running = { since, done };
    try {
      await done;
    } finally {
      slot.running = undefined;
    }
    return 'ran';
  }

  private async execute(slot: Slot, trigger: JobTrigger, startedAt: Date): Promise<void> {
    const attempt = slot.consecutiveFailures + 1;
    slot.lastStartedAt = startedAt;
    slot.runs++;
    let outcome: JobOutcome;
    try {
      outcome = await slot.spec.run(this.controller.signal);
    } catch (err) {
      outcome = { status: 'failed', error: errorMessage(err) };
    }
    const finishedAt = this.deps.clock.now();
    slot.lastFinishedAt = finishedAt;
    slot.lastStatus = outcome.status;
    slot.lastError = outcome.error ?? null;
    const record: JobRecord = { job: slot.spec.name, trigger, attempt, startedAt, finishedAt, status: outcome.status, error: outcome.error ?? null, details: outcome.details ?? null };
    if (outcome.status === 'success') {
      slot.consecutiveFailures = 0;
      this.clearRetry(slot);
      this.deps.log.info(`job ${slot.spec.name} done`, { trigger, ms: finishedAt.getTime() - startedAt.getTime() });
    } else {
      slot.consecutiveFailures++;
      const retry = this.scheduleRetry(slot);
      this.deps.log.error(`job ${slot.spec.name} failed (attempt ${attempt})${retry ? `; retrying at ${retry.toISOString()}` : '; no retries left, waiting for the next tick'}`, { error: outcome.error });
    }
    await this.save(record);
  }

  /** Schedules the next retry of a failed job, or returns null when attempts are used up. */
  private scheduleRetry(slot: Slot): Date | null {
    this.clearRetry(slot);
    const policy = slot.spec.retry;
    if (!policy || this.stopped || slot.consecutiveFailures > policy.attempts) return null;
    const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** (slot.consecutiveFailures - 1));
    slot.nextRetryAt = new Date(this.deps.clock.now().getTime() + wait);
    slot.retryTimer = this.deps.clock.setTimeout(() => {
      slot.retryTimer = undefined;
      slot.nextRetryAt = null;
      void this.trigger(slot.spec.name, 'retry');
    }, wait);
    return slot.nextRetryAt;
  }

  private clearRetry(slot: Slot): void {
    if (slot.retryTimer) this.deps.clock.clearTimeout(slot.retryTimer);
    slot.retryTimer = undefined;
    slot.nextRetryAt = null;
  }

  private async skip(slot: Slot, trigger: JobTrigger): Promise<void> {
    slot.skipped++;
    const now = this.deps.clock.now();
    this.deps.log.warn(`job ${slot.spec.name}: ${trigger} run skipped, the previous run (started ${slot.running?.since.toISOString() ?? 'just now'}) is still going`);
    await this.save({ job: slot.spec.name, trigger, attempt: slot.consecutiveFailures + 1, startedAt: now, finishedAt: now, status: 'skipped', error: 'previous run still going', details: null });
  }

  private async save(row: JobRecord): Promise<void> {
    if (!this.deps.record) return;
    try {
      await this.deps.record(row);
    } catch (err) {
      this.deps.log.error(`scheduler: could not record ${row.job} ${row.status}`, { error: errorMessage(err) });
    }
  }

  /** The state of every job. */
  state(): JobState[] {
    return [...this.slots.values()].map((s) => ({
      name: s.spec.name,
      schedule: s.spec.schedule,
      description: s.spec.description,
      running: s.running !== undefined,
      runningSince: s.running?.since ?? null,
      lastStartedAt: s.lastStartedAt,
      lastFinishedAt: s.lastFinishedAt,
      lastStatus: s.lastStatus,
      lastError: s.lastError,
      consecutiveFailures: s.consecutiveFailures,
      nextRetryAt: s.nextRetryAt,
      nextRunAt: s.task?.getNextRun() ?? null,
      runs: s.runs,
      skipped: s.skipped,
    }));
  }

  /**
   * Stops the cron tasks and pending retries, asks running jobs to stop between batches, and
   * waits for them (node-cron's own stop does not wait).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    for (const slot of this.slots.values()) {
      this.clearRetry(slot);
      await slot.task?.destroy();
    }
    await Promise.all([...this.slots.values()].map((s) => s.running?.done.catch(() => undefined)));
  }
}

import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipelines/logger.ts';
import { checkScheduleConfig, readScheduleConfig } from '../../pipelines/schedule-config.ts';
import { pipelineJobs } from '../../pipelines/scheduled-jobs.ts';
import { readJobHistory, recordJobRun } from '../../pipelines/scheduler-history.ts';
import { Scheduler, type CronFactory, type JobOutcome, type JobRecord, type JobSpec } from '../../pipelines/scheduler.ts';
import type { Source } from '../../pipelines/source.ts';
import { closeAllWarehouses } from '../../warehouse/db.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** A job whose executions the test finishes by hand. */
function manualJob(name: string, retry = { attempts: 2, baseMs: 30_000, maxMs: 600_000 }) {
  const pending: ((o: JobOutcome) => void)[] = [];
  let started = 0;
  const spec: JobSpec = {
    name,
    schedule: '*/5 * * * *',
    description: 'test job',
    retry,
    run: () => {
      started++;
      return new Promise<JobOutcome>((resolve) => pending.push(resolve));
    },
  };
  return {
    spec,
    started: () => started,
    finish: (o: JobOutcome) => pending.shift()!(o),
  };
}

/** A cron stand-in: the test fires ticks itself and can report node-cron's own overlap skips. */
function fakeCron() {
  const ticks = new Map<string, () => Promise<unknown>>();
  const overlaps = new Map<string, () => void>();
  const factory: CronFactory = (_schedule, fn, opts) => {
    ticks.set(opts.name, fn);
    return { start() {}, destroy() {}, getNextRun: () => new Date('2026-11-23T00:05:00Z'), on: (_e, f) => void overlaps.set(opts.name, f) };
  };
  return { factory, tick: (name: string) => ticks.get(name)!(), overlap: (name: string) => overlaps.get(name)!() };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('scheduler', () => {
  afterAll(closeAllWarehouses);

  it('never runs a job twice at once: a tick during a run is skipped, logged and recorded', async () => {
    const clock = new FakeClock();
    const job = manualJob('pipelines');
    const cron = fakeCron();
    const records: JobRecord[] = [];
    const warnings: string[] = [];
    const s = new Scheduler({ jobs: [job.spec], timezone: 'Asia/Hong_Kong', clock, cron: cron.factory, log: { ...silentLogger, warn: (m) => warnings.push(m) }, record: async (r) => void records.push(r) });
    s.start();

    const first = cron.tick('pipelines');
    expect(job.started()).toBe(1);
    clock.advance(5 * 60_000);
    expect(await cron.tick('pipelines')).toBe('skipped');
    expect(await s.trigger('pipelines', 'manual')).toBe('skipped');
    cron.overlap('pipelines');
    await flush();
    expect(job.started()).toBe(1);
    expect(s.state()[0]).toMatchObject({ running: true, skipped: 3, runs: 1 });

    job.finish({ status: 'success' });
    expect(await first).toBe('ran');
    expect(s.state()[0]).toMatchObject({ running: false, lastStatus: 'success', skipped: 3 });
    expect(records.map((r) => `${r.trigger}:${r.status}`)).toEqual(['scheduled:skipped', 'manual:skipped', 'scheduled:skipped', 'scheduled:success']);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/job pipelines: scheduled run skipped, the previous run \(started 2026-11-23T00:00:00.000Z\) is still going/);

    // Once it finished, the next tick runs again.
    const again = cron.tick('pipelines');
    expect(job.started()).toBe(2);
    job.finish({ status: 'success' });
    expect(await again).toBe('ran');
    await s.stop();
  });

  it('retries a failed run with exponential backoff, then waits for the next tick', async () => {
    const clock = new FakeClock();
    const job = manualJob('pipelines', { attempts: 2, baseMs: 30_000, maxMs: 600_000 });
    const records: JobRecord[] = [];
    const s = new Scheduler({ jobs: [job.spec], timezone: 'UTC', clock, cron: fakeCron().factory, log: silentLogger, record: async (r) => void records.push(r) });
    s.start();

    const run1 = s.trigger('pipelines', 'scheduled');
    job.finish({ status: 'failed', error: 'crm down' });
    await run1;
    expect(s.state()[0]).toMatchObject({ lastStatus: 'failed', lastError: 'crm down', consecutiveFailures: 1, nextRetryAt: new Date('2026-11-23T00:00:30Z') });
    expect(clock.pending()).toEqual([30_000]);

    clock.advance(29_999);
    expect(job.started()).toBe(1);
    clock.advance(1);
    expect(job.started()).toBe(2);
    job.finish({ status: 'failed', error: 'crm still down' });
    await flush();
    await flush();
    // Second retry waits twice as long.
    expect(clock.pending()).toEqual([60_000]);
    clock.advance(60_000);
    expect(job.started()).toBe(3);
    job.finish({ status: 'failed', error: 'crm down for good' });
    await flush();
    await flush();
    // Attempts used up: no timer left, the next scheduled tick will try again.
    expect(clock.pending()).toEqual([]);
    expect(s.state()[0]).toMatchObject({ consecutiveFailures: 3, nextRetryAt: null });
    expect(records.map((r) => `${r.trigger}#${r.attempt}:${r.status}`)).toEqual(['scheduled#1:failed', 'retry#2:failed', 'retry#3:failed']);

    const run4 = s.trigger('pipelines', 'scheduled');
    job.finish({ status: 'success' });
    await run4;
    expect(s.state()[0]).toMatchObject({ consecutiveFailures: 0, lastStatus: 'success', lastError: null });
    await s.stop();
  });

  it('a scheduled tick supersedes a pending retry, and stop() waits for the running job', async () => {
    const clock = new FakeClock();
    const job = manualJob('pipelines');
    const s = new Scheduler({ jobs: [job.spec], timezone: 'UTC', clock, cron: fakeCron().factory, log: silentLogger });
    s.start();
    const run1 = s.trigger('pipelines', 'scheduled');
    job.finish({ status: 'failed', error: 'x' });
    await run1;
    expect(clock.pending()).toEqual([30_000]);
    const run2 = s.trigger('pipelines', 'scheduled');
    expect(clock.pending()).toEqual([]);
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    job.finish({ status: 'success' });
    await run2;
    await stopping;
    expect(stopped).toBe(true);
    expect(await s.trigger('pipelines')).toBe('skipped');
  });

  it('turns a thrown error into a failed run', async () => {
    const s = new Scheduler({
      jobs: [{ name: 'boom', schedule: '* * * * *', description: '', run: async () => { throw new Error('kaput'); } }],
      timezone: 'UTC',
      clock: new FakeClock(),
      cron: fakeCron().factory,
      log: silentLogger,
    });
    expect(await s.trigger('boom')).toBe('ran');
    expect(s.state()[0]).toMatchObject({ lastStatus: 'failed', lastError: 'kaput', nextRetryAt: null });
  });

  it('makes one job for the default group and one per overridden source; "off" leaves a source out', async () => {
    const { wh } = await tempWarehouse();
    const src = (name: string): Source => ({ name, description: '', read: async function* () {} });
    const jobs = pipelineJobs(wh, { pipelines: '*/5 * * * *', sources: { crm: '*/15 * * * *', exports: 'off' }, weekly_reports: '0 8 * * 1', retry: { attempts: 3, base_seconds: 30, max_seconds: 600 } }, [src('wa'), src('crm'), src('exports'), src('scrm')], silentLogger);
    expect(jobs.map((j) => [j.name, j.schedule, j.description])).toEqual([
      ['pipelines', '*/5 * * * *', 'ingest wa, scrm, then an incremental build'],
      ['source:crm', '*/15 * * * *', 'ingest crm, then an incremental build'],
    ]);
    expect(jobs[0]!.retry).toEqual({ attempts: 3, baseMs: 30_000, maxMs: 600_000 });
    const outcome = await jobs[1]!.run(new AbortController().signal);
    expect(outcome.status).toBe('success');
  });

  it('checks the schedule config and ships a valid default', async () => {
    const { config } = await tempWarehouse();
    expect(readScheduleConfig(config, ['whatsapp-cloud', 'scrm-events']).pipelines).toBe('*/5 * * * *');
    expect(checkScheduleConfig({ pipelines: 'every five minutes', sources: { nope: '* * * * *' }, weekly_reports: '0 8 * * 1', retry: { attempts: -1, base_seconds: 1, max_seconds: 1 } }, ['wa'])).toEqual([
      'pipelines must be a cron expression such as "*/5 * * * *" (got "every five minutes")',
      'sources.nope is not a known source (known: wa)',
      'retry.attempts must be a whole number >= 0',
    ]);
  });

  it('keeps its history in ops.scheduler_runs', async () => {
    const { wh } = await tempWarehouse();
    await recordJobRun(wh, { job: 'pipelines', trigger: 'scheduled', attempt: 1, startedAt: new Date('2026-11-23T00:00:00Z'), finishedAt: new Date('2026-11-23T00:00:02Z'), status: 'failed', error: 'x', details: { build_id: 3 } });
    await recordJobRun(wh, { job: 'pipelines', trigger: 'scheduled', attempt: 1, startedAt: new Date('2026-11-23T00:05:00Z'), finishedAt: new Date('2026-11-23T00:05:00Z'), status: 'skipped', error: null, details: null });
    const history = await readJobHistory(wh);
    expect(history.map((h) => [h.status, h.startedAt.toISOString(), h.details])).toEqual([
      ['skipped', '2026-11-23T00:05:00.000Z', null],
      ['failed', '2026-11-23T00:00:00.000Z', { build_id: 3 }],
    ]);
  });
});

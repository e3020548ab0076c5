import type { JobRecord, JobState } from '../../pipelines/scheduler.ts';
import type { WarehouseStatus } from '../../pipelines/status.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { formatTable } from '../format-table.ts';
import { viaServer } from '../server-client.ts';

/** What the running server adds to the status: where it runs and its scheduler. */
export interface ServerStatus {
  readonly url: string;
  readonly pid: number;
  readonly scheduler: { timezone: string; jobs: JobState[]; history: JobRecord[] } | null;
}

const ago = (d: Date | null, now = Date.now()) => {
  if (!d) return 'never';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
};

/** Counters that need attention first (the notes column is cut to the terminal), routine ones after. */
const FIRST = ['failovers', 'mapping_errors', 'unknown_skus', 'addresses_without_postal_code', 'api_retries', 'defaults_applied', 'unknown_files'];

function byImportance(counters: Record<string, number>): [string, number][] {
  const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  return Object.entries(counters)
    .filter(([k]) => !['messages', 'statuses'].includes(k))
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Renders the scheduler of a running server: each job's last outcome, retries, skips and next run. */
export function renderScheduler(server: ServerStatus): string {
  const lines = [`served by parley serve at ${server.url} (pid ${server.pid})`];
  if (!server.scheduler) return lines.join('\n');
  lines.push('', `scheduler (${server.scheduler.timezone}):`);
  lines.push(
    formatTable(
      ['job', 'schedule', 'state', 'last run', 'last status', 'retry', 'skipped', 'next run'],
      server.scheduler.jobs.map((j) => ({
        job: j.name,
        schedule: j.schedule,
        state: j.running ? `running since ${ago(j.runningSince)}` : 'idle',
        'last run': ago(j.lastStartedAt),
        'last status': j.lastStatus ? `${j.lastStatus}${j.lastError ? `: ${j.lastError}` : ''}` : '-',
        retry: j.nextRetryAt ? `attempt ${j.consecutiveFailures + 1} at ${j.nextRetryAt.toISOString().slice(11, 19)}Z` : j.consecutiveFailures > 0 ? `${j.consecutiveFailures} failed, waiting for the next tick` : '-',
        skipped: j.skipped,
        'next run': j.nextRunAt ? j.nextRunAt.toISOString().slice(0, 16).replace('T', ' ') + 'Z' : '-',
      })),
    ),
  );
  return lines.join('\n');
}

/** Renders the status as text for a terminal. */
export function renderStatus(s: WarehouseStatus): string {
  const lines = [`warehouse ${s.dbPath} (${(s.dbBytes / 1e6).toFixed(1)} MB, data version ${s.dataVersion})`, ''];
  lines.push(
    formatTable(
      ['source', 'last run', 'status', 'read', 'loaded', 'quarantined', 'last success', 'newest data', 'notes'],
      s.sources.map((src) => ({
        source: src.source,
        'last run': src.lastRun ? ago(src.lastRun.startedAt) : 'never',
        status: src.lastRun?.status ?? '-',
        read: src.lastRun?.rowsRead ?? 0,
        loaded: src.lastRun?.rowsLoaded ?? 0,
        quarantined: `${src.lastRun?.rowsQuarantined ?? 0} (total ${src.quarantined})`,
        'last success': ago(src.lastSuccessAt),
        'newest data': src.newestDataAt ? `${src.newestDataAt.toISOString().slice(0, 16).replace('T', ' ')}Z (${ago(src.newestDataAt)})` : '-',
        notes: [src.unavailable && !src.lastRun ? 'not configured' : '', src.lastRun?.error ? `error: ${src.lastRun.error}` : '', ...byImportance(src.counters).map(([k, v]) => `${k.replaceAll('_', ' ')}: ${v}`)].filter(Boolean).join('; '),
      })),
    ),
  );
  lines.push('');
  for (const src of s.sources) for (const note of src.notes) lines.push(`${src.source}: ${note}`);
  if (s.crmApi) {
    const probes = s.crmApi.urls.map((u) => `${u.url} ${u.lastOk === null ? 'not probed yet' : u.lastOk ? `${u.lastMs} ms` : 'failed'}${u.badProbesInARow > 0 ? ` (${u.badProbesInARow} slow or failed probes in a row)` : ''}`).join('; ');
    lines.push(`crm-api pulls from ${s.crmApi.activeUrl}${s.crmApi.isFailover ? ' (FAILOVER to a backup)' : ''}; probes: ${probes}`);
  }
  // Passing checks are counted; warnings, failures and skipped checks are listed.
  const passed = s.dataQuality.filter((c) => c.status === 'pass');
  if (s.dataQuality.length > 0) lines.push(`data quality: ${passed.length} of ${s.dataQuality.length} checks passed (ops.dq_results)`);
  for (const c of s.dataQuality.filter((c) => c.status !== 'pass' || c.checkName === 'crm_sync_accuracy')) {
    const observed = c.observed === null ? 'nothing compared' : c.checkName === 'crm_sync_accuracy' ? `${(c.observed * 100).toFixed(2)}%` : String(c.observed);
    const threshold = c.threshold === null ? '' : ` (threshold ${c.checkName === 'crm_sync_accuracy' ? `${c.threshold * 100}%` : c.threshold})`;
    lines.push(`check ${c.checkName}: ${c.status.toUpperCase()} ${observed}${threshold}, ${ago(c.runAt)}`);
  }
  lines.push(`identity: ${s.identity.merges} merges, ${s.identity.openReviews} open review items, ${s.identity.erasures} erasures`);
  lines.push('');
  const b = s.lastBuild;
  lines.push(b ? `last build ${b.buildId}: ${b.status}, ${b.modelsOk} ok, ${b.modelsFailed} failed, ${b.modelsSkipped} skipped, ${ago(b.finishedAt ?? b.startedAt)}${b.error ? ` — ${b.error}` : ''}` : 'no build yet: run `parley build`');
  lines.push('');
  lines.push(formatTable(['table', 'rows'], s.tables.filter((t) => t.schema !== 'ops').map((t) => ({ table: `${t.schema}.${t.table}`, rows: t.rows.toLocaleString('en-US') }))));
  return lines.join('\n');
}

/** `parley status`. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'last runs, row counts, quarantine counts, data freshness',
  usage: 'parley status [--format text|json]',
  options: { format: { type: 'string' } },
  async run({ values }, ctx) {
    const format = (values.format as string | undefined) ?? 'text';
    if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json (got "${format}").`);
    const { status, server } = await viaServer<{ status: WarehouseStatus; server?: ServerStatus }>(
      ctx.config,
      async (client) => {
        const answer = await client.request<{ status: WarehouseStatus; scheduler: ServerStatus['scheduler'] }>('GET', '/api/pipelines');
        return { status: answer.status, server: { url: client.url, pid: client.pid, scheduler: answer.scheduler } };
      },
      async () => {
        // Loaded when used: it pulls in Kysely and the CRM modules, which other commands do not need.
        const { readStatus } = await import('../../pipelines/status.ts');
        return { status: await readStatus(await openWarehouse(ctx.config)) };
      },
    );
    if (format === 'json') ctx.out.write(`${JSON.stringify(server ? { ...status, server } : status, null, 2)}\n`);
    else ctx.out.write(`${renderStatus(status)}${server ? `\n\n${renderScheduler(server)}` : ''}\n`);
    return 0;
  },
};

import { readStatus, type WarehouseStatus } from '../../pipelines/status.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { formatTable } from '../format-table.ts';

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
  for (const c of s.dataQuality) {
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
    const wh = await openWarehouse(ctx.config);
    const status = await readStatus(wh);
    ctx.out.write(format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : `${renderStatus(status)}\n`);
    return 0;
  },
};

import { Card } from '@tremor/react';
import { useState } from 'react';
import { DataState } from '../components/data-state.tsx';
import { DataTable } from '../components/data-table.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { HealthBanner } from '../components/health-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useBusinessTimezone, useHealth } from '../hooks/use-health.ts';
import { ApiProblem, postJson, qs } from '../lib/api.ts';
import { formatAgo, formatBytes, formatDuration, formatLocalTime, formatNumber } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import type { MartAnswer, PipelineRun, Pipelines, Row } from '../lib/types.ts';

const seconds = (from: string, to: string | null) => (to ? (new Date(to).getTime() - new Date(from).getTime()) / 1000 : null);

/** The records behind one quarantine group: where each came from and its raw text. */
function QuarantineRecords({ source, reason, tz }: { source: string; reason: string; tz: string }) {
  const records = useApi<MartAnswer>(`/api/pipelines/quarantine${qs({ source, reason, limit: 50 })}`);
  return (
    <DataState state={records} height={200} isEmpty={(d) => d.rows.length === 0}>
      {(d) => (
        <ul className="max-h-96 space-y-2 overflow-y-auto" data-testid="quarantine-records">
          {d.rows.map((r, i) => (
            <li key={i} className="rounded border border-gray-200 p-2 text-xs">
              <div className="mb-1 flex flex-wrap gap-x-3 text-gray-500">
                <span className="font-mono">{String(r.location)}{r.line_no != null ? `:${String(r.line_no)}` : ''}{r.record_id ? ` #${String(r.record_id)}` : ''}</span>
                <span>{formatLocalTime(r.quarantined_at, tz)}</span>
              </div>
              <p className="mb-1 text-rose-800">{String(r.reason)}</p>
              <pre className="max-h-32 overflow-auto whitespace-pre-wrap break-all rounded bg-gray-50 p-1.5 font-mono text-[11px] text-gray-800">{String(r.raw_text ?? '')}</pre>
            </li>
          ))}
        </ul>
      )}
    </DataState>
  );
}

/** Pipelines: sources with their last runs, recent runs, quarantine with its records, data quality, freshness. */
export default function PipelinesPage() {
  const tz = useBusinessTimezone();
  const health = useHealth();
  const pipelines = useApi<Pipelines>('/api/pipelines');
  const quality = useApi<MartAnswer>('/api/quality');
  const [group, setGroup] = useState<{ source: string; reason: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const now = health.data ? new Date(health.data.serverTime) : new Date();

  const runAll = async () => {
    setNote(null);
    try {
      await postJson('/api/pipelines/all/run', {});
      setNote(t('pipelines.started202'));
      setTimeout(() => {
        pipelines.reload();
        health.reload();
        quality.reload();
      }, 5000);
    } catch (err) {
      setNote(err instanceof ApiProblem ? err.message : String(err));
    }
  };

  return (
    <div>
      <PageHeader title={t('pipelines.title')} subtitle={t('pipelines.subtitle')}>
        <button type="button" onClick={runAll} className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm text-gray-700 hover:bg-gray-50">
          {t('pipelines.runNow')}
        </button>
        {note && (
          <span role="status" className="text-xs text-gray-600">
            {note}
          </span>
        )}
      </PageHeader>
      <div className="mb-5 min-h-[64px] sm:min-h-[40px]">
        <DataState state={health} height={40}>
          {(h) => <HealthBanner health={h} />}
        </DataState>
      </div>

      <DataState state={pipelines} height={520}>
        {(p) => (
          <div className="space-y-4">
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
              <Card className="lg:col-span-2">
                <h2 className="mb-3 text-base font-semibold text-gray-900">{t('pipelines.sources')}</h2>
                <DataTable<Row>
                  testId="sources-table"
                  rows={p.status.sources as unknown as Row[]}
                  rowKey={(r) => String(r.source)}
                  columns={[
                    { key: 'source', label: t('pipelines.source'), render: (r) => <span className="font-medium">{String(r.source)}</span> },
                    { key: 'status', label: t('pipelines.status'), render: (r) => <StatusBadge status={(r.lastRun as { status?: string } | null)?.status} /> },
                    { key: 'lastRun', label: t('pipelines.lastRun'), render: (r) => formatLocalTime((r.lastRun as { startedAt?: string } | null)?.startedAt, tz) },
                    { key: 'rowsLoaded', label: t('pipelines.rowsLoaded'), align: 'right', render: (r) => formatNumber((r.lastRun as { rowsLoaded?: number } | null)?.rowsLoaded, 0) },
                    { key: 'quarantined', label: t('pipelines.quarantined'), align: 'right', render: (r) => formatNumber(r.quarantined, 0) },
                    { key: 'newestDataAt', label: t('health.freshness'), render: (r) => (r.newestDataAt ? formatAgo(r.newestDataAt, now) : '—') },
                  ]}
                />
              </Card>
              <Card>
                <h2 className="mb-3 text-base font-semibold text-gray-900">{t('pipelines.build')}</h2>
                {p.status.lastBuild ? (
                  <dl className="space-y-1 text-sm" data-testid="last-build">
                    <div className="flex justify-between"><dt className="text-gray-500">#{p.status.lastBuild.buildId}</dt><dd><StatusBadge status={p.status.lastBuild.status} /></dd></div>
                    <div className="flex justify-between"><dt className="text-gray-500">ok / failed / skipped</dt><dd className="tabular">{p.status.lastBuild.modelsOk} / {p.status.lastBuild.modelsFailed} / {p.status.lastBuild.modelsSkipped}</dd></div>
                    <div className="flex justify-between"><dt className="text-gray-500">{t('pipelines.duration')}</dt><dd className="tabular">{formatDuration(seconds(p.status.lastBuild.startedAt, p.status.lastBuild.finishedAt))}</dd></div>
                    <div className="flex justify-between gap-2"><dt className="text-gray-500">{t('pipelines.started')}</dt><dd className="text-right">{formatLocalTime(p.status.lastBuild.startedAt, tz)}</dd></div>
                    {p.status.lastBuild.error && <p className="text-xs text-rose-700">{p.status.lastBuild.error}</p>}
                  </dl>
                ) : (
                  <EmptyBlock height={120} />
                )}
                <p className="mt-4 text-xs text-gray-500">
                  {t('pipelines.warehouse')}: {formatBytes(p.status.dbBytes)} · {t('health.version', { v: p.status.dataVersion })}
                </p>
              </Card>
            </div>

            <Card>
              <h2 className="mb-3 text-base font-semibold text-gray-900">{t('pipelines.quarantine')}</h2>
              {p.quarantine.length === 0 ? (
                <EmptyBlock height={80} message={t('pipelines.noQuarantine')} />
              ) : (
                <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
                  <DataTable<Row>
                    testId="quarantine-groups"
                    maxHeight={400}
                    rows={p.quarantine as unknown as Row[]}
                    rowKey={(r) => `${r.source}|${r.reason}`}
                    selectedKey={group ? `${group.source}|${group.reason}` : undefined}
                    onRowClick={(r) => setGroup({ source: String(r.source), reason: String(r.reason) })}
                    columns={[
                      { key: 'source', label: t('pipelines.source') },
                      { key: 'reason', label: t('pipelines.reason'), render: (r) => <span className="whitespace-normal">{String(r.reason)}</span> },
                      { key: 'records', label: t('pipelines.records'), align: 'right', render: (r) => formatNumber(r.records, 0) },
                    ]}
                  />
                  {group ? <QuarantineRecords source={group.source} reason={group.reason} tz={tz} /> : <EmptyBlock height={200} message={t('pipelines.look')} />}
                </div>
              )}
            </Card>

            <Card>
              <h2 className="mb-3 text-base font-semibold text-gray-900">{t('pipelines.quality')}</h2>
              <DataState state={quality} height={160} isEmpty={(d) => d.rows.length === 0}>
                {(d) => (
                  <DataTable
                    testId="quality-table"
                    maxHeight={420}
                    rows={d.rows}
                    columns={[
                      { key: 'check_name', label: t('pipelines.check'), render: (r) => <span className="block min-w-[12rem] max-w-[20rem] whitespace-normal break-words font-mono text-xs">{String(r.check_name)}</span> },
                      { key: 'level', label: t('pipelines.level') },
                      { key: 'status', label: t('pipelines.status'), render: (r) => <StatusBadge status={String(r.status)} /> },
                      { key: 'observed', label: t('pipelines.observed'), align: 'right', render: (r) => formatNumber(r.observed, 2) },
                      { key: 'threshold', label: t('common.target'), align: 'right', render: (r) => formatNumber(r.threshold, 2) },
                      { key: 'details', label: t('common.details'), render: (r) => <span className="block min-w-[18rem] whitespace-normal text-xs text-gray-600">{String(r.details ?? '')}</span> },
                    ]}
                  />
                )}
              </DataState>
            </Card>

            <Card>
              <h2 className="mb-3 text-base font-semibold text-gray-900">{t('pipelines.runs')}</h2>
              <DataTable<PipelineRun & Row>
                testId="runs-table"
                maxHeight={420}
                rows={p.runs as (PipelineRun & Row)[]}
                rowKey={(r) => String(r.run_id)}
                columns={[
                  { key: 'run_id', label: '#', align: 'right', render: (r) => String(r.run_id) },
                  { key: 'source', label: t('pipelines.source') },
                  { key: 'trigger', label: t('pipelines.trigger') },
                  { key: 'status', label: t('pipelines.status'), render: (r) => <StatusBadge status={r.status} /> },
                  { key: 'started_at', label: t('pipelines.started'), render: (r) => formatLocalTime(r.started_at, tz) },
                  { key: 'took', label: t('pipelines.duration'), align: 'right', render: (r) => formatDuration(seconds(r.started_at, r.finished_at)) },
                  { key: 'rows_read', label: t('pipelines.rowsRead'), align: 'right', render: (r) => formatNumber(r.rows_read, 0) },
                  { key: 'rows_loaded', label: t('pipelines.rowsLoaded'), align: 'right', render: (r) => formatNumber(r.rows_loaded, 0) },
                  { key: 'rows_quarantined', label: t('pipelines.quarantined'), align: 'right', render: (r) => formatNumber(r.rows_quarantined, 0) },
                ]}
              />
            </Card>

            <details className="rounded-tremor-default border border-gray-200 bg-white p-4">
              <summary className="cursor-pointer text-sm font-semibold text-gray-900">{t('pipelines.tables')}</summary>
              <div className="mt-3">
                <DataTable<Row>
                  rows={p.status.tables as unknown as Row[]}
                  rowKey={(r) => `${r.schema}.${r.table}`}
                  columns={[
                    { key: 'table', label: t('pipelines.tables'), render: (r) => <span className="font-mono text-xs">{`${r.schema}.${r.table}`}</span> },
                    { key: 'rows', label: t('common.rows', { n: '' }).trim(), align: 'right', render: (r) => formatNumber(r.rows, 0) },
                  ]}
                />
              </div>
            </details>
          </div>
        )}
      </DataState>
    </div>
  );
}

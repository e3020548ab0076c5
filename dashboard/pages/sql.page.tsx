import { Card } from '@tremor/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { DownloadButton } from '../components/download-button.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { ErrorBlock } from '../components/error-block.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ResultsGrid } from '../components/results-grid.tsx';
import { SchemaBrowser } from '../components/schema-browser.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useSqlHistory } from '../hooks/use-sql-history.ts';
import { useSqlRunner, type RunState } from '../hooks/use-sql-runner.ts';
import { formatLocalTime, formatNumber } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import type { SchemaAnswer } from '../lib/types.ts';

const LIMITS = [100, 1000, 10_000];
const STARTER = `select week, median_response_seconds, share_within_target, resolution_rate
from marts.rpt_service_efficiency_weekly
order by week desc
limit 12`;

/** Seconds since a run started, ticking while it runs. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const id = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(id);
  }, []);
  return <span className="tabular">{t('sql.running', { s: ((now - since) / 1000).toFixed(1) })}</span>;
}

/** The result area: a note while running, the grid with its truncation notice, or the error. */
function ResultArea({ state }: { state: RunState }) {
  if (state.kind === 'idle') return <EmptyBlock height={240} message={t('sql.shortcut')} />;
  if (state.kind === 'running')
    return (
      <div role="status" className="flex min-h-[240px] items-center justify-center rounded-tremor-default bg-gray-50 text-sm text-gray-600" data-testid="sql-running">
        <Elapsed since={state.startedAt} />
      </div>
    );
  if (state.kind === 'cancelled')
    return (
      <div role="status" data-testid="sql-cancelled" data-how={state.how} className="flex min-h-[240px] items-center justify-center rounded-tremor-default border border-amber-200 bg-amber-50 text-sm text-amber-900">
        {t('sql.cancelled')}
      </div>
    );
  if (state.kind === 'failed') return <ErrorBlock error={state.error} height={240} />;
  const a = state.answer;
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-3 text-xs text-gray-600">
        <span data-testid="sql-summary">{t('sql.result', { n: formatNumber(a.row_count, 0), ms: formatNumber(a.elapsed_ms, 1) })}</span>
        {a.truncated && (
          <span role="alert" data-testid="sql-truncated" className="rounded bg-amber-100 px-2 py-0.5 font-medium text-amber-900">
            {t('sql.truncated', { n: formatNumber(a.row_count, 0) })}
          </span>
        )}
      </div>
      {a.rows.length === 0 ? <EmptyBlock height={120} message={t('sql.noRows')} /> : <ResultsGrid answer={a} />}
    </div>
  );
}

/** SQL console: schema browser, editor with run (Ctrl/Cmd+Enter) and cancel, results, CSV, history. */
export default function SqlPage() {
  const schema = useApi<SchemaAnswer>('/api/schema');
  const history = useSqlHistory();
  const [sql, setSql] = useState(() => history.entries[0]?.sql ?? STARTER);
  const [limit, setLimit] = useState(1000);
  const editor = useRef<HTMLTextAreaElement>(null);
  const onFinished = useCallback(
    (text: string, s: RunState) => history.add({ sql: text, at: new Date().toISOString(), rows: s.kind === 'done' ? s.answer.row_count : null, ms: s.kind === 'done' ? s.answer.elapsed_ms : null, ok: s.kind === 'done' }),
    [history.add],
  );
  const runner = useSqlRunner(onFinished);
  const running = runner.state.kind === 'running';
  const run = () => sql.trim() && void runner.run(sql, limit);

  const insert = (text: string) => {
    const el = editor.current;
    if (!el) return setSql((s) => `${s}${text}`);
    const start = el.selectionStart ?? sql.length;
    const end = el.selectionEnd ?? sql.length;
    const isQuery = /^select/i.test(text);
    const next = isQuery ? text : `${sql.slice(0, start)}${text}${sql.slice(end)}`;
    setSql(next);
    requestAnimationFrame(() => {
      el.focus();
      const at = isQuery ? next.length : start + text.length;
      el.setSelectionRange(at, at);
    });
  };

  return (
    <div>
      <PageHeader title={t('sql.title')} subtitle={t('sql.subtitle')} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-4">
        <Card className="order-2 lg:order-1">
          <h2 className="mb-2 text-sm font-semibold text-gray-900">{t('sql.schema')}</h2>
          <SchemaBrowser state={schema} onInsert={insert} />
        </Card>
        <div className="order-1 space-y-4 lg:order-2 lg:col-span-3">
          <Card>
            <label htmlFor="sql-editor" className="sr-only">
              {t('sql.editor')}
            </label>
            <textarea
              id="sql-editor"
              ref={editor}
              data-testid="sql-editor"
              value={sql}
              spellCheck={false}
              onChange={(e) => setSql(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  run();
                }
              }}
              rows={8}
              className="block w-full resize-y rounded-md border border-gray-300 p-3 font-mono text-sm leading-relaxed focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-200"
            />
            <div className="mt-3 flex flex-wrap items-center gap-2">
              <button type="button" data-testid="sql-run" onClick={run} disabled={running || !sql.trim()} className="rounded-md bg-blue-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400">
                {t('sql.run')}
              </button>
              <button type="button" data-testid="sql-cancel" onClick={() => void runner.cancel()} disabled={!running} className="rounded-md border border-gray-300 bg-white px-4 py-1.5 text-sm text-gray-700 hover:bg-gray-50 disabled:opacity-40 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400">
                {t('sql.cancel')}
              </button>
              <label className="ml-2 flex items-center gap-1 text-xs text-gray-600">
                {t('sql.limit')}
                <select value={limit} onChange={(e) => setLimit(Number(e.target.value))} className="rounded-md border border-gray-300 bg-white px-1.5 py-1 text-sm">
                  {LIMITS.map((l) => (
                    <option key={l} value={l}>
                      {formatNumber(l, 0)}
                    </option>
                  ))}
                </select>
              </label>
              <span className="hidden text-xs text-gray-400 sm:inline">{t('sql.shortcut')}</span>
              <span className="ml-auto">
                <DownloadButton url="/api/sql?format=csv" filename="parley-query.csv" body={{ sql, limit: 1_000_000 }} accept="text/csv" />
              </span>
            </div>
          </Card>
          <Card>
            <ResultArea state={runner.state} />
          </Card>
          <Card>
            <div className="mb-2 flex items-center justify-between">
              <h2 className="text-sm font-semibold text-gray-900">{t('sql.history')}</h2>
              {history.entries.length > 0 && (
                <button type="button" className="text-xs text-gray-500 hover:text-gray-900" onClick={history.clear}>
                  {t('sql.clearHistory')}
                </button>
              )}
            </div>
            {history.entries.length === 0 ? (
              <p className="text-xs text-gray-500">{t('sql.noHistory')}</p>
            ) : (
              <ul className="max-h-64 divide-y divide-gray-100 overflow-y-auto" data-testid="sql-history">
                {history.entries.map((h) => (
                  <li key={h.at + h.sql}>
                    <button type="button" onClick={() => setSql(h.sql)} className="flex w-full items-baseline gap-3 px-1 py-1.5 text-left hover:bg-gray-50">
                      <span className={`h-2 w-2 shrink-0 rounded-full ${h.ok ? 'bg-emerald-500' : 'bg-gray-300'}`} aria-hidden="true" />
                      <span className="min-w-0 flex-1 truncate font-mono text-xs text-gray-800">{h.sql.replace(/\s+/g, ' ')}</span>
                      <span className="shrink-0 text-[11px] text-gray-400">{formatLocalTime(h.at, undefined)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

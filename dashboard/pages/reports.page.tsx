import { Card } from '@tremor/react';
import { AgentTable } from '../components/agent-table.tsx';
import { DataState } from '../components/data-state.tsx';
import { DownloadButton } from '../components/download-button.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { FiguresTable } from '../components/figures-table.tsx';
import { KpiCard, targetState } from '../components/kpi-card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ReportTabs } from '../components/report-tabs.tsx';
import { TrendChart } from '../components/trend-chart.tsx';
import { WeekPicker } from '../components/week-picker.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useReportWeeks, weekAndPrevious, type ReportWeeks } from '../hooks/use-report-weeks.ts';
import { qs } from '../lib/api.ts';
import { localeOf } from '../lib/format.ts';
import { weekSpan } from '../lib/iso-week.ts';
import { t } from '../lib/i18n.ts';
import { headlineColumn, headlineValue, REPORT_HEADLINES } from '../lib/report-defs.ts';
import { navigate, type Route } from '../lib/router.ts';
import { REPORT_KINDS, type MartAnswer, type ReportKind } from '../lib/types.ts';

/** The headline cards, trend charts, agents and all figures of one report week. */
function ReportBody({ kind, data, week }: { kind: ReportKind; data: ReportWeeks; week: string }) {
  const agents = useApi<MartAnswer>(kind === 'service-efficiency' ? `/api/metrics/response-times${qs({ from_week: week, to_week: week })}` : null);
  const { current, previous } = weekAndPrevious(data, week);
  if (!current || current.week !== week) return <EmptyBlock height={320} message={t('reports.noWeek', { week })} />;
  const headlines = REPORT_HEADLINES[kind].filter((h) => headlineColumn(h, [current]) !== undefined);
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="report-kpis">
        {headlines.map((h) => {
          const value = headlineValue(h, current);
          const before = headlineValue(h, previous);
          const change = value !== null && before !== null ? value - before : null;
          return (
            <KpiCard
              key={h.id}
              testId={`report-${h.id}`}
              title={t(h.label)}
              value={h.measure.format(value)}
              change={change}
              changeText={change === null ? undefined : h.measure.formatChange(change)}
              higherIsBetter={h.higherIsBetter}
              targetText={h.target === undefined ? undefined : h.measure.format(h.target)}
              state={targetState(value, h.target, h.higherIsBetter)}
            />
          );
        })}
      </div>
      <Card>
        <h2 className="mb-3 text-base font-semibold text-gray-900">{t('reports.trend')}</h2>
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          {headlines
            .filter((h) => h.trend)
            .map((h) => (
              <TrendChart key={h.id} rows={data.rows} column={headlineColumn(h, data.rows)!} label={t(h.label)} target={h.target} format={(v) => h.measure.format(v)} />
            ))}
        </div>
      </Card>
      {kind === 'service-efficiency' && (
        <Card>
          <h2 className="text-base font-semibold text-gray-900">{t('reports.agents')}</h2>
          <p className="mb-3 text-xs text-gray-500">{t('reports.agentsHint')}</p>
          <AgentTable state={agents} />
        </Card>
      )}
      <Card className="print-break-avoid">
        <h2 className="mb-3 text-base font-semibold text-gray-900">{t('reports.allFigures')}</h2>
        <FiguresTable row={current} hide={['week', 'week_start', 'week_end']} />
      </Card>
    </div>
  );
}

/** Weekly reports: week picker, figures against targets, 12-week trends, agents, CSV, print. */
export default function ReportsPage({ route }: { route: Route }) {
  const asked = route.segments[1] as ReportKind | undefined;
  const kind: ReportKind = asked && REPORT_KINDS.includes(asked) ? asked : 'service-efficiency';
  const weekParam = route.query.get('week') ?? undefined;
  const state = useReportWeeks(kind, weekParam);
  const week = weekParam ?? (state.data ? weekAndPrevious(state.data).week ?? state.data.to_week : undefined);

  return (
    <div>
      <PageHeader title={`${t(`reports.${kind}`)}`} subtitle={week ? t('common.weekOf', { week, span: weekSpan(week, localeOf()) }) : t('reports.title')}>
        {state.data && week ? <WeekPicker week={week} weeks={state.data.available_weeks} onChange={(w) => navigate(`/reports/${kind}`, { week: w })} /> : <span aria-hidden="true" className="inline-block h-[34px] w-[17rem]" />}
        {week && <DownloadButton url={`/api/reports/${kind}${qs({ week, format: 'csv' })}`} filename={`${kind}-${week}.csv`} />}
        <button type="button" className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm text-gray-700 hover:bg-gray-50" onClick={() => window.print()}>
          {t('common.print')}
        </button>
      </PageHeader>
      <ReportTabs kind={kind} week={weekParam} />
      <DataState state={state} height={480}>
        {(data) => <ReportBody kind={kind} data={data} week={week ?? data.to_week} />}
      </DataState>
    </div>
  );
}

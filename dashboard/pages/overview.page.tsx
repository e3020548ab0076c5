import { Card } from '@tremor/react';
import { DataState } from '../components/data-state.tsx';
import { ErrorBlock } from '../components/error-block.tsx';
import { HealthBanner } from '../components/health-banner.tsx';
import { KpiCard, targetState } from '../components/kpi-card.tsx';
import { LoadingBlock } from '../components/loading-block.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { TrendChart } from '../components/trend-chart.tsx';
import { useApi, type ApiState } from '../hooks/use-api.ts';
import { useHealth } from '../hooks/use-health.ts';
import { useReportWeeks, weekAndPrevious, type ReportWeeks } from '../hooks/use-report-weeks.ts';
import { formatDuration, formatNumber } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { REPORT_HEADLINES, type Headline, headlineValue } from '../lib/report-defs.ts';
import { href } from '../lib/router.ts';
import type { MartAnswer, ReportKind } from '../lib/types.ts';

function headline(kind: ReportKind, id: string): Headline {
  return REPORT_HEADLINES[kind].find((h) => h.id === id)!;
}

/** One headline of a report as a card: this week, the change from last week, the target. */
function ReportKpi({ kind, id, state, testId }: { kind: ReportKind; id: string; state: ApiState<ReportWeeks>; testId?: string }) {
  const h = headline(kind, id);
  if (!state.data) return state.error ? <ErrorBlock error={state.error} onRetry={state.reload} height={168} context={t(h.label)} /> : <LoadingBlock height={168} />;
  const { current, previous, week } = weekAndPrevious(state.data);
  const value = headlineValue(h, current);
  const before = headlineValue(h, previous);
  const change = value !== null && before !== null ? value - before : null;
  return (
    <KpiCard
      title={t(h.label)}
      value={h.measure.format(value)}
      change={change}
      changeText={change === null ? undefined : h.measure.formatChange(change)}
      higherIsBetter={h.higherIsBetter}
      targetText={h.target === undefined ? undefined : h.measure.format(h.target)}
      state={targetState(value, h.target, h.higherIsBetter)}
      href={href(`/reports/${kind}`, { week })}
      footer={week}
      testId={testId}
    />
  );
}

/** Overview: the week's key numbers against last week, each linking to its page; freshness on top. */
export default function OverviewPage() {
  const health = useHealth();
  const service = useReportWeeks('service-efficiency');
  const sales = useReportWeeks('sales-funnel');
  const cost = useReportWeeks('cost-efficiency');
  const highRisk = useApi<MartAnswer>('/api/churn?risk=high&limit=10000');
  const week = service.data ? weekAndPrevious(service.data).week : undefined;

  return (
    <div>
      <PageHeader title={t('overview.title')} subtitle={week ? `${t('overview.subtitle')} · ${week}` : t('overview.subtitle')} />
      <div className="mb-5 min-h-[64px] sm:min-h-[40px]">
        <DataState state={health} height={40}>
          {(h) => <HealthBanner health={h} />}
        </DataState>
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="overview-kpis">
        <ReportKpi kind="service-efficiency" id="median" state={service} testId="kpi-median" />
        <ReportKpi kind="service-efficiency" id="under3" state={service} />
        <ReportKpi kind="service-efficiency" id="resolution" state={service} />
        <ReportKpi kind="sales-funnel" id="conversion" state={sales} />
        <ReportKpi kind="cost-efficiency" id="cpa" state={cost} />
        {highRisk.data ? (
          <KpiCard title={t('overview.highRisk')} value={formatNumber(highRisk.data.rows.length, 0)} href={href('/churn', { risk: 'high' })} footer={t('nav.churn')} />
        ) : highRisk.error ? (
          <ErrorBlock error={highRisk.error} onRetry={highRisk.reload} height={168} context={t('overview.highRisk')} />
        ) : (
          <LoadingBlock height={168} />
        )}
      </div>
      <Card className="mt-6">
        <DataState state={service} height={240} isEmpty={(d) => d.rows.length === 0}>
          {(d) => <TrendChart rows={d.rows} column="median_response_seconds" label={t('overview.median')} title={t('overview.trend')} target={180} format={(v) => formatDuration(v)} />}
        </DataState>
      </Card>
    </div>
  );
}

import { BarChart, Card } from '@tremor/react';
import { DataState } from '../components/data-state.tsx';
import { DataTable } from '../components/data-table.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PaymentPanel } from '../components/payment-panel.tsx';
import { WeekPicker } from '../components/week-picker.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useBusinessTimezone } from '../hooks/use-health.ts';
import { useReportWeeks, weekAndPrevious } from '../hooks/use-report-weeks.ts';
import { qs } from '../lib/api.ts';
import { formatNumber, formatPercent } from '../lib/format.ts';
import { stageLabel, stageRank, stageTotals } from '../lib/funnel-stages.ts';
import { t } from '../lib/i18n.ts';
import { addWeeks, lastCompleteWeek, weeksEnding } from '../lib/iso-week.ts';
import { navigate, type Route } from '../lib/router.ts';
import type { MartAnswer, Row } from '../lib/types.ts';

/** One row per first-contact week: cohort size, the share reaching each stage, days observed. */
function cohortRows(rows: readonly Row[]): { rows: Row[]; stages: string[] } {
  const ordered = [...rows].sort((a, b) => stageRank(a) - stageRank(b));
  const stages = [...new Set(ordered.map((r) => String(r.stage)))];
  const byWeek = new Map<string, Row>();
  for (const r of ordered) {
    const week = String(r.week);
    const row = byWeek.get(week) ?? { week, cohort_customers: r.cohort_customers, days_observed: r.days_observed };
    row[`reached:${r.stage}`] = r.cohort_share ?? (Number(r.cohort_customers) > 0 ? Number(r.entered) / Number(r.cohort_customers) : null);
    byWeek.set(week, row);
  }
  return { rows: [...byWeek.values()].sort((a, b) => String(b.week).localeCompare(String(a.week))), stages };
}

/** Funnel: stage bars with conversion, the cohort table, COD vs card and time to order. */
export default function FunnelPage({ route }: { route: Route }) {
  const tz = useBusinessTimezone();
  const last = lastCompleteWeek(tz);
  const week = route.query.get('week') ?? last;
  const from = addWeeks(week, -11);
  const funnel = useApi<MartAnswer>(`/api/metrics/funnel${qs({ from_week: from, to_week: week })}`);
  const report = useReportWeeks('sales-funnel', week);

  return (
    <div>
      <PageHeader title={t('funnel.title')} subtitle={`${t('funnel.subtitle')} · ${from} – ${week}`}>
        <WeekPicker week={week} weeks={weeksEnding(last, 52)} onChange={(w) => navigate('/funnel', { week: w })} />
      </PageHeader>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-base font-semibold text-gray-900">{t('funnel.stages')}</h2>
          <DataState state={funnel} height={300} isEmpty={(d) => d.rows.length === 0}>
            {(d) => {
              const totals = stageTotals(d.rows);
              const entered = t('funnel.entered');
              return (
                <div data-testid="funnel-stages">
                  <BarChart className="h-56" data={totals.map((s) => ({ stage: stageLabel(s.stage), [entered]: s.entered }))} index="stage" categories={[entered]} colors={['blue']} valueFormatter={(v: number) => formatNumber(v, 0)} yAxisWidth={56} showAnimation={false} showLegend={false} />
                  <ol className="mt-3 grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
                    {totals.map((s) => (
                      <li key={s.stage} className="rounded bg-gray-50 px-2 py-1">
                        <span className="block truncate text-xs text-gray-500">{stageLabel(s.stage)} →</span>
                        <span className="tabular font-medium text-gray-900">{formatPercent(s.conversion)}</span>
                      </li>
                    ))}
                  </ol>
                </div>
              );
            }}
          </DataState>
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold text-gray-900">
            {t('funnel.payment')} · {t('funnel.timeToOrder')}
          </h2>
          <DataState state={report} height={300}>
            {(d) => {
              const { current } = weekAndPrevious(d, week);
              return current && current.week === week ? <PaymentPanel row={current} /> : <EmptyBlock height={300} message={t('reports.noWeek', { week })} />;
            }}
          </DataState>
        </Card>
      </div>
      <Card className="mt-4">
        <h2 className="text-base font-semibold text-gray-900">{t('funnel.cohorts')}</h2>
        <p className="mb-3 text-xs text-gray-500">{t('funnel.reached')} · {t('funnel.maturing')}</p>
        <DataState state={funnel} height={240} isEmpty={(d) => d.rows.length === 0}>
          {(d) => {
            const { rows, stages } = cohortRows(d.rows);
            return (
              <DataTable
                testId="cohort-table"
                rows={rows}
                rowKey={(r) => String(r.week)}
                columns={[
                  { key: 'week', label: t('common.week') },
                  { key: 'cohort_customers', label: t('funnel.entered'), align: 'right', render: (r) => formatNumber(r.cohort_customers, 0) },
                  ...stages.map((s) => ({ key: `reached:${s}`, label: stageLabel(s), align: 'right' as const, render: (r: Row) => formatPercent(r[`reached:${s}`]) })),
                  { key: 'days_observed', label: t('funnel.daysObserved'), align: 'right', render: (r) => formatNumber(r.days_observed, 0) },
                ]}
              />
            );
          }}
        </DataState>
      </Card>
    </div>
  );
}

import { BarChart, Card } from '@tremor/react';
import { DataState } from '../components/data-state.tsx';
import { DataTable } from '../components/data-table.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { FiguresTable } from '../components/figures-table.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { WeekPicker } from '../components/week-picker.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useBusinessTimezone } from '../hooks/use-health.ts';
import { useReportWeeks, weekAndPrevious } from '../hooks/use-report-weeks.ts';
import { qs } from '../lib/api.ts';
import { formatNumber, formatPercent } from '../lib/format.ts';
import { stageRank, stageTotals } from '../lib/funnel-stages.ts';
import { t } from '../lib/i18n.ts';
import { addWeeks, lastCompleteWeek, weeksEnding } from '../lib/iso-week.ts';
import { navigate, type Route } from '../lib/router.ts';
import type { MartAnswer, Row } from '../lib/types.ts';

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
                  <BarChart className="h-56" data={totals.map((s) => ({ stage: s.stage, [entered]: s.entered }))} index="stage" categories={[entered]} colors={['blue']} valueFormatter={(v: number) => formatNumber(v, 0)} yAxisWidth={56} showAnimation={false} showLegend={false} />
                  <ol className="mt-3 grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
                    {totals.map((s) => (
                      <li key={s.stage} className="rounded bg-gray-50 px-2 py-1">
                        <span className="block truncate text-xs text-gray-500">{s.stage}</span>
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
              if (!current || current.week !== week) return <EmptyBlock height={300} message={t('reports.noWeek', { week })} />;
              const payment = Object.fromEntries(Object.entries(current).filter(([k]) => /cod|card|payment|days|time_to_order|media/.test(k)));
              return Object.keys(payment).length ? <FiguresTable row={payment} /> : <FiguresTable row={current} hide={['week', 'week_start', 'week_end']} />;
            }}
          </DataState>
        </Card>
      </div>
      <Card className="mt-4">
        <h2 className="mb-3 text-base font-semibold text-gray-900">{t('funnel.cohorts')}</h2>
        <DataState state={funnel} height={240} isEmpty={(d) => d.rows.length === 0}>
          {(d) => {
            const stages = stageTotals(d.rows).map((s) => s.stage);
            const byWeek = new Map<string, Row>();
            for (const r of [...d.rows].sort((a, b) => stageRank(a) - stageRank(b))) {
              const w = String(r.week);
              const row = byWeek.get(w) ?? { week: w };
              row[`${r.stage}`] = r.conversion_rate;
              if (stageRank(r) === Math.min(...d.rows.map(stageRank))) row.__entered = r.entered;
              byWeek.set(w, row);
            }
            const rows = [...byWeek.values()].sort((a, b) => String(b.week).localeCompare(String(a.week)));
            return (
              <DataTable
                testId="cohort-table"
                rows={rows}
                rowKey={(r) => String(r.week)}
                columns={[
                  { key: 'week', label: t('common.week') },
                  { key: '__entered', label: t('funnel.entered'), align: 'right', render: (r) => formatNumber(r.__entered, 0) },
                  ...stages.map((s) => ({ key: s, label: s, align: 'right' as const, render: (r: Row) => formatPercent(r[s]) })),
                ]}
              />
            );
          }}
        </DataState>
      </Card>
    </div>
  );
}

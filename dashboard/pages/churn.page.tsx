import { Badge, Card } from '@tremor/react';
import { CustomerTimeline } from '../components/customer-timeline.tsx';
import { DataState } from '../components/data-state.tsx';
import { DataTable } from '../components/data-table.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Segmented } from '../components/segmented.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useBusinessTimezone } from '../hooks/use-health.ts';
import { qs } from '../lib/api.ts';
import { formatLocalDate, formatNumber, isNum } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { navigate, type Route } from '../lib/router.ts';
import type { MartAnswer, Row } from '../lib/types.ts';

type Risk = 'high' | 'medium';

/** Why a customer is at risk, in words: the drop in weekly rate and low sentiment. */
function reasons(r: Row): string {
  const parts: string[] = [];
  if (isNum(r.baseline_weekly_rate) && isNum(r.recent_weekly_rate)) parts.push(t('churn.rateDrop', { from: formatNumber(r.baseline_weekly_rate, 1), to: formatNumber(r.recent_weekly_rate, 1) }));
  if (isNum(r.recent_sentiment)) parts.push(t('churn.lowSentiment', { s: formatNumber(r.recent_sentiment, 2) }));
  if (typeof r.reason === 'string' && r.reason) parts.push(r.reason);
  return parts.join(' · ') || '—';
}

/** Churn: the high/medium risk list with reasons and actions, and a customer's timeline on click. */
export default function ChurnPage({ route }: { route: Route }) {
  const tz = useBusinessTimezone();
  const risk: Risk = route.query.get('risk') === 'medium' ? 'medium' : 'high';
  const selected = route.query.get('customer') ?? undefined;
  const list = useApi<MartAnswer>(`/api/churn${qs({ risk, limit: 500 })}`);

  return (
    <div>
      <PageHeader title={t('churn.title')} subtitle={t('churn.subtitle')}>
        <Segmented<Risk>
          label={t('churn.risk')}
          value={risk}
          onChange={(r) => navigate('/churn', { risk: r }, true)}
          options={[
            { value: 'high', label: t('churn.high') },
            { value: 'medium', label: t('churn.medium') },
          ]}
        />
      </PageHeader>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <DataState state={list} height={420} isEmpty={(d) => d.rows.length === 0}>
            {(d) => {
              // One action per risk band: say it once above the list instead of on every row.
              const actions = [...new Set(d.rows.map((r) => String(r.recommended_action ?? '')))];
              const shared = actions.length === 1 && actions[0] ? actions[0] : null;
              return (
              <>
                {shared && (
                  <p className="mb-3 rounded-tremor-default border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-900" data-testid="churn-action">
                    <span className="font-medium">{t('churn.action')}:</span> {shared}
                  </p>
                )}
                <p className="mb-2 text-xs text-gray-500">{t('common.rows', { n: formatNumber(d.rows.length, 0) })}</p>
                <DataTable
                  testId="churn-table"
                  maxHeight={620}
                  rows={d.rows}
                  rowKey={(r) => String(r.customer_id)}
                  selectedKey={selected}
                  onRowClick={(r) => navigate('/churn', { risk, customer: String(r.customer_id) }, true)}
                  columns={[
                    { key: 'customer_id', label: t('common.customer'), render: (r) => <span className="font-medium">{String(r.name ?? r.customer_name ?? r.customer_id)}</span> },
                    { key: 'score', label: t('churn.score'), align: 'right', render: (r) => formatNumber(r.score, 2) },
                    { key: 'risk', label: t('churn.risk'), render: (r) => <Badge size="xs" color={r.risk === 'high' ? 'rose' : 'amber'}>{String(r.risk)}</Badge> },
                    { key: 'reason', label: t('churn.reason'), render: (r) => <span className="block min-w-[12rem] whitespace-normal text-gray-700">{reasons(r)}</span> },
                    ...(shared ? [] : [{ key: 'recommended_action', label: t('churn.action'), render: (r: Row) => <span className="block min-w-[14rem] whitespace-normal">{String(r.recommended_action ?? '—')}</span> }]),
                    { key: 'last_message_at', label: t('churn.lastContact'), render: (r) => formatLocalDate(r.last_message_at, tz) },
                  ]}
                />
              </>
              );
            }}
          </DataState>
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="mb-3 text-base font-semibold text-gray-900">{t('churn.timeline')}</h2>
          {selected ? <CustomerTimeline customerId={selected} timezone={tz} /> : <EmptyBlock height={420} message={t('churn.pick')} />}
        </Card>
      </div>
    </div>
  );
}

import { Badge } from '@tremor/react';
import type { ApiState } from '../hooks/use-api.ts';
import { formatDuration, formatNumber } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import type { MartAnswer, Row } from '../lib/types.ts';
import { DataTable } from './data-table.tsx';
import { DataState } from './data-state.tsx';

/** The week's agents: responses, median, p90 and average, with the training flag. */
export function AgentTable({ state }: { state: ApiState<MartAnswer> }) {
  return (
    <DataState state={state} height={200} isEmpty={(d) => d.rows.length === 0}>
      {(d) => {
        const rows = [...d.rows].sort((a, b) => Number(b.avg_response_seconds ?? 0) - Number(a.avg_response_seconds ?? 0));
        return (
          <DataTable<Row>
            testId="agent-table"
            rows={rows}
            rowKey={(r) => String(r.agent_id)}
            columns={[
              { key: 'agent_name', label: t('common.agent'), render: (r) => String(r.agent_name ?? r.agent_id) },
              { key: 'responses', label: t('reports.responses'), align: 'right', render: (r) => formatNumber(r.responses, 0) },
              { key: 'unanswered', label: t('reports.unanswered'), align: 'right', render: (r) => formatNumber(r.unanswered, 0) },
              { key: 'median_response_seconds', label: t('reports.median'), align: 'right', render: (r) => formatDuration(r.median_response_seconds) },
              { key: 'p90_response_seconds', label: t('reports.p90'), align: 'right', render: (r) => formatDuration(r.p90_response_seconds) },
              { key: 'avg_response_seconds', label: t('reports.average'), align: 'right', render: (r) => formatDuration(r.avg_response_seconds) },
              {
                key: 'needs_training',
                label: t('reports.training'),
                render: (r) => (r.needs_training === true ? <Badge color="rose" size="xs">{t('reports.training')}</Badge> : <span className="text-gray-400">—</span>),
              },
            ]}
          />
        );
      }}
    </DataState>
  );
}

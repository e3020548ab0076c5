import { Badge } from '@tremor/react';
import { useApi } from '../hooks/use-api.ts';
import { cx } from '../lib/cx.ts';
import { formatLocalTime, formatNumber, isNum } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import type { MartAnswer, Row } from '../lib/types.ts';
import { DataState } from './data-state.tsx';

/** A sentiment 0..1 as a coloured dot with its value (red under 0.3, green over 0.7). */
function SentimentDot({ value }: { value: unknown }) {
  if (!isNum(value)) return null;
  const colour = value < 0.3 ? 'bg-rose-500' : value > 0.7 ? 'bg-emerald-500' : 'bg-gray-400';
  return (
    <span className="inline-flex items-center gap-1 text-xs text-gray-500" title={`${t('churn.sentiment')} ${formatNumber(value, 2)}`}>
      <span aria-hidden="true" className={cx('inline-block h-2 w-2 rounded-full', colour)} />
      {formatNumber(value, 2)}
    </span>
  );
}

/** One timeline entry: a message, or a deal when the customer answer carries deals. */
function Entry({ row, timezone }: { row: Row; timezone: string }) {
  const inbound = row.direction === 'inbound';
  const tags = Array.isArray(row.tags) ? (row.tags as unknown[]).map(String) : [];
  return (
    <li className={cx('flex', inbound ? 'justify-start' : 'justify-end')}>
      <div className={cx('max-w-[85%] rounded-lg px-3 py-2 text-sm', inbound ? 'bg-gray-100 text-gray-900' : 'bg-blue-50 text-blue-950')}>
        <div className="mb-1 flex flex-wrap items-center gap-2 text-[11px] text-gray-500">
          <span>{formatLocalTime(row.sent_at, timezone)}</span>
          <span>{String(row.sender_kind ?? row.direction ?? '')}</span>
          <SentimentDot value={row.sentiment} />
        </div>
        <p className="whitespace-pre-wrap break-words">{typeof row.text === 'string' && row.text !== '' ? row.text : `[${String(row.message_type ?? 'media')}]`}</p>
        {tags.length > 0 && (
          <div className="mt-1 flex flex-wrap gap-1">
            {tags.map((tag) => (
              <Badge key={tag} size="xs" color="amber">
                {tag}
              </Badge>
            ))}
          </div>
        )}
      </div>
    </li>
  );
}

/** A customer's header and timeline (messages with tags and sentiment, deals when present). */
export function CustomerTimeline({ customerId, timezone }: { customerId: string; timezone: string }) {
  const state = useApi<MartAnswer & { customer?: Row; deals?: Row[] }>(`/api/customers/${encodeURIComponent(customerId)}?limit=200`);
  return (
    <DataState state={state} height={420}>
      {(d) => {
        const c = d.customer ?? {};
        const deals = Array.isArray(d.deals) ? d.deals : [];
        return (
          <div data-testid="customer-timeline">
            <div className="mb-3 border-b border-gray-100 pb-3">
              <p className="text-base font-semibold text-gray-900">{String(c.name ?? customerId)}</p>
              <p className="text-xs text-gray-500">
                {String(c.phone_e164 ?? '')} · {t('churn.tier')}: {String(c.tier ?? '—')}
              </p>
              <p className="text-xs text-gray-500">
                {t('churn.firstContact')}: {formatLocalTime(c.first_contact_at, timezone)} · {t('churn.lastContact')}: {formatLocalTime(c.last_contact_at, timezone)}
              </p>
            </div>
            {deals.length > 0 && (
              <ul className="mb-3 space-y-1 text-sm">
                {deals.map((deal, i) => (
                  <li key={String(deal.deal_id ?? i)} className="flex justify-between rounded bg-emerald-50 px-2 py-1 text-emerald-900">
                    <span>{String(deal.stage ?? deal.deal_stage ?? 'deal')}</span>
                    <span className="tabular">{String(deal.amount ?? '')}</span>
                  </li>
                ))}
              </ul>
            )}
            <p className="mb-2 text-xs text-gray-500">
              {formatNumber(d.rows.length, 0)} {t('churn.messages')} · {t('common.timesIn', { tz: timezone })}
            </p>
            <ol className="max-h-[560px] space-y-2 overflow-y-auto pr-1">
              {d.rows.map((row, i) => (
                <Entry key={String(row.message_id ?? i)} row={row} timezone={timezone} />
              ))}
            </ol>
          </div>
        );
      }}
    </DataState>
  );
}

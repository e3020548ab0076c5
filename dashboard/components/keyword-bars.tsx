import { cx } from '../lib/cx.ts';
import { formatNumber, formatPercent } from '../lib/format.ts';
import type { Row } from '../lib/types.ts';

/** Keywords or tags as horizontal bars (messages), each a button that picks it for the trend chart. */
export function KeywordBars({ rows, field = 'keyword', selected, onSelect, color = 'bg-blue-100', testId }: { rows: readonly Row[]; field?: string; selected?: string; onSelect: (value: string) => void; color?: string; testId?: string }) {
  const max = Math.max(1, ...rows.map((r) => Number(r.messages ?? 0)));
  return (
    <ul className="space-y-1" data-testid={testId}>
      {rows.map((r) => {
        const keyword = String(r[field]);
        const width = `${Math.max(2, (Number(r.messages ?? 0) / max) * 100)}%`;
        return (
          <li key={keyword}>
            <button
              type="button"
              onClick={() => onSelect(keyword)}
              aria-pressed={selected === keyword}
              className={cx('relative flex w-full items-center justify-between gap-3 overflow-hidden rounded px-2 py-1 text-left text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400', selected === keyword ? 'ring-2 ring-blue-500' : 'hover:bg-gray-50')}
            >
              <span aria-hidden="true" className={cx('absolute inset-y-0 left-0 rounded', color)} style={{ width }} />
              <span className="relative truncate text-gray-900">{keyword}</span>
              <span className="relative shrink-0 tabular text-gray-600">
                {formatNumber(r.messages, 0)}
                {typeof r.share === 'number' && <span className="ml-2 text-xs text-gray-500">{formatPercent(r.share)}</span>}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

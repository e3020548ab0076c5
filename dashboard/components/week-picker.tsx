import { addWeeks, weekSpan } from '../lib/iso-week.ts';
import { localeOf } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';

/** Picks an ISO week among the weeks that have data, with previous/next buttons. */
export function WeekPicker({ week, weeks, onChange }: { week: string; weeks: readonly string[]; onChange: (week: string) => void }) {
  const sorted = [...new Set([...weeks, week])].sort().reverse();
  const prev = addWeeks(week, -1);
  const next = addWeeks(week, 1);
  const has = (w: string) => weeks.length === 0 || weeks.includes(w);
  const btn = 'rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm text-gray-700 hover:bg-gray-50 disabled:cursor-not-allowed disabled:opacity-40 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400';
  return (
    <div className="flex items-center gap-1" role="group" aria-label={t('common.week')}>
      <button type="button" className={btn} onClick={() => onChange(prev)} disabled={!has(prev)} aria-label={t('common.prevWeek')} title={t('common.prevWeek')}>
        ‹
      </button>
      <label className="sr-only" htmlFor="week-picker">
        {t('common.week')}
      </label>
      <select id="week-picker" data-testid="week-picker" className="rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm text-gray-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400" value={week} onChange={(e) => onChange(e.target.value)}>
        {sorted.map((w) => (
          <option key={w} value={w}>
            {w} · {weekSpan(w, localeOf())}
          </option>
        ))}
      </select>
      <button type="button" className={btn} onClick={() => onChange(next)} disabled={!has(next)} aria-label={t('common.nextWeek')} title={t('common.nextWeek')}>
        ›
      </button>
    </div>
  );
}

import { cx } from '../lib/cx.ts';
import { formatAgo, formatLocalTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import type { Health } from '../lib/types.ts';

/** The newest data time over every source (null before any data). */
export function newestData(health: Health): string | null {
  let newest: string | null = null;
  for (const s of health.sources) if (s.newestDataAt && (!newest || s.newestDataAt > newest)) newest = s.newestDataAt;
  return newest;
}

/** Data freshness and any failed pipeline or build, at the top of a page. */
export function HealthBanner({ health }: { health: Health }) {
  const newest = newestData(health);
  const failed = health.sources.filter((s) => s.lastRunStatus === 'failed').map((s) => s.source);
  const buildFailed = health.lastBuild?.status === 'failed';
  const bad = failed.length > 0 || buildFailed;
  const now = new Date(health.serverTime);
  return (
    <div data-testid="health-banner" className={cx('flex min-h-[40px] flex-wrap items-center gap-x-4 gap-y-1 rounded-tremor-default border px-4 py-2 text-sm', bad ? 'border-rose-200 bg-rose-50 text-rose-900' : 'border-emerald-200 bg-emerald-50 text-emerald-900')} role={bad ? 'alert' : 'status'}>
      <span className={cx('inline-block h-2 w-2 rounded-full', bad ? 'bg-rose-500' : 'bg-emerald-500')} aria-hidden="true" />
      {newest ? (
        <span title={formatLocalTime(newest, health.timezone)}>
          {t('health.fresh', { ago: formatAgo(newest, now) })}
          <span className="hidden sm:inline"> · {formatLocalTime(newest, health.timezone)}</span>
        </span>
      ) : (
        <span>{t('health.noData')}</span>
      )}
      {failed.length > 0 && <span className="font-medium">{t('health.failed', { names: failed.join(', ') })}</span>}
      {buildFailed && <span className="font-medium">{t('health.buildFailed', { error: health.lastBuild?.error ?? '' })}</span>}
      {!bad && <span>{t('health.ok')}</span>}
      <span className="ml-auto hidden text-xs opacity-70 sm:inline">{t('health.version', { v: health.dataVersion })}</span>
    </div>
  );
}

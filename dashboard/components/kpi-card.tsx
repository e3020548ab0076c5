import { BadgeDelta, Card } from '@tremor/react';
import type { ReactNode } from 'react';
import { cx } from '../lib/cx.ts';
import { isNum } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';

/** How a number stands against its target: met, missed, or no target. */
export type TargetState = 'met' | 'missed' | 'none';

/** Whether `value` meets a target, where higher or lower is better. */
export function targetState(value: unknown, target: number | undefined, higherIsBetter: boolean): TargetState {
  if (!isNum(value) || target === undefined) return 'none';
  return (higherIsBetter ? value >= target : value <= target) ? 'met' : 'missed';
}

/**
 * One headline number: its value, the change against last week coloured by whether that
 * is good (`higherIsBetter`), and its target with a met/missed mark. Links to its page.
 */
export function KpiCard({ title, value, change, changeText, higherIsBetter = true, targetText, state = 'none', href, footer, testId }: {
  title: string;
  value: string;
  change?: number | null;
  changeText?: string;
  higherIsBetter?: boolean;
  targetText?: string;
  state?: TargetState;
  href?: string;
  footer?: ReactNode;
  testId?: string;
}) {
  const hasChange = isNum(change) && changeText !== undefined;
  const deltaType = !hasChange || change === 0 ? 'unchanged' : change! > 0 ? 'increase' : 'decrease';
  const body = (
    <Card
      className={cx('print-break-avoid h-full min-h-[168px]', state === 'met' && 'border-l-4 border-l-emerald-500', state === 'missed' && 'border-l-4 border-l-rose-500')}
      decoration={undefined}
    >
      <p className="text-sm text-gray-500">{title}</p>
      <p className={cx('tabular mt-1 text-3xl font-semibold', state === 'missed' ? 'text-rose-700' : state === 'met' ? 'text-emerald-700' : 'text-gray-900')} data-testid={testId}>
        {value}
      </p>
      <div className="mt-2 flex min-h-[1.75rem] flex-wrap items-center gap-2 text-xs text-gray-500">
        {hasChange && (
          <BadgeDelta deltaType={deltaType} isIncreasePositive={higherIsBetter} size="xs">
            {changeText}
          </BadgeDelta>
        )}
        {hasChange && <span>{t('common.vsLastWeek')}</span>}
        {targetText && (
          <span className={cx('ml-auto rounded px-1.5 py-0.5', state === 'met' && 'bg-emerald-50 text-emerald-700', state === 'missed' && 'bg-rose-50 text-rose-700')}>
            {t('common.target')} {targetText}
            {state !== 'none' && ` · ${state === 'met' ? t('common.onTarget') : t('common.offTarget')}`}
          </span>
        )}
      </div>
      {footer && <div className="mt-2 text-xs text-gray-500">{footer}</div>}
    </Card>
  );
  if (!href) return body;
  return (
    <a href={href} className="block rounded-tremor-default focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400 hover:[&>div]:shadow-tremor-dropdown">
      {body}
    </a>
  );
}

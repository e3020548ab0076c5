import { t } from '../lib/i18n.ts';

/** A grey placeholder of a fixed height, so content arriving does not push the page around. */
export function LoadingBlock({ height = 160, label }: { height?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex animate-pulse items-center justify-center rounded-tremor-default bg-gray-100 text-sm text-gray-500" style={{ minHeight: height }}>
      {label ?? t('state.loading')}
    </div>
  );
}

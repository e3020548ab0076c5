import { t } from '../lib/i18n.ts';

/** Says there is nothing to show, at the height the content would take. */
export function EmptyBlock({ height = 160, message }: { height?: number; message?: string }) {
  return (
    <div className="flex items-center justify-center rounded-tremor-default border border-dashed border-gray-300 px-4 text-center text-sm text-gray-500" style={{ minHeight: height }}>
      {message ?? t('state.empty')}
    </div>
  );
}

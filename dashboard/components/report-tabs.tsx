import { cx } from '../lib/cx.ts';
import { t } from '../lib/i18n.ts';
import { href } from '../lib/router.ts';
import { REPORT_KINDS, type ReportKind } from '../lib/types.ts';

/** Links to the three weekly reports, keeping the chosen week. */
export function ReportTabs({ kind, week }: { kind: ReportKind; week?: string }) {
  return (
    <nav aria-label={t('reports.kind')} className="no-print mb-4 flex gap-1 overflow-x-auto border-b border-gray-200">
      {REPORT_KINDS.map((k) => (
        <a
          key={k}
          href={href(`/reports/${k}`, { week })}
          aria-current={k === kind ? 'page' : undefined}
          className={cx('-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400', k === kind ? 'border-blue-500 font-medium text-blue-700' : 'border-transparent text-gray-600 hover:text-gray-900')}
        >
          {t(`reports.${k}`)}
        </a>
      ))}
    </nav>
  );
}

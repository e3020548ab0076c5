import { cx } from '../lib/cx.ts';
import { otherLangHref, t, type TextKey } from '../lib/i18n.ts';
import { requestToken } from '../lib/token-request.ts';

/** The pages in the order of the navigation. */
export const NAV: readonly { path: string; key: TextKey }[] = [
  { path: '/', key: 'nav.overview' },
  { path: '/reports', key: 'nav.reports' },
  { path: '/staffing', key: 'nav.staffing' },
  { path: '/keywords', key: 'nav.keywords' },
  { path: '/funnel', key: 'nav.funnel' },
  { path: '/churn', key: 'nav.churn' },
  { path: '/sql', key: 'nav.sql' },
  { path: '/pipelines', key: 'nav.pipelines' },
];

/** The top bar: brand, one link per page (scrolls sideways on a phone), language and token. */
export function NavBar({ current }: { current: string }) {
  return (
    <header className="no-print sticky top-0 z-40 border-b border-gray-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex max-w-7xl items-center gap-3 px-3 sm:px-6">
        <a href="#/" className="flex shrink-0 items-center gap-2 py-3 font-semibold text-gray-900">
          <span aria-hidden="true" className="inline-block h-5 w-5 rounded bg-blue-500" />
          {t('app.title')}
        </a>
        <nav aria-label={t('nav.menu')} className="-mb-px flex min-w-0 flex-1 overflow-x-auto">
          <ul className="flex gap-1 whitespace-nowrap">
            {NAV.map((item) => {
              const active = item.path === '/' ? current === '/' : current === item.path || current.startsWith(`${item.path}/`);
              return (
                <li key={item.path}>
                  <a
                    href={`#${item.path}`}
                    aria-current={active ? 'page' : undefined}
                    className={cx(
                      'block border-b-2 px-2 py-3 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400',
                      active ? 'border-blue-500 font-medium text-blue-700' : 'border-transparent text-gray-600 hover:border-gray-300 hover:text-gray-900',
                    )}
                  >
                    {t(item.key)}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <a href={otherLangHref()} className="shrink-0 rounded px-2 py-1 text-sm text-gray-600 hover:bg-gray-100 hover:text-gray-900" lang={t('nav.language') === 'English' ? 'en' : 'ko'}>
          {t('nav.language')}
        </a>
        <button type="button" onClick={() => requestToken()} className="hidden shrink-0 rounded px-2 py-1 text-sm text-gray-600 hover:bg-gray-100 hover:text-gray-900 sm:block">
          {t('nav.token')}
        </button>
      </div>
    </header>
  );
}

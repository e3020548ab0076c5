import { Component, lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { LoadingBlock } from './components/loading-block.tsx';
import { NAV, NavBar } from './components/nav-bar.tsx';
import { TokenDialog } from './components/token-dialog.tsx';
import { t } from './lib/i18n.ts';
import { useRoute, type Route } from './lib/router.ts';

/** Each page is its own chunk, loaded when first visited. */
const PAGES: Record<string, React.LazyExoticComponent<ComponentType<{ route: Route }>>> = {
  '/': lazy(() => import('./pages/overview.page.tsx')),
  '/reports': lazy(() => import('./pages/reports.page.tsx')),
  '/staffing': lazy(() => import('./pages/staffing.page.tsx')),
  '/keywords': lazy(() => import('./pages/keywords.page.tsx')),
  '/funnel': lazy(() => import('./pages/funnel.page.tsx')),
  '/churn': lazy(() => import('./pages/churn.page.tsx')),
  '/sql': lazy(() => import('./pages/sql.page.tsx')),
  '/pipelines': lazy(() => import('./pages/pipelines.page.tsx')),
};

/** Catches a page that throws while rendering, so the rest of the app keeps working. */
class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="rounded-tremor-default border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900">
          <p className="font-medium">{t('state.error')}</p>
          <p className="mt-1 font-mono text-xs">{this.state.error.message}</p>
        </div>
      );
    }
    return this.props.children;
  }
}

/** The shell: navigation, the current page (by hash route), and the token dialog. */
export function App() {
  const route = useRoute();
  const base = `/${route.segments[0] ?? ''}`;
  const Page = PAGES[base] ?? PAGES['/']!;
  const title = NAV.find((n) => n.path === base)?.key;

  useEffect(() => {
    document.title = title && base !== '/' ? `${t(title)} · Parley` : 'Parley';
  }, [title, base]);

  return (
    <>
      <a href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())} className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        {t('app.skip')}
      </a>
      <NavBar current={base} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-3 py-5 focus:outline-none sm:px-6 sm:py-6">
        <PageBoundary resetKey={base}>
          <Suspense fallback={<LoadingBlock height={480} />}>
            <Page route={route} />
          </Suspense>
        </PageBoundary>
      </main>
      <TokenDialog />
    </>
  );
}

import { useEffect, useState } from 'react';

/** Where the app is: the hash path (`/reports/service-efficiency`) and its query. */
export interface Route {
  readonly path: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

/** Reads the route from `location.hash` (`#/funnel?week=2026-W47`). */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart = '/', queryPart = ''] = raw.split('?', 2);
  const path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  return { path, segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(queryPart) };
}

/** The current route, updated on every hash change. Hash routing needs no server fallback. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** A hash link to a path with query values (undefined values are left out). */
export function href(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/** Goes to a path; `replace` keeps the browser history clean for filter changes. */
export function navigate(path: string, query: Record<string, string | number | undefined | null> = {}, replace = false): void {
  const target = href(path, query);
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = target.slice(1);
  }
}

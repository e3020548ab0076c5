import type { Health } from '../lib/types.ts';
import { useApi, type ApiState } from './use-api.ts';

/** `/api/health`: status, freshness per source, last build, and the business timezone. */
export function useHealth(): ApiState<Health> {
  return useApi<Health>('/api/health');
}

/** The business timezone (PARLEY_TZ) the marts use, from /api/health; the browser's until known. */
export function useBusinessTimezone(): string {
  const health = useHealth();
  return health.data?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

import type { ApiProblem } from '../lib/api.ts';
import { requestToken } from '../lib/token-request.ts';
import { t } from '../lib/i18n.ts';

/** Explains a failed load in words a user can act on, with a retry or a token prompt. */
export function ErrorBlock({ error, onRetry, height = 160, context }: { error: ApiProblem; onRetry?: () => void; height?: number; context?: string }) {
  const notBuilt = error.code === 'API_MART_NOT_BUILT';
  const auth = error.code === 'API_UNAUTHORIZED' || error.code === 'API_FORBIDDEN';
  const title = notBuilt
    ? t('state.notBuilt')
    : error.code === 'API_UNAUTHORIZED'
      ? t('state.needToken')
      : error.code === 'API_FORBIDDEN'
        ? t('state.forbidden')
        : error.code === 'NETWORK'
          ? t('state.network')
          : error.code === 'API_NOT_FOUND'
            ? t('state.notFound')
            : t('state.error');
  return (
    <div role="alert" className={`flex flex-col items-center justify-center gap-2 rounded-tremor-default border px-4 py-3 text-center text-sm ${notBuilt || error.code === 'API_NOT_FOUND' ? 'border-amber-200 bg-amber-50 text-amber-900' : 'border-rose-200 bg-rose-50 text-rose-900'}`} style={{ minHeight: height }}>
      {context && <p className="text-xs uppercase tracking-wide opacity-70">{context}</p>}
      <p className="font-medium">{title}</p>
      <p className="max-w-prose text-xs opacity-80">{notBuilt ? t('state.notBuiltHint') : error.message}</p>
      <div className="flex gap-2">
        {auth && (
          <button type="button" className="rounded-md border border-current px-2 py-1 text-xs hover:bg-white/60" onClick={() => requestToken()}>
            {t('token.change')}
          </button>
        )}
        {onRetry && !auth && (
          <button type="button" className="rounded-md border border-current px-2 py-1 text-xs hover:bg-white/60" onClick={onRetry}>
            {t('state.retry')}
          </button>
        )}
      </div>
    </div>
  );
}

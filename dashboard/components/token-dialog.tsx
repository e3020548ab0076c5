import { useEffect, useRef, useState } from 'react';
import { onUnauthorized, sessionToken, setSessionToken } from '../lib/api.ts';
import { t } from '../lib/i18n.ts';
import { onTokenRequest } from '../lib/token-request.ts';

/**
 * Asks for a bearer token the first time the server answers 401 (or when asked from the
 * header), and keeps it in sessionStorage for this tab; every view then reloads.
 */
export function TokenDialog() {
  const [open, setOpenState] = useState(false);
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  // Whether the dialog is open, known at once (state is only seen on the next render): a page
  // asks several URLs, and a 401 arriving while the user types must not wipe the field.
  const isOpen = useRef(false);
  const setOpen = (next: boolean) => {
    isOpen.current = next;
    setOpenState(next);
  };

  useEffect(() => {
    const show = () => {
      if (isOpen.current) return;
      setValue('');
      setOpen(true);
    };
    const offAuth = onUnauthorized(show);
    const offAsk = onTokenRequest(show);
    return () => {
      offAuth();
      offAsk();
    };
  }, []);

  useEffect(() => {
    if (!open) return;
    input.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  if (!open) return null;
  return (
    <div className="no-print fixed inset-0 z-50 flex items-center justify-center bg-gray-900/40 p-4" role="dialog" aria-modal="true" aria-labelledby="token-title">
      <form
        className="w-full max-w-md space-y-4 rounded-lg bg-white p-6 shadow-xl"
        onSubmit={(e) => {
          e.preventDefault();
          if (!value.trim()) return;
          setOpen(false);
          setSessionToken(value.trim());
        }}
      >
        <h2 id="token-title" className="text-lg font-semibold text-gray-900">
          {t('token.title')}
        </h2>
        <p className="text-sm text-gray-600">{t('token.hint')}</p>
        <label className="block text-sm font-medium text-gray-700">
          {t('token.label')}
          <input
            ref={input}
            type="password"
            autoComplete="off"
            className="mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 font-mono text-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-200"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            name="token"
          />
        </label>
        <div className="flex justify-end gap-2">
          {sessionToken() && (
            <button
              type="button"
              className="mr-auto rounded-md px-3 py-2 text-sm text-rose-700 hover:bg-rose-50"
              onClick={() => {
                setOpen(false);
                setSessionToken(null);
              }}
            >
              {t('token.forget')}
            </button>
          )}
          <button type="button" className="rounded-md px-3 py-2 text-sm text-gray-700 hover:bg-gray-100" onClick={() => setOpen(false)}>
            {t('token.cancel')}
          </button>
          <button type="submit" className="rounded-md bg-blue-600 px-3 py-2 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-50" disabled={!value.trim()}>
            {t('token.save')}
          </button>
        </div>
      </form>
    </div>
  );
}

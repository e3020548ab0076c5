import { useState } from 'react';
import { ApiProblem, download } from '../lib/api.ts';
import { t } from '../lib/i18n.ts';

/** Downloads a file from the API with the session token (a plain link could not send it). */
export function DownloadButton({ url, filename, label, body, accept }: { url: string; filename: string; label?: string; body?: unknown; accept?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={busy}
        className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm text-gray-700 hover:bg-gray-50 disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await download(url, filename, body === undefined ? { accept } : { method: 'POST', body, accept });
          } catch (err) {
            setError(err instanceof ApiProblem ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        {label ?? t('common.downloadCsv')}
      </button>
      {error && (
        <span role="alert" className="text-xs text-rose-700">
          {error}
        </span>
      )}
    </span>
  );
}

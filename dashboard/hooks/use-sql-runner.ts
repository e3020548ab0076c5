import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiProblem, deleteJson, postJson } from '../lib/api.ts';
import type { SqlAnswer } from '../lib/types.ts';

/** Where a console query is: idle, running (since when), done, failed or cancelled. */
export type RunState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly queryId: string; readonly startedAt: number }
  | { readonly kind: 'done'; readonly answer: SqlAnswer }
  | { readonly kind: 'failed'; readonly error: ApiProblem }
  | { readonly kind: 'cancelled'; readonly how: 'server' | 'client' };

function newQueryId(): string {
  const c = globalThis.crypto;
  return c && 'randomUUID' in c ? c.randomUUID() : `q-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Runs console queries through `POST /api/sql` with a query id of our own, so Cancel can
 * stop the query on the server (`DELETE /api/sql/:id`); if the server does not know the id
 * within a few seconds, the request is aborted, which the server also treats as a cancel.
 */
export function useSqlRunner(onFinished: (sql: string, state: RunState) => void) {
  const [state, setState] = useState<RunState>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const current = useRef<string | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const run = useCallback(
    async (sql: string, limit: number) => {
      if (current.current) return;
      const queryId = newQueryId();
      const controller = new AbortController();
      abort.current = controller;
      current.current = queryId;
      setState({ kind: 'running', queryId, startedAt: performance.now() });
      let next: RunState;
      try {
        const answer = await postJson<SqlAnswer>('/api/sql', { sql, limit, query_id: queryId }, controller.signal);
        next = { kind: 'done', answer };
      } catch (err) {
        const problem = err instanceof ApiProblem ? err : new ApiProblem('BAD_ANSWER', String(err), 0);
        next = problem.code === 'API_SQL_CANCELLED' ? { kind: 'cancelled', how: 'server' } : problem.code === 'ABORTED' ? { kind: 'cancelled', how: 'client' } : { kind: 'failed', error: problem };
      } finally {
        current.current = null;
        abort.current = null;
      }
      setState(next);
      onFinished(sql, next);
    },
    [onFinished],
  );

  const cancel = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    // The server knows the id once it has started the query; a click right after Run can
    // come first, so ask again for a moment before giving up and dropping the request.
    const giveUpAt = performance.now() + 3000;
    for (;;) {
      if (current.current !== id) return;
      try {
        await deleteJson(`/api/sql/${encodeURIComponent(id)}`);
        return;
      } catch (err) {
        const notYet = err instanceof ApiProblem && err.code === 'API_NOT_FOUND';
        if (!notYet || performance.now() > giveUpAt) break;
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    if (current.current === id) abort.current?.abort();
  }, []);

  return { state, run, cancel };
}

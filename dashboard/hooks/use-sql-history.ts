import { useCallback, useState } from 'react';

const KEY = 'parley.sqlHistory';
const MAX = 50;

/** One query the user ran, kept in this browser. */
export interface HistoryEntry {
  readonly sql: string;
  readonly at: string;
  readonly rows: number | null;
  readonly ms: number | null;
  readonly ok: boolean;
}

function read(): HistoryEntry[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as HistoryEntry[]).filter((e) => typeof e?.sql === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

/** The SQL console's query history in localStorage: newest first, one entry per distinct query. */
export function useSqlHistory(): { entries: HistoryEntry[]; add: (e: HistoryEntry) => void; clear: () => void } {
  const [entries, setEntries] = useState<HistoryEntry[]>(read);
  const save = (next: HistoryEntry[]) => {
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // Full or disabled storage: the history lasts for this page only.
    }
    setEntries(next);
  };
  const add = useCallback((e: HistoryEntry) => save([e, ...read().filter((x) => x.sql.trim() !== e.sql.trim())].slice(0, MAX)), []);
  const clear = useCallback(() => save([]), []);
  return { entries, add, clear };
}

import { useState } from 'react';
import type { ApiState } from '../hooks/use-api.ts';
import { t } from '../lib/i18n.ts';
import type { SchemaAnswer } from '../lib/types.ts';
import { DataState } from './data-state.tsx';

/** The mart (and staging) tables with their columns and documentation; clicking inserts into the editor. */
export function SchemaBrowser({ state, onInsert }: { state: ApiState<SchemaAnswer>; onInsert: (text: string) => void }) {
  const [filter, setFilter] = useState('');
  return (
    <div className="flex h-full flex-col">
      <label className="sr-only" htmlFor="schema-filter">
        {t('sql.filter')}
      </label>
      <input
        id="schema-filter"
        type="search"
        placeholder={t('sql.filter')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        className="mb-2 w-full rounded-md border border-gray-300 px-2 py-1.5 text-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-200"
      />
      <DataState state={state} height={360} isEmpty={(d) => d.tables.length === 0}>
        {(d) => {
          const f = filter.trim().toLowerCase();
          const tables = d.tables.filter((tb) => !f || `${tb.schema}.${tb.name}`.includes(f) || tb.columns.some((c) => c.name.includes(f)));
          return (
            <ul className="max-h-[520px] space-y-1 overflow-y-auto pr-1 text-sm" data-testid="schema-browser">
              {tables.map((tb) => {
                const id = `${tb.schema}.${tb.name}`;
                return (
                  <li key={id}>
                    <details open={f !== '' && tables.length <= 3}>
                      <summary className="cursor-pointer overflow-hidden text-ellipsis whitespace-nowrap rounded px-1 py-0.5 font-mono text-xs text-gray-800 hover:bg-gray-100" title={tb.description ?? tb.grain ?? undefined}>
                        {id}
                        {tb.kind === 'view' && <span className="ml-1 text-gray-400">view</span>}
                      </summary>
                      <div className="ml-3 border-l border-gray-200 pl-2">
                        {(tb.description || tb.grain) && <p className="my-1 text-xs text-gray-500">{tb.description ?? `grain: ${tb.grain}`}</p>}
                        <button type="button" className="my-1 text-xs text-blue-700 hover:underline" onClick={() => onInsert(`select *\nfrom ${id}\nlimit 100`)}>
                          {t('sql.insert')}
                        </button>
                        <ul>
                          {tb.columns.map((c) => (
                            <li key={c.name}>
                              <button type="button" onClick={() => onInsert(c.name)} className="flex w-full items-baseline justify-between gap-2 rounded px-1 text-left hover:bg-blue-50" title={c.description ?? undefined}>
                                <span className="truncate font-mono text-xs text-gray-800">{c.name}</span>
                                <span className="shrink-0 font-mono text-[10px] text-gray-400">{c.type.toLowerCase()}</span>
                              </button>
                              {c.description && <p className="px-1 text-[11px] leading-snug text-gray-500">{c.description}</p>}
                            </li>
                          ))}
                        </ul>
                      </div>
                    </details>
                  </li>
                );
              })}
            </ul>
          );
        }}
      </DataState>
    </div>
  );
}

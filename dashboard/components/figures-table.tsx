import { formatByColumn } from '../lib/format.ts';
import type { Row } from '../lib/types.ts';

/** Every column of one report row as label/value pairs, formatted by unit (the report's full detail). */
export function FiguresTable({ row, hide = [] }: { row: Row; hide?: readonly string[] }) {
  const entries = Object.entries(row).filter(([k]) => !hide.includes(k));
  return (
    <dl className="grid grid-cols-1 gap-x-6 text-sm sm:grid-cols-2 lg:grid-cols-3">
      {entries.map(([k, v]) => (
        <div key={k} className="flex justify-between gap-3 border-b border-gray-100 py-1.5">
          <dt className="truncate text-gray-500" title={k}>
            {k.replaceAll('_', ' ')}
          </dt>
          <dd className="tabular text-right text-gray-900">{formatByColumn(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

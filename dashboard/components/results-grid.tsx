import { cx } from '../lib/cx.ts';
import type { SqlAnswer } from '../lib/types.ts';

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Query results as a scrolling grid with the column types in the header; NULL shown faintly. */
export function ResultsGrid({ answer }: { answer: SqlAnswer }) {
  return (
    <div className="max-h-[560px] overflow-auto rounded-tremor-default border border-gray-200" data-testid="sql-results">
      <table className="min-w-full font-mono text-xs">
        <thead className="sticky top-0 bg-gray-50">
          <tr>
            {answer.columns.map((c) => (
              <th key={c.name} scope="col" className="whitespace-nowrap border-b border-gray-200 px-2 py-1.5 text-left font-semibold text-gray-700">
                {c.name}
                <span className="ml-1 font-normal text-gray-400">{c.type.toLowerCase()}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {answer.rows.map((r, i) => (
            <tr key={i} className="border-b border-gray-100 odd:bg-white even:bg-gray-50/50" data-testid="sql-row">
              {answer.columns.map((c) => {
                const v = r[c.name];
                return (
                  <td key={c.name} className={cx('max-w-[28rem] truncate whitespace-nowrap px-2 py-1', typeof v === 'number' && 'text-right tabular', v === null || v === undefined ? 'text-gray-400' : 'text-gray-900')} title={cell(v)}>
                    {cell(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

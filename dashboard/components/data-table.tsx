import type { ReactNode } from 'react';
import { cx } from '../lib/cx.ts';
import { formatByColumn } from '../lib/format.ts';
import type { Row } from '../lib/types.ts';

/** A column of a DataTable: a field, its heading, and optionally how to show a cell. */
export interface Column<R> {
  readonly key: string;
  readonly label: string;
  readonly align?: 'left' | 'right';
  readonly render?: (row: R) => ReactNode;
}

/**
 * A plain, accessible table that scrolls sideways on a phone; numbers right-aligned in
 * tabular figures and formatted by their column's unit unless a column renders itself.
 */
export function DataTable<R extends Row>({ rows, columns, caption, onRowClick, selectedKey, rowKey, maxHeight, testId }: {
  rows: readonly R[];
  columns: readonly Column<R>[];
  caption?: string;
  onRowClick?: (row: R) => void;
  selectedKey?: string;
  rowKey?: (row: R, index: number) => string;
  maxHeight?: number;
  testId?: string;
}) {
  return (
    <div className="overflow-auto rounded-tremor-default border border-gray-200 bg-white" style={maxHeight ? { maxHeight } : undefined} data-testid={testId}>
      <table className="min-w-full text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className="sticky top-0 z-10 bg-gray-50">
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={cx('whitespace-nowrap border-b border-gray-200 px-3 py-2 font-medium text-gray-600', c.align === 'right' ? 'text-right' : 'text-left')}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const key = rowKey ? rowKey(row, i) : String(i);
            const clickable = onRowClick !== undefined;
            return (
              <tr
                key={key}
                className={cx('border-b border-gray-100 last:border-0', clickable && 'cursor-pointer hover:bg-blue-50 focus-within:bg-blue-50', selectedKey === key && 'bg-blue-50')}
                onClick={clickable ? () => onRowClick(row) : undefined}
                onKeyDown={clickable ? (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onRowClick(row)) : undefined}
                tabIndex={clickable ? 0 : undefined}
                aria-selected={clickable ? selectedKey === key : undefined}
              >
                {columns.map((c) => {
                  const v = row[c.key];
                  const numeric = c.align === 'right' || (c.align === undefined && typeof v === 'number');
                  return (
                    <td key={c.key} className={cx('whitespace-nowrap px-3 py-1.5 text-gray-800', numeric ? 'tabular text-right' : 'text-left')}>
                      {c.render ? c.render(row) : formatByColumn(c.key, v)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

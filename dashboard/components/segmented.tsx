import { cx } from '../lib/cx.ts';

/** A row of toggle buttons for choosing one of a few options (keyboard: Tab and Enter/Space). */
export function Segmented<T extends string>({ value, options, onChange, label }: { value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void; label: string }) {
  return (
    <div role="group" aria-label={label} className="inline-flex flex-wrap rounded-md border border-gray-300 bg-white p-0.5">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
          className={cx('rounded px-3 py-1 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400', o.value === value ? 'bg-blue-600 text-white' : 'text-gray-700 hover:bg-gray-100')}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

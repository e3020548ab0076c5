import { Badge } from '@tremor/react';

const COLOURS: Record<string, string> = {
  success: 'emerald',
  pass: 'emerald',
  ok: 'emerald',
  running: 'blue',
  warn: 'amber',
  interrupted: 'amber',
  skipped: 'gray',
  failed: 'rose',
  fail: 'rose',
  error: 'rose',
};

/** A run or check status as a coloured badge (success green, warn amber, failed red). */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className="text-gray-400">—</span>;
  return (
    <Badge size="xs" color={COLOURS[status] ?? 'gray'}>
      {status}
    </Badge>
  );
}

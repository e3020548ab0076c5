import type { ReactNode } from 'react';
import type { ApiState } from '../hooks/use-api.ts';
import { EmptyBlock } from './empty-block.tsx';
import { ErrorBlock } from './error-block.tsx';
import { LoadingBlock } from './loading-block.tsx';

/**
 * Renders one load's states: a placeholder while loading, the error in words, an empty
 * note when `isEmpty` says so, else `children(data)`. All at the same height.
 */
export function DataState<T>({ state, height = 160, isEmpty, emptyMessage, children }: { state: ApiState<T>; height?: number; isEmpty?: (data: T) => boolean; emptyMessage?: string; children: (data: T) => ReactNode }) {
  if (state.data !== undefined) {
    if (isEmpty?.(state.data)) return <EmptyBlock height={height} message={emptyMessage} />;
    return <>{children(state.data)}</>;
  }
  if (state.error) return <ErrorBlock error={state.error} onRetry={state.reload} height={height} />;
  return <LoadingBlock height={height} />;
}

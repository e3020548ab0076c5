import type { Phase } from './context.ts';

/** An `--only` name that is no phase's key or alias. */
export class UnknownPhaseError extends Error {
  constructor(readonly unknown: readonly string[], phases: readonly Phase[]) {
    super(`--only: no phase called ${unknown.map((u) => `"${u}"`).join(', ')}; the phases are ${phases.map((p) => p.key).join(', ')}`);
  }
}

/**
 * The phases `--only a,b` asks for, in their run order. Each name must equal a phase's key
 * or alias (case and surrounding spaces ignored): a substring is not enough, so `api` does
 * not also pick the peer phase whose title mentions the API. No `--only`: every phase.
 */
export function selectPhases(phases: readonly Phase[], only: string | undefined): Phase[] {
  if (only === undefined) return [...phases];
  const names = only.split(',').map((o) => o.trim().toLowerCase()).filter((o) => o !== '');
  const keysOf = (p: Phase) => [p.key, ...(p.aliases ?? [])].map((k) => k.toLowerCase());
  const unknown = names.filter((n) => !phases.some((p) => keysOf(p).includes(n)));
  if (unknown.length > 0 || names.length === 0) throw new UnknownPhaseError(unknown.length > 0 ? unknown : [only], phases);
  return phases.filter((p) => keysOf(p).some((k) => names.includes(k)));
}

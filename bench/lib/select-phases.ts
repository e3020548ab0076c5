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

/** Phases that read `<work>/landing` (the generate phase writes or links it). */
const READS_LANDING = ['ingest', 'build'];

/**
 * Why the selected phases cannot run on the landing folder they would read, or undefined.
 * `--landing DIR` is linked by the generate phase, so without it the flag would do nothing;
 * a phase reading `<work>/landing` when no generate phase fills it and an earlier run did not
 * leave it would load nothing and time an empty warehouse.
 */
export function landingProblem(phases: readonly Phase[], opts: { reuseLanding: string | undefined; landingDir: string; landingExists: boolean }): string | undefined {
  const generates = phases.some((p) => p.key === 'generate');
  if (generates) return undefined;
  if (opts.reuseLanding !== undefined) return `--landing ${opts.reuseLanding} is linked by the generate phase (untimed): add generate to --only`;
  const readers = phases.filter((p) => READS_LANDING.includes(p.key)).map((p) => p.key);
  if (readers.length > 0 && !opts.landingExists) {
    return `--only ${readers.join(',')} reads ${opts.landingDir}, which does not exist: add generate to --only (with --landing DIR to reuse earlier files), or give the --work folder of an earlier run`;
  }
  return undefined;
}

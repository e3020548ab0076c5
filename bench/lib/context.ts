import type { Config } from '../../config/config.ts';

/** The sizes a benchmark can run at. */
export const SCALES = {
  /** The smoke test's: every phase end to end, as fast as the harness goes. */
  XS: { days: 7, customers: 200 },
  /** A smoke run: the harness works end to end in seconds. */
  S: { days: 14, customers: 1_000 },
  /** What `npm start` seeds (pipelines/demo/seed-demo.ts): the "demo scale" of the freshness bar. */
  DEMO: { days: 90, customers: 2_000 },
  /** A quarter with 20,000 customers: big enough for the peer ratios, builds within the memory limit. */
  MID: { days: 90, customers: 20_000 },
  /** DESIGN section 9: one year, 200,000 customers, about 10M messages. */
  M: { days: 365, customers: 200_000 },
} as const;
export type ScaleName = keyof typeof SCALES;

/** One figure in the results, with the bar it is held to. */
export interface Figure {
  readonly name: string;
  readonly value: string;
  /** The DESIGN bar, e.g. "within 1.5x". */
  readonly bar?: string;
  /** Whether the bar is met (undefined: no bar). */
  readonly met?: boolean;
  readonly note?: string;
}

/** A phase's outcome: its figures, or why it was not measured. */
export interface PhaseResult {
  readonly phase: string;
  readonly figures: Figure[];
  readonly skipped?: string;
  readonly notes?: string[];
}

/** What every phase gets. */
export interface BenchContext {
  readonly scale: ScaleName;
  readonly days: number;
  readonly customers: number;
  /** Working folder of this run (landing data, warehouses). */
  readonly workDir: string;
  /** The demo landing folder (days - 1 days; `nextDayDir` has the last one). */
  readonly landingDir: string;
  readonly nextDayDir: string;
  /** The warehouse built by the ingest phase, reused by later phases. */
  readonly config: Config;
  readonly repeats: number;
  /** Landing files of an earlier generation to reuse (hard-linked) instead of generating. */
  readonly reuseLanding?: string;
  readonly log: (line: string) => void;
}

/** A benchmark phase. */
export interface Phase {
  /** What `--only` selects this phase by, matched exactly (docs/bench.md lists them). */
  readonly key: string;
  /** Other exact names `--only` accepts for it (older spellings kept working). */
  readonly aliases?: readonly string[];
  readonly name: string;
  run(ctx: BenchContext): Promise<PhaseResult>;
}

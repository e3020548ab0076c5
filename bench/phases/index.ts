import type { Phase } from '../lib/context.ts';
import { apiPhase } from './api.bench.ts';
import { buildPhase } from './build.bench.ts';
import { bundlePhase } from './bundle.bench.ts';
import { freshnessPhase } from './freshness.bench.ts';
import { generatePhase } from './generate.bench.ts';
import { ingestPhase } from './ingest.bench.ts';
import { peerPhase } from './peer.bench.ts';

/** Every phase, in the order they run (later phases reuse what earlier ones built). */
export const PHASES: readonly Phase[] = [generatePhase, ingestPhase, buildPhase, apiPhase, peerPhase, freshnessPhase, bundlePhase];

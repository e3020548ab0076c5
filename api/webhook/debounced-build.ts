import { errorMessage } from '../../config/parley-error.ts';
import type { Clock, TimerHandle } from '../../pipelines/clock.ts';
import type { Logger } from '../../pipelines/logger.ts';

/** How far back the poke rate is measured, and how long a flood must be over before building. */
export const FLOOD_WINDOW_MS = 1000;

/** Options of the debounce. */
export interface DebounceOptions {
  /** Quiet time after the last poke before building. */
  readonly delayMs: number;
  /** Longest wait after the first poke, so steady traffic still builds. */
  readonly maxDelayMs: number;
  /** Backing off while pokes keep coming, so builds do not take the cores from the receiver. */
  readonly backOff?: BackOff;
}

/** How a debounced build backs off under traffic (docs/builds.md). */
export interface BackOff {
  /**
   * While pokes keep coming, a build starts no sooner than `spacing` times the last build's
   * duration after that build ended: builds take at most 1 / (1 + spacing) of the time.
   * Quiet time (`delayMs` without a poke) still builds at once.
   */
  readonly spacing: number;
  /**
   * A flood: at least `perSecond` items poked within the last second. During one the build
   * waits for a second without pokes, or at most `maxDelayMs` after the first poke.
   */
  readonly flood?: { readonly perSecond: number; readonly maxDelayMs: number };
}

/**
 * Runs `build` shortly after webhook payloads stop arriving (and at least every
 * `maxDelayMs` while they keep arriving, later under back-off), never two at once: a poke
 * during a build makes one more build after it.
 */
export class DebouncedBuild {
  private timer: TimerHandle | undefined;
  /** The first poke not yet carried by a build (undefined: nothing pending). */
  private firstPokeAt: number | undefined;
  private lastPokeAt = 0;
  /** Pokes within the last `FLOOD_WINDOW_MS`, with how many items each brought. */
  private recent: { at: number; items: number }[] = [];
  private lastBuild: { endedAt: number; ms: number } | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly build: () => Promise<void>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: DebounceOptions = { delayMs: 200, maxDelayMs: 1000 },
  ) {}

  /** New data landed (`items` of it, for the flood rate): build soon. */
  poke(items = 1): void {
    if (this.closed) return;
    const now = this.clock.now().getTime();
    this.recent.push({ at: now, items });
    this.firstPokeAt ??= now;
    this.lastPokeAt = now;
    // During a build the pokes are counted; the next build is scheduled when it ends.
    if (!this.running) this.schedule(now);
  }

  /** Items poked within the last `FLOOD_WINDOW_MS` before `now`. */
  private itemsInWindow(now: number): number {
    while (this.recent.length > 0 && this.recent[0]!.at <= now - FLOOD_WINDOW_MS) this.recent.shift();
    return this.recent.reduce((sum, p) => sum + p.items, 0);
  }

  /** When the pending build is due, as things stand at `now`. */
  private dueAt(now: number): number {
    const { delayMs, maxDelayMs, backOff } = this.opts;
    const first = this.firstPokeAt ?? now;
    let quietAt = this.lastPokeAt + delayMs;
    let capAt = first + maxDelayMs;
    if (backOff && this.lastBuild) capAt = Math.max(capAt, this.lastBuild.endedAt + backOff.spacing * this.lastBuild.ms);
    if (backOff?.flood && this.itemsInWindow(now) >= backOff.flood.perSecond) {
      quietAt = Math.max(quietAt, this.lastPokeAt + FLOOD_WINDOW_MS);
      capAt = Math.max(capAt, first + backOff.flood.maxDelayMs);
    }
    return Math.min(quietAt, capAt);
  }

  private schedule(now: number): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, this.dueAt(now) - now));
  }

  private fire(): void {
    this.timer = undefined;
    const startedAt = this.clock.now().getTime();
    // A flood may have begun since the timer was set: then it is due later.
    if (this.dueAt(startedAt) > startedAt) {
      this.schedule(startedAt);
      return;
    }
    this.firstPokeAt = undefined;
    this.running = this.build()
      .catch((err) => this.log.error('webhook build failed', { error: errorMessage(err) }))
      .finally(() => {
        const endedAt = this.clock.now().getTime();
        this.lastBuild = { endedAt, ms: endedAt - startedAt };
        this.running = undefined;
        if (this.firstPokeAt !== undefined && !this.closed) this.schedule(endedAt);
      });
  }

  /** Cancels a pending build and waits for a running one. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
  }
}

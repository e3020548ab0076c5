import { errorMessage } from '../../config/parley-error.ts';
import type { Clock, TimerHandle } from '../../pipelines/clock.ts';
import type { Logger } from '../../pipelines/logger.ts';

/** Options of the debounce. */
export interface DebounceOptions {
  /** Quiet time after the last stored payload before building. */
  readonly delayMs: number;
  /** Longest wait after the first payload, so steady traffic still builds. */
  readonly maxDelayMs: number;
}

/**
 * Runs `build` shortly after webhook payloads stop arriving (and at least every
 * `maxDelayMs` while they keep arriving), never two at once: a poke during a build makes
 * one more build after it.
 */
export class DebouncedBuild {
  private timer: TimerHandle | undefined;
  private firstPokeAt = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly build: () => Promise<void>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: DebounceOptions = { delayMs: 200, maxDelayMs: 1000 },
  ) {}

  /** New data landed: build soon. */
  poke(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const now = this.clock.now().getTime();
    if (this.timer) this.clock.clearTimeout(this.timer);
    else this.firstPokeAt = now;
    const wait = Math.max(0, Math.min(this.opts.delayMs, this.firstPokeAt + this.opts.maxDelayMs - now));
    this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = undefined;
    this.running = this.build()
      .catch((err) => this.log.error('webhook build failed', { error: errorMessage(err) }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
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

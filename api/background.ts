import { ApiError } from './errors.ts';

/**
 * Work the server started and must finish before it closes the warehouse (pipeline runs
 * triggered over HTTP, webhook builds). Once `drain` starts, new work is refused.
 */
export class Background {
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();
  private draining = false;

  /** Aborted when the server starts stopping: sources stop between batches. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the server is stopping. */
  get stopping(): boolean {
    return this.draining;
  }

  /** Tracks `work` until it settles; refused with API_SHUTTING_DOWN while stopping. */
  track<T>(work: () => Promise<T>): Promise<T> {
    if (this.draining) throw new ApiError('API_SHUTTING_DOWN', 'The server is stopping; try again once it is back.');
    const p = work();
    this.tasks.add(p);
    const forget = () => this.tasks.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Refuses new work, asks running work to stop between batches, and waits for it. */
  async drain(): Promise<void> {
    this.draining = true;
    this.controller.abort();
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}

/**
 * An in-process lock per key: `run(key, fn)` waits for earlier holders of the same key.
 * DuckDB allows one process per file, so this is all the coordination Parley needs
 * (one pipeline run per source, one build at a time).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** True when some work holds or waits for `key`. */
  isHeld(key: string): boolean {
    return this.tails.has(key);
  }

  /** Runs `fn` once every earlier holder of `key` has finished. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await previous;
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** A handle returned by `Clock.setTimeout`. */
export type TimerHandle = { readonly id: unknown };

/**
 * Time as the scheduler, the webhook debounce and the API see it. Passed in, so tests drive
 * retries and debounces with a fake clock instead of waiting.
 */
export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock. Timers are unref'd: a pending retry never keeps the process alive. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { id: t };
  },
  clearTimeout(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};

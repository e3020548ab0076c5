import type { Clock, TimerHandle } from '../../pipelines/clock.ts';

/** A clock that moves only when the test says so; `advance` fires due timers in time order. */
export class FakeClock implements Clock {
  private ms: number;
  private timers: { at: number; fn: () => void; handle: TimerHandle }[] = [];

  constructor(start = '2026-11-23T00:00:00Z') {
    this.ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = { id: Symbol('timer') };
    this.timers.push({ at: this.ms + ms, fn, handle });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  /** Timers still waiting, as ms from now. */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.ms).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const until = this.ms + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.ms = due.at;
      due.fn();
    }
    this.ms = until;
  }
}

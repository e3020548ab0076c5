import { describe, expect, it } from 'vitest';
import { DebouncedBuild, type DebounceOptions } from '../../api/webhook/debounced-build.ts';
import { silentLogger } from '../../pipelines/logger.ts';
import { FakeClock } from '../helpers/fake-clock.ts';

const T0 = Date.parse('2026-11-23T00:00:00Z');

/** Lets settled promises run their callbacks (one turn of the event loop; time does not move). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A DebouncedBuild whose builds finish when the test says so: `starts` are the fake-clock
 * times (ms after T0) at which builds began, `finish()` ends the running one.
 */
function harness(opts: DebounceOptions) {
  const clock = new FakeClock();
  const starts: number[] = [];
  let finishRunning: (() => void) | undefined;
  let failNext = false;
  const build = () =>
    new Promise<void>((resolve, reject) => {
      starts.push(clock.now().getTime() - T0);
      finishRunning = failNext ? () => reject(new Error('build failed')) : resolve;
      failNext = false;
    });
  const debounced = new DebouncedBuild(build, clock, silentLogger, opts);
  return {
    clock,
    debounced,
    starts,
    failNextBuild: () => (failNext = true),
    /** Ends the running build and lets the debounce see it. */
    async finish() {
      const f = finishRunning;
      finishRunning = undefined;
      if (!f) throw new Error('no build is running');
      f();
      await settle();
      await settle();
    },
    /** `items` poked every `everyMs` for `forMs` (from now). */
    traffic(items: number, everyMs: number, forMs: number) {
      for (let t = 0; t < forMs; t += everyMs) {
        debounced.poke(items);
        clock.advance(everyMs);
      }
    },
    now: () => clock.now().getTime() - T0,
  };
}

const PLAIN: DebounceOptions = { delayMs: 200, maxDelayMs: 1000 };
const BACK_OFF: DebounceOptions = { delayMs: 200, maxDelayMs: 1000, backOff: { spacing: 1, flood: { perSecond: 200, maxDelayMs: 10_000 } } };

describe('DebouncedBuild', () => {
  it('builds once, delayMs after the last poke', async () => {
    const h = harness(BACK_OFF);
    h.debounced.poke();
    h.clock.advance(150);
    h.debounced.poke();
    h.clock.advance(199);
    expect(h.starts).toEqual([]);
    h.clock.advance(1);
    expect(h.starts).toEqual([350]);
    await h.finish();
    h.clock.advance(5000);
    expect(h.starts).toEqual([350]);
  });

  it('builds at most maxDelayMs after the first poke while slow traffic keeps coming', () => {
    const h = harness(BACK_OFF);
    // 10 deliveries a second, far below a flood: never 200 ms quiet.
    h.traffic(1, 100, 1500);
    expect(h.starts).toEqual([1000]);
  });

  it('makes one more build after a build that was poked while it ran', async () => {
    const h = harness(PLAIN);
    h.debounced.poke();
    h.clock.advance(200);
    expect(h.starts).toEqual([200]);
    h.debounced.poke();
    h.debounced.poke();
    h.clock.advance(100);
    await h.finish();
    expect(h.starts).toEqual([200]);
    h.clock.advance(100);
    expect(h.starts).toEqual([200, 400]);
  });

  it('spaces builds under steady traffic by the last build duration (spacing 1: at most half the time building)', async () => {
    const h = harness(BACK_OFF);
    h.debounced.poke();
    h.clock.advance(200);
    expect(h.starts).toEqual([200]);
    // The build takes 3 s while 10 deliveries a second keep coming.
    h.traffic(1, 100, 3000);
    await h.finish();
    expect(h.now()).toBe(3200);
    // Without back-off the next build would start at once (its first poke was > 1 s ago).
    h.traffic(1, 100, 2900);
    expect(h.starts).toEqual([200]);
    h.traffic(1, 100, 200);
    expect(h.starts).toEqual([200, 6200]);
  });

  it('without back-off, the next build follows at once a build that outlasted maxDelayMs under steady traffic', async () => {
    const h = harness(PLAIN);
    h.debounced.poke();
    h.clock.advance(200);
    h.traffic(1, 100, 3000);
    await h.finish();
    h.clock.advance(0);
    expect(h.starts).toEqual([200, 3200]);
  });

  it('still builds delayMs after a lone delivery that follows a long build (freshness)', async () => {
    const h = harness(BACK_OFF);
    h.debounced.poke();
    h.clock.advance(200);
    h.clock.advance(3000);
    await h.finish();
    h.clock.advance(500);
    h.debounced.poke();
    h.clock.advance(200);
    expect(h.starts).toEqual([200, 3900]);
  });

  it('waits while a flood goes on and builds 1 s after it ends', () => {
    const h = harness(BACK_OFF);
    // 50 deliveries every 20 ms (2,500 a second) for 5 s: plain debounce would build at 1 s.
    h.traffic(50, 20, 5000);
    expect(h.starts).toEqual([]);
    // The last poke was at 4,980 ms; the flood is over once a second passes without one.
    h.clock.advance(979);
    expect(h.starts).toEqual([]);
    h.clock.advance(1);
    expect(h.starts).toEqual([5980]);
  });

  it('builds during a long flood at most flood.maxDelayMs after its first delivery', () => {
    const h = harness(BACK_OFF);
    h.traffic(50, 20, 12_000);
    expect(h.starts).toEqual([10_000]);
  });

  it('counts items, not pokes: few pokes carrying many deliveries are a flood', () => {
    const flood = harness(BACK_OFF);
    flood.traffic(100, 100, 3000);
    expect(flood.starts).toEqual([]);
    const trickle = harness(BACK_OFF);
    trickle.traffic(1, 100, 3000);
    expect(trickle.starts).toEqual([1000]);
  });

  it('logs a failed build and builds again on the next poke', async () => {
    const h = harness(PLAIN);
    h.failNextBuild();
    h.debounced.poke();
    h.clock.advance(200);
    await h.finish();
    h.debounced.poke();
    h.clock.advance(200);
    expect(h.starts).toEqual([200, 400]);
  });

  it('close drops a pending build and ignores later pokes', async () => {
    const h = harness(PLAIN);
    h.debounced.poke();
    await h.debounced.close();
    h.debounced.poke();
    h.clock.advance(5000);
    expect(h.starts).toEqual([]);
    expect(h.clock.pending()).toEqual([]);
  });
});

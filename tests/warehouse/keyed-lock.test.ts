import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../warehouse/keyed-lock.ts';

describe('KeyedLock', () => {
  it('runs work on the same key one after another', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = lock.run('k', async () => {
      order.push('first start');
      await gate;
      order.push('first end');
    });
    const second = lock.run('k', async () => {
      order.push('second');
    });
    await Promise.resolve();
    expect(lock.isHeld('k')).toBe(true);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
    expect(lock.isHeld('k')).toBe(false);
  });

  it('lets different keys run side by side', async () => {
    const lock = new KeyedLock();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = lock.run('a', () => gate);
    const fast = await lock.run('b', async () => 'b done');
    expect(fast).toBe('b done');
    release();
    await slow;
  });
});

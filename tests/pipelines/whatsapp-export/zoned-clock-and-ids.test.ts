import { describe, expect, it } from 'vitest';
import { contentKeyOf, MessageIdMaker } from '../../../pipelines/sources/whatsapp-export/message-ids.ts';
import { ZonedClock } from '../../../pipelines/sources/whatsapp-export/zoned-clock.ts';

const iso = (clock: ZonedClock, y: number, mo: number, d: number, h: number, mi: number) => new Date(clock.toUtcMs(Date.UTC(y, mo - 1, d, h, mi))).toISOString();

describe('zoned clock', () => {
  it('reads wall-clock times in the given zone', () => {
    expect(iso(new ZonedClock('Asia/Hong_Kong'), 2024, 1, 5, 15, 12)).toBe('2024-01-05T07:12:00.000Z');
    expect(iso(new ZonedClock('Asia/Seoul'), 2024, 1, 5, 0, 5)).toBe('2024-01-04T15:05:00.000Z');
    expect(iso(new ZonedClock('UTC'), 2024, 1, 5, 15, 12)).toBe('2024-01-05T15:12:00.000Z');
  });

  it('takes the earlier instant when clocks go back and moves past the gap when they go forward', () => {
    const berlin = new ZonedClock('Europe/Berlin');
    expect(iso(berlin, 2024, 10, 27, 2, 30)).toBe('2024-10-27T00:30:00.000Z');
    expect(iso(berlin, 2024, 3, 31, 2, 30)).toBe('2024-03-31T01:30:00.000Z');
    expect(iso(berlin, 2024, 7, 1, 12, 0)).toBe('2024-07-01T10:00:00.000Z');
    expect(iso(berlin, 2024, 1, 1, 12, 0)).toBe('2024-01-01T11:00:00.000Z');
  });

  it('refuses a zone that does not exist', () => {
    expect(() => new ZonedClock('Mars/Olympus')).toThrow(/--tz "Mars\/Olympus" is not an IANA timezone/);
  });
});

describe('message ids', () => {
  const t = '5.1.2024 15:12';
  it('are the same for the same chat, minute, author and content, in any export', () => {
    expect(new MessageIdMaker('wx-1').next(t, 'grace', 'hi')).toBe(new MessageIdMaker('wx-1').next(t, 'grace', 'hi'));
  });

  it('tell apart repeats within a minute and differ by chat, author and content', () => {
    const ids = new MessageIdMaker('wx-1');
    const first = ids.next(t, 'grace', 'ok');
    const second = ids.next(t, 'grace', 'ok');
    expect(second).not.toBe(first);
    expect(new Set([first, new MessageIdMaker('wx-2').next(t, 'grace', 'ok'), new MessageIdMaker('wx-1').next(t, 'peter', 'ok'), new MessageIdMaker('wx-1').next(t, 'grace', 'ok!')]).size).toBe(4);
  });

  it('count all media as one content, so exports with and without media agree', () => {
    expect(contentKeyOf('media', '<Media omitted>')).toBe(contentKeyOf('media', 'IMG-1.jpg (file attached)\ncaption'));
    expect(contentKeyOf('message', 'caf\u0065\u0301')).toBe(contentKeyOf('message', 'caf\u00e9'));
  });
});

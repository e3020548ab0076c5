import { createHash } from 'node:crypto';

/**
 * Deterministic message ids for exported messages: the chat, the date and minute as written,
 * the author, the content and an ordinal among identical messages in the same minute. The
 * same message gets the same id in every export of the chat, so a re-import, or a later
 * export that repeats the old messages and adds new ones, adds only the new ones once staging
 * dedupes by id. Minutes, not seconds, so Android (no seconds) and iOS exports of one chat
 * agree; the date as written, not as read, so reading a file again with another
 * `--date-order` or `--tz` corrects its messages instead of adding them twice.
 */
export class MessageIdMaker {
  private minute = '';
  private readonly seen = new Map<string, number>();

  constructor(private readonly chatId: string) {}

  /** The id of the next message; call in file order. `contentKey` is the text, or a constant for media. */
  next(writtenMinute: string, author: string, contentKey: string): string {
    const minute = writtenMinute;
    // Exports are in time order: ordinals only need to tell apart repeats within one minute.
    if (minute !== this.minute) {
      this.minute = minute;
      this.seen.clear();
    }
    const key = `${author}\u0000${contentKey}`;
    const ordinal = this.seen.get(key) ?? 0;
    this.seen.set(key, ordinal + 1);
    const digest = createHash('sha1').update(`${this.chatId}\u0000${minute}\u0000${key}\u0000${ordinal}`).digest('hex');
    return `wx.${digest.slice(0, 32)}`;
  }
}

/** What a message's id hashes as content: media placeholders differ between exports with and without media, so all media count as one. */
export function contentKeyOf(kind: string, text: string): string {
  return kind === 'media' ? '\u0000media' : text.normalize('NFC');
}

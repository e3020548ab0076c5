/**
 * System lines: what WhatsApp itself writes into a chat (the encryption notice, group
 * created, someone added or left, subject changed, a deleted message, missed calls). They
 * are counted, not loaded as customer messages.
 */

/** What the text after a header's time is: a message by an author, or a system line. */
export type HeaderRest = { readonly author: string; readonly text: string } | { readonly system: string };

/** Quotation marks that wrap a group subject in "changed the subject to …" lines; names do not contain them. */
const QUOTES = /["“”„«»「」『』]/;
const LONGEST_AUTHOR = 100;

/**
 * Splits `Author: text`. Android system lines have no author (`Alice added Bob`), and a
 * subject change whose new subject holds ": " is told apart by the quotation marks in what
 * would be the author.
 */
export function splitAuthor(rest: string): HeaderRest {
  const i = rest.indexOf(': ');
  if (i <= 0) {
    // "Alice:" with an empty message loses its trailing space in some exports.
    if (rest.endsWith(':') && rest.length > 1 && !QUOTES.test(rest)) return { author: rest.slice(0, -1).trim(), text: '' };
    return { system: rest };
  }
  const author = rest.slice(0, i).trim();
  if (author === '' || author.length > LONGEST_AUTHOR || QUOTES.test(author)) return { system: rest };
  return { author, text: rest.slice(i + 2) };
}

/** "This message was deleted" in the languages WhatsApp exports in, without the final full stop. */
const DELETED = new Set(
  [
    'This message was deleted',
    'You deleted this message',
    'Diese Nachricht wurde gelöscht',
    'Du hast diese Nachricht gelöscht',
    'Se eliminó este mensaje',
    'Eliminaste este mensaje',
    'Ce message a été supprimé',
    'Vous avez supprimé ce message',
    '삭제된 메시지입니다',
    '이 메시지는 삭제되었습니다',
    '메시지를 삭제했습니다',
    '此訊息已刪除',
    '你已刪除此訊息',
    '您已刪除此訊息',
    '此消息已删除',
    '你删除了此消息',
    '您删除了此消息',
  ].map((t) => t.toLowerCase()),
);

/** Call notes that iOS and Android write as lines by the caller. */
const CALLS = /^(?:missed (?:voice|video|group voice|group video) call|(?:voice|video) call|verpasster (?:sprach|video)anruf|llamada (?:de voz|de video) perdida|부재중 (?:음성|영상) ?통화|(?:음성|영상) ?통화|未接(?:語音|视频|視訊|语音)通話?|未接(?:语音|视频)通话|(?:語音|视频|视讯|语音)通话)(?:,.*)?$/i;

/** True when a message's text is WhatsApp's note that it was deleted. */
export function isDeletedNote(text: string): boolean {
  if (text.length > 60) return false;
  const t = text.trim().replace(/[.。]$/, '').toLowerCase();
  return DELETED.has(t);
}

/** True when a message's text is a call note (missed call, voice call and its length). */
export function isCallNote(text: string): boolean {
  return text.length < 80 && CALLS.test(text.trim());
}

/** The note WhatsApp appends to edited messages. */
const EDITED = /\s*<(?:This message was edited|Diese Nachricht wurde bearbeitet|Se editó este mensaje|Ce message a été modifié|수정된 메시지입니다|已編輯此訊息|此消息已编辑|已编辑)>\s*$/i;

/** A message's text without WhatsApp's "<This message was edited>" note, and whether it had one. */
export function stripEditedNote(text: string): { text: string; edited: boolean } {
  const m = EDITED.exec(text);
  return m ? { text: text.slice(0, m.index), edited: true } : { text, edited: false };
}

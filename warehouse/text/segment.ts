/**
 * Words of a message as `Intl.Segmenter` finds them: dictionary-based for Chinese and
 * Japanese, by spaces and punctuation for Korean and Latin scripts. One root-locale
 * segmenter serves every language (ICU picks the rules per script).
 */
const WORDS = new Intl.Segmenter('und', { granularity: 'word' });

/** Normalises text before segmenting: NFKC (full-width letters, compatibility forms) and straight apostrophes. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(/[\u2018\u2019\u02bc]/g, "'");
}

/** A token of a message: a word, an emoji, or a break (sentence punctuation, which ends a negation's reach). */
export interface Token {
  readonly text: string;
  readonly kind: 'word' | 'emoji' | 'break';
}

const EMOJI = /\p{Extended_Pictographic}/gu;
const BREAK = /[.!?;:,。！？；：，、…]/u;

/** Words (lower-cased), emoji and sentence breaks of `text` in reading order. */
export function segmentTokens(text: string): Token[] {
  const tokens: Token[] = [];
  for (const s of WORDS.segment(normalizeText(text))) {
    if (s.isWordLike) tokens.push({ text: s.segment.toLowerCase(), kind: 'word' });
    else if (BREAK.test(s.segment)) tokens.push({ text: s.segment, kind: 'break' });
    else for (const ch of s.segment.match(EMOJI) ?? []) tokens.push({ text: ch, kind: 'emoji' });
  }
  return tokens;
}

/** The word-like segments of `text`, lower-cased, in order. */
export function segmentWords(text: string): string[] {
  return segmentTokens(text).filter((t) => t.kind === 'word').map((t) => t.text);
}

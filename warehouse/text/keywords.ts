import { isKoreanPredicate, stripKoreanCopula, stripKoreanParticle } from './korean-particles.ts';
import { segmentTokens, type Token } from './segment.ts';
import { isStopWord } from './stop-words.ts';

const NUMBER = /^[\p{N}.,:/-]+$/u;
const HAS_LETTER = /\p{L}/u;
/** One Han character: what the dictionary leaves of words it does not know (點|解), mostly function words. */
const SINGLE_HAN = /^\p{Script=Han}$/u;
/** Hiragana-only Japanese segments are particles and verb endings; nouns are kanji or katakana. */
const HIRAGANA_ONLY = /^\p{Script=Hiragana}+$/u;
/** One Hangul syllable on its own is a counter or bound noun (개, 대, 수), not a topic. */
const SINGLE_HANGUL = /^[\uac00-\ud7a3]$/u;

/** Whether a segmented word can be a keyword, and as what. */
function keywordOf(segment: string): string | null {
  const raw = stripKoreanCopula(segment);
  if (NUMBER.test(raw) || !HAS_LETTER.test(raw) || isKoreanPredicate(raw) || SINGLE_HAN.test(raw) || HIRAGANA_ONLY.test(raw) || SINGLE_HANGUL.test(raw)) return null;
  const word = stripKoreanParticle(raw);
  if (isStopWord(word) || isStopWord(raw) || (word.length === 1 && /[a-z]/.test(word))) return null;
  return word;
}

/** The keywords among already segmented tokens (see `keywords`). */
export function keywordsOf(tokens: readonly Token[]): string[] {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'word') continue;
    const k = keywordOf(t.text);
    if (k !== null) seen.add(k);
  }
  return [...seen];
}

/**
 * The keywords of a message: its word-like segments, lower-cased, Korean particles
 * stripped (and the copula of 불만입니다), without stop words, numbers, Korean predicates, lone Han characters or
 * Hangul syllables, hiragana-only segments or single Latin letters; each keyword once per message, in
 * order of first appearance.
 */
export function keywords(text: string): string[] {
  return keywordsOf(segmentTokens(text));
}

import { CHINESE, EMOJI, ENGLISH, INTENSIFIERS, KOREAN, KOREAN_POST_NEGATION, NEGATORS } from './sentiment-lexicon.ts';
import { segmentTokens, type Token } from './segment.ts';

/** VADER's constants: a negated word keeps 74% of its valence, reversed; a booster adds 0.293. */
const NEGATION_SCALAR = -0.74;
const BOOST = 0.293;
/** VADER's normalisation: compound = sum / sqrt(sum² + ALPHA), in -1..1. */
const ALPHA = 15;
const HANGUL = /^[\uac00-\ud7a3]/u;
const HAN = /^\p{Script=Han}+$/u;
const CHINESE_NEGATION_PREFIX = /^(不|唔|沒|冇|未|無)/u;
/** Chinese negators reach the next word only (不好, 唔 開心); English ones up to three words. */
const ENGLISH_NEGATION_REACH = 3;
/** The dictionary splits words it does not know (唔|該); lexicon words are looked up across up to 4 segments. */
const MAX_HAN_JOIN = 4;

/** A rated unit of a message: one or more segments that form one lexicon entry. */
interface Unit {
  readonly text: string;
  readonly kind: Token['kind'];
  readonly valence: number;
}

/** Valence of a Korean word: its longest rated stem. */
function koreanValence(word: string): number {
  for (let n = word.length; n >= 1; n--) {
    const v = KOREAN.get(word.slice(0, n));
    if (v !== undefined) return v;
  }
  return 0;
}

/** Valence of a Chinese word, a negation prefix reversing the rated rest (不滿意 as one segment). */
function chineseValence(word: string): number | undefined {
  const v = CHINESE.get(word);
  if (v !== undefined) return v;
  const rest = word.replace(CHINESE_NEGATION_PREFIX, '');
  if (rest !== word && rest.length > 0) {
    const r = CHINESE.get(rest);
    if (r !== undefined) return r * NEGATION_SCALAR;
  }
  return undefined;
}

/** Joins Han segments into the longest lexicon words, and rates every unit. */
function units(tokens: readonly Token[]): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'emoji') out.push({ text: t.text, kind: 'emoji', valence: EMOJI.get(t.text) ?? 0 });
    else if (t.kind === 'break') out.push({ text: t.text, kind: 'break', valence: 0 });
    else if (HAN.test(t.text)) {
      let taken = 1;
      let valence = chineseValence(t.text);
      let text = t.text;
      for (let n = Math.min(MAX_HAN_JOIN, tokens.length - i); n >= 2; n--) {
        const run = tokens.slice(i, i + n);
        if (!run.every((r) => r.kind === 'word' && HAN.test(r.text))) continue;
        const joined = run.map((r) => r.text).join('');
        const v = CHINESE.get(joined);
        if (v !== undefined) {
          taken = n;
          valence = v;
          text = joined;
          break;
        }
      }
      out.push({ text, kind: 'word', valence: valence ?? 0 });
      i += taken - 1;
    } else if (HANGUL.test(t.text)) out.push({ text: t.text, kind: 'word', valence: koreanValence(t.text) });
    else out.push({ text: t.text, kind: 'word', valence: ENGLISH.get(t.text) ?? 0 });
  }
  return out;
}

/** Whether the word units before `i` (within reach, not across a break) include a negator. */
function negated(u: readonly Unit[], i: number): boolean {
  for (let j = i - 1, words = 0; j >= 0 && words < ENGLISH_NEGATION_REACH; j--) {
    const b = u[j]!;
    if (b.kind === 'break') return false;
    if (b.kind !== 'word') continue;
    words++;
    if (NEGATORS.has(b.text)) return words === 1 || !/\p{Script=Han}/u.test(b.text);
  }
  return false;
}

/** Sentiment of already segmented tokens (see `sentiment`). */
export function sentimentOf(tokens: readonly Token[]): number | null {
  const u = units(tokens);
  if (!u.some((x) => x.kind !== 'break')) return null;
  let sum = 0;
  for (let i = 0; i < u.length; i++) {
    const unit = u[i]!;
    // An intensifier that is also a rated word (好 "good"/"very") counts on its own only when no rated word follows.
    const next = u[i + 1];
    if (INTENSIFIERS.has(unit.text) && next && next.valence !== 0) continue;
    let v = unit.valence;
    if (v === 0) continue;
    if (unit.kind === 'word') {
      if (negated(u, i)) v *= NEGATION_SCALAR;
      if (next && next.kind === 'word' && HANGUL.test(unit.text) && KOREAN_POST_NEGATION.test(next.text)) v *= NEGATION_SCALAR;
      const prev = u[i - 1];
      if (prev && prev.kind === 'word' && INTENSIFIERS.has(prev.text)) v += Math.sign(v) * BOOST;
    }
    sum += v;
  }
  const compound = sum / Math.sqrt(sum * sum + ALPHA);
  return Math.round(((compound + 1) / 2) * 10_000) / 10_000;
}

/**
 * Sentiment of a message in 0..1 (0.5 neutral), or null when it has no words or emoji.
 * Lexicon valences (AFINN's -5..+5) are summed. A negator reverses a rated word
 * (x -0.74): an English one up to three words before it, a Chinese one right before it,
 * a Korean negation right after it (좋지 않아요); never across sentence punctuation and
 * never an emoji. An intensifier right before a word strengthens it (+0.293). The sum is
 * squashed VADER's way, sum / sqrt(sum² + 15), to -1..1 and mapped to 0..1.
 */
export function sentiment(text: string): number | null {
  return sentimentOf(segmentTokens(text));
}

import { describe, expect, it } from 'vitest';
import { hasEmoji } from '../../../warehouse/text/emoji.ts';
import { detectLanguage } from '../../../warehouse/text/language.ts';
import { sentiment } from '../../../warehouse/text/sentiment.ts';

/** VADER's squash of a valence sum to 0..1, rounded as the marts store it. */
const expected = (sum: number) => Math.round(((sum / Math.sqrt(sum * sum + 15) + 1) / 2) * 10_000) / 10_000;

describe('sentiment', () => {
  it.each([
    ['good', 3, 0.8062],
    ['not good', 3 * -0.74, 0.2514],
    ['very disappointed', -2.293, 0.2453],
    ['no problem', -2 * -0.74, 0.6785],
    ['Not now. Good', 3, 0.8062], // a negation does not reach past the sentence
    ['😡', -3, 0.1938],
    ['😂', 2, 0.7294],
    ['🙏', 2, 0.7294],
    ['滿意', 2, 0.7294],
    ['不滿意', 2 * -0.74, 0.3215],
    ['감사합니다', 2, 0.7294],
    ['좋지 않아요', 2 * -0.74, 0.3215], // Korean negation follows the word
    ['唔該晒', 2, 0.7294], // one lexicon word across the segments 唔|該|晒, not a negation
  ])('%s: valence %s -> %s', (text, sum, value) => {
    expect(expected(sum)).toBe(value);
    expect(sentiment(text)).toBe(value);
  });

  it('is 0.5 for words without polarity and null without words or emoji', () => {
    expect(sentiment('When will it arrive?')).toBe(0.5);
    expect(sentiment('')).toBeNull();
    expect(sentiment('...')).toBeNull();
  });

  it('does not negate an emoji', () => {
    expect(sentiment('有冇折扣呀？😊')).toBe(expected(2));
  });

  it('reads complaints in three languages as negative and thanks as positive', () => {
    for (const text of ['點解仲未送到？好失望 😡', '배송이 너무 늦어요 불만입니다 😡', 'Still waiting for a reply, terrible service 😡']) expect(sentiment(text)!).toBeLessThan(0.2);
    for (const text of ['收到，多謝 🙏', '빠른 답변 감사합니다 👍', 'Great service 👍']) expect(sentiment(text)!).toBeGreaterThan(0.8);
  });
});

describe('language and emoji', () => {
  it.each([
    ['배송은 언제 되나요?', 'ko'],
    ['AirPods Pro 幾錢呀？', 'yue'],
    ['请问有折扣吗', 'zh'],
    ['配送はいつですか', 'ja'],
    ['How much is the XM5?', 'en'],
    ['👍', 'und'],
  ])('%s is %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('finds emoji, including ones with a variation selector', () => {
    expect(hasEmoji('Thanks ❤️')).toBe(true);
    expect(hasEmoji('Price 💳')).toBe(true);
    expect(hasEmoji('No emoji #1')).toBe(false);
  });
});

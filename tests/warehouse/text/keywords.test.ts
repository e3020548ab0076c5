import { describe, expect, it } from 'vitest';
import { keywords } from '../../../warehouse/text/keywords.ts';
import { stripKoreanParticle } from '../../../warehouse/text/korean-particles.ts';
import { segmentWords } from '../../../warehouse/text/segment.ts';
import { isStopWord } from '../../../warehouse/text/stop-words.ts';

describe('segmenting words', () => {
  it.each([
    ['有冇折扣呀？', ['有', '冇', '折扣', '呀']],
    ['배송은 언제 되나요?', ['배송은', '언제', '되나요']],
    ['配送はいつですか', ['配送', 'は', 'いつ', 'です', 'か']],
    ['Do you have the XM5? 😊', ['do', 'you', 'have', 'the', 'xm5']],
  ])('splits %s into word-like segments, lower-cased, without punctuation or emoji', (text, words) => {
    expect(segmentWords(text)).toEqual(words);
  });
});

describe('Korean particles', () => {
  it.each([
    ['배송은', '배송'],
    ['배송이', '배송'],
    ['배송을', '배송'],
    ['서울에서', '서울'],
    ['나이', '나이'], // only one syllable would be left: not a particle
    ['delivery', 'delivery'],
  ])('%s -> %s', (word, stem) => {
    expect(stripKoreanParticle(word)).toBe(stem);
  });
});

describe('keywords', () => {
  it('counts 배송은 and 배송이 as the one keyword 배송 and drops predicates and stop words', () => {
    expect(keywords('배송은 언제 되나요? 배송이 얼마나 걸려요? 📦')).toEqual(['배송']);
  });

  it('reads a noun with the copula written onto it as the noun', () => {
    expect(keywords('배송이 너무 늦어요 불만입니다')).toEqual(['배송', '불만']);
  });

  it('keeps Chinese dictionary words and drops lone characters and filler', () => {
    expect(keywords('我想要報價')).toEqual(['報價']);
    expect(keywords('有冇折扣呀？😊 SAVE10')).toEqual(['折扣', 'save10']);
    expect(keywords('請問iPhone 15 Pro Max而家賣幾多錢？')).toEqual(['iphone', 'pro', 'max', '幾多']);
  });

  it('keeps Japanese kanji words and drops hiragana particles and endings', () => {
    expect(keywords('配送はいつですか？割引ありますか')).toEqual(['配送', '割引']);
  });

  it('drops English stop words, numbers and single letters but keeps shop words the list would drop', () => {
    expect(keywords('Do you have a promo code for the XM5? 😊')).toEqual(['promo', 'code', 'xm5']);
    expect(keywords('I want to order 2 x AirPods')).toEqual(['order', 'airpods']);
  });

  it('uses the maintained lists for en, ko and zh plus the chat filler', () => {
    expect(['the', '그리고', '我们', 'hi', '呀', '嗎', '안녕하세요'].every(isStopWord)).toBe(true);
    expect(['order', 'price', '配送', '할인'].some(isStopWord)).toBe(false);
  });
});

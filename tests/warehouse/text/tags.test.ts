import { describe, expect, it } from 'vitest';
import { configFor, PROJECT_ROOT } from '../../../config/config.ts';
import { compileTagRules, readTagRules, tagsOf, validateTagRules } from '../../../warehouse/text/tag-rules.ts';

const rules = compileTagRules(readTagRules(configFor(PROJECT_ROOT)));

describe('tag rules from config/tag_rules.json', () => {
  it.each([
    ['Any discount this week?', ['discount']],
    ['有冇折扣呀？', ['discount']],
    ['할인 코드 있어요?', ['discount']],
    ['Please send a quote for the S24', ['quote']],
    ['我想要{p}嘅報價', ['quote']],
    ['견적 부탁드려요', ['quote']],
    ['I want to file a complaint', ['complaint']],
    ['部機有問題，我要投訴', ['complaint']],
    ['배송이 너무 늦어요 불만입니다', ['complaint', 'delivery']],
    ['Can I pay cash on delivery?', ['delivery', 'payment_cod']],
    ['可唔可以貨到付款？', ['payment_cod']],
    ['收唔收信用卡？', ['payment_card']],
    ['카드 결제 되나요?', ['payment_card']],
    ['Thanks a lot!', []],
  ])('%s -> %j', (text, tags) => {
    expect(tagsOf(text, rules)).toEqual(tags);
  });

  it('matches Latin entries as whole words, with * for any ending', () => {
    const own = compileTagRules({ tags: { discount: ['discount*'], quote: ['quote'] } });
    expect(tagsOf('Any DISCOUNTS?', own)).toEqual(['discount']);
    expect(tagsOf('undiscounted', own)).toEqual([]);
    expect(tagsOf('quoted', own)).toEqual([]);
  });

  it('explains a bad rules file', () => {
    expect(validateTagRules({ tags: { Price: ['x'], quote: [] } })).toEqual([
      'tag "Price" must be lowercase letters, digits and underscores',
      '"tags.quote" must be a non-empty list of words',
    ]);
  });
});

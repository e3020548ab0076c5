import { describe, expect, it } from 'vitest';
import { lookupAlias, parseAmount, parseCrmDate } from '../../../pipelines/crm/crm-values.ts';
import { productKey, SkuCatalog } from '../../../pipelines/crm/sku-catalog.ts';

const iso = (r: ReturnType<typeof parseCrmDate>) => ('value' in r ? r.value?.toISOString() ?? null : `error: ${r.error}`);

describe('CRM dates', () => {
  it.each([
    // text, formats, timezone, expected UTC
    ['11/3/2026 2:05 PM', ['M/D/YYYY h:mm A'], 'Asia/Hong_Kong', '2026-11-03T06:05:00.000Z'],
    ['11/3/2026 12:05 AM', ['M/D/YYYY h:mm A'], 'Asia/Hong_Kong', '2026-11-02T16:05:00.000Z'],
    ['11/3/2026', ['M/D/YYYY h:mm A', 'M/D/YYYY'], 'Asia/Hong_Kong', '2026-11-02T16:00:00.000Z'],
    ['2026-11-03 14:05:09', ['YYYY-MM-DD HH:mm:ss'], 'Asia/Seoul', '2026-11-03T05:05:09.000Z'],
    ['03/11/2026 14:05', ['DD/MM/YYYY HH:mm'], 'Europe/Berlin', '2026-11-03T13:05:00.000Z'],
    ['2026-11-03T14:05:09.250+08:00', [], 'Asia/Seoul', '2026-11-03T06:05:09.250Z'],
    ['2026-11-03T06:05:09.250Z', [], 'Asia/Seoul', '2026-11-03T06:05:09.250Z'],
    ['2026-11-03', [], 'Asia/Hong_Kong', '2026-11-02T16:00:00.000Z'],
    ['1762149909250', [], 'Asia/Hong_Kong', '2025-11-03T06:05:09.250Z'],
    ['', ['M/D/YYYY'], 'Asia/Hong_Kong', null],
  ])('reads %j with %j in %s', (text, formats, tz, expected) => {
    expect(iso(parseCrmDate(text, formats, tz))).toBe(expected);
  });

  it.each([
    ['31/02/2026', ['DD/MM/YYYY']],
    ['13/25/2026', ['M/D/YYYY']],
    ['next Tuesday', ['M/D/YYYY']],
  ])('refuses %j', (text, formats) => {
    expect(iso(parseCrmDate(text, formats, 'Asia/Hong_Kong'))).toMatch(/^error: /);
  });
});

describe('CRM amounts and value lists', () => {
  it.each([
    ['9,399.00', '.', 9399],
    ['HK$ 9,399', '.', 9399],
    ['₩1,900,000', '.', 1900000],
    ['1.900.000', ',', 1900000],
    ['9.399,50', ',', 9399.5],
    ['-12.5', '.', -12.5],
    ['', '.', null],
  ] as const)('reads %j (decimal %s) as %j', (text, decimal, expected) => {
    expect(parseAmount(text, decimal)).toEqual({ value: expected });
  });

  it('refuses text that is no amount', () => {
    expect(parseAmount('TBC')).toEqual({ error: '"TBC" is not an amount' });
  });

  it('maps stage names ignoring case, and says which values it knows', () => {
    const stages = { quoted: ['Quote Sent'], paid: ['Closed Won'] };
    expect(lookupAlias(stages, ' closed won ')).toEqual({ value: 'paid' });
    expect(lookupAlias(stages, 'PAID')).toEqual({ value: 'paid' });
    expect(lookupAlias(stages, 'Negotiating')).toEqual({ error: '"Negotiating" is not a known value (known: quoted, paid)' });
  });
});

describe('SKU catalog', () => {
  const catalog = new SkuCatalog({ skus: { 'APL-IP15PM': ['iPhone 15 Pro Max'], 'SAM-S24U': ['Galaxy S24 Ultra', '갤럭시 S24 울트라'] } });

  it.each([
    ['iPhone15 Pro Max', 'APL-IP15PM'],
    ['iphone 15 pro max', 'APL-IP15PM'],
    ['IPHONE 15 PRO-MAX', 'APL-IP15PM'],
    ['apl-ip15pm', 'APL-IP15PM'],
    ['갤럭시 S24 울트라', 'SAM-S24U'],
    ['Gift Card HK$500', undefined],
  ])('turns %j into %j', (name, sku) => {
    expect(catalog.skuFor(name)).toBe(sku);
  });

  it('ignores case, spaces, punctuation and full-width letters when matching names', () => {
    expect(productKey('ｉPhone 15 Pro-Max!')).toBe('iphone15promax');
  });

  it('ships aliases for every product of the demo catalog', async () => {
    const { PRODUCTS } = await import('../../../pipelines/demo/catalog.ts');
    const shipped = SkuCatalog.load({ configDir: new URL('../../../config', import.meta.url).pathname });
    for (const p of PRODUCTS) for (const n of p.names) expect(shipped.skuFor(n), n).toBe(p.sku);
  });
});

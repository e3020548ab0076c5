import type { Row } from './types.ts';

/**
 * Whether a keyword row is a tag (from config/tag_rules.json) rather than a word: a `kind`
 * or `is_tag` column when the mart has one, else a `tag:` or `#` prefix.
 */
export function isTagRow(r: Row): boolean {
  if (typeof r.kind === 'string') return r.kind === 'tag';
  if (typeof r.is_tag === 'boolean') return r.is_tag;
  const k = String(r.keyword ?? '');
  return k.startsWith('tag:') || k.startsWith('#');
}

/** The keyword value of the discount tag in a week's rows (falls back to `discount`). */
export function discountKeyword(rows: readonly Row[]): string {
  const tag = rows.find((r) => isTagRow(r) && /discount/i.test(String(r.keyword)));
  return tag ? String(tag.keyword) : 'discount';
}

/** Whether a row's week was a promotion week, when the mart says so. */
export function isPromotionWeek(r: Row): boolean {
  return r.is_promotion_week === true || r.promotion === true || (typeof r.promotion_name === 'string' && r.promotion_name !== '');
}

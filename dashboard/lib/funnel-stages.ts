import { t, type TextKey } from './i18n.ts';
import type { Row } from './types.ts';

/** The funnel's stages in order (DESIGN section 6). */
export const STAGE_ORDER = ['first_contact', 'engaged', 'quoted', 'ordered', 'paid'];

/** A stage's position: the mart's `stage_order` when it has one, else the known order. */
export function stageRank(r: Row): number {
  if (typeof r.stage_order === 'number') return r.stage_order;
  const i = STAGE_ORDER.indexOf(String(r.stage).toLowerCase().replace(/[\s-]+/g, '_'));
  return i < 0 ? 99 : i;
}

/** Per stage over all weeks: entered, advanced and advanced / entered, in stage order. */
export function stageTotals(rows: readonly Row[]): { stage: string; entered: number; advanced: number; conversion: number | null }[] {
  const totals = new Map<string, { stage: string; rank: number; entered: number; advanced: number }>();
  for (const r of rows) {
    const stage = String(r.stage);
    const t = totals.get(stage) ?? { stage, rank: stageRank(r), entered: 0, advanced: 0 };
    t.entered += Number(r.entered ?? 0);
    t.advanced += Number(r.advanced ?? 0);
    totals.set(stage, t);
  }
  return [...totals.values()].sort((a, b) => a.rank - b.rank).map((t) => ({ stage: t.stage, entered: t.entered, advanced: t.advanced, conversion: t.entered > 0 ? t.advanced / t.entered : null }));
}

const STAGE_KEYS: Record<string, TextKey> = {
  first_contact: 'stage.first_contact',
  engaged: 'stage.engaged',
  quoted: 'stage.quoted',
  ordered: 'stage.ordered',
  paid: 'stage.paid',
};

/** A stage's name in the UI language (the mart's name when it is not a known stage). */
export function stageLabel(stage: string): string {
  const key = STAGE_KEYS[stage];
  return key ? t(key) : stage;
}

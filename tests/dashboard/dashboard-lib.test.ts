import { describe, expect, it } from 'vitest';
import { colourFor, textOn } from '../../dashboard/lib/color-scale.ts';
import { stageTotals } from '../../dashboard/lib/funnel-stages.ts';
import { t } from '../../dashboard/lib/i18n.ts';
import { headlineValue, REPORT_HEADLINES } from '../../dashboard/lib/report-defs.ts';
import { parseHash, href } from '../../dashboard/lib/router.ts';
import { targetState } from '../../dashboard/components/kpi-card.tsx';

describe('dashboard helpers', () => {
  it('colours the lowest and highest value with the ends of the scale', () => {
    expect(colourFor('blue', 0, 0, 10)).toBe('rgb(239, 246, 255)');
    expect(colourFor('blue', 10, 0, 10)).toBe('rgb(23, 37, 84)');
    expect(colourFor('blue', null, 0, 10)).toBe('rgb(239, 246, 255)');
    // Halfway between the 2nd and 3rd of five stops: ((147+59)/2, (197+130)/2, (253+246)/2).
    expect(colourFor('blue', 3.75, 0, 10)).toBe('rgb(103, 164, 250)');
    expect(textOn('rgb(239, 246, 255)')).toBe('#111827');
    expect(textOn('rgb(23, 37, 84)')).toBe('#ffffff');
  });

  it('totals funnel stages over weeks in stage order', () => {
    const rows = [
      { week: '2026-W46', stage: 'ordered', entered: 10, advanced: 5 },
      { week: '2026-W46', stage: 'first_contact', entered: 100, advanced: 40 },
      { week: '2026-W47', stage: 'first_contact', entered: 50, advanced: 10 },
      { week: '2026-W47', stage: 'engaged', entered: 50, advanced: 0 },
    ];
    expect(stageTotals(rows)).toEqual([
      { stage: 'first_contact', entered: 150, advanced: 50, conversion: 50 / 150 },
      { stage: 'engaged', entered: 50, advanced: 0, conversion: 0 },
      { stage: 'ordered', entered: 10, advanced: 5, conversion: 0.5 },
    ]);
  });

  it('judges a figure against its target in the right direction', () => {
    expect(targetState(155, 180, false)).toBe('met');
    expect(targetState(181, 180, false)).toBe('missed');
    expect(targetState(0.85, 0.85, true)).toBe('met');
    expect(targetState(0.84, 0.85, true)).toBe('missed');
    expect(targetState(null, 0.85, true)).toBe('none');
    expect(targetState(3, undefined, true)).toBe('none');
  });

  it('reads a headline from the first of its candidate columns present', () => {
    const cpa = REPORT_HEADLINES['cost-efficiency'].find((h) => h.id === 'cpa')!;
    expect(headlineValue(cpa, { cost_per_acquisition: 1.5 })).toBe(1.5);
    expect(headlineValue(cpa, { cost_per_acquisition_usd: 0.9 })).toBe(0.9);
    expect(headlineValue(cpa, { cost_per_acquisition_usd: 0.9, cost_per_acquisition: 1.5 })).toBe(1.5);
    expect(headlineValue(cpa, { messages_sent: 3 })).toBeNull();
  });

  it('fills text placeholders and keeps unknown ones', () => {
    expect(t('sql.truncated', { n: '1,000' }, 'en')).toBe('Truncated at 1,000 rows: raise the limit or download CSV for more.');
    expect(t('sql.result', { n: 3 }, 'ko')).toBe('3행, {ms} ms');
  });

  it('reads and writes hash routes with their query', () => {
    const r = parseHash('#/reports/sales-funnel?week=2026-W47');
    expect(r.path).toBe('/reports/sales-funnel');
    expect(r.segments).toEqual(['reports', 'sales-funnel']);
    expect(r.query.get('week')).toBe('2026-W47');
    expect(parseHash('').path).toBe('/');
    expect(href('/churn', { risk: 'high', customer: undefined })).toBe('#/churn?risk=high');
  });
});

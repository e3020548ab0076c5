import { BarChart, Card } from '@tremor/react';
import { DataState } from '../components/data-state.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { KeywordBars } from '../components/keyword-bars.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { TrendChart } from '../components/trend-chart.tsx';
import { WeekPicker } from '../components/week-picker.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useBusinessTimezone } from '../hooks/use-health.ts';
import { qs } from '../lib/api.ts';
import { formatPercent, localeOf } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { addWeeks, lastCompleteWeek, weekSpan, weeksEnding } from '../lib/iso-week.ts';
import { discountKeyword, isPromotionWeek, isTagRow } from '../lib/keyword-kinds.ts';
import { navigate, type Route } from '../lib/router.ts';
import type { MartAnswer } from '../lib/types.ts';

const DISCOUNT_BAR = 0.08;

/** Discount-tag share per week over 12 weeks; promotion weeks under 8% are flagged. */
function DiscountShare({ keyword, week }: { keyword: string; week: string }) {
  const trend = useApi<MartAnswer>(`/api/metrics/keywords/trend${qs({ keyword, from_week: addWeeks(week, -11), to_week: week })}`);
  return (
    <DataState state={trend} height={240} isEmpty={(d) => d.rows.length === 0}>
      {(d) => {
        const label = t('keywords.share');
        const promo = t('keywords.promotion');
        const data = d.rows.map((r) => ({ week: String(r.week), [label]: Number(r.share ?? 0), [promo]: isPromotionWeek(r) ? Number(r.share ?? 0) : 0 }));
        const flagged = d.rows.filter((r) => isPromotionWeek(r) && Number(r.share ?? 0) < DISCOUNT_BAR).map((r) => String(r.week));
        return (
          <>
            <BarChart className="h-56" data={data} index="week" categories={d.rows.some(isPromotionWeek) ? [label, promo] : [label]} colors={['blue', 'amber']} valueFormatter={(v: number) => formatPercent(v)} yAxisWidth={56} showAnimation={false} />
            {flagged.length > 0 && (
              <p role="alert" className="mt-2 text-sm text-rose-700">
                {t('keywords.flag')}: {flagged.join(', ')}
              </p>
            )}
          </>
        );
      }}
    </DataState>
  );
}

/** Keywords: a week's top keywords and tags, a chosen keyword's trend, discount mentions in promotion weeks. */
export default function KeywordsPage({ route }: { route: Route }) {
  const tz = useBusinessTimezone();
  const last = lastCompleteWeek(tz);
  const week = route.query.get('week') ?? last;
  const chosen = route.query.get('keyword') ?? undefined;
  const top = useApi<MartAnswer>(`/api/metrics/keywords${qs({ week, limit: 150 })}`);
  const words = top.data?.rows.filter((r) => !isTagRow(r)) ?? [];
  const tags = top.data?.rows.filter(isTagRow) ?? [];
  const keyword = chosen ?? (words[0] ? String(words[0].keyword) : undefined);
  const trend = useApi<MartAnswer>(keyword ? `/api/metrics/keywords/trend${qs({ keyword, from_week: addWeeks(week, -11), to_week: week })}` : null);
  const pick = (k: string) => navigate('/keywords', { week, keyword: k }, true);

  return (
    <div>
      <PageHeader title={t('keywords.title')} subtitle={`${t('keywords.subtitle')} · ${t('common.weekOf', { week, span: weekSpan(week, localeOf()) })}`}>
        <WeekPicker week={week} weeks={weeksEnding(last, 26)} onChange={(w) => navigate('/keywords', { week: w, keyword: chosen })} />
      </PageHeader>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <h2 className="mb-3 text-base font-semibold text-gray-900">{t('keywords.top')}</h2>
          <DataState state={top} height={420} isEmpty={(d) => d.rows.length === 0}>
            {() => <KeywordBars testId="keyword-list" rows={words.slice(0, 25)} selected={keyword} onSelect={pick} />}
          </DataState>
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold text-gray-900">{t('keywords.tags')}</h2>
          <DataState state={top} height={420}>
            {() => (tags.length ? <KeywordBars rows={tags} selected={keyword} onSelect={pick} color="bg-amber-100" /> : <EmptyBlock height={420} />)}
          </DataState>
        </Card>
      </div>
      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          {keyword ? (
            <DataState state={trend} height={260} isEmpty={(d) => d.rows.length === 0}>
              {(d) => <TrendChart rows={d.rows} column="share" label={t('keywords.trend', { keyword })} format={(v) => formatPercent(v)} />}
            </DataState>
          ) : (
            <EmptyBlock height={260} message={t('keywords.choose')} />
          )}
        </Card>
        <Card>
          <h2 className="text-base font-semibold text-gray-900">{t('keywords.discount')}</h2>
          <p className="mb-3 text-xs text-gray-500">{t('keywords.discountHint')}</p>
          {top.data ? <DiscountShare keyword={discountKeyword(top.data.rows)} week={week} /> : <DataState state={top} height={240}>{() => null}</DataState>}
        </Card>
      </div>
    </div>
  );
}

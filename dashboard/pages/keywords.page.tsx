import { BarChart, Card } from '@tremor/react';
import { DataState } from '../components/data-state.tsx';
import { EmptyBlock } from '../components/empty-block.tsx';
import { KeywordBars } from '../components/keyword-bars.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { TrendChart } from '../components/trend-chart.tsx';
import { WeekPicker } from '../components/week-picker.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useBusinessTimezone } from '../hooks/use-health.ts';
import { useReportWeeks } from '../hooks/use-report-weeks.ts';
import { qs } from '../lib/api.ts';
import { formatPercent, isNum, localeOf } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { addWeeks, lastCompleteWeek, weekSpan, weeksEnding } from '../lib/iso-week.ts';
import { navigate, type Route } from '../lib/router.ts';
import type { MartAnswer, Row } from '../lib/types.ts';

/** Discount interest per week from the sales-funnel report; promotion weeks under their minimum are flagged. */
function DiscountShare({ week }: { week: string }) {
  const report = useReportWeeks('sales-funnel', week, 12);
  return (
    <DataState state={report} height={240} isEmpty={(d) => d.rows.length === 0}>
      {(d) => {
        const share = t('keywords.discount');
        const promo = t('keywords.promotion');
        const value = (r: Row) => (isNum(r.discount_conversation_share) ? r.discount_conversation_share : 0);
        const data = d.rows.map((r) => ({ week: String(r.week), [share]: r.is_promotion_week === true ? 0 : value(r), [promo]: r.is_promotion_week === true ? value(r) : 0 }));
        const flagged = d.rows.filter((r) => r.is_promotion_flagged === true);
        const min = d.rows.find((r) => isNum(r.min_discount_share))?.min_discount_share;
        return (
          <div data-testid="discount-share">
            <BarChart className="h-56" data={data} index="week" categories={[share, promo]} colors={['blue', 'amber']} stack valueFormatter={(v: number) => formatPercent(v)} yAxisWidth={56} showAnimation={false} />
            {isNum(min) && <p className="mt-2 text-xs text-gray-500">{t('keywords.minShare', { share: formatPercent(min) })}</p>}
            {flagged.length > 0 && (
              <p role="alert" className="mt-1 text-sm text-rose-700">
                {t('keywords.flag')}: {flagged.map((r) => `${String(r.week)}${Array.isArray(r.promotion_names) && r.promotion_names.length ? ` (${r.promotion_names.join(', ')})` : ''}`).join('; ')}
              </p>
            )}
          </div>
        );
      }}
    </DataState>
  );
}

/** Keywords: a week's top keywords and tags, a chosen keyword's or tag's trend, discount mentions in promotion weeks. */
export default function KeywordsPage({ route }: { route: Route }) {
  const tz = useBusinessTimezone();
  const last = lastCompleteWeek(tz);
  const week = route.query.get('week') ?? last;
  const chosenTag = route.query.get('tag') ?? undefined;
  const chosenKeyword = route.query.get('keyword') ?? undefined;
  const from = addWeeks(week, -11);
  const top = useApi<MartAnswer>(`/api/metrics/keywords${qs({ week, limit: 25 })}`);
  const tags = useApi<MartAnswer>(`/api/metrics/tags${qs({ from_week: week, to_week: week })}`);
  const keyword = chosenTag ? undefined : chosenKeyword ?? (top.data?.rows[0] ? String(top.data.rows[0].keyword) : undefined);
  const trendUrl = chosenTag
    ? `/api/metrics/tags${qs({ tag: chosenTag, from_week: from, to_week: week })}`
    : keyword
      ? `/api/metrics/keywords/trend${qs({ keyword, from_week: from, to_week: week })}`
      : null;
  const trend = useApi<MartAnswer>(trendUrl);
  const shown = chosenTag ?? keyword;

  return (
    <div>
      <PageHeader title={t('keywords.title')} subtitle={`${t('keywords.subtitle')} · ${t('common.weekOf', { week, span: weekSpan(week, localeOf()) })}`}>
        <WeekPicker week={week} weeks={weeksEnding(last, 26)} onChange={(w) => navigate('/keywords', { week: w, keyword: chosenKeyword, tag: chosenTag })} />
      </PageHeader>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <h2 className="mb-3 text-base font-semibold text-gray-900">{t('keywords.top')}</h2>
          <DataState state={top} height={420} isEmpty={(d) => d.rows.length === 0}>
            {(d) => <KeywordBars testId="keyword-list" rows={d.rows} selected={chosenTag ? undefined : keyword} onSelect={(k) => navigate('/keywords', { week, keyword: k }, true)} />}
          </DataState>
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold text-gray-900">{t('keywords.tags')}</h2>
          <DataState state={tags} height={420} isEmpty={(d) => d.rows.every((r) => !r.messages)} emptyMessage={t('keywords.noTags')}>
            {(d) => <KeywordBars testId="tag-list" field="tag" rows={d.rows} selected={chosenTag} onSelect={(tag) => navigate('/keywords', { week, tag }, true)} color="bg-amber-100" />}
          </DataState>
        </Card>
      </div>
      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          {shown ? (
            <DataState state={trend} height={260} isEmpty={(d) => d.rows.length === 0}>
              {(d) => <TrendChart rows={d.rows} column="share" label={t('keywords.trend', { keyword: shown })} color={chosenTag ? 'amber' : 'blue'} format={(v) => formatPercent(v)} />}
            </DataState>
          ) : (
            <EmptyBlock height={260} message={t('keywords.choose')} />
          )}
        </Card>
        <Card>
          <h2 className="text-base font-semibold text-gray-900">{t('keywords.discount')}</h2>
          <p className="mb-3 text-xs text-gray-500">{t('keywords.discountHint')}</p>
          <DiscountShare week={week} />
        </Card>
      </div>
    </div>
  );
}

import { BOOLEAN, DOUBLE, LIST, STRUCT, VARCHAR, listValue, structValue, type DuckDBListValue } from '@duckdb/node-api';
import type { SqlFunction } from '../sql-functions.ts';
import { TextFactsMemo } from '../text/text-facts.ts';
import { weeklyTrend } from './trend.ts';

const textMemo = new TextFactsMemo();
const trendMemo = new Map<string, number | null>();

/** The struct `parley_text` returns. */
export const TEXT_FACTS_TYPE = STRUCT({ language: VARCHAR, sentiment: DOUBLE, has_emoji: BOOLEAN, tags: LIST(VARCHAR), keywords: LIST(VARCHAR) });

/** SQL functions of the customer models (issue 6); pure, memoised by their input. */
export const CUSTOMER_SQL_FUNCTIONS: readonly SqlFunction[] = [
  {
    // parley_text(text, tag_rules_json): {language, sentiment, has_emoji, tags, keywords} of a message's text.
    name: 'parley_text',
    parameterTypes: [VARCHAR, VARCHAR],
    returnType: TEXT_FACTS_TYPE,
    fn: (text, rules) => {
      const f = textMemo.get(String(text), String(rules));
      return structValue({ language: f.language, sentiment: f.sentiment, has_emoji: f.has_emoji, tags: listValue(f.tags), keywords: listValue(f.keywords) });
    },
  },
  {
    // parley_trend(weekly_counts): least-squares slope of counts listed oldest first (simple-statistics);
    // for analysts' SQL and as the reference of agg_churn_weekly's closed form.
    name: 'parley_trend',
    parameterTypes: [LIST(DOUBLE)],
    returnType: DOUBLE,
    fn: (counts) => {
      const items = (counts as DuckDBListValue).items.map((v) => Number(v ?? 0));
      const key = items.join(',');
      let slope = trendMemo.get(key);
      if (slope === undefined) {
        if (trendMemo.size > 100_000) trendMemo.clear();
        slope = weeklyTrend(items);
        trendMemo.set(key, slope);
      }
      return slope;
    },
  },
];

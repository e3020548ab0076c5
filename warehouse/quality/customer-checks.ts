import { acceptedValues, expectation, relationship } from './sql-checks.ts';
import type { QualityCheck } from './check.ts';

/** Relationship and value checks of the customer marts (issue 6). */
export const CUSTOMER_CHECKS: readonly QualityCheck[] = [
  relationship('staging.int_message_text', 'message_id', 'staging.stg_messages', 'message_id'),
  expectation('int_message_text.sentiment_in_range', 'staging.int_message_text', 'sentiment is null or sentiment between 0 and 1', 'text sentiment is between 0 and 1 when set'),
  acceptedValues('marts.fct_messages', 'language', ['en', 'ko', 'ja', 'zh', 'yue', 'und'], 'error', true),
  expectation('fct_funnel.stages_in_order', 'marts.fct_funnel', '(not is_paid or is_ordered) and (not is_ordered or is_quoted) and (not is_quoted or is_engaged)', 'a customer who reached a stage reached every earlier one'),
  expectation('fct_funnel.days_to_order_not_negative', 'marts.fct_funnel', 'days_to_order is null or days_to_order >= 0', 'no order comes before the first contact'),
  expectation('agg_funnel_weekly.rates_are_shares', 'marts.agg_funnel_weekly', 'conversion_rate is null or conversion_rate between 0 and 1', 'stage conversion rates are between 0 and 1'),
  acceptedValues('marts.churn_scores', 'risk', ['high', 'medium', 'low']),
  expectation('churn_scores.score_in_range', 'marts.churn_scores', 'score between 0 and 1', 'churn scores are between 0 and 1'),
  expectation('churn_scores.rule_is_high', 'marts.churn_scores', `not meets_churn_rule or risk = 'high'`, 'every customer meeting the churn rule is at high risk'),
  expectation('fct_outbound_messages.charged_are_priced', 'marts.fct_outbound_messages', 'not is_unpriced', 'every delivered billable message has a price in config/rate_card.json', 'warn'),
  expectation('fct_outbound_messages.cost_not_negative', 'marts.fct_outbound_messages', 'cost_usd is null or cost_usd >= 0', 'message costs are not negative'),
];

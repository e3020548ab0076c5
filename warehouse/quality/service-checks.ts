import { acceptedValues, expectation, notNull, relationship } from './sql-checks.ts';
import type { QualityCheck } from './check.ts';

/** Relationship and accepted-value checks of the service marts (issue 5). */
export const SERVICE_CHECKS: readonly QualityCheck[] = [
  relationship('marts.fct_messages', 'conversation_id', 'staging.stg_conversations', 'conversation_id'),
  notNull('marts.fct_messages', 'customer_id'),
  relationship('marts.fct_messages', 'customer_id', 'staging.int_customer_phones', 'customer_id'),
  relationship('marts.fct_messages', 'agent_id', 'marts.dim_agents', 'agent_id'),
  acceptedValues('marts.fct_messages', 'direction', ['inbound', 'outbound']),
  acceptedValues('marts.fct_messages', 'sender_kind', ['customer', 'agent', 'bot', 'template']),
  expectation('fct_messages.direction_matches_sender', 'marts.fct_messages', `(direction = 'inbound') = (sender_kind = 'customer')`, 'inbound messages come from customers and outbound ones from agents, bots or templates'),
  expectation('fct_messages.agent_messages_have_agent', 'marts.fct_messages', `sender_kind <> 'agent' or agent_id is not null`, 'every agent message names its agent'),
  expectation('fct_messages.local_time_in_range', 'marts.fct_messages', 'local_weekday between 1 and 7 and local_hour between 0 and 23', 'local_weekday is 1..7 and local_hour is 0..23'),
  expectation('fct_messages.sentiment_in_range', 'marts.fct_messages', 'sentiment is null or sentiment between 0 and 1', 'sentiment is between 0 and 1 when set'),
  relationship('marts.fct_responses', 'inbound_message_id', 'marts.fct_messages', 'message_id'),
  relationship('marts.fct_responses', 'reply_message_id', 'marts.fct_messages', 'message_id'),
  relationship('marts.fct_responses', 'agent_id', 'marts.dim_agents', 'agent_id'),
  expectation('fct_responses.response_not_negative', 'marts.fct_responses', 'response_seconds is null or response_seconds >= 0', 'a reply never comes before its burst'),
  expectation('fct_responses.business_within_wall_clock', 'marts.fct_responses', 'business_response_seconds is null or business_response_seconds between 0 and response_seconds + 0.001', 'business-hours time is between 0 and the wall-clock time'),
  expectation('fct_responses.unanswered_have_no_time', 'marts.fct_responses', '(replied_at is null) = (response_seconds is null)', 'unanswered bursts have no response time (never zero)'),
  acceptedValues('staging.stg_conversation_events', 'event_type', ['assigned', 'resolved', 'reopened', 'csat']),
  expectation('rpt_service_efficiency_weekly.rates_are_shares', 'marts.rpt_service_efficiency_weekly', '(resolution_rate is null or resolution_rate between 0 and 1) and (share_within_target is null or share_within_target between 0 and 1)', 'resolution_rate and share_within_target are between 0 and 1'),
  expectation('dim_agents.named', 'marts.dim_agents', 'name <> agent_id', 'every agent has a name from agent.upserted (agents seen only by id show their id)', 'warn'),
];

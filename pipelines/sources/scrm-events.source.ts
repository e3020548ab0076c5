import { PhoneNormaliser } from '../phones.ts';
import type { Source } from '../source.ts';
import { ndjsonBatches, parseJsonObject, type LineOutcome } from './ndjson-batches.ts';

/** Fields each SCRM event type must carry (DESIGN section 4). */
export const SCRM_EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'agent.upserted': ['agent_id', 'name'],
  'message.sent': ['wamid', 'phone_number_id', 'to', 'kind'],
  'conversation.assigned': ['conversation_id', 'customer', 'agent_id'],
  'conversation.resolved': ['conversation_id', 'customer'],
  'conversation.reopened': ['conversation_id', 'customer'],
  'link.clicked': ['wamid', 'url'],
  'csat.answered': ['conversation_id', 'score'],
};

/** ISO 8601 with an offset or Z, as the SCRM log must carry. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses one SCRM event line into a raw row, or the reason it cannot load. */
export function scrmEventLine(text: string, file: string, lineNo: number, phones: PhoneNormaliser): LineOutcome {
  const parsed = parseJsonObject(text);
  if ('reason' in parsed) return parsed;
  const e = parsed.value;
  const type = e.type;
  if (typeof type !== 'string' || !(type in SCRM_EVENT_FIELDS)) return { reason: `unknown event type ${JSON.stringify(type)}` };
  if (typeof e.at !== 'string' || !ISO_WITH_OFFSET.test(e.at) || Number.isNaN(Date.parse(e.at))) {
    return { reason: `"at" ${JSON.stringify(e.at)} is not an ISO 8601 time with an offset or Z` };
  }
  for (const field of SCRM_EVENT_FIELDS[type]!) {
    if (e[field] === undefined || e[field] === null || e[field] === '') return { reason: `${type} without "${field}"` };
  }
  if (type === 'message.sent') {
    if (!['agent', 'bot', 'template'].includes(String(e.kind))) return { reason: `message.sent kind ${JSON.stringify(e.kind)} must be agent, bot or template` };
    if (e.kind === 'agent' && (e.agent_id === null || e.agent_id === undefined || e.agent_id === '')) return { reason: 'message.sent by an agent without "agent_id"' };
  }
  if (type === 'csat.answered' && !(Number.isInteger(e.score) && (e.score as number) >= 1 && (e.score as number) <= 5)) {
    return { reason: `csat.answered score ${JSON.stringify(e.score)} must be a whole number from 1 to 5` };
  }
  const phone = (e.to ?? e.customer) as string | number | undefined;
  let customerE164: string | null = null;
  if (phone !== undefined) {
    // Digits only, no leading 0 and longer than a local number: a WhatsApp id with its country code.
    const digits = String(phone);
    customerE164 = phones.e164(digits, /^[1-9]\d{8,}$/.test(digits)) ?? null;
    if (customerE164 === null) return { reason: `${type} phone ${JSON.stringify(phone)} is not a valid phone number` };
  }
  return { rows: { 'raw.scrm_events': [file, lineNo, type, new Date(Date.parse(e.at)).toISOString(), customerE164, text] } };
}

/** The SCRM's own event log, one JSON object per line, from `landing/scrm/`. */
export const scrmEventsSource: Source = {
  name: 'scrm-events',
  description: 'SCRM event log (NDJSON: message.sent, conversation.*, link.clicked, csat.answered, agent.upserted) from landing/scrm/',
  freshness: { table: 'raw.scrm_events', column: 'event_at' },
  read(ctx) {
    const phones = new PhoneNormaliser(ctx.config.region);
    return ndjsonBatches(ctx, 'scrm', (line, file) => scrmEventLine(line.text, file, line.no, phones));
  },
};

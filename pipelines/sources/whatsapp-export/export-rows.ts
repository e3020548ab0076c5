import { createHash } from 'node:crypto';
import type { PhoneNormaliser } from '../../phones.ts';
import type { RawValue } from '../../source.ts';
import type { ExportMessage } from './assemble-export.ts';
import { normaliseName } from './business-names.ts';
import { chatIdentity } from './chat-identity.ts';
import type { DateOrder } from './date-order.ts';
import { contentKeyOf, MessageIdMaker } from './message-ids.ts';
import type { ZonedClock } from './zoned-clock.ts';

/** The columns of `raw.whatsapp_export_messages` after load_id, in the order rows carry them. */
export const EXPORT_COLUMNS = [
  'source_file', 'line_no', 'line_count', 'chat_id', 'chat_title', 'message_id', 'sent_local', 'tz', 'sent_at', 'author', 'is_business', 'agent_id',
  'customer_e164', 'customer_name', 'kind', 'message_type', 'text', 'caption', 'media_file', 'is_edited', 'date_order', 'file_sha256',
] as const;

/** What turns an export's messages into rows of `raw.whatsapp_export_messages`. */
export interface RowContext {
  readonly file: string;
  readonly fileSha256: string;
  /** Normalised business names (see normaliseName). */
  readonly business: ReadonlySet<string>;
  readonly clock: ZonedClock;
  readonly phones: PhoneNormaliser;
  readonly dateOrder: DateOrder;
}

/** The customer a non-business author is: E.164 when the export shows a phone number, else a pseudo id `export:<16 hex>` of the name. */
export function customerKey(author: string, phones: PhoneNormaliser): string {
  const c0 = author.charCodeAt(0);
  if (c0 === 43 || (c0 >= 48 && c0 <= 57)) {
    const e164 = phones.e164(author);
    if (e164) return e164;
  }
  return `export:${createHash('sha1').update(`customer\u0000${normaliseName(author)}`).digest('hex').slice(0, 16)}`;
}

/** The agent id of a business name: `export:agent-<12 hex>` of the normalised name. */
export function agentIdOf(name: string): string {
  return `export:agent-${createHash('sha1').update(`agent\u0000${normaliseName(name)}`).digest('hex').slice(0, 12)}`;
}

/**
 * Makes the raw rows of one export (column order of `raw.whatsapp_export_messages` after
 * load_id), or the reason the file cannot be loaded. Every business message belongs to a
 * customer thread: in a chat with one customer, that customer (or the chat title when the
 * customer never wrote); in a group, the customer who wrote last before it (or, before any
 * customer wrote, the first one who does).
 */
export function exportRows(messages: readonly ExportMessage[], ctx: RowContext): { rows: RawValue[][]; chatId: string } | { reason: string } {
  // A chat has a handful of authors: normalise each once.
  const names = new Map<string, { key: string; business: boolean; agentId: string | null }>();
  const author = (name: string) => {
    let a = names.get(name);
    if (!a) {
      const key = normaliseName(name);
      const business = ctx.business.has(key);
      names.set(name, (a = { key, business, agentId: business ? agentIdOf(name) : null }));
    }
    return a;
  };
  const isBusiness = messages.map((m) => author(m.author).business);
  const customers: string[] = [];
  const seenCustomers = new Set<string>();
  for (const [i, m] of messages.entries()) {
    const key = author(m.author).key;
    if (!isBusiness[i] && !seenCustomers.has(key)) {
      seenCustomers.add(key);
      customers.push(m.author);
    }
  }
  if (customers.length >= 2 && !isBusiness.includes(true)) {
    const shown = customers.slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
    return { reason: `none of the authors (${shown}${customers.length > 5 ? ', …' : ''}) is a business name: pass --business with the name this export shows for your side, or add it to config/business.json` };
  }
  const chat = chatIdentity(ctx.file, customers);
  const ids = new MessageIdMaker(chat.chatId);
  const rows: RawValue[][] = new Array(messages.length);
  let current: string | undefined = customers[0] ?? chat.title;
  let customerE164 = customerKey(current, ctx.phones);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const who = author(m.author);
    const business = who.business;
    if (!business && m.author !== current) {
      current = m.author;
      customerE164 = customerKey(current, ctx.phones);
    }
    const c = m.content;
    const utcMs = ctx.clock.toUtcMs(m.localMs);
    rows[i] = [
      ctx.file,
      m.lineNo,
      m.lineCount,
      chat.chatId,
      chat.title,
      ids.next(m.writtenMinute, who.key, contentKeyOf(c.kind, c.text)),
      new Date(m.localMs).toISOString().slice(0, 19).replace('T', ' '),
      ctx.clock.tz,
      new Date(utcMs).toISOString(),
      m.author,
      business,
      who.agentId,
      customerE164,
      current,
      c.kind === 'media' ? 'media' : 'message',
      c.kind === 'media' ? c.mediaType : c.kind,
      c.text,
      c.kind === 'media' ? c.caption : null,
      c.kind === 'media' ? c.file : null,
      c.edited,
      ctx.dateOrder,
      ctx.fileSha256,
    ];
  }
  return { rows, chatId: chat.chatId };
}

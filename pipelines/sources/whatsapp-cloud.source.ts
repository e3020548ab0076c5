import { PhoneNormaliser } from '../phones.ts';
import { cursorAt, fileCursorKey, listInputFiles, openForReading, parseFileCursor, resumePoint } from '../landing-files.ts';
import type { Batch, Source } from '../source.ts';
import { checkWebhookFiles, landCheckedWebhookFiles, type WebhookFilesLoad } from './webhook-file-sql.ts';
import { ndjsonBatches, parseJsonObject, type LineOutcome } from './ndjson-batches.ts';

/** Message types Meta's Cloud API sends in `messages[].type`. */
export const WHATSAPP_MESSAGE_TYPES = new Set([
  'text', 'image', 'document', 'audio', 'video', 'sticker', 'location', 'contacts', 'interactive', 'button', 'reaction', 'order', 'system', 'unsupported', 'unknown',
]);
/** Statuses Meta sends in `statuses[].status`. */
export const WHATSAPP_STATUSES = new Set(['sent', 'delivered', 'read', 'failed', 'deleted']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isTimestamp = (v: unknown) => (typeof v === 'string' || typeof v === 'number') && /^\d{9,11}$/.test(String(v));

/**
 * Checks one Meta webhook payload (`entry[].changes[].value` with messages, contacts and
 * statuses). Returns undefined when it can load, or the reason it cannot. The payload is
 * kept whole in raw; staging parses it.
 */
export function checkWebhookPayload(payload: Obj, phones: PhoneNormaliser): { reason?: string; messages: number; statuses: number } {
  let messages = 0;
  let statuses = 0;
  const entries = payload.entry;
  if (!Array.isArray(entries) || entries.length === 0) return { reason: 'missing entry[]: not a WhatsApp webhook payload', messages, statuses };
  for (const [e, entry] of entries.entries()) {
    if (!isObj(entry) || !Array.isArray(entry.changes)) return { reason: `entry[${e}] has no changes[]`, messages, statuses };
    for (const [c, change] of entry.changes.entries()) {
      const value = isObj(change) ? change.value : undefined;
      if (!isObj(value)) return { reason: `entry[${e}].changes[${c}] has no value object`, messages, statuses };
      const where = `entry[${e}].changes[${c}].value`;
      const hasTraffic = value.messages !== undefined || value.statuses !== undefined;
      if (hasTraffic && !(isObj(value.metadata) && typeof value.metadata.phone_number_id === 'string' && value.metadata.phone_number_id !== '')) {
        return { reason: `${where}.metadata.phone_number_id is missing`, messages, statuses };
      }
      if (value.contacts !== undefined) {
        if (!Array.isArray(value.contacts)) return { reason: `${where}.contacts is not an array`, messages, statuses };
        for (const [i, ct] of value.contacts.entries()) {
          if (!isObj(ct) || !phones.e164(String(ct.wa_id ?? ''), true)) return { reason: `${where}.contacts[${i}].wa_id ${JSON.stringify(isObj(ct) ? ct.wa_id : ct)} is not a valid phone number`, messages, statuses };
        }
      }
      if (value.messages !== undefined) {
        if (!Array.isArray(value.messages)) return { reason: `${where}.messages is not an array`, messages, statuses };
        for (const [i, m] of value.messages.entries()) {
          const at = `${where}.messages[${i}]`;
          if (!isObj(m)) return { reason: `${at} is not an object`, messages, statuses };
          if (typeof m.id !== 'string' || m.id === '') return { reason: `${at}.id (wamid) is missing`, messages, statuses };
          if (!phones.e164(String(m.from ?? ''), true)) return { reason: `${at}.from ${JSON.stringify(m.from)} is not a valid phone number`, messages, statuses };
          if (!isTimestamp(m.timestamp)) return { reason: `${at}.timestamp ${JSON.stringify(m.timestamp)} is not a Unix time in seconds`, messages, statuses };
          if (typeof m.type !== 'string' || !WHATSAPP_MESSAGE_TYPES.has(m.type)) return { reason: `${at}.type ${JSON.stringify(m.type)} is not a known message type`, messages, statuses };
          messages++;
        }
      }
      if (value.statuses !== undefined) {
        if (!Array.isArray(value.statuses)) return { reason: `${where}.statuses is not an array`, messages, statuses };
        for (const [i, s] of value.statuses.entries()) {
          const at = `${where}.statuses[${i}]`;
          if (!isObj(s)) return { reason: `${at} is not an object`, messages, statuses };
          if (typeof s.id !== 'string' || s.id === '') return { reason: `${at}.id (wamid) is missing`, messages, statuses };
          if (typeof s.status !== 'string' || !WHATSAPP_STATUSES.has(s.status)) return { reason: `${at}.status ${JSON.stringify(s.status)} is not a known status`, messages, statuses };
          if (!isTimestamp(s.timestamp)) return { reason: `${at}.timestamp ${JSON.stringify(s.timestamp)} is not a Unix time in seconds`, messages, statuses };
          if (!phones.e164(String(s.recipient_id ?? ''), true)) return { reason: `${at}.recipient_id ${JSON.stringify(s.recipient_id)} is not a valid phone number`, messages, statuses };
          statuses++;
        }
      }
    }
  }
  return { messages, statuses };
}

/** Why a webhook body (one payload as text) cannot be loaded, or undefined when it can (the webhook receiver's check). */
export function webhookPayloadProblem(text: string, phones: PhoneNormaliser): string | undefined {
  const parsed = parseJsonObject(text);
  return 'reason' in parsed ? parsed.reason : checkWebhookPayload(parsed.value, phones).reason;
}

/** Parses one NDJSON line of webhook payloads into a raw row (source_file, line_no, received_at, payload). */
export function whatsappPayloadLine(text: string, file: string, lineNo: number | null, receivedAt: Date, phones: PhoneNormaliser): LineOutcome {
  const parsed = parseJsonObject(text);
  if ('reason' in parsed) return parsed;
  const check = checkWebhookPayload(parsed.value, phones);
  if (check.reason) return { reason: check.reason };
  return {
    rows: { 'raw.whatsapp_payloads': [file, lineNo, receivedAt, text] },
    counters: { messages: check.messages, statuses: check.statuses },
  };
}

/**
 * Files are loaded in batches of at least this many new bytes (one transaction each). Big
 * enough that a batch holds more rows than a DuckDB row group (122,880): a smaller commit
 * goes through the WAL and is written again at the next checkpoint (about 2x the write CPU;
 * 48 MB batches at scale MID were ~100k lines each).
 */
export const WHATSAPP_BATCH_BYTES = 128 * 1024 * 1024;
/** Above this a file is read line by line in JS: DuckDB's read_text holds a whole file in one value. */
const SQL_FILE_LIMIT = 1024 * 1024 * 1024;

/**
 * Meta Cloud API webhook payloads, one JSON object per line, from `landing/whatsapp/`.
 * Files are read and checked by DuckDB itself (read_text + from_json, see webhook-file-sql.ts)
 * before each batch's transaction and landed inside it (the ingest benchmark compares this
 * with DuckDB's bare read_json); very large files go line by line.
 */
export const whatsappCloudSource: Source = {
  name: 'whatsapp-cloud',
  description: 'Meta WhatsApp Cloud API webhook payloads (NDJSON) from landing/whatsapp/',
  freshness: { table: 'staging.stg_whatsapp_messages', column: 'sent_at' },
  async *read(ctx) {
    const phones = new PhoneNormaliser(ctx.config.region);
    const receivedAt = ctx.now();
    const files = listInputFiles(ctx, 'whatsapp', ['.ndjson', '.jsonl']);
    const large: string[] = [];
    let group: { file: string; fromLine: number }[] = [];
    let groupBytes = 0;
    const batchOf = (items: { file: string; fromLine: number }[]): Batch => {
      let checked: WebhookFilesLoad | undefined;
      return {
        rows: {},
        quarantine: [],
        read: 0,
        cursors: {},
        prepare: async (conn) => {
          checked = await checkWebhookFiles(conn, ctx.config, items, phones);
        },
        apply: async (work) => {
          const r = checked;
          if (!r) throw new Error('whatsapp-cloud: the batch was applied before its files were checked');
          await landCheckedWebhookFiles(work, receivedAt);
          const cursors: Record<string, string> = {};
          for (const [file, progress] of r.files) {
            const fh = await openForReading(file);
            try {
              cursors[fileCursorKey(file)] = JSON.stringify(await cursorAt(fh, progress.offset, progress.lines));
            } finally {
              await fh.close();
            }
          }
          return { read: r.read, loaded: r.loaded, quarantined: r.quarantined, cursors, counters: r.counters };
        },
      };
    };
    for (const file of files) {
      if (ctx.signal.aborted) return;
      const fh = await openForReading(file);
      let resume;
      try {
        resume = await resumePoint(fh, parseFileCursor(ctx.cursor(fileCursorKey(file))));
      } finally {
        await fh.close();
      }
      if (resume.size === resume.offset) continue;
      if (resume.size > SQL_FILE_LIMIT) {
        large.push(file);
        continue;
      }
      group.push({ file, fromLine: resume.lines });
      groupBytes += resume.size - resume.offset;
      if (groupBytes >= WHATSAPP_BATCH_BYTES) {
        yield batchOf(group);
        group = [];
        groupBytes = 0;
      }
    }
    if (group.length > 0) yield batchOf(group);
    if (large.length > 0) {
      yield* ndjsonBatches(ctx, 'whatsapp', (line, file) => whatsappPayloadLine(line.text, file, line.no, receivedAt, phones), { files: large });
    }
  },
};

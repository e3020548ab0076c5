import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '../../config/config.ts';
import { queryOn, runOn } from '../../warehouse/db.ts';
import { literal } from '../../warehouse/values.ts';
import type { PhoneNormaliser } from '../phones.ts';
import { MAX_QUARANTINE_TEXT } from '../quarantine.ts';
import type { BatchWork } from '../source.ts';
import { WHATSAPP_MESSAGE_TYPES, WHATSAPP_STATUSES } from './whatsapp-cloud.source.ts';

/** The part of a webhook payload the load checks (parsed once by DuckDB's `from_json`). */
const CHECK_SHAPE = JSON.stringify({
  entry: [{ changes: [{ value: {
    metadata: { phone_number_id: 'VARCHAR' },
    contacts: [{ wa_id: 'VARCHAR' }],
    messages: [{ id: 'VARCHAR', from: 'VARCHAR', timestamp: 'VARCHAR', type: 'VARCHAR' }],
    statuses: [{ id: 'VARCHAR', status: 'VARCHAR', timestamp: 'VARCHAR', recipient_id: 'VARCHAR' }],
  } }] }],
});

const sqlList = (items: Iterable<string>) => `[${[...items].map(literal).join(', ')}]::varchar[]`;

/** A file to load and the number of lines already loaded from it. */
export interface FileToLoad {
  readonly file: string;
  readonly fromLine: number;
}

/** Where a file stands after the load: lines and bytes taken (a partial last line is left for next time). */
export interface FileProgress {
  readonly lines: number;
  readonly offset: number;
}

/** What loading a group of files did. */
export interface WebhookFilesLoad {
  readonly read: number;
  readonly loaded: number;
  readonly quarantined: number;
  readonly counters: Record<string, number>;
  readonly files: ReadonlyMap<string, FileProgress>;
}

/**
 * Reads and checks the new lines of webhook NDJSON files with DuckDB's own reader, before
 * the batch's transaction (temp tables built inside a transaction cost about twice the
 * CPU): `read_text` reads the files (in parallel), each line is cast to JSON with
 * `try_cast` (null when it is not valid JSON; the value raw stores, so landing it parses
 * nothing again) and parsed by `from_json` to be checked, and every line gets its reason to
 * be quarantined (or none) in the temp table `__wa_checked` of `conn`, which keeps each
 * line's text once (`doc`, or `line` when it is not JSON). Phones are checked in JS once per distinct
 * number. Nested structs are never materialised: that alone costs more than the parse.
 * Nothing in the warehouse is written: `landCheckedWebhookFiles` does that inside the
 * batch's transaction.
 */
export async function checkWebhookFiles(conn: DuckDBConnection, config: Config, files: readonly FileToLoad[], phones: PhoneNormaliser): Promise<WebhookFilesLoad> {
  // In the byte order of their names, as DuckDB sorts source_file: lines are kept in this
  // order from here to raw (see landCheckedWebhookFiles).
  const readable = [...files]
    .sort((a, b) => Buffer.compare(Buffer.from(a.file), Buffer.from(b.file)))
    .map((f) => ({ ...f, ...readablePath(config, f.file) }));
  try {
    const paths = `[${readable.map((f) => literal(f.path)).join(', ')}]::varchar[]`;
    const sourceFiles = `[${readable.map((f) => literal(f.file)).join(', ')}]::varchar[]`;
    const fromLines = `[${readable.map((f) => f.fromLine).join(', ')}]::bigint[]`;
    // Lines 1..n-1 ended with a newline; element n is empty (the file ends with one) or a last
    // line without its newline, which may still be being written: taken only when it parses.
    // Each file's element n is kept even when it is not new: it says where the file stands.
    // No join and no sort: a single scan, projections, unnest and filters keep the rows in
    // file order and line order (DuckDB's insertion order), so raw gets them in that order
    // without sorting every line.
    await runOn(
      conn,
      `create or replace temp table __wa_checked as
       with src as (
           select
               filename,
               (${sourceFiles})[k] as source_file,
               (${fromLines})[k] as from_line,
               string_split(content, chr(10)) as ls,
               ends_with(content, chr(10)) as is_terminated,
               strlen(content) as bytes,
           from (select *, list_position(${paths}, filename) as k from read_text(${paths}))
       ),
       numbered as (
           select source_file, from_line, filename, unnest(ls) as raw_line, generate_subscripts(ls, 1) as line_no, len(ls) as n, is_terminated, bytes, strlen(ls[-1]) as last_len
           from src
       ),
       marked as (
           select
               source_file, filename, line_no, n, is_terminated, bytes, last_len, from_line, raw_line,
               case when line_no = n and not is_terminated then json_valid(raw_line) else false end as took_last,
           from numbered
           where line_no > from_line or line_no = n
       ),
       lines as (
           select
               source_file, filename, line_no, n, is_terminated, bytes, last_len, took_last,
               line_no > from_line and (line_no < n or took_last) as is_new,
               -- trims copy the whole string: only lines that need one get one
               case
                   when not (line_no > from_line and (line_no < n or took_last)) then null
                   when line_no = 1 then rtrim(ltrim(raw_line, chr(65279)), chr(13))
                   when ends_with(raw_line, chr(13)) then rtrim(raw_line, chr(13))
                   else raw_line
               end as line,
           from marked
       ),
       docs as (
           select
               *,
               -- the line as a JSON value, null when it is not valid JSON: one parse that both checks
               -- the line (as json_valid would) and gives raw's JSON column its value, so the insert
               -- into raw does not parse every payload again to cast VARCHAR to JSON
               try_cast(line as json) as doc,
           from lines
       ),
       valid as (
           select
               *,
               -- blank = only spaces (trim's set); a line that does not start with one is not blank
               case when trim(left(line, 1)) = '' then trim(line) = '' else false end as is_blank,
               doc is not null as is_json,
           from docs
       ),
       parsed as (
           select
               *,
               -- nested, so json_type and from_json never see invalid JSON (vectorised AND does not
               -- short-circuit); a valid document that starts with { is an object without asking json_type
               case when is_json then case when left(line, 1) = '{' or json_type(doc) = 'OBJECT' then from_json(doc, ${literal(CHECK_SHAPE)}) end end as p,
           from valid
       ),
       parts as (
           select
               source_file, filename, line_no, n, is_terminated, bytes, last_len, took_last, is_new, line, doc, is_blank, is_json, p,
               flatten(list_transform(coalesce(p.entry, []), e -> coalesce(e.changes, []))) as changes,
           from parsed
       ),
       vals as (
           select *, list_filter(list_transform(changes, c -> c.value), v -> v is not null) as vals from parts
       ),
       items as (
           select
               *,
               flatten(list_transform(vals, v -> coalesce(v.messages, []))) as messages,
               flatten(list_transform(vals, v -> coalesce(v.statuses, []))) as statuses,
               flatten(list_transform(vals, v -> coalesce(v.contacts, []))) as contacts,
           from vals
       )
       select
           source_file,
           filename,
           line_no,
           n,
           is_terminated,
           bytes,
           last_len,
           took_last,
           is_new,
           doc,
           -- the text is kept once: as doc when it is JSON, here when it is not
           case when doc is null then line end as line,
           is_blank,
           len(messages) as message_count,
           len(statuses) as status_count,
           flatten([list_transform(messages, m -> m."from"), list_transform(statuses, s -> s.recipient_id), list_transform(contacts, c -> c.wa_id)]) as phones,
           case
               when not is_new or is_blank then null
               when not is_json then 'invalid JSON'
               when p is null then 'not a JSON object'
               when p.entry is null or len(p.entry) = 0 then 'missing entry[]: not a WhatsApp webhook payload'
               when list_bool_or(list_transform(p.entry, e -> e.changes is null)) then 'an entry has no changes[]'
               when list_bool_or(list_transform(changes, c -> c.value is null)) then 'a change has no value object'
               when list_bool_or(list_transform(vals, v -> (v.messages is not null or v.statuses is not null) and coalesce(v.metadata.phone_number_id, '') = ''))
                   then 'metadata.phone_number_id is missing'
               when list_bool_or(list_transform(messages, m -> coalesce(m.id, '') = '')) then 'a message has no id (wamid)'
               when list_bool_or(list_transform(statuses, s -> coalesce(s.id, '') = '')) then 'a status has no id (wamid)'
               when list_bool_or(list_transform(messages, m -> not regexp_full_match(coalesce(m."timestamp", ''), '[0-9]{9,11}')))
                   or list_bool_or(list_transform(statuses, s -> not regexp_full_match(coalesce(s."timestamp", ''), '[0-9]{9,11}')))
                   then 'a timestamp is not a Unix time in seconds'
               when list_bool_or(list_transform(messages, m -> not list_contains(${sqlList(WHATSAPP_MESSAGE_TYPES)}, coalesce(m.type, ''))))
                   then format('message type {} is not a known message type', to_json(list_filter(messages, m -> not list_contains(${sqlList(WHATSAPP_MESSAGE_TYPES)}, coalesce(m.type, '')))[1].type)::varchar)
               when list_bool_or(list_transform(statuses, s -> not list_contains(${sqlList(WHATSAPP_STATUSES)}, coalesce(s.status, ''))))
                   then format('status {} is not a known status', to_json(list_filter(statuses, s -> not list_contains(${sqlList(WHATSAPP_STATUSES)}, coalesce(s.status, '')))[1].status)::varchar)
           end as reason,
       from items`,
    );
    const distinct = await queryOn<{ phone: string | null }>(conn, `select distinct unnest(phones) as phone from __wa_checked where is_new and reason is null and not is_blank`);
    const bad = distinct.map((r) => r.phone).filter((p) => p === null || !phones.e164(p, true));
    if (bad.length > 0) {
      const nonNull = bad.filter((p): p is string => p !== null);
      await runOn(
        conn,
        `update __wa_checked
         set reason = format('phone {} is not a valid phone number', coalesce(to_json(list_filter(phones, x -> x is null or list_contains(${sqlList(nonNull)}, x))[1])::varchar, 'null'))
         where is_new and reason is null and not is_blank and list_bool_or(list_transform(phones, x -> x is null or list_contains(${sqlList(nonNull)}, x)))`,
      );
    }
    const [c] = await queryOn<{ read: number; loaded: number; quarantined: number; blank: number; messages: number; statuses: number }>(
      conn,
      `select count(*) as read,
              count(*) filter (where not is_blank and reason is null) as loaded,
              count(*) filter (where reason is not null) as quarantined,
              count(*) filter (where is_blank) as blank,
              coalesce(sum(message_count) filter (where reason is null), 0) as messages,
              coalesce(sum(status_count) filter (where reason is null), 0) as statuses
       from __wa_checked where is_new`,
    );
    const progress = await queryOn<{ filename: string; n: number; is_terminated: boolean; bytes: number; last_len: number; took_last: boolean }>(
      conn,
      // Only each file's last element (there is always one) says where the file stands.
      `select filename, n, is_terminated, bytes, last_len, took_last from __wa_checked where line_no = n`,
    );
    const files = new Map<string, FileProgress>();
    for (const f of readable) {
      const p = progress.find((r) => r.filename === f.path);
      if (!p) {
        files.set(f.file, { lines: f.fromLine, offset: 0 });
        continue;
      }
      files.set(f.file, { lines: p.took_last ? p.n : Math.max(f.fromLine, p.n - 1), offset: p.took_last || p.is_terminated ? p.bytes : p.bytes - p.last_len });
    }
    const counters: Record<string, number> = {};
    for (const [k, v] of Object.entries({ messages: c!.messages, statuses: c!.statuses, blank_lines: c!.blank })) if (v) counters[k] = v;
    return { read: c!.read, loaded: c!.loaded, quarantined: c!.quarantined, counters, files };
  } finally {
    for (const f of readable) f.cleanup();
  }
}

/**
 * Lands what `checkWebhookFiles` checked on the same connection, inside the batch's
 * transaction: good lines into `raw.whatsapp_payloads`, the others into `ops.quarantine`
 * with their line number and reason.
 */
export async function landCheckedWebhookFiles(work: BatchWork, receivedAt: Date): Promise<void> {
  const { conn } = work;
  await runOn(
    conn,
    // __wa_checked is in (source_file, line_no) order already (see checkWebhookFiles) and a
    // filtered scan keeps it: raw's row order is the files' line order without a sort.
    `insert into raw.whatsapp_payloads select $1, source_file, line_no, $2, doc from __wa_checked where is_new and not is_blank and reason is null`,
    [work.loadId, receivedAt.toISOString()],
  );
  await runOn(
    conn,
    `insert into ops.quarantine select $1, $2, $3, source_file, line_no, null, reason, left(coalesce(doc::varchar, line), ${MAX_QUARANTINE_TEXT}), now() from __wa_checked where is_new and reason is not null order by source_file, line_no`,
    [work.runId, work.loadId, work.source],
  );
  await runOn(conn, 'drop table if exists __wa_checked');
}

/**
 * DuckDB may only read the landing and data folders (the instance is locked down); a file
 * given with --path elsewhere is copied into the data folder's temp space for the load.
 */
function readablePath(config: Config, file: string): { path: string; cleanup: () => void } {
  const real = fs.realpathSync(file);
  const inside = [config.landingDir, config.dataDir].some((dir) => {
    try {
      return real.startsWith(fs.realpathSync(dir) + path.sep);
    } catch {
      return false;
    }
  });
  if (inside) return { path: real, cleanup: () => {} };
  const tmpDir = path.join(config.dataDir, '.parley-tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const staged = path.join(tmpDir, `stage-${createHash('sha1').update(real).digest('hex').slice(0, 12)}-${path.basename(file)}`);
  fs.copyFileSync(real, staged);
  return { path: staged, cleanup: () => fs.rmSync(staged, { force: true }) };
}

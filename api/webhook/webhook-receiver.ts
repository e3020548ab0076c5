import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../../config/parley-error.ts';
import type { Clock } from '../../pipelines/clock.ts';
import type { Logger } from '../../pipelines/logger.ts';
import { PhoneNormaliser } from '../../pipelines/phones.ts';
import { webhookPayloadProblem } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { MAX_QUARANTINE_TEXT } from '../../pipelines/quarantine.ts';
import { BUMP_DATA_VERSION_SQL, withBumpInFlight } from '../../warehouse/data-version.ts';
import { queryOn, rollbackQuietly, type Warehouse } from '../../warehouse/db.ts';
import { loadIdsOf } from '../../warehouse/load-ids.ts';
import { literal } from '../../warehouse/values.ts';
import { ApiError } from '../errors.ts';

/** The run-log name of live webhook deliveries (file loads run as `whatsapp-cloud`). */
export const WEBHOOK_SOURCE = 'whatsapp-webhook';

/** What happened to one delivery. */
export type ReceiveOutcome = 'stored' | 'duplicate' | 'quarantined';

interface Pending {
  readonly hash: string;
  readonly text: string;
  /** When it arrived, as an ISO string. */
  readonly receivedAt: string;
  /** Why the body is not a valid payload (quarantined), or undefined when it is one. */
  readonly reason: string | undefined;
  resolve(outcome: ReceiveOutcome): void;
  reject(err: unknown): void;
}

/** Options of the receiver. */
export interface ReceiverOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** Called after a commit that stored or quarantined new bodies, with how many (the debounced builds). */
  readonly onStored?: (bodies: number) => void;
  /** Most deliveries per transaction. */
  readonly maxBatch?: number;
  /** Most body bytes per transaction (a group holds at least one delivery). */
  readonly maxBatchBytes?: number;
}

/** Connection variables of the receiver's own connection (`set variable`, read with `getvariable`). */
const LOAD_VAR = `getvariable('parley_webhook_load')`;
const RUN_VAR = `getvariable('parley_webhook_run')`;

/**
 * Text for a SQL string literal. SQL text travels as a C string, so a NUL character would cut
 * it short: a valid payload cannot hold one (JSON escapes control characters), a quarantined
 * body's text and reason keep U+FFFD in its place.
 */
const withoutNul = (s: string) => (s.includes('\0') ? s.replaceAll('\0', '\uFFFD') : s);
const sqlText = (s: string) => literal(withoutNul(s));

/**
 * `unnest(...)` of strings without commas or quotes (hex hashes, ISO timestamps) as one
 * constant. Unnests in one SELECT list run side by side, so equal-length lists make rows.
 */
function unnestPlain(values: readonly string[]): string {
  return `unnest(string_split('${values.join(',')}', ','))`;
}

/**
 * `unnest(...)` of any strings as one constant: a JSON array of them, which DuckDB decodes
 * back to the same strings (bodies byte for byte; a NUL character as in `sqlText`, though a
 * valid payload cannot hold one).
 */
function unnestTexts(values: readonly string[]): string {
  return `unnest(from_json(${literal(JSON.stringify(values.map(withoutNul)))}, '["VARCHAR"]'))`;
}

/**
 * Stores webhook deliveries durably before they are acknowledged. Concurrent deliveries are
 * grouped into one transaction (group commit): while one commits, the next group collects,
 * so 5,000 POST/s cost a few hundred transactions rather than 5,000. Each group lands whole
 * with its load record: new bodies go to `raw.whatsapp_payloads`, bodies that are not a
 * valid payload to `ops.quarantine`, and a body already stored (Meta retries send the same
 * bytes) is recognised by its SHA-256 in `ops.webhook_receipts` and stored once.
 *
 * A group is one round trip to DuckDB: one string of statements from BEGIN to COMMIT (load
 * id, receipts, raw rows, quarantine, load record, run totals, data version; then the load id
 * is read back, for the register of load ids in flight, warehouse/load-ids.ts). Under load
 * each round trip waits for a thread and then for the event loop, so their number matters
 * as much as the SQL. A group holding a body stored before is refused by the receipts' key
 * and sent again without it, after a lookup (`commit`).
 */
export class WebhookReceiver {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private conn: DuckDBConnection | undefined;
  /** The hour whose run `parley_webhook_run` holds on `conn`, once its creation committed. */
  private runHour: string | undefined;
  private readonly phones: PhoneNormaliser;

  constructor(
    private readonly wh: Warehouse,
    private readonly opts: ReceiverOptions,
  ) {
    this.phones = new PhoneNormaliser(wh.config.region);
  }

  /** Stores one delivery's raw body; resolves once it is committed. */
  receive(body: Buffer): Promise<ReceiveOutcome> {
    const hash = createHash('sha256').update(body).digest('hex');
    const bodyText = body.toString('utf8');
    const receivedAt = this.opts.clock.now().toISOString();
    const reason = webhookPayloadProblem(bodyText, this.phones);
    return new Promise<ReceiveOutcome>((resolve, reject) => {
      this.queue.push({ hash, text: bodyText, receivedAt, reason, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let the deliveries that arrived in this tick of the event loop join the first group.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.groupSize());
        try {
          const outcomes = await this.commit(group);
          group.forEach((p, i) => p.resolve(outcomes[i]!));
          const landed = outcomes.filter((o) => o !== 'duplicate').length;
          if (landed > 0) this.opts.onStored?.(landed);
        } catch (err) {
          this.opts.log.error('webhook: could not store a group of deliveries; Meta will retry them', { deliveries: group.length, error: errorMessage(err) });
          const failure = new ApiError('API_WEBHOOK_STORE_FAILED', `The payload could not be stored (${errorMessage(err).split('\n')[0]}); retry later.`, { cause: err });
          for (const p of group) p.reject(failure);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** How many queued deliveries the next group takes: up to `maxBatch`, and `maxBatchBytes` of bodies. */
  private groupSize(): number {
    const maxCount = Math.min(this.queue.length, this.opts.maxBatch ?? 2000);
    const maxBytes = this.opts.maxBatchBytes ?? 16 * 1024 * 1024;
    let bytes = 0;
    for (let i = 0; i < maxCount; i++) {
      bytes += this.queue[i]!.text.length;
      if (bytes > maxBytes) return Math.max(1, i);
    }
    return maxCount;
  }

  /**
   * A group in one round trip when none of its bodies is stored already (the common case: the
   * receipts' primary key refuses the insert otherwise), else in three: that attempt, a
   * lookup of which bodies are stored, and the transaction that stores the rest.
   */
  private async commit(group: Pending[]): Promise<ReceiveOutcome[]> {
    this.conn ??= await this.wh.connect();
    const conn = this.conn;
    try {
      return await this.store(conn, group, new Set());
    } catch (err) {
      // Probably a body stored before (a retry): look the group's hashes up and store the rest.
      // An index lookup on the key; `insert ... on conflict do nothing` instead grew slower in
      // proportion to the receipts stored (23 ms per 64 bodies at 200,000 receipts, 190 ms at
      // 2M). Only this receiver writes receipts (and nothing deletes them), one group at a
      // time, so nothing slips in between; should something, the key refuses it again.
      const hashes = [...new Set(group.map((p) => p.hash))];
      const known = await queryOn<{ body_sha256: string }>(conn, `select body_sha256 from ops.webhook_receipts where body_sha256 in (${hashes.map(literal).join(', ')})`);
      if (known.length === 0) throw err;
      return this.store(conn, group, new Set(known.map((r) => r.body_sha256)));
    }
  }

  /** One transaction, BEGIN to COMMIT in one round trip, storing the group's bodies but those in `stale`. */
  private async store(conn: DuckDBConnection, group: Pending[], stale: ReadonlySet<string>): Promise<ReceiveOutcome[]> {
    const first = new Map<string, number>();
    group.forEach((p, i) => {
      if (!first.has(p.hash)) first.set(p.hash, i);
    });
    const outcomes: ReceiveOutcome[] = group.map((p, i) => (!stale.has(p.hash) && first.get(p.hash) === i ? (p.reason === undefined ? 'stored' : 'quarantined') : 'duplicate'));
    const landed = group.filter((_, i) => outcomes[i] !== 'duplicate');
    const stored = landed.filter((p) => p.reason === undefined);
    const quarantined = landed.filter((p) => p.reason !== undefined);

    // Live deliveries are logged as one run per hour, created by the group that opens the hour.
    const hour = this.opts.clock.now().toISOString().slice(0, 13);
    const newRun = this.runHour !== hour;
    const now = literal(this.opts.clock.now().toISOString());
    const statements: string[] = ['begin transaction'];
    if (newRun) {
      statements.push(
        `set variable parley_webhook_run = nextval('ops.run_id_seq')`,
        `insert into ops.pipeline_runs (run_id, source, trigger, started_at, finished_at, status, details) values (${RUN_VAR}, ${literal(WEBHOOK_SOURCE)}, 'webhook', now(), now(), 'success', '{"counters":{}}')`,
      );
    }
    statements.push(`set variable parley_webhook_load = nextval('ops.load_id_seq')`);
    // Receipts and raw rows come from a few list constants unnested side by side, not from a
    // VALUES list: DuckDB binds every constant of a VALUES list on its own, which made these
    // two inserts cost 1.2-1.5 ms per group of 64 (0.7-1.0 ms as lists; scratch timings, load 8).
    if (landed.length > 0) {
      statements.push(`insert into ops.webhook_receipts select h, r::timestamptz, ${LOAD_VAR} from (select ${unnestPlain(landed.map((p) => p.hash))} as h, ${unnestPlain(landed.map((p) => p.receivedAt))} as r)`);
    }
    if (stored.length > 0) {
      statements.push(
        `insert into raw.whatsapp_payloads select ${LOAD_VAR}, 'webhook:' || left(h, 16), null, r::timestamptz, b from (select ${unnestPlain(stored.map((p) => p.hash))} as h, ${unnestPlain(stored.map((p) => p.receivedAt))} as r, ${unnestTexts(stored.map((p) => p.text))} as b)`,
      );
    }
    if (quarantined.length > 0) {
      statements.push(
        `insert into ops.quarantine select ${RUN_VAR}, ${LOAD_VAR}, ${literal(WEBHOOK_SOURCE)}, 'POST /webhooks/whatsapp', null, h, reason, b, ${now}::timestamptz from (values ${quarantined.map((q) => `('${q.hash}', ${sqlText(q.reason!)}, ${sqlText(q.text.slice(0, MAX_QUARANTINE_TEXT))})`).join(', ')}) as v(h, reason, b)`,
      );
    }
    const [read, loaded, held] = [group.length, stored.length, quarantined.length].map(String);
    statements.push(
      `insert into ops.loads values (${LOAD_VAR}, ${RUN_VAR}, ${literal(WEBHOOK_SOURCE)}, now(), ${loaded}, ${held})`,
      `update ops.pipeline_runs set finished_at = now(), rows_read = rows_read + ${read}, rows_loaded = rows_loaded + ${loaded}, rows_quarantined = rows_quarantined + ${held}, batches = batches + 1 where run_id = ${RUN_VAR}`,
    );
    // After the commit, the same round trip reads the load id back for the register of ids in flight.
    const tail = ['commit', `select ${LOAD_VAR} as load_id`];
    const allocation = loadIdsOf(this.wh).begin();
    try {
      const loadId = landed.length > 0 ? await withBumpInFlight(conn, () => this.transact(conn, [...statements, BUMP_DATA_VERSION_SQL, ...tail])) : await this.transact(conn, [...statements, ...tail]);
      allocation.allocated(loadId);
    } finally {
      allocation.end();
    }
    // Remembered only once committed: a rolled-back group leaves no run behind.
    this.runHour = hour;
    return outcomes;
  }

  /**
   * Sends a group's transaction, BEGIN to COMMIT and the read of its load id, in one round
   * trip; rolls it back when a statement fails. Returns the load id, read from the result
   * DuckDB already holds in memory: reading it through a result reader (`queryOn`) took two
   * more trips through the thread pool and the event loop per group.
   */
  private async transact(conn: DuckDBConnection, statements: string[]): Promise<number> {
    try {
      const result = await conn.run(statements.join(';\n'));
      const loadId = result.chunkCount > 0 ? result.getChunk(0).getColumnValues(0)[0] : undefined;
      if (typeof loadId !== 'bigint' && typeof loadId !== 'number') throw new Error(`the webhook group committed but its load id could not be read back (${String(loadId)})`);
      return Number(loadId);
    } catch (err) {
      await rollbackQuietly(conn);
      throw err;
    }
  }

  /** Waits for the deliveries in flight, then releases the connection. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.conn?.closeSync();
    this.conn = undefined;
    this.runHour = undefined;
  }
}

import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../../config/parley-error.ts';
import type { Clock } from '../../pipelines/clock.ts';
import type { Logger } from '../../pipelines/logger.ts';
import { PhoneNormaliser } from '../../pipelines/phones.ts';
import type { RawValue } from '../../pipelines/source.ts';
import { whatsappPayloadLine } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { appendRows, columnTypes } from '../../warehouse/appender.ts';
import { bumpDataVersion } from '../../warehouse/data-version.ts';
import { inTransaction, queryOn, runOn, type Warehouse } from '../../warehouse/db.ts';
import { literal } from '../../warehouse/values.ts';
import { ApiError } from '../errors.ts';

/** The run-log name of live webhook deliveries (file loads run as `whatsapp-cloud`). */
export const WEBHOOK_SOURCE = 'whatsapp-webhook';

/** What happened to one delivery. */
export type ReceiveOutcome = 'stored' | 'duplicate' | 'quarantined';

interface Pending {
  readonly hash: string;
  readonly text: string;
  readonly receivedAt: Date;
  readonly row: RawValue[] | undefined;
  readonly reason: string | undefined;
  resolve(outcome: ReceiveOutcome): void;
  reject(err: unknown): void;
}

/** Options of the receiver. */
export interface ReceiverOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** Called after a commit that stored new payloads (the debounced build). */
  readonly onStored?: () => void;
  /** Most deliveries per transaction. */
  readonly maxBatch?: number;
}

/**
 * Stores webhook deliveries durably before they are acknowledged. Concurrent deliveries are
 * grouped into one transaction (group commit): while one commits, the next group collects,
 * so 5,000 POST/s cost a few hundred transactions rather than 5,000. Each group lands whole
 * with its load record: new bodies go to `raw.whatsapp_payloads`, bodies that are not a
 * valid payload to `ops.quarantine`, and a body already stored (Meta retries send the same
 * bytes) is recognised by its SHA-256 in `ops.webhook_receipts` and stored once.
 */
export class WebhookReceiver {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private conn: DuckDBConnection | undefined;
  /** Column types of the tables the receiver appends to, looked up once per connection. */
  private types: { raw: string[]; quarantine: string[] } | undefined;
  private run: { runId: number; hour: string } | undefined;
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
    const text = body.toString('utf8');
    const receivedAt = this.opts.clock.now();
    const outcome = whatsappPayloadLine(text, `webhook:${hash.slice(0, 16)}`, null, receivedAt, this.phones);
    return new Promise<ReceiveOutcome>((resolve, reject) => {
      const row = outcome && 'rows' in outcome ? outcome.rows['raw.whatsapp_payloads'] : undefined;
      const reason = outcome && 'reason' in outcome ? outcome.reason : outcome === null ? 'empty body' : undefined;
      this.queue.push({ hash, text, receivedAt, row, reason, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let the deliveries that arrived in this tick of the event loop join the first group.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.opts.maxBatch ?? 2000);
        try {
          const outcomes = await this.commit(group);
          group.forEach((p, i) => p.resolve(outcomes[i]!));
          if (outcomes.includes('stored')) this.opts.onStored?.();
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

  /** One transaction for a group: receipts, raw rows, quarantine, load record, run totals. */
  private async commit(group: Pending[]): Promise<ReceiveOutcome[]> {
    this.conn ??= await this.wh.connect();
    const conn = this.conn;
    this.types ??= { raw: await columnTypes(conn, 'raw', 'whatsapp_payloads'), quarantine: await columnTypes(conn, 'ops', 'quarantine') };
    const types = this.types;
    const first = new Map<string, number>();
    group.forEach((p, i) => {
      if (!first.has(p.hash)) first.set(p.hash, i);
    });
    let run: { runId: number; hour: string } | undefined;
    const outcomes = await inTransaction(conn, async () => {
      run = await this.currentRun(conn);
      const runId = run.runId;
      const [{ load_id: loadId }] = (await queryOn<{ load_id: number }>(conn, `select nextval('ops.load_id_seq') as load_id`)) as [{ load_id: number }];
      const now = this.opts.clock.now().toISOString();
      // Hashes are hex and timestamps ISO strings: safe as literals in one VALUES list.
      const values = [...first.keys()].map((h) => `(${literal(h)}, ${literal(group[first.get(h)!]!.receivedAt.toISOString())}::timestamptz, ${loadId})`).join(', ');
      const inserted = await queryOn<{ body_sha256: string }>(conn, `insert into ops.webhook_receipts values ${values} on conflict do nothing returning body_sha256`);
      const fresh = new Set(inserted.map((r) => r.body_sha256));
      const outcomes: ReceiveOutcome[] = group.map((p, i) => (fresh.has(p.hash) && first.get(p.hash) === i ? (p.row ? 'stored' : 'quarantined') : 'duplicate'));
      const rows = group.filter((_, i) => outcomes[i] === 'stored').map((p) => p.row!);
      const quarantined = group.filter((_, i) => outcomes[i] === 'quarantined');
      await appendRows(conn, 'raw', 'whatsapp_payloads', rows, [loadId], types.raw);
      await appendRows(conn, 'ops', 'quarantine', quarantined.map((q) => [runId, loadId, WEBHOOK_SOURCE, 'POST /webhooks/whatsapp', null, q.hash, q.reason!, q.text.slice(0, 64 * 1024), now]), [], types.quarantine);
      // Integers and a constant only: one unprepared round trip instead of two prepared statements.
      const [load, runNo, read, loaded, held] = [loadId, runId, group.length, rows.length, quarantined.length].map((n) => String(Math.trunc(Number(n))));
      await runOn(
        conn,
        `insert into ops.loads values (${load}, ${runNo}, ${literal(WEBHOOK_SOURCE)}, now(), ${loaded}, ${held});
         update ops.pipeline_runs set finished_at = now(), rows_read = rows_read + ${read}, rows_loaded = rows_loaded + ${loaded}, rows_quarantined = rows_quarantined + ${held}, batches = batches + 1 where run_id = ${runNo};`,
      );
      if (rows.length + quarantined.length > 0) await bumpDataVersion(conn);
      return outcomes;
    });
    // Remembered only once committed: a rolled-back group leaves no run behind.
    this.run = run;
    return outcomes;
  }

  /**
   * Live deliveries are logged as one run per hour (source `whatsapp-webhook`), marked
   * success and extended by each committed group, so the run log stays short under load.
   */
  private async currentRun(conn: DuckDBConnection): Promise<{ runId: number; hour: string }> {
    const hour = this.opts.clock.now().toISOString().slice(0, 13);
    if (this.run && this.run.hour === hour) return this.run;
    const [{ run_id: runId }] = (await queryOn<{ run_id: number }>(conn, `select nextval('ops.run_id_seq') as run_id`)) as [{ run_id: number }];
    await runOn(conn, `insert into ops.pipeline_runs (run_id, source, trigger, started_at, finished_at, status, details) values ($1, $2, 'webhook', now(), now(), 'success', '{"counters":{}}')`, [runId, WEBHOOK_SOURCE]);
    return { runId, hour };
  }

  /** Waits for the deliveries in flight, then releases the connection. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.conn?.closeSync();
    this.conn = undefined;
    this.types = undefined;
  }
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../api/webhook/webhook-receiver.ts';
import { runSource } from '../../pipelines/loader.ts';
import { silentLogger } from '../../pipelines/logger.ts';
import type { Batch, Source } from '../../pipelines/source.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { LoadIdRegister } from '../../warehouse/load-ids.ts';
import { buildMessages } from '../../warehouse/messages-build.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** A Meta webhook body with one inbound text message. */
function payload(wamid: string, from: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '85230012345', phone_number_id: '1098765' },
      contacts: [{ profile: { name: 'Chan Tai Man' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: '1795833600', type: 'text', text: { body: `hello from ${wamid}` } }],
    } }] }],
  });
}

/** A file source landing one payload per run; `hold` keeps its batch's transaction open (after it took its load id) until it resolves. */
function fileSource(wamid: string, from: string, hold?: () => Promise<void>): Source {
  return {
    name: `test-file-${wamid}`,
    description: 'one payload, as a file load would land it',
    async *read(): AsyncIterable<Batch> {
      yield {
        rows: { 'raw.whatsapp_payloads': [[`file-${wamid}.ndjson`, 1, new Date('2026-11-23T01:00:00Z'), payload(wamid, from)]] },
        quarantine: [],
        read: 1,
        cursors: {},
        ...(hold ? { apply: async () => (await hold(), { read: 0, loaded: 0, quarantined: 0 }) } : {}),
      };
    },
  };
}

/** A promise with its resolve, for ordering the steps of a test. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Watches every connection the warehouse hands out: `snapshotTaken` resolves once a build has
 * read its load snapshot (its transaction's view is fixed from then on), and while `holdWebhook`
 * is set, the webhook receiver's one-round-trip transaction is sent up to its COMMIT, then
 * waits (its load id taken, nothing committed) until the hold resolves.
 */
function watchConnections(wh: Warehouse) {
  const state = {
    snapshotTaken: signal(),
    webhookHeld: signal(),
    holdWebhook: undefined as Promise<void> | undefined,
  };
  const connect = wh.connect.bind(wh);
  wh.connect = async () => {
    const conn = await connect();
    for (const method of ['run', 'runAndReadAll'] as const) {
      const original = conn[method].bind(conn) as (sql: string, params?: unknown) => Promise<unknown>;
      (conn as unknown as Record<string, unknown>)[method] = async (sql: string, params?: unknown) => {
        const commitAt = sql.search(/;\s*commit\b/);
        if (state.holdWebhook && sql.includes(`nextval('ops.load_id_seq')`) && commitAt >= 0) {
          const hold = state.holdWebhook;
          state.holdWebhook = undefined;
          await (original as (s: string) => Promise<unknown>)(sql.slice(0, commitAt));
          state.webhookHeld.resolve();
          await hold;
          return original(sql.slice(commitAt + 1));
        }
        const result = await original(sql, params);
        if (/max\(load_id\).*from ops\.loads/s.test(sql)) state.snapshotTaken.resolve();
        return result;
      };
    }
    return conn as DuckDBConnection;
  };
  return state;
}

const inStaging = async (wh: Warehouse, wamid: string) => (await wh.query(`select 1 from staging.stg_whatsapp_messages where message_id = $1`, [wamid])).length === 1;
const inMart = async (wh: Warehouse, wamid: string) => (await wh.query(`select 1 from marts.fct_messages where message_id = $1`, [wamid])).length === 1;

describe('load snapshot of an incremental build, with loads committing out of id order', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    ({ wh } = await tempWarehouse());
    // A first build creates the tables, so the builds below merge incrementally.
    await runSource(wh, fileSource('wamid.FIRST', '85291234500'));
    expect((await buildMessages(wh)).status).toBe('success');
  });
  afterEach(async () => {
    await closeAllWarehouses();
  });

  it('carries a webhook group that took its load id before a file load but committed after a build into the next incremental build', async () => {
    const watch = watchConnections(wh);
    const release = signal();
    watch.holdWebhook = release.promise;
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock('2026-11-23T02:00:00Z'), log: silentLogger });
    // 1. The webhook group takes load id N and waits before its COMMIT.
    const delivered = receiver.receive(Buffer.from(payload('wamid.HOOK', '85291234520')));
    await watch.webhookHeld.promise;
    // 2. A file load takes N + 1 and commits.
    const file = await runSource(wh, fileSource('wamid.FILE', '85291234530'));
    expect(file.status).toBe('success');
    const loads = await wh.query<{ source: string; load_id: number }>(`select source, load_id from ops.loads where source in ('whatsapp-webhook', 'test-file-wamid.FILE')`);
    expect(loads.map((l) => l.source)).toEqual(['test-file-wamid.FILE']);
    // 3. A build starts; once its snapshot is read, the webhook group commits.
    const racing = buildMessages(wh);
    await watch.snapshotTaken.promise;
    release.resolve();
    expect(await delivered).toBe('stored');
    expect((await racing).status).toBe('success');
    expect(await inStaging(wh, 'wamid.FILE')).toBe(true);
    const [hook] = await wh.query<{ load_id: number }>(`select load_id from ops.loads where source = 'whatsapp-webhook'`);
    const [fileLoad] = await wh.query<{ load_id: number }>(`select load_id from ops.loads where source = 'test-file-wamid.FILE'`);
    expect(hook!.load_id).toBeLessThan(fileLoad!.load_id);
    // 4. The next incremental build carries the webhook group's message.
    const next = await buildMessages(wh);
    expect(next.status).toBe('success');
    expect(next.results.find((r) => r.model === 'staging.stg_whatsapp_messages')?.strategy).toBe('incremental');
    expect(await inStaging(wh, 'wamid.HOOK')).toBe(true);
    expect(await inMart(wh, 'wamid.HOOK')).toBe(true);
    expect(await inMart(wh, 'wamid.FILE')).toBe(true);
    await receiver.close();
  });

  it('carries a file batch that took its load id before a webhook group but committed after a build into the next incremental build', async () => {
    const watch = watchConnections(wh);
    const inBatch = signal();
    const release = signal();
    // 1. A file batch takes load id N and holds its transaction open.
    const file = runSource(wh, fileSource('wamid.SLOW', '85291234540', async () => {
      inBatch.resolve();
      await release.promise;
    }));
    await inBatch.promise;
    // 2. A webhook group takes N + 1 and commits.
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock('2026-11-23T02:00:00Z'), log: silentLogger });
    expect(await receiver.receive(Buffer.from(payload('wamid.QUICK', '85291234550')))).toBe('stored');
    // 3. A build starts; once its snapshot is read, the file batch commits.
    const racing = buildMessages(wh);
    await watch.snapshotTaken.promise;
    release.resolve();
    expect((await file).status).toBe('success');
    expect((await racing).status).toBe('success');
    expect(await inStaging(wh, 'wamid.QUICK')).toBe(true);
    // 4. The next incremental build carries the file batch's message.
    const next = await buildMessages(wh);
    expect(next.status).toBe('success');
    expect(next.results.find((r) => r.model === 'staging.stg_whatsapp_messages')?.strategy).toBe('incremental');
    expect(await inStaging(wh, 'wamid.SLOW')).toBe(true);
    expect(await inMart(wh, 'wamid.SLOW')).toBe(true);
    expect(await inMart(wh, 'wamid.QUICK')).toBe(true);
    await receiver.close();
  });

  it('keeps the snapshot where it is when nothing is in flight', async () => {
    const [{ max }] = (await wh.query<{ max: number }>('select max(load_id) as max from ops.loads')) as [{ max: number }];
    await runSource(wh, fileSource('wamid.LATER', '85291234560'));
    const [{ load_id: later }] = (await wh.query<{ load_id: number }>(`select load_id from ops.loads where source = 'test-file-wamid.LATER'`)) as [{ load_id: number }];
    expect(later).toBeGreaterThan(max);
    const build = await buildMessages(wh);
    expect(build.results.find((r) => r.model === 'staging.stg_whatsapp_messages')).toMatchObject({ strategy: 'incremental', sinceLoadId: max });
    const [state] = await wh.query<{ last_load_id: number }>(`select last_load_id from ops.model_state where model = 'staging.stg_whatsapp_messages'`);
    expect(state!.last_load_id).toBe(later);
  });
});

describe('LoadIdRegister', () => {
  it('caps a snapshot below the smallest id open when it was taken or taken while it was read', async () => {
    const register = new LoadIdRegister();
    const before = register.begin();
    before.allocated(7);
    const done = register.begin();
    done.allocated(5);
    done.end(); // committed before the snapshot: no cap
    let during: ReturnType<LoadIdRegister['begin']> | undefined;
    const snapshot = register.snapshot(async () => {
      during = register.begin(); // took its id while the build's transaction began
      during.allocated(6);
      during.end(); // and committed: the build may not have seen it
      return 9;
    });
    expect(await snapshot).toBe(5);
    before.end();
    expect(register.inFlight).toBe(0);
    expect(await register.snapshot(async () => 9)).toBe(9);
  });

  it('waits for an id still being taken, and ignores one whose transaction ended without an id or above the snapshot', async () => {
    const register = new LoadIdRegister();
    const pending = register.begin();
    const failed = register.begin();
    const above = register.begin();
    above.allocated(12);
    const snapshot = register.snapshot(async () => 10);
    failed.end();
    let settled = false;
    void snapshot.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    pending.allocated(8);
    expect(await snapshot).toBe(7);
  });
});

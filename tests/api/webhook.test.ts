import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/app-context.ts';
import { signatureOf, verifySignature } from '../../api/webhook/signature.ts';
import { WebhookReceiver } from '../../api/webhook/webhook-receiver.ts';
import { silentLogger } from '../../pipelines/logger.ts';
import { readDataVersion } from '../../warehouse/data-version.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { APP_SECRET, json, testApp, VERIFY_TOKEN } from '../helpers/api-app.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { count, tempWarehouse } from '../helpers/temp-warehouse.ts';

/** A Meta webhook body with one inbound text message, as Meta writes it (non-ASCII as \uXXXX escapes). */
function delivery(wamid: string, text: string, from = '85291234567'): string {
  const body = {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '85230012345', phone_number_id: '1098765' },
      contacts: [{ profile: { name: 'Chan Tai Man' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: '1795833600', type: 'text', text: { body: text } }],
    } }] }],
  };
  return JSON.stringify(body).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const post = (app: ApiApp, body: string | Buffer, signature: string | null = signatureOf(body, APP_SECRET)) =>
  app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, payload: body });

describe('GET /webhooks/whatsapp (handshake)', () => {
  let app: ApiApp;
  beforeAll(async () => {
    ({ app } = await testApp());
  });
  afterAll(async () => {
    await app.close();
    await closeAllWarehouses();
  });

  it('echoes hub.challenge for the right verify token', async () => {
    const r = await app.inject({ url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('1158201444');
  });

  it.each([
    ['a wrong token', `hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`],
    ['a wrong mode', `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`],
    ['no token', `hub.mode=subscribe&hub.challenge=1`],
  ])('answers 403 for %s', async (_what, query) => {
    const r = await app.inject({ url: `/webhooks/whatsapp?${query}` });
    expect(r.statusCode).toBe(403);
    expect(json(r).error.code).toBe('API_WEBHOOK_VERIFY');
  });
});

describe('POST /webhooks/whatsapp', () => {
  let app: ApiApp;
  let wh: Warehouse;
  const raw = () => count(wh, 'select count(*) as n from raw.whatsapp_payloads');

  beforeAll(async () => {
    ({ app, wh } = await testApp({ clock: new FakeClock('2026-11-23T02:00:00Z') }));
  });
  afterAll(async () => {
    await app.close();
    await closeAllWarehouses();
  });

  it('stores a signed delivery in raw, byte for byte, before answering 200', async () => {
    const body = delivery('wamid.HOOK1', 'iPhone 15 Pro Max 幾錢呀？😀');
    expect(body).toContain('\\u5e7e');
    const r = await post(app, body);
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-parley-webhook']).toBe('stored');
    const [row] = await wh.query<{ payload: string; source_file: string; line_no: number | null; received_at: Date }>(`select payload, source_file, line_no, received_at from raw.whatsapp_payloads`);
    expect(row!.payload).toBe(body);
    expect(row!.source_file).toMatch(/^webhook:[0-9a-f]{16}$/);
    expect(row!.line_no).toBeNull();
    expect(row!.received_at.toISOString()).toBe('2026-11-23T02:00:00.000Z');
  });

  it('checks the signature over the raw bytes: non-ASCII as sent, not re-serialised JSON', async () => {
    const escaped = delivery('wamid.HOOK2', '배송은 언제 되나요?');
    const utf8 = escaped.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    expect(Buffer.byteLength(utf8)).not.toBe(Buffer.byteLength(escaped));
    // Meta signs what it sends; the same JSON serialised another way has another signature.
    expect((await post(app, escaped, signatureOf(utf8, APP_SECRET))).statusCode).toBe(401);
    expect((await post(app, Buffer.from(utf8), signatureOf(Buffer.from(utf8), APP_SECRET))).statusCode).toBe(200);
    const [row] = await wh.query<{ payload: string }>(`select payload from raw.whatsapp_payloads where payload like '%HOOK2%'`);
    expect(row!.payload).toBe(utf8);
  });

  it.each([
    ['a signature made with another secret', (b: string) => signatureOf(b, 'not-the-secret')],
    ['no signature', () => null],
    ['a signature of another body', () => signatureOf('{}', APP_SECRET)],
    ['a malformed signature header', () => 'sha256=zz'],
    ['a signature without its sha256= prefix', (b: string) => signatureOf(b, APP_SECRET).slice(7)],
  ])('answers 401 and stores nothing for %s', async (_what, sign) => {
    const before = await raw();
    const body = delivery('wamid.BAD', 'hello');
    const r = await post(app, body, sign(body));
    expect(r.statusCode).toBe(401);
    expect(json(r).error.code).toBe('API_WEBHOOK_SIGNATURE');
    expect(await raw()).toBe(before);
    expect(await count(wh, `select count(*) as n from ops.quarantine where raw_text like '%wamid.BAD%'`)).toBe(0);
  });

  it('stores a retried delivery once, also when the copies arrive together', async () => {
    const body = delivery('wamid.RETRY', 'are you open today?');
    const before = await raw();
    expect((await post(app, body)).headers['x-parley-webhook']).toBe('stored');
    expect((await post(app, body)).headers['x-parley-webhook']).toBe('duplicate');
    const together = delivery('wamid.TOGETHER', 'same bytes three times');
    const answers = await Promise.all([post(app, together), post(app, together), post(app, together)]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.headers['x-parley-webhook']).sort()).toEqual(['duplicate', 'duplicate', 'stored']);
    expect(await raw()).toBe(before + 2);
  });

  it('quarantines a signed body that is not a valid payload, and still answers 200 so Meta stops retrying', async () => {
    const before = await raw();
    const notPayload = '{"object":"whatsapp_business_account"}';
    const broken = '{"object":"whatsapp_business_account","entry":[';
    for (const body of [notPayload, broken]) {
      const r = await post(app, body);
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-parley-webhook']).toBe('quarantined');
    }
    expect(await raw()).toBe(before);
    const q = await wh.query<{ source: string; location: string; reason: string; raw_text: string }>(`select source, location, reason, raw_text from ops.quarantine where source = 'whatsapp-webhook' order by reason`);
    expect(q).toEqual([
      { source: 'whatsapp-webhook', location: 'POST /webhooks/whatsapp', reason: expect.stringMatching(/^invalid JSON: /), raw_text: broken },
      { source: 'whatsapp-webhook', location: 'POST /webhooks/whatsapp', reason: 'missing entry[]: not a WhatsApp webhook payload', raw_text: notPayload },
    ]);
    // The same bad body again is recognised and not quarantined twice.
    expect((await post(app, notPayload)).headers['x-parley-webhook']).toBe('duplicate');
  });

  it('answers 413 over 1 MiB and stores nothing', async () => {
    const before = await raw();
    const receipts = await count(wh, 'select count(*) as n from ops.webhook_receipts');
    const huge = delivery('wamid.HUGE', 'x'.repeat(1024 * 1024));
    const r = await post(app, huge);
    expect(r.statusCode).toBe(413);
    expect(json(r).error.code).toBe('API_PAYLOAD_TOO_LARGE');
    expect(await raw()).toBe(before);
    expect(await count(wh, 'select count(*) as n from ops.webhook_receipts')).toBe(receipts);
  });

  it('logs live deliveries as a webhook run with a load per commit, and moves the data version', async () => {
    const runs = await wh.query<{ source: string; trigger: string; status: string; rows_loaded: number }>(`select source, trigger, status, rows_loaded from ops.pipeline_runs`);
    expect(runs).toEqual([{ source: 'whatsapp-webhook', trigger: 'webhook', status: 'success', rows_loaded: await raw() }]);
    expect(await count(wh, `select count(*) as n from ops.loads where source = 'whatsapp-webhook' and run_id = (select run_id from ops.pipeline_runs)`)).toBeGreaterThan(0);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads p left join ops.loads l using (load_id) where l.load_id is null')).toBe(0);
    expect(await wh.withConnection(readDataVersion)).toBeGreaterThan(0);
  });
});

describe('webhook delivery to staging', () => {
  afterAll(closeAllWarehouses);

  it('carries a received message into staging.stg_messages with one debounced build', async () => {
    const clock = new FakeClock('2026-11-23T02:00:00Z');
    const { app, wh } = await testApp({ clock, webhookDebounce: { delayMs: 500, maxDelayMs: 1500 } });
    expect((await post(app, delivery('wamid.LIVE1', '有冇貨？'))).statusCode).toBe(200);
    expect((await post(app, delivery('wamid.LIVE2', 'delivery to Kowloon?'))).statusCode).toBe(200);
    // The fast build to marts.fct_messages, and the complete build once deliveries stop.
    expect(clock.pending().sort((a, b) => a - b)).toEqual([500, 10_000]);
    clock.advance(500);
    // Closing the app waits for the running build (and cancels the complete one).
    await app.close();
    const rows = await wh.query<{ message_id: string; direction: string; text: string; customer_phone_e164: string }>(`select message_id, direction, text, customer_phone_e164 from staging.stg_messages order by message_id`);
    expect(rows).toEqual([
      { message_id: 'wamid.LIVE1', direction: 'inbound', text: '有冇貨？', customer_phone_e164: '+85291234567' },
      { message_id: 'wamid.LIVE2', direction: 'inbound', text: 'delivery to Kowloon?', customer_phone_e164: '+85291234567' },
    ]);
    expect(await count(wh, `select count(*) as n from ops.builds where status = 'success'`)).toBe(1);
    expect(await count(wh, `select count(*) as n from marts.fct_messages where message_id in ('wamid.LIVE1', 'wamid.LIVE2')`)).toBe(2);
    // The fast build left the other marts and the checks to the complete build.
    expect(await count(wh, `select count(*) as n from duckdb_tables() where schema_name = 'marts' and table_name = 'fct_responses'`)).toBe(0);
    expect(await count(wh, 'select count(*) as n from ops.dq_results')).toBe(0);
  });

  it('runs the complete build, checks included, once deliveries stop for the complete delay', async () => {
    const clock = new FakeClock('2026-11-23T02:00:00Z');
    const { app, wh } = await testApp({ clock, webhookDebounce: { delayMs: 500, maxDelayMs: 1500 }, webhookCompleteDebounce: { delayMs: 3000, maxDelayMs: 9000 } });
    expect((await post(app, delivery('wamid.LIVE3', 'price?'))).statusCode).toBe(200);
    clock.advance(500);
    clock.advance(2500);
    // Closing the app waits for both running builds (they take turns on the build lock).
    await app.close();
    expect(await count(wh, `select count(*) as n from marts.fct_responses where inbound_message_id = 'wamid.LIVE3'`)).toBe(1);
    expect(await count(wh, 'select count(*) as n from ops.dq_results')).toBeGreaterThan(0);
  });

  it('answers 503 when the webhook secrets are not configured', async () => {
    const { app } = await testApp({}, {});
    const r = await post(app, delivery('wamid.X', 'hi'));
    expect(r.statusCode).toBe(503);
    expect(json(r).error.message).toMatch(/WHATSAPP_APP_SECRET is not set/);
    expect((await app.inject({ url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1' })).statusCode).toBe(503);
    await app.close();
  });
});

describe('webhook receiver', () => {
  afterAll(closeAllWarehouses);

  it('groups concurrent deliveries into one transaction and one load', async () => {
    const { wh } = await tempWarehouse();
    let stored = 0;
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock(), log: silentLogger, onStored: () => stored++ });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => receiver.receive(Buffer.from(delivery(`wamid.G${i}`, `message ${i}`)))));
    expect(outcomes.every((o) => o === 'stored')).toBe(true);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads')).toBe(50);
    expect(await count(wh, 'select count(*) as n from ops.loads')).toBe(1);
    expect(stored).toBe(1);
    await receiver.close();
  });

  it('stores the valid deliveries of a group and quarantines the rest, a NUL character in a bad body included', async () => {
    const { wh } = await tempWarehouse();
    const landed: number[] = [];
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock(), log: silentLogger, onStored: (n) => landed.push(n) });
    const withNul = '{"object":"whatsapp_business_account"\u0000}';
    const outcomes = await Promise.all([
      receiver.receive(Buffer.from(delivery('wamid.N1', 'one'))),
      receiver.receive(Buffer.from(withNul)),
      receiver.receive(Buffer.from(delivery('wamid.N2', "it's two"))),
    ]);
    expect(outcomes).toEqual(['stored', 'quarantined', 'stored']);
    expect(landed).toEqual([3]);
    const [q] = await wh.query<{ reason: string; raw_text: string }>('select reason, raw_text from ops.quarantine');
    expect(q!.reason).toMatch(/^invalid JSON: /);
    expect(q!.raw_text).toBe(withNul.replace('\u0000', '\uFFFD'));
    expect(await wh.query('select payload from raw.whatsapp_payloads order by payload')).toEqual([{ payload: delivery('wamid.N1', 'one') }, { payload: delivery('wamid.N2', "it's two") }]);
    expect(await count(wh, 'select count(*) as n from ops.loads')).toBe(1);
    await receiver.close();
  });

  it('writes every column of a group: receipts, raw rows, quarantine and the load record', async () => {
    const { wh } = await tempWarehouse();
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock('2026-11-23T02:00:00Z'), log: silentLogger });
    const good = delivery('wamid.COLS', "it's one");
    const bad = '{"object":"whatsapp_business_account"}';
    expect(await Promise.all([receiver.receive(Buffer.from(good)), receiver.receive(Buffer.from(bad))])).toEqual(['stored', 'quarantined']);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const at = new Date('2026-11-23T02:00:00Z');
    const [load] = await wh.query<{ load_id: number; run_id: number; source: string; rows_loaded: number; rows_quarantined: number }>('select load_id, run_id, source, rows_loaded, rows_quarantined from ops.loads');
    expect(load).toMatchObject({ source: 'whatsapp-webhook', rows_loaded: 1, rows_quarantined: 1 });
    expect(await wh.query('select * from ops.webhook_receipts order by body_sha256')).toEqual(
      [sha(good), sha(bad)].sort().map((h) => ({ body_sha256: h, received_at: at, load_id: load!.load_id })),
    );
    expect(await wh.query('select * from raw.whatsapp_payloads')).toEqual([{ load_id: load!.load_id, source_file: `webhook:${sha(good).slice(0, 16)}`, line_no: null, received_at: at, payload: good }]);
    expect(await wh.query('select * from ops.quarantine')).toEqual([{
      run_id: load!.run_id, load_id: load!.load_id, source: 'whatsapp-webhook', location: 'POST /webhooks/whatsapp', line_no: null,
      record_id: sha(bad), reason: 'missing entry[]: not a WhatsApp webhook payload', raw_text: bad, quarantined_at: at,
    }]);
    await receiver.close();
  });

  it('stores every body of a group byte for byte, each with its own hash, whatever its characters', async () => {
    const { wh } = await tempWarehouse();
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock(), log: silentLogger });
    const payload = (wamid: string, text: string) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '1098765' }, messages: [{ from: '85291234567', id: wamid, timestamp: '1795833600', type: 'text', text: { body: text } }] } }] }],
    });
    const bodies = [
      // Pretty-printed with tabs and CRLF line ends, raw (unescaped) CJK and an emoji.
      JSON.stringify(payload('wamid.C1', '幾錢呀？😀'), null, '\t').replaceAll('\n', '\r\n'),
      // Escapes kept as sent: quotes, backslashes, \u0000 and \/ as text, a solidus, commas, a quote of SQL.
      JSON.stringify(payload('wamid.C2', 'say "hi", it\'s 50% off \\ now')).replace('off', 'off \\u0000 \\/ \\u00e9'),
      // Line and paragraph separators, a tab inside a string (escaped) and spaces around tokens.
      `  ${JSON.stringify(payload('wamid.C3', 'a\u2028b\u2029c\td'))}  `,
      JSON.stringify(payload('wamid.C4', ',')),
    ];
    for (const b of bodies) expect(JSON.parse(b)).toBeTruthy();
    expect(await Promise.all(bodies.map((b) => receiver.receive(Buffer.from(b))))).toEqual(bodies.map(() => 'stored'));
    expect(await count(wh, 'select count(*) as n from ops.loads')).toBe(1);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const rows = await wh.query<{ source_file: string; payload: string }>('select source_file, payload from raw.whatsapp_payloads');
    expect(rows.map((r) => r.payload).sort()).toEqual([...bodies].sort());
    for (const r of rows) expect(r.source_file).toBe(`webhook:${sha(r.payload).slice(0, 16)}`);
    expect((await wh.query<{ body_sha256: string }>('select body_sha256 from ops.webhook_receipts')).map((r) => r.body_sha256).sort()).toEqual(bodies.map(sha).sort());
    await receiver.close();
  });

  it('stores the new bodies of a group that also carries one stored before, and nothing twice', async () => {
    const { wh } = await tempWarehouse();
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock(), log: silentLogger });
    const [a, b, c] = ['A', 'B', 'C'].map((x) => Buffer.from(delivery(`wamid.MIX${x}`, x)));
    expect(await receiver.receive(a!)).toBe('stored');
    // One group: the receipts' key refuses A, so the group is looked up and sent again without it.
    expect(await Promise.all([receiver.receive(b!), receiver.receive(a!), receiver.receive(c!), receiver.receive(b!)])).toEqual(['stored', 'duplicate', 'stored', 'duplicate']);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads')).toBe(3);
    expect(await count(wh, 'select count(*) as n from ops.webhook_receipts')).toBe(3);
    expect(await wh.query('select rows_loaded from ops.loads order by load_id')).toEqual([{ rows_loaded: 1 }, { rows_loaded: 2 }]);
    expect(await wh.query('select rows_read, rows_loaded, batches from ops.pipeline_runs')).toEqual([{ rows_read: 5, rows_loaded: 3, batches: 2 }]);
    await receiver.close();
  });

  it('keeps a group within maxBatchBytes of bodies', async () => {
    const { wh } = await tempWarehouse();
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock(), log: silentLogger, maxBatchBytes: 2000 });
    const bodies = Array.from({ length: 9 }, (_, i) => delivery(`wamid.B${i}`, 'x'.repeat(300)));
    expect(bodies.every((b) => b.length > 700 && b.length < 1000)).toBe(true);
    expect(await Promise.all(bodies.map((b) => receiver.receive(Buffer.from(b))))).toEqual(bodies.map(() => 'stored'));
    // Two bodies per group: the third would pass 2,000 bytes.
    expect(await count(wh, 'select count(*) as n from ops.loads')).toBe(5);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads')).toBe(9);
    await receiver.close();
  });

  it('rolls a failed group back whole, answers its deliveries with an error and stores them when retried', async () => {
    const { wh } = await tempWarehouse();
    const receiver = new WebhookReceiver(wh, { clock: new FakeClock(), log: silentLogger });
    await wh.run('alter table raw.whatsapp_payloads rename to whatsapp_payloads_away');
    const body = delivery('wamid.FAIL', 'lost?');
    await expect(receiver.receive(Buffer.from(body))).rejects.toMatchObject({ code: 'API_WEBHOOK_STORE_FAILED' });
    await wh.run('alter table raw.whatsapp_payloads_away rename to whatsapp_payloads');
    for (const table of ['ops.webhook_receipts', 'ops.loads', 'ops.pipeline_runs', 'raw.whatsapp_payloads']) {
      expect(await count(wh, `select count(*) as n from ${table}`)).toBe(0);
    }
    // Meta's retry: the same bytes are stored now, with a run of their own.
    expect(await receiver.receive(Buffer.from(body))).toBe('stored');
    expect(await receiver.receive(Buffer.from(body))).toBe('duplicate');
    expect(await wh.query('select rows_read, rows_loaded, batches from ops.pipeline_runs')).toEqual([{ rows_read: 2, rows_loaded: 1, batches: 2 }]);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads')).toBe(1);
    await receiver.close();
  });

  it('verifies signatures in constant time and only in the sha256=<hex> form', () => {
    const body = Buffer.from('{"a":1}');
    const good = signatureOf(body, 's');
    // openssl: printf '{"a":1}' | openssl dgst -sha256 -hmac s
    expect(good).toBe('sha256=37beaf650f70b40ec9706929c2e9d835cbd63729988f48781e6383a147215f07');
    expect(verifySignature(body, good, 's')).toBe(true);
    expect(verifySignature(body, good.toUpperCase().replace('SHA256=', 'sha256='), 's')).toBe(true);
    expect(verifySignature(body, `${good}0`, 's')).toBe(false);
    expect(verifySignature(Buffer.from('{"a":2}'), good, 's')).toBe(false);
  });
});

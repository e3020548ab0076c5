import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { loadConfig } from '../../config/config.ts';
import { buildWarehouse } from '../../warehouse/build.ts';
import { runAll } from '../../pipelines/run-all.ts';
import { closeAllWarehouses, openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import { webhookText, writeSalesforceExport } from '../helpers/crm-files.ts';
import { tempConfig } from '../helpers/temp-warehouse.ts';

/** Every row of every table in the warehouse's layers as lower-case text, all columns of any type. */
async function everyRow(wh: Warehouse): Promise<{ table: string; text: string }[]> {
  const cols = await wh.query<{ t: string; c: string }>(
    `select c.schema_name || '.' || c.table_name as t, c.column_name as c from duckdb_columns() as c
     join duckdb_tables() as t on t.schema_name = c.schema_name and t.table_name = c.table_name
     where c.schema_name in ('raw', 'staging', 'marts', 'ops') order by 1, c.column_index`,
  );
  const rows: { table: string; text: string }[] = [];
  for (const table of new Set(cols.map((c) => c.t))) {
    const list = cols.filter((c) => c.t === table).map((c) => `coalesce("${c.c}"::varchar, '')`).join(`, '|', `);
    for (const r of await wh.query<{ text: string }>(`select lower(concat(${list})) as text from ${table}`)) rows.push({ table, text: r.text });
  }
  return rows;
}

/** The tables with rows that hold `term` (any case), with how many. */
async function occurrences(wh: Warehouse, term: string): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const r of await everyRow(wh)) if (r.text.includes(term.toLowerCase())) counts.set(r.table, (counts.get(r.table) ?? 0) + 1);
  return [...counts].map(([t, n]) => `${t}: ${n}`);
}

const statusesOfTwo = JSON.stringify({
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '85230012345', phone_number_id: '1098765' }, statuses: [
    { id: 'wamid.OUT-A', status: 'delivered', timestamp: '1794880000', recipient_id: '85294120001' },
    { id: 'wamid.OUT-I', status: 'delivered', timestamp: '1794880000', recipient_id: '85294120020' },
  ] } }] }],
});
const scrm = [
  { type: 'message.sent', at: '2026-11-16T01:00:00.000Z', wamid: 'wamid.OUT-A', phone_number_id: '1098765', to: '85294120001', agent_id: 'a1', kind: 'agent', text: 'Hi Mandy, your iPhone is ready', conversation_id: 'ticket-mandy-A' },
  { type: 'message.sent', at: '2026-11-16T01:00:00.000Z', wamid: 'wamid.OUT-I', phone_number_id: '1098765', to: '85294120020', agent_id: 'a1', kind: 'agent', text: 'Hi Ivan', conversation_id: 't-I' },
  { type: 'conversation.assigned', at: '2026-11-16T00:59:00.000Z', conversation_id: 'ticket-mandy-A', customer: '85294120001', agent_id: 'a1' },
  { type: 'csat.answered', at: '2026-11-16T02:00:00.000Z', conversation_id: 'ticket-mandy-A', score: 5 },
  { type: 'link.clicked', at: '2026-11-16T02:00:00.000Z', wamid: 'wamid.OUT-A', url: 'https://shop.example.hk/p' },
  { type: 'csat.answered', at: '2026-11-16T02:00:00.000Z', conversation_id: 't-I', score: 4 },
];

// Ticket ids are long enough not to occur by chance in the temp folder's random name (parley-test-XXXXXX).
describe('parley erase --phone', () => {
  let env: Record<string, string>;
  let wh: Warehouse;
  const parley = async (args: string[]) => {
    let out = '';
    let err = '';
    const sink = (add: (s: string) => void) => new Writable({ write(chunk, _e, cb) { add(chunk.toString()); cb(); } });
    const code = await main(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) }, env);
    return { code, out, err };
  };

  beforeAll(async () => {
    const { dir, config } = tempConfig();
    env = { PARLEY_DB: config.dbPath, PARLEY_LANDING: config.landingDir };
    const landing = config.landingDir;
    writeSalesforceExport(path.join(landing, 'crm'), 'sf', [
      { id: 'A1', first: 'Mandy', last: 'Wong', phone: '+852 9412 0001', email: 'mandy.w@example.com', tier: 'VIP', created: '8/1/2026 10:00 AM', modified: '8/1/2026 10:00 AM' },
      { id: 'A2', first: 'Mandi', last: 'Wang', phone: '9412 0002', created: '8/5/2026 10:00 AM', modified: '8/5/2026 10:00 AM' },
      { id: 'A3', first: 'Mandy', last: 'Wong', phone: '12345', created: '8/5/2026 10:00 AM', modified: '8/5/2026 10:00 AM' },
      { id: 'I1', first: 'Ivan', last: 'Ho', phone: '+852 9412 0020', email: 'ivan@example.com', created: '8/5/2026 10:00 AM', modified: '8/5/2026 10:00 AM' },
    ], [
      { id: 'DA1', contactId: 'A1', product: 'iPhone 15 Pro Max', stage: 'Order Placed', created: '10/1/2026 10:00 AM', orderDate: '10/1/2026 10:00 AM', modified: '10/1/2026 10:00 AM' },
      { id: 'DA2', contactId: 'A2', product: 'iPhone 15 Pro Max', stage: 'Order Placed', created: '10/11/2026 10:00 AM', orderDate: '10/11/2026 10:00 AM', modified: '10/11/2026 10:00 AM' },
      { id: 'DI1', contactId: 'I1', product: 'XM5', stage: 'Closed Won', created: '10/11/2026 10:00 AM', modified: '10/12/2026 10:00 AM' },
    ]);
    fs.mkdirSync(path.join(landing, 'whatsapp'));
    fs.writeFileSync(
      path.join(landing, 'whatsapp', 'wa.ndjson'),
      [
        webhookText('85294120001', 'Mandy Wong', 'wamid.IN-A', '2026-11-16T00:58:00Z', 'is my iPhone ready?'),
        webhookText('85294120020', 'Ivan Ho', 'wamid.IN-I', '2026-11-16T00:58:00Z', 'hello'),
        statusesOfTwo,
        webhookText('85294120001', 'Mandy Wong', 'wamid.IN-A2', '2026-11-16T00:59:00Z').slice(0, 200),
      ].join('\n') + '\n',
    );
    fs.mkdirSync(path.join(landing, 'scrm'));
    fs.writeFileSync(path.join(landing, 'scrm', 'scrm.ndjson'), `${scrm.map((e) => JSON.stringify(e)).join('\n')}\n`);
    wh = await openWarehouse(config);
    const { runs, build } = await runAll(wh, { trigger: 'test' });
    expect(runs.map((r) => [r.source, r.status, r.rowsQuarantined])).toEqual([['whatsapp-cloud', 'success', 1], ['scrm-events', 'success', 0], ['whatsapp-export', 'success', 0], ['crm-csv', 'success', 1]]);
    expect(build?.status).toBe('success');
    expect(dir).toBeTruthy();
  });
  afterAll(closeAllWarehouses);

  it('refuses a missing or invalid number as bad usage', async () => {
    expect(await parley(['erase'])).toMatchObject({ code: 2, err: expect.stringMatching(/erase needs --phone <number>/) });
    expect(await parley(['erase', '--phone', 'not a phone'])).toMatchObject({ code: 2, err: expect.stringMatching(/--phone "not a phone" is not a valid phone number/) });
  });

  it('removes the person with every merged number from raw, staging, marts and quarantine', async () => {
    // the CLI closes every warehouse when it ends: open again after each command
    wh = await openWarehouse(loadConfig(env));
    // the person is there before: both numbers are one customer
    const ids = await wh.query<{ customer_id: string }>(`select distinct customer_id from staging.int_customer_phones where phone_e164 in ('+85294120001', '+85294120002')`);
    expect(ids).toHaveLength(1);
    for (const term of ['85294120001', 'Mandy Wong', 'Mandi Wang']) expect((await occurrences(wh, term)).length, term).toBeGreaterThan(5);

    await closeAllWarehouses();
    const r = await parley(['erase', '--phone', '9412 0002']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^erased a person with 2 numbers: \d+ rows deleted, 1 rewritten in \d+ tables \(recorded as erasure-[0-9a-f-]+, without who\)\n/);
    // the landing files still hold the number: the command says which (the opportunities export has no phone column)
    expect(r.out).toMatch(/landing folder still has files that mention the number[^\n]*\n.*sf-contacts\.csv\n.*scrm\.ndjson\n.*wa\.ndjson\n$/);

    wh = await openWarehouse(loadConfig(env));
    for (const term of ['85294120001', '85294120002', '94120001', '94120002', '9412 0002', 'Mandy Wong', 'Mandi Wang', 'Mandy', 'Wong', 'Mandi', 'Wang', 'mandy.w@example.com', ids[0]!.customer_id, 'ticket-mandy-A', 'wamid.OUT-A']) {
      expect(await occurrences(wh, term), term).toEqual([]);
    }
  });

  it('keeps everyone else, including their part of a payload shared with the person', async () => {
    wh = await openWarehouse(loadConfig(env));
    expect(await wh.query(`select phone_e164 from staging.int_customer_phones order by 1`)).toEqual([{ phone_e164: '+85294120020' }]);
    const [shared] = await wh.query<{ payload: string }>(`select payload::varchar as payload from raw.whatsapp_payloads where contains(payload::varchar, 'wamid.OUT-I')`);
    expect(JSON.parse(shared!.payload).entry[0].changes[0].value.statuses).toEqual([{ id: 'wamid.OUT-I', status: 'delivered', timestamp: '1794880000', recipient_id: '85294120020' }]);
    expect(await wh.query(`select event_type from raw.scrm_events order by event_type`)).toEqual([{ event_type: 'csat.answered' }, { event_type: 'message.sent' }]);
    expect(await wh.query(`select name from marts.dim_customers`)).toEqual([{ name: 'Ivan Ho' }]);
  });

  it('records that an erasure happened, not who, and a rebuild brings nothing back', async () => {
    const erasures = await wh.query<{ phone_numbers: number; rows_deleted: number; rows_rewritten: number }>(`select phone_numbers, rows_deleted, rows_rewritten from ops.erasures`);
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({ phone_numbers: 2, rows_rewritten: 1 });
    expect(erasures[0]!.rows_deleted).toBeGreaterThan(20);
    expect((await buildWarehouse(wh, { full: true })).status).toBe('success');
    for (const term of ['85294120001', '85294120002', 'Mandy Wong', 'Mandi Wang']) expect(await occurrences(wh, term), term).toEqual([]);
    expect(await wh.query(`select name from marts.dim_customers`)).toEqual([{ name: 'Ivan Ho' }]);
  });
});

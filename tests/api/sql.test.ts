import fs from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/app-context.ts';
import { runningQueryIds, runSandboxedQuery } from '../../api/sql-sandbox.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { as, json, testApp } from '../helpers/api-app.ts';
import { count } from '../helpers/temp-warehouse.ts';

/** A query that never ends on its own: a trillion-row cross join. */
const ENDLESS = 'select sum(a.range * b.range) as s from range(1000000) as a, range(1000000) as b';

describe('POST /api/sql', () => {
  let app: ApiApp;
  let wh: Warehouse;
  let dir: string;
  const sql = (body: Record<string, unknown>, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/sql', headers: { ...as('analyst'), ...headers }, payload: body });

  beforeAll(async () => {
    ({ app, wh, dir } = await testApp());
    fs.writeFileSync(path.join(wh.config.landingDir, 'prices.csv'), 'sku,price\nAPL-IP15PM,9999\nSAM-S24,6999\n');
  });
  afterAll(async () => {
    await app.close();
    await closeAllWarehouses();
  });

  describe('refuses a corpus of hostile statements with a 4xx and keeps serving', () => {
    const escape = '/tmp/parley-sql-escape.csv';
    const corpus = () => [
      // writes and DDL
      'drop table ops.pipeline_runs',
      'delete from ops.pipeline_runs',
      `insert into ops.state values ('x', 'y', now())`,
      `update ops.state set value = '9'`,
      'create table marts.evil as select 1 as x',
      'create macro evil() as 1',
      'with x as (delete from ops.state returning *) select * from x',
      // more than one statement
      'select 1; drop table ops.state',
      'select 1; select 2',
      'select 1 ;; drop table ops.state',
      // files: writes anywhere, reads outside the allowed folders
      `copy (select 1) to '${escape}'`,
      `copy (select 1) to '${path.join(dir, 'inside.csv')}'`,
      `export database '/tmp/parley-sql-export'`,
      `select * from read_csv('/etc/passwd')`,
      `select * from read_text('/etc/hostname')`,
      `select * from read_blob('/proc/self/environ')`,
      `select * from read_csv('${wh.config.landingDir}/../../../etc/passwd')`,
      `select * from glob('/etc/*')`,
      `select * from read_duckdb('${wh.config.dbPath}')`,
      // other databases, extensions, settings
      `attach '/tmp/parley-sql-other.duckdb' as other`,
      'detach memory',
      'install httpfs',
      'load httpfs',
      'set enable_external_access = true',
      'reset lock_configuration',
      'set variable x = 1',
      'use ops',
      // PRAGMA and CALL (PRAGMA prepares as SELECT: the first keyword is checked too)
      'pragma database_list',
      '/* harmless? */ pragma version',
      'call pragma_version()',
      // SELECT-typed tricks: dynamic SQL, sequences, checkpoints, sleeps
      `select * from query('drop table ops.state')`,
      `from query('select 1')`,
      `from query_table('ops.state')`,
      `select * from json_execute_serialized_sql(json_serialize_sql('select 1'))`,
      `select nextval('ops.run_id_seq')`,
      'select * from checkpoint()',
      'select sleep_ms(100000)',
      'from duckdb_secrets()',
      // transaction control and maintenance
      'begin transaction',
      'checkpoint',
      'vacuum',
    ];

    it('has at least 25 statements', () => {
      expect(corpus().length).toBeGreaterThanOrEqual(25);
    });

    it('refuses each one and answers the next query', async () => {
      const before = await wh.query(`select (select count(*) from ops.pipeline_runs) as runs, (select value from ops.state) as state, (select count(*) from duckdb_tables()) as tables`);
      const [seq] = await wh.query<{ v: number }>(`select last_value as v from duckdb_sequences() where sequence_name = 'run_id_seq'`);
      const outcomes: string[] = [];
      for (const statement of corpus()) {
        const r = await sql({ sql: statement });
        outcomes.push(`${r.statusCode >= 400 && r.statusCode < 500 ? 'refused' : `ALLOWED ${r.statusCode}`} ${json(r).error?.code ?? ''} ${statement}`);
        const next = await sql({ sql: 'select 41 + 1 as answer' });
        expect(json(next).rows).toEqual([{ answer: 42 }]);
      }
      expect(outcomes.filter((o) => !o.startsWith('refused'))).toEqual([]);
      expect(outcomes.every((o) => /API_SQL_(FORBIDDEN|INVALID)/.test(o))).toBe(true);
      // Nothing changed and nothing escaped.
      expect(await wh.query(`select (select count(*) from ops.pipeline_runs) as runs, (select value from ops.state) as state, (select count(*) from duckdb_tables()) as tables`)).toEqual(before);
      expect((await wh.query<{ v: number }>(`select last_value as v from duckdb_sequences() where sequence_name = 'run_id_seq'`))[0]).toEqual(seq);
      expect(fs.existsSync(escape)).toBe(false);
      expect(fs.existsSync(path.join(dir, 'inside.csv'))).toBe(false);
      expect(fs.existsSync('/tmp/parley-sql-other.duckdb')).toBe(false);
    });

    it('says which rule a statement broke', async () => {
      expect(json(await sql({ sql: 'select 1; select 2' })).error.message).toMatch(/exactly one statement per request \(found 2/);
      expect(json(await sql({ sql: `select nextval('ops.run_id_seq')` })).error.message).toMatch(/^nextval is not allowed in the SQL console/);
      expect(json(await sql({ sql: `select * from read_csv('/etc/passwd')` })).error.message).toMatch(/Refused: Permission Error: Cannot access file "\/etc\/passwd"/);
      expect(json(await sql({ sql: 'selec 1' })).error.code).toBe('API_SQL_INVALID');
      expect(json(await sql({ sql: 'select * from marts.nothing_here' })).error.code).toBe('API_SQL_INVALID');
    });
  });

  it('reads files in the landing folder, and DESCRIBE, SUMMARIZE, FROM-first and VALUES', async () => {
    const file = path.join(wh.config.landingDir, 'prices.csv');
    expect(json(await sql({ sql: `select sku, price from read_csv('${file}') order by price` })).rows).toEqual([{ sku: 'SAM-S24', price: 6999 }, { sku: 'APL-IP15PM', price: 9999 }]);
    expect(json(await sql({ sql: 'describe ops.state' })).rows.map((r: any) => r.column_name)).toEqual(['key', 'value', 'updated_at']);
    expect(json(await sql({ sql: 'summarize ops.state' })).row_count).toBe(3);
    expect(json(await sql({ sql: 'from ops.state select key' })).rows).toEqual([{ key: 'data_version' }]);
    expect(json(await sql({ sql: `values (1, 'a'), (2, 'b')` })).row_count).toBe(2);
  });

  it('answers columns with types, caps rows with an explicit truncated flag', async () => {
    const r = json(await sql({ sql: 'select range as i, range::varchar as s from range(10)', limit: 3 }));
    expect(r.columns).toEqual([{ name: 'i', type: 'BIGINT' }, { name: 's', type: 'VARCHAR' }]);
    expect(r.rows).toEqual([{ i: 0, s: '0' }, { i: 1, s: '1' }, { i: 2, s: '2' }]);
    expect(r).toMatchObject({ row_count: 3, truncated: true });
    expect(json(await sql({ sql: 'select 1 as x', limit: 1 })).truncated).toBe(false);
    expect(json(await sql({ sql: 'select range from range(5)', limit: 5 })).truncated).toBe(false);
    const big = await sql({ sql: 'select 1', limit: 200_000 });
    expect(big.statusCode).toBe(400);
    expect(json(big).error.message).toMatch(/above 100000 for JSON; ask for text\/csv or Arrow/);
  });

  it('never breaks JSON on BIGINT, HUGEINT, DECIMAL, dates and nested values', async () => {
    const r = await sql({
      sql: `select 9007199254740993::bigint as big, 42::bigint as small, 170141183460469231731687303715884105727::hugeint as huge,
                   12.34::decimal(10,2) as price, 12345678901234567890.12::decimal(38,2) as wide,
                   date '2026-11-23' as day, timestamptz '2026-11-23 08:00:00+08' as at, [1::bigint, 2] as list, {'a': 1::bigint} as obj,
                   'infinity'::timestamp as forever`,
    });
    expect(r.statusCode).toBe(200);
    expect(json(r).rows[0]).toEqual({
      big: '9007199254740993',
      small: 42,
      huge: '170141183460469231731687303715884105727',
      price: 12.34,
      wide: '12345678901234567890.12',
      day: '2026-11-23',
      at: '2026-11-23T00:00:00.000Z',
      list: [1, 2],
      obj: { a: 1 },
      forever: 'infinity',
    });
  });

  it('streams CSV with the row cap and a truncation trailer', async () => {
    const r = await sql({ sql: `select range as n, 'a,"b"' as t from range(5)`, limit: 4 }, { accept: 'text/csv' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['x-parley-row-limit']).toBe('4');
    expect(r.body).toBe('n,t\r\n0,"a,""b"""\r\n1,"a,""b"""\r\n2,"a,""b"""\r\n3,"a,""b"""\r\n');
    expect(r.trailers['x-parley-truncated']).toBe('true');
    const all = await app.inject({ method: 'POST', url: '/api/sql?format=csv', headers: as('analyst'), payload: { sql: 'select 1 as one' } });
    expect(all.body).toBe('one\r\n1\r\n');
    expect(all.trailers['x-parley-truncated']).toBe('false');
  });

  it('answers an Arrow IPC stream that apache-arrow decodes', async () => {
    const r = await sql({ sql: `select range::integer as i, range * 3000000000 as big, 'x' || range as s, (range / 4)::decimal(6,2) as d, timestamptz '2026-11-23 00:00:00Z' + to_minutes(range) as at from range(3000)`, limit: 2500 }, { accept: 'application/vnd.apache.arrow.stream' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(r.rawPayload);
    expect(table.numRows).toBe(2500);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['i:Int32', 'big:Int64', 's:Utf8', 'd:Float64', 'at:Timestamp<MICROSECOND, UTC>']);
    const row = table.get(2001)!.toJSON();
    expect(row).toMatchObject({ i: 2001, big: 6_003_000_000_000n, s: 'x2001', d: 500.25, at: Date.parse('2026-11-24T09:21:00Z') });
    const empty = tableFromIPC((await sql({ sql: 'select 1 as a where false' }, { accept: 'application/vnd.apache.arrow.stream' })).rawPayload);
    expect([empty.numRows, empty.schema.fields.map((f) => f.name)]).toEqual([0, ['a']]);
  });

  it('answers 406 for a format it cannot make', async () => {
    const r = await sql({ sql: 'select 1' }, { accept: 'application/xml' });
    expect(r.statusCode).toBe(406);
    expect(json(r).error.code).toBe('API_NOT_ACCEPTABLE');
  });

  it('interrupts a query at its time limit, and the warehouse keeps answering', async () => {
    const r = await sql({ sql: ENDLESS, timeout_ms: 300 });
    expect(r.statusCode).toBe(408);
    expect(json(r).error).toEqual({ code: 'API_SQL_TIMEOUT', message: 'The query ran longer than 300 ms and was interrupted; add filters or a LIMIT.' });
    expect(json(await sql({ sql: 'select 7 as seven' })).rows).toEqual([{ seven: 7 }]);
    expect(runningQueryIds()).toEqual([]);
  });

  it('cancels a running query by id (its owner or an admin, nobody else)', async () => {
    const pending = sql({ sql: ENDLESS, query_id: 'q-cancel-1', timeout_ms: 120_000 });
    while (!runningQueryIds().includes('q-cancel-1')) await new Promise((r) => setImmediate(r));
    const other = await app.inject({ method: 'DELETE', url: '/api/sql/q-cancel-1', headers: { authorization: 'Bearer tok-analyst-2' } });
    expect(other.statusCode).toBe(401);
    const byManager = await app.inject({ method: 'DELETE', url: '/api/sql/q-cancel-1', headers: as('manager') });
    expect(byManager.statusCode).toBe(403);
    const cancel = await app.inject({ method: 'DELETE', url: '/api/sql/q-cancel-1', headers: as('analyst') });
    expect(json(cancel)).toEqual({ query_id: 'q-cancel-1', cancelled: true });
    const r = await pending;
    expect(r.statusCode).toBe(409);
    expect(json(r).error.code).toBe('API_SQL_CANCELLED');
    expect((await app.inject({ method: 'DELETE', url: '/api/sql/q-cancel-1', headers: as('analyst') })).statusCode).toBe(404);
    expect(json(await sql({ sql: 'select 1 as ok' })).rows).toEqual([{ ok: 1 }]);
  });

  it('refuses a query id that is already running', async () => {
    const pending = sql({ sql: ENDLESS, query_id: 'q-dup', timeout_ms: 120_000 });
    while (!runningQueryIds().includes('q-dup')) await new Promise((r) => setImmediate(r));
    const dup = await sql({ sql: 'select 1', query_id: 'q-dup' });
    expect(dup.statusCode).toBe(400);
    expect((await app.inject({ method: 'DELETE', url: '/api/sql/q-dup', headers: as('admin') })).statusCode).toBe(200);
    expect((await pending).statusCode).toBe(409);
  });

  it('audit-logs every query: who, when, how long, how many rows, how it ended', async () => {
    await wh.run('delete from ops.sql_audit');
    await sql({ sql: 'select range from range(3)', query_id: 'q-audit-ok' });
    await sql({ sql: 'drop table ops.state', query_id: 'q-audit-bad' });
    await runSandboxedQuery(wh, 'select 1', { queryId: 'q-audit-cli', actor: 'cli:tester', channel: 'cli' });
    const rows = await wh.query<Record<string, unknown>>('select query_id, actor, channel, status, rows_returned, is_truncated, error_code, sql_text, elapsed_ms >= 0 as timed, started_at is not null as dated from ops.sql_audit order by query_id');
    expect(rows).toEqual([
      { query_id: 'q-audit-bad', actor: expect.stringMatching(/^analyst:[0-9a-f]{8}$/), channel: 'api', status: 'forbidden', rows_returned: null, is_truncated: null, error_code: 'API_SQL_FORBIDDEN', sql_text: 'drop table ops.state', timed: true, dated: true },
      { query_id: 'q-audit-cli', actor: 'cli:tester', channel: 'cli', status: 'success', rows_returned: 1, is_truncated: false, error_code: null, sql_text: 'select 1', timed: true, dated: true },
      { query_id: 'q-audit-ok', actor: expect.stringMatching(/^analyst:[0-9a-f]{8}$/), channel: 'api', status: 'success', rows_returned: 3, is_truncated: false, error_code: null, sql_text: 'select range from range(3)', timed: true, dated: true },
    ]);
    expect(await count(wh, `select count(*) as n from ops.sql_audit where actor like '%tok-%'`)).toBe(0);
  });

  it('validates the body', async () => {
    const r = await sql({ sql: '' });
    expect(r.statusCode).toBe(400);
    expect(json(r).error.code).toBe('API_BAD_REQUEST');
    expect(json(await sql({ sql: 'select 1', limit: 0 })).error.message).toMatch(/body\/limit must be >= 1/);
  });
});

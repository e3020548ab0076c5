import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../pipelines/demo/write-demo.ts';
import { runAll } from '../../pipelines/run-all.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { render } from '../../warehouse/model-runner.ts';
import { FIXTURES, tempWarehouse } from '../helpers/temp-warehouse.ts';

// staging.stg_messages converts sent_at to PARLEY_TZ once (sent_at_local) and stores its rows
// in conversation order; marts.fct_messages takes its local date, weekday, hour and week from
// that column instead of converting again. The previous queries are kept in
// tests/fixtures/previous-sql/: on the same data both must give the same rows. The demo runs
// in New York across the end of daylight saving time (1 November 2026), where the local hour
// repeats, so the conversion is tested where an offset arithmetic would go wrong.

const TZ = 'America/New_York';

/** A previous model query from tests/fixtures/previous-sql/, rendered for a full build. */
function previousSql(file: string, vars: Record<string, string> = {}): string {
  return render({ id: file, sql: fs.readFileSync(path.join(FIXTURES, 'previous-sql', file), 'utf8') }, { since_load_id: '0', ...vars });
}

describe('stg_messages.sent_at_local and its conversation order', () => {
  let wh: Warehouse;

  beforeAll(async () => {
    ({ wh } = await tempWarehouse({ PARLEY_TZ: TZ }));
    writeDemo({ days: 8, customers: 400, seed: 11, end: '2026-11-05', tz: TZ }, wh.config.landingDir);
    const run = await runAll(wh, { trigger: 'test', now: () => new Date('2026-11-05T12:00:00Z') });
    expect(run.build?.status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  it('has every column of the previous query with the same rows', async () => {
    const rows = await wh.query('select * exclude (sent_at_local) from staging.stg_messages order by message_id');
    const previous = await wh.query(`select * from (${previousSql('stg_messages.unordered.sql')}) order by message_id`);
    expect(rows.length).toBeGreaterThan(500);
    expect(rows).toEqual(previous);
  });

  it('holds sent_at as wall-clock time in PARLEY_TZ, on both sides of the clock change', async () => {
    const [r] = await wh.query<{ n: number; wrong: number; offsets: number[] }>(
      `select count(*) as n,
              count(*) filter (where sent_at_local is distinct from timezone('${TZ}', sent_at)) as wrong,
              list(distinct cast(epoch(sent_at_local) - epoch(sent_at) as integer)) as offsets
       from staging.stg_messages`,
    );
    expect(r!.n).toBeGreaterThan(500);
    expect(r!.wrong).toBe(0);
    expect([...r!.offsets].sort((a, b) => a - b)).toEqual([-5 * 3600, -4 * 3600]);
  });

  it('stores rows in conversation order (conversation_id, then sent_at)', async () => {
    const stored = await wh.query<{ conversation_id: string; sent_at: Date }>('select conversation_id, sent_at from staging.stg_messages');
    const sorted = await wh.query<{ conversation_id: string; sent_at: Date }>('select conversation_id, sent_at from staging.stg_messages order by conversation_id, sent_at');
    expect(stored.length).toBeGreaterThan(500);
    expect(stored).toEqual(sorted);
  });

  it('gives fct_messages the same rows as converting sent_at in the mart', async () => {
    const rows = await wh.query('select * from marts.fct_messages order by message_id');
    const previous = await wh.query(`select * from (${previousSql('fct_messages.timezone.sql', { tz: TZ })}) order by message_id`);
    expect(rows.length).toBeGreaterThan(500);
    expect(rows).toEqual(previous);
  });
});

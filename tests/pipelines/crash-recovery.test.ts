import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBERS } from '../../pipelines/demo/catalog.ts';
import { inboundPayload } from '../../pipelines/demo/webhook-format.ts';
import { runSource } from '../../pipelines/loader.ts';
import { parseFileCursor } from '../../pipelines/landing-files.ts';
import { WHATSAPP_BATCH_BYTES, whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { closeAllWarehouses, openWarehouse } from '../../warehouse/db.ts';
import { PROJECT_ROOT } from '../../config/config.ts';
import { count, tempConfig } from '../helpers/temp-warehouse.ts';

const FILES = 12;
const LINES_PER_FILE = 20_000;
const LINES = FILES * LINES_PER_FILE;
/** Lines padded so that 8 files fill a batch: the run commits 8 files, then is killed inside the batch of the other 4. */
const LINE_BYTES = Math.ceil(WHATSAPP_BATCH_BYTES / 8 / LINES_PER_FILE);

describe('a crash in the middle of an ingest', () => {
  afterAll(closeAllWarehouses);

  it('leaves no partial batch, and the next run loads everything exactly once', async () => {
    const { dir, config } = tempConfig();
    const folder = path.join(config.landingDir, 'whatsapp');
    fs.mkdirSync(folder);
    const num = BUSINESS_NUMBERS[0]!;
    for (let f = 0; f < FILES; f++) {
      let text = '';
      for (let j = f * LINES_PER_FILE; j < (f + 1) * LINES_PER_FILE; j++) {
        const line = inboundPayload(num, '85294000000', 'Crash Test', `wamid.CRASH${j}`, 1732700000000 + j * 1000, { type: 'text', text: `message ${j} ` });
        const padded = inboundPayload(num, '85294000000', 'Crash Test', `wamid.CRASH${j}`, 1732700000000 + j * 1000, { type: 'text', text: `message ${j} ${'.'.repeat(Math.max(0, LINE_BYTES - line.length - 1))}` });
        text += `${padded}\n`;
      }
      fs.writeFileSync(path.join(folder, `day-${String(f).padStart(2, '0')}.ndjson`), text);
    }

    // Kill -9 the CLI as soon as it reports its first committed batch: it is then inside the next one.
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/parley.js'), 'ingest', 'whatsapp-cloud'], {
      env: { ...process.env, PARLEY_DB: config.dbPath, PARLEY_LANDING: config.landingDir },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/whatsapp-cloud: [\d,]+ records read/.test(stderr)) child.kill('SIGKILL');
    });
    const signal = await exited;
    expect(signal, `the ingest finished before it could be killed; stderr: ${stderr}`).toBe('SIGKILL');

    const wh = await openWarehouse(config);
    const raw = await count(wh, 'select count(*) as n from raw.whatsapp_payloads');
    const cursors = await wh.query<{ cursor_value: string }>(`select cursor_value from ops.cursors where source = 'whatsapp-cloud'`);
    const covered = cursors.reduce((sum, c) => sum + (parseFileCursor(c.cursor_value)?.lines ?? 0), 0);
    // What landed is exactly what the stored cursors cover: whole batches of whole files only.
    expect(raw).toBeGreaterThan(0);
    expect(raw).toBeLessThan(LINES);
    expect(raw % LINES_PER_FILE).toBe(0);
    // The landing is bigger than one batch, so the kill fell between batches (not after the only one).
    expect(FILES * LINES_PER_FILE * LINE_BYTES).toBeGreaterThan(WHATSAPP_BATCH_BYTES * 1.4);
    expect(covered).toBe(raw);
    expect(await wh.query(`select status from ops.pipeline_runs`)).toEqual([{ status: 'running' }]);

    const rerun = await runSource(wh, whatsappCloudSource);
    expect(rerun.status).toBe('success');
    expect(rerun.rowsRead).toBe(LINES - raw);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads')).toBe(LINES);
    expect(await count(wh, 'select count(distinct (source_file, line_no)) as n from raw.whatsapp_payloads')).toBe(LINES);
    const runs = await wh.query<{ status: string }>('select status from ops.pipeline_runs order by run_id');
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'success']);
  });
});

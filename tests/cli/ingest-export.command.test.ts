import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { closeAllWarehouses } from '../../warehouse/db.ts';
import { FIXTURES, tempConfig } from '../helpers/temp-warehouse.ts';
import { tempDir } from '../helpers/temp-dirs.ts';

async function parley(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { add(chunk.toString()); cb(); } });
  const code = await main(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) }, env);
  return { code, out, err };
}

const fixture = path.join(FIXTURES, 'whatsapp-export', 'android-en-gb.txt');

describe('parley ingest whatsapp-export', () => {
  afterAll(closeAllWarehouses);
  const env = () => {
    const { dir } = tempConfig();
    return { PARLEY_DB: path.join(dir, 'parley.duckdb'), PARLEY_LANDING: path.join(dir, 'landing') };
  };

  it.each([
    [['--date-order', 'ydm'], /^parley ingest: --date-order "ydm" must be dmy, mdy or ymd/],
    [['--tz', 'Hong Kong'], /^parley ingest: --tz "Hong Kong" is not an IANA timezone/],
    [['--business', ' '], /^parley ingest: --business must name the person/],
  ])('exits 2 before running on %j', async (args, message) => {
    const r = await parley(['ingest', 'whatsapp-export', '--path', fixture, ...args], env());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('exits 2 with what to do when no business name is given or configured', async () => {
    const r = await parley(['ingest', 'whatsapp-export', '--path', fixture], { ...env(), PARLEY_CONFIG_DIR: tempDir('parley-config-') });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/pass --business "NAME" or list it in .*business\.json/);
  });

  it('loads an export and reports its system lines', async () => {
    const r = await parley(['ingest', 'whatsapp-export', '--path', fixture, '--business', 'Shirley Tam', '--tz', 'Asia/Seoul'], env());
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/read 10, loaded 4, quarantined 0, 1 files read, 2 media messages, 2 system lines, 1 deleted messages, 4 continuation lines/);
  });
});

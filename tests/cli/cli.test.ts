import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { COMMAND_LOADERS, main } from '../../cli/main.ts';
import { FIXTURES, tempConfig } from '../helpers/temp-warehouse.ts';

/** Runs the CLI in-process and captures what it prints. */
async function parley(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { add(chunk.toString()); cb(); } });
  const code = await main(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) }, env);
  return { code, out, err };
}

const envFor = (dir: string, landing = path.join(dir, 'landing')) => ({ PARLEY_DB: path.join(dir, 'parley.duckdb'), PARLEY_LANDING: landing });

describe('parley CLI', () => {
  it('loads each command under its own name (a command module is loaded only when it runs)', async () => {
    for (const [name, load] of Object.entries(COMMAND_LOADERS)) expect((await load()).name).toBe(name);
    expect(Object.keys(COMMAND_LOADERS)).toEqual(['serve', 'demo', 'ingest', 'build', 'run', 'sql', 'report', 'status', 'erase', 'export']);
  });

  it('prints help, and exits 2 without a command', async () => {
    const { dir } = tempConfig();
    const help = await parley(['--help'], envFor(dir));
    expect(help.code).toBe(0);
    expect(help.out).toContain('ingest');
    expect((await parley([], envFor(dir))).code).toBe(2);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['ingest', 'nope'], /Unknown source "nope"\. Known sources: whatsapp-cloud, scrm-events/],
    [['ingest'], /ingest takes one source name/],
    [['build', '--fast'], /Unknown option '--fast'/],
    [['demo', '--days', 'many'], /--days must be a whole number/],
    [['sql', 'select 1', '--format', 'xml'], /--format must be table, json or csv/],
  ])('exits 2 with a one-line reason for bad usage: %j', async (args, message) => {
    const { dir } = tempConfig();
    const r = await parley(args, envFor(dir));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')[0]).toMatch(/^parley /);
  });

  it('exits 2 on a bad environment value', async () => {
    const { dir } = tempConfig();
    const r = await parley(['status'], { ...envFor(dir), PARLEY_TZ: 'Mars/Olympus' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/PARLEY_TZ="Mars\/Olympus" is not an IANA timezone/);
  });

  it('exits 1 with what to do when the landing folder is missing', async () => {
    const { dir } = tempConfig();
    const r = await parley(['ingest', 'whatsapp-cloud'], envFor(dir, path.join(dir, 'no-such-landing')));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Landing folder .*no-such-landing does not exist: run `parley demo`/);
  });

  it('exits 2 when --path does not exist', async () => {
    const { dir } = tempConfig();
    const r = await parley(['ingest', 'scrm-events', '--path', path.join(dir, 'missing.ndjson')], envFor(dir));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--path .*missing\.ndjson does not exist/);
  });

  it('exits 1 on a corrupt warehouse file and leaves it untouched', async () => {
    const { dir } = tempConfig();
    const db = path.join(dir, 'parley.duckdb');
    fs.writeFileSync(db, 'garbage'.repeat(1000));
    const r = await parley(['status'], envFor(dir));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not a readable DuckDB warehouse/);
    expect(fs.readFileSync(db, 'utf8')).toBe('garbage'.repeat(1000));
  });

  it('ingests, builds, answers SQL in three formats and shows the status', async () => {
    const { dir } = tempConfig();
    const env = envFor(dir);
    const ingest = await parley(['ingest', 'whatsapp-cloud', '--path', path.join(FIXTURES, 'whatsapp-cloud', 'malformed.ndjson')], env);
    expect(ingest.code).toBe(0);
    expect(ingest.err).toMatch(/read 7, loaded 2, quarantined 4, 1 blank lines/);
    expect((await parley(['build'], env)).code).toBe(0);
    const json = await parley(['sql', 'select text from staging.stg_whatsapp_messages order by text', '--format', 'json'], env);
    expect(JSON.parse(json.out)).toEqual([{ text: 'good one' }, { text: 'good two' }]);
    const csv = await parley(['sql', 'select 1 as a, \'x,y\' as b', '--format', 'csv'], env);
    expect(csv.out).toBe('a,b\n1,"x,y"\n');
    const table = await parley(['sql', 'select 42 as answer'], env);
    expect(table.out).toMatch(/answer\n------\n42/);
    const refused = await parley(['sql', 'drop table raw.whatsapp_payloads'], env);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/Only read-only queries/);
    const status = await parley(['status'], env);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/whatsapp-cloud\s+\S+ ago\s+success\s+7\s+2\s+4 \(total 4\)/);
    expect(status.out).toMatch(/staging\.stg_whatsapp_messages\s+2/);
  });
});

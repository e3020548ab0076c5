import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL 15 cluster on 127.0.0.1, run as the `postgres` user. */
export interface PeerPostgres {
  readonly port: number;
  /** Runs SQL through psql; returns stdout (CSV with a header for queries). */
  psql(sql: string): Promise<string>;
  /** Runs one query with psql's \timing: the rows as CSV and the server round trip in seconds. */
  timed(sql: string): Promise<{ csv: string; seconds: number }>;
  /** COPY a CSV file (no header) into a table through psql's stdin. */
  copyIn(table: string, file: string): Promise<void>;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command as the postgres user (the bench runs as root; PostgreSQL refuses root). */
function asPostgres(cmd: string, args: readonly string[], input?: fs.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    if (input) input.pipe(child.stdin!);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} failed (${code}): ${err.slice(-2000)}`))));
  });
}

/** Installs PostgreSQL 15 with apt-get when its binaries are missing. */
function ensureInstalled(log: (line: string) => void): void {
  if (fs.existsSync(path.join(PG_BIN, 'initdb'))) return;
  log('  PostgreSQL 15 missing: apt-get install -y postgresql');
  execFileSync('apt-get', ['install', '-y', 'postgresql'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) throw new Error(`apt-get installed PostgreSQL but ${PG_BIN}/initdb is missing (not version 15?)`);
}

/**
 * initdb into a temp folder and start on 127.0.0.1 with a free port (socket in the same
 * folder). Settings a good engineer gives an analytics box with 2 cores: memory for sorts
 * and hashes, parallel workers, no fsync (a throwaway copy; loading is not what is timed).
 */
export async function startPostgres(log: (line: string) => void): Promise<PeerPostgres> {
  ensureInstalled(log);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-pg-'));
  execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const stop = async () => {
    try {
      await asPostgres(path.join(PG_BIN, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']);
    } catch {
      // not running
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await asPostgres(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c shared_buffers=1GB',
      '-c work_mem=256MB',
      '-c maintenance_work_mem=512MB',
      '-c effective_cache_size=8GB',
      '-c max_parallel_workers_per_gather=2',
      '-c random_page_cost=1.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await asPostgres(path.join(PG_BIN, 'pg_ctl'), ['start', '-D', data, '-w', '-l', path.join(dir, 'server.log'), '-o', settings]);
  } catch (err) {
    await stop();
    throw err;
  }
  const base = ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-X', '-q'];
  const psqlBin = path.join(PG_BIN, 'psql');
  return {
    port,
    psql: (sql) => asPostgres(psqlBin, [...base, '--csv', '-c', sql]),
    async timed(sql) {
      const out = await asPostgres(psqlBin, [...base, '--csv', '-c', '\\timing on', '-c', sql]);
      const m = /\nTime: ([\d.]+) ms[^\n]*\n?$/.exec(out);
      if (!m) throw new Error(`psql printed no timing: ${out.slice(-500)}`);
      return { csv: out.slice(0, m.index + 1), seconds: Number(m[1]) / 1000 };
    },
    copyIn: async (table, file) => void (await asPostgres(psqlBin, [...base, '-c', `copy ${table} from stdin (format csv)`], fs.createReadStream(file))),
    stop,
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.ts';
import { signatureOf } from '../../api/webhook/signature.ts';
import type { BenchContext } from './context.ts';

/** The bench server's one token (admin may use every route) and its webhook app secret. */
export const BENCH_TOKEN = 'bench-admin-token';
export const BENCH_APP_SECRET = 'bench-app-secret';

/** A `parley serve` child process over the bench warehouse. */
export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  /** GET a route as the bench token; throws unless 200. */
  get(route: string): Promise<unknown>;
  /** One query through POST /api/sql; rows as objects. */
  sql<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Graceful stop (SIGTERM, as an operator's Ctrl-C), waiting for the process to exit. */
  stop(): Promise<void>;
}

/** Authorization header of the bench token. */
export const authHeader = { authorization: `Bearer ${BENCH_TOKEN}` };

/**
 * Starts the real server as `parley serve` does it (its own process, so load generation in
 * the bench process does not share its event loop) on 127.0.0.1 with an ephemeral port,
 * without demo seeding or the scheduler, and waits until it listens.
 */
export function startBenchServer(ctx: BenchContext): Promise<BenchServer> {
  const env = {
    ...process.env,
    PARLEY_DB: ctx.config.dbPath,
    PARLEY_LANDING: ctx.landingDir,
    PARLEY_TOKENS: `${BENCH_TOKEN}:admin`,
    WHATSAPP_APP_SECRET: BENCH_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
  };
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'parley.js'), 'serve', '--no-demo', '--no-schedule', '--host', '127.0.0.1', '--port', '0'], { env, cwd: ctx.workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  // The server's log, kept for the profile when a figure looks wrong.
  const logFile = fs.createWriteStream(path.join(ctx.workDir, 'server.log'), { flags: 'a' });
  child.stdout!.pipe(logFile);
  child.stderr!.pipe(logFile);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`parley serve did not listen within 120 s: ${output.slice(-2000)}`)), 120_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /parley serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(benchServer(m[1]!, child));
      } else if (output.length > 1e6) output = output.slice(-1e5);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => fail(new Error(`parley serve exited (${code}) before listening: ${output.slice(-2000)}`)));
  });
}

function benchServer(url: string, child: ChildProcess): BenchServer {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    async get(route) {
      const r = await fetch(url + route, { headers: authHeader });
      if (r.status !== 200) throw new Error(`GET ${route}: ${r.status} ${(await r.text()).slice(0, 500)}`);
      return r.json();
    },
    async sql(sql) {
      const r = await fetch(`${url}/api/sql`, { method: 'POST', headers: { ...authHeader, 'content-type': 'application/json' }, body: JSON.stringify({ sql, limit: 10_000, timeout_ms: 120_000 }) });
      if (r.status !== 200) throw new Error(`POST /api/sql: ${r.status} ${(await r.text()).slice(0, 500)}`);
      return ((await r.json()) as { rows: never[] }).rows;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * When bench deliveries are dated: just after the warehouse's last message. Dated "now",
 * they would put whatsapp days ahead of the demo's other sources, the build's freshness_lag
 * check fails and every webhook build rolls back.
 */
export async function benchMessageTime(server: BenchServer): Promise<Date> {
  const [{ last }] = (await server.sql<{ last: string }>('select max(sent_at) as last from marts.fct_messages')) as [{ last: string }];
  return new Date(new Date(last).getTime() + 60_000);
}

/** A Meta webhook body with one inbound text message (distinct wamid per call), signed. */
export function signedDelivery(wamid: string, from: string, sentAt: Date): { body: string; signature: string } {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '85230012345', phone_number_id: '1098765' },
      contacts: [{ profile: { name: 'Bench Customer' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(sentAt.getTime() / 1000)), type: 'text', text: { body: `bench message ${wamid}` } }],
    } }] }],
  });
  return { body, signature: signatureOf(body, BENCH_APP_SECRET) };
}

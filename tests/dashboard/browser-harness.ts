import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The checkout, where bin/parley.js is. */
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** Where page screenshots go (gitignored). */
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

/** Debian's chromium, installed by apt-get (.ci/run does it); nothing is downloaded. */
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/** Builds dashboard/dist when a dashboard source is newer than the last build. */
export function buildDashboardIfStale(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'build-dashboard.js'), '--if-stale'], { cwd: ROOT, stdio: 'pipe' });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A `parley serve` child process on 127.0.0.1 with its own temp warehouse. */
export interface ServeProcess {
  readonly url: string;
  readonly dir: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

/**
 * Writes a small demo into a temp landing folder (`parley demo`), then starts
 * `parley serve` on a free loopback port, which loads it through the real pipelines and
 * builds the marts; resolves once /api/health answers.
 */
export async function startServe(opts: { days: number; customers: number; env?: Record<string, string>; readyStatus?: number }): Promise<ServeProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-dash-'));
  const env = { ...process.env, PARLEY_DB: path.join(dir, 'parley.duckdb'), PARLEY_LANDING: path.join(dir, 'landing'), PARLEY_TOKENS: '', PARLEY_TOKEN: '', ...opts.env };
  execFileSync(process.execPath, ['bin/parley.js', 'demo', '--days', String(opts.days), '--customers', String(opts.customers), '--seed', '1', '--out', env.PARLEY_LANDING], { cwd: ROOT, env, stdio: 'pipe' });
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['bin/parley.js', 'serve', '--port', String(port), '--host', '127.0.0.1', '--no-schedule'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`parley serve exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === (opts.readyStatus ?? 200)) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`parley serve did not answer within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dir,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless chromium with a fresh profile, no GPU, no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** What went wrong on a page: console errors, uncaught exceptions, failed API answers. */
export interface PageProblems {
  readonly console: string[];
  readonly exceptions: string[];
  readonly failedResponses: { url: string; method: string; status: number; body: string }[];
}

/**
 * Records a page's console errors, uncaught exceptions and API answers of 400 or more.
 * Chrome logs every non-2xx fetch as a console error ("Failed to load resource"); those are
 * kept as failed responses instead, with the answer's body, so a test can tell a mart
 * that is not built yet (503 API_MART_NOT_BUILT) from a real failure.
 */
export function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { console: [], exceptions: [], failedResponses: [] };
  // Sums the page's layout shifts (Chromium's Layout Instability API), as Cumulative Layout Shift.
  void page.addInitScript(() => {
    const w = window as unknown as { __layoutShift: number };
    w.__layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) w.__layoutShift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.console.push(m.text());
  });
  page.on('pageerror', (e) => problems.exceptions.push(e.message));
  page.on('response', async (res) => {
    if (res.status() < 400) return;
    const entry = { url: res.url(), method: res.request().method(), status: res.status(), body: '' };
    problems.failedResponses.push(entry);
    try {
      entry.body = await res.text();
    } catch {
      // Chrome may have dropped the body already; the test asks again (GETs only).
    }
  });
  return problems;
}

/** The page's cumulative layout shift so far (0 = nothing moved; 0.1 is the usual "good" bar). */
export function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __layoutShift?: number }).__layoutShift ?? 0);
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

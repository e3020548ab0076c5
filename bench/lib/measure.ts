import { spawn } from 'node:child_process';

/** A figure measured several times: median with the spread. */
export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/** Median, min and max of some numbers. */
export function summarise(values: readonly number[]): Sample {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s.at(-1)!, runs: s.length };
}

/** Runs `fn` `times` times (each after `setup`), returning the wall-clock seconds of each run. */
export async function repeat(times: number, fn: () => Promise<void>, setup?: () => Promise<void>): Promise<Sample> {
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) {
    if (setup) await setup();
    const t0 = performance.now();
    await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return summarise(seconds);
}

/** What a child process took: wall seconds, peak resident memory, exit code and output. */
export interface ChildRun {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command through GNU time to get its peak resident set size (the whole process:
 * JS heap and DuckDB's native memory).
 */
export function runChild(cmd: string, args: readonly string[], env: Record<string, string>, cwd: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '__PEAK_KB=%M', cmd, ...args], { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const kb = Number(/__PEAK_KB=(\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ seconds: (performance.now() - t0) / 1000, peakRssMb: kb / 1024, code: code ?? 1, stdout, stderr: stderr.replace(/__PEAK_KB=\d+\n?/, '') });
    });
  });
}

/** Formats seconds for the results table. */
export function fmtSeconds(s: Sample): string {
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  return `${f(s.median)} s (min ${f(s.min)}, max ${f(s.max)}, n=${s.runs})`;
}

import os from 'node:os';
import { execSync } from 'node:child_process';
import type { PhaseResult } from './context.ts';

/** Machine, date, commit and command of a bench run, for the results header. */
export function runHeader(command: string): string[] {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() + (execSync('git status --porcelain', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ? ' (with uncommitted changes)' : '');
  } catch {
    // not a git checkout
  }
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}`,
    `- node ${process.version}`,
    `- commit: ${commit}`,
    `- command: \`${command}\``,
  ];
}

/** Renders a bench run as Markdown. */
export function renderResults(title: string, header: string[], phases: readonly PhaseResult[]): string {
  const out = [`# ${title}`, '', ...header, ''];
  const bars = phases.flatMap((p) => p.figures.filter((f) => f.bar).map((f) => ({ ...f, phase: p.phase })));
  if (bars.length > 0) {
    out.push('## Bars (DESIGN section 9)', '', '| phase | figure | value | bar | met |', '|---|---|---|---|---|');
    for (const b of bars) out.push(`| ${b.phase} | ${b.name} | ${b.value} | ${b.bar} | ${b.met ? 'yes' : '**no**'} |`);
    out.push('');
  }
  for (const p of phases) {
    out.push(`## ${p.phase}`, '');
    if (p.skipped) {
      out.push(`Not measured: ${p.skipped}`, '');
      continue;
    }
    out.push('| figure | value | bar |', '|---|---|---|');
    for (const f of p.figures) out.push(`| ${f.name} | ${f.value} | ${f.bar ? `${f.bar}: ${f.met ? 'met' : '**not met**'}` : ''} |`);
    out.push('');
    for (const n of p.notes ?? []) out.push(`- ${n}`);
    if (p.notes?.length) out.push('');
  }
  return out.join('\n');
}

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePhase } from '../../bench/phases/generate.bench.ts';
import type { BenchContext } from '../../bench/lib/context.ts';
import { tempDir } from '../helpers/temp-dirs.ts';

/** Writes `files` (relative path -> text) under `root`. */
function write(root: string, files: string[]): void {
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), `${rel}\n`);
  }
}

/** Every file under `root`, relative, sorted. */
function list(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}

/** A context with only what the generate phase's reuse reads. */
function contextFor(reuseLanding: string): BenchContext {
  const workDir = tempDir('parley-bench-reuse-');
  return { workDir, landingDir: path.join(workDir, 'landing'), nextDayDir: path.join(workDir, 'next-day'), reuseLanding, log: () => {} } as unknown as BenchContext;
}

const DAYS = ['whatsapp/wa-2026-11-20.ndjson', 'whatsapp/wa-2026-11-21.ndjson', 'scrm/scrm-2026-11-20.ndjson', 'scrm/scrm-2026-11-21.ndjson', 'crm/hubspot/contacts.csv'];

describe('bench --landing', () => {
  it('sets the last day of a demo landing folder aside as the new day', async () => {
    const src = path.join(tempDir('parley-bench-src-'), 'demo');
    write(src, DAYS);
    const ctx = contextFor(src);
    await generatePhase.run(ctx);
    expect(list(ctx.landingDir)).toEqual(['crm/hubspot/contacts.csv', 'scrm/scrm-2026-11-20.ndjson', 'whatsapp/wa-2026-11-20.ndjson']);
    expect(list(ctx.nextDayDir)).toEqual(['scrm/scrm-2026-11-21.ndjson', 'whatsapp/wa-2026-11-21.ndjson']);
  });

  it("reuses a bench work folder's landing with its own next day, dropping no day", async () => {
    const work = tempDir('parley-bench-src-');
    write(path.join(work, 'landing'), DAYS);
    write(path.join(work, 'next-day'), ['whatsapp/wa-2026-11-22.ndjson', 'scrm/scrm-2026-11-22.ndjson']);
    const ctx = contextFor(path.join(work, 'landing'));
    const result = await generatePhase.run(ctx);
    expect(list(ctx.landingDir)).toEqual([...DAYS].sort());
    expect(list(ctx.nextDayDir)).toEqual(['scrm/scrm-2026-11-22.ndjson', 'whatsapp/wa-2026-11-22.ndjson']);
    expect(result.figures[0]!.name).toContain('2026-11-22');
    // The source is hard-linked, not moved.
    expect(list(path.join(work, 'next-day'))).toHaveLength(2);
  });
});

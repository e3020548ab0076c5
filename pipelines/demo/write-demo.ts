import fs from 'node:fs';
import path from 'node:path';
import { simulate, type DemoParams } from './simulate.ts';
import { DEMO_WRITERS } from './writers.ts';

/** What `parley demo` wrote. */
export interface DemoSummary {
  readonly files: number;
  readonly bytes: number;
  readonly messages: number;
  readonly customers: number;
  readonly deals: number;
  readonly elapsedMs: number;
}

/**
 * Writes a demo data set into `landingDir`: one webhook NDJSON and one SCRM NDJSON file per
 * day (`whatsapp/wa-<date>.ndjson`, `scrm/scrm-<date>.ndjson`), then the other formats.
 * Streams day by day, so 10M messages fit in little memory.
 */
export function writeDemo(params: DemoParams, landingDir: string, onProgress?: (day: number, days: number, messages: number) => void): DemoSummary {
  const started = Date.now();
  const waDir = path.join(landingDir, 'whatsapp');
  const scrmDir = path.join(landingDir, 'scrm');
  fs.mkdirSync(waDir, { recursive: true });
  fs.mkdirSync(scrmDir, { recursive: true });
  let files = 0;
  let bytes = 0;
  let dayIndex = 0;
  let messages = 0;
  const writeLines = (file: string, lines: string[]) => {
    const text = lines.length ? `${lines.join('\n')}\n` : '';
    fs.writeFileSync(file, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  const world = simulate(params, (day) => {
    writeLines(path.join(waDir, `wa-${day.date}.ndjson`), day.webhook);
    writeLines(path.join(scrmDir, `scrm-${day.date}.ndjson`), day.scrm);
    dayIndex++;
    messages += day.webhook.length;
    onProgress?.(dayIndex, params.days, messages);
  });
  for (const writer of DEMO_WRITERS) {
    for (const f of writer.write({ params, customers: world.customers, deals: world.deals }, landingDir)) {
      files++;
      bytes += fs.statSync(f).size;
    }
  }
  return { files, bytes, messages: world.messages, customers: world.customers.length, deals: world.deals.length, elapsedMs: Date.now() - started };
}

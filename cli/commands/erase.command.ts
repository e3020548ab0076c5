import fs from 'node:fs';
import path from 'node:path';
import { erasePerson, type ErasureResult } from '../../pipelines/erasure/erase-person.ts';
import { phoneTerms } from '../../pipelines/erasure/person.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { viaServer } from '../server-client.ts';

/**
 * Landing files that mention any of `terms` (digits), however the number was written
 * (`+852 9412 0001`, `9412-0001`): Parley never rereads them, but they still hold the person.
 */
function landingFilesMentioning(dir: string, terms: readonly string[], limit = 20): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, entry);
    if (!fs.statSync(file).isFile()) continue;
    const digits = fs.readFileSync(file, 'utf8').replace(/[\s().+-]/g, '');
    if (terms.some((t) => digits.includes(t))) found.push(file);
    if (found.length >= limit) break;
  }
  return found;
}

/** `parley erase --phone <number>` (through `parley serve` while it runs). */
export const eraseCommand: Command = {
  name: 'erase',
  summary: 'remove one person (all their numbers) from raw, staging, marts and quarantine',
  usage: 'parley erase --phone <number>',
  options: { phone: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    const phone = values.phone;
    if (typeof phone !== 'string' || phone.trim() === '' || positionals.length > 0) throw new UsageError('erase needs --phone <number>, e.g. parley erase --phone +85291234567');
    const result = await viaServer<ErasureResult>(
      ctx.config,
      (server) => server.request<ErasureResult>('POST', '/api/erase', { phone }),
      async () => {
        const wh = await openWarehouse(ctx.config);
        const erased = await erasePerson(wh, phone);
        await wh.run('checkpoint');
        return erased;
      },
    );
    const tables = Object.keys(result.tables).length;
    ctx.out.write(
      `erased ${result.phoneNumbers === 1 ? 'a person with 1 number' : `a person with ${result.phoneNumbers} numbers`}: ${result.rowsDeleted} rows deleted, ${result.rowsRewritten} rewritten in ${tables} tables (recorded as ${result.erasureId}, without who)\n`,
    );
    if (result.rowsDeleted + result.rowsRewritten === 0) ctx.out.write('nothing in the warehouse mentioned that number\n');
    for (const left of result.namesLeft) ctx.out.write(`  kept: ${left.rows} rows of ${left.table} carry the same name but belong to other people\n`);
    const files = landingFilesMentioning(ctx.config.landingDir, result.phones.flatMap(phoneTerms));
    if (files.length > 0) {
      ctx.out.write(`the landing folder still has files that mention the number (Parley will not read them again; delete or redact them):\n${files.map((f) => `  ${f}`).join('\n')}\n`);
    }
    return 0;
  },
};

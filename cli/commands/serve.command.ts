import { seedDemoIfEmpty } from '../../pipelines/demo/seed-demo.ts';
import { readStatus } from '../../pipelines/status.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { Command } from '../command.ts';
import { renderStatus } from './status.command.ts';

/**
 * `parley serve`. Until the API server lands, it prepares the warehouse the way the
 * server will: seeds demo data into an empty warehouse through the real pipelines, then
 * prints the status.
 */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'seed an empty warehouse with demo data and show its status (the API server comes with its issue)',
  usage: 'parley serve [--no-demo]',
  options: { 'no-demo': { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' } },
  async run({ values }, ctx) {
    const wh = await openWarehouse(ctx.config);
    if (values['no-demo'] !== true) await seedDemoIfEmpty(wh, ctx.log);
    ctx.out.write(`${renderStatus(await readStatus(wh))}\n`);
    return 0;
  },
};

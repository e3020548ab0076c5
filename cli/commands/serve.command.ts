import type { Command } from '../command.ts';
import { intOption } from '../errors.ts';

/**
 * `parley serve`: the API, the dashboard and the scheduler in one process that owns the
 * warehouse file. Seeds demo data into an empty warehouse unless `--no-demo`. Stops
 * gracefully on SIGINT/SIGTERM.
 */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'API, dashboard and scheduler in one process (seeds demo data into an empty warehouse unless --no-demo)',
  usage: 'parley serve [--port 3000] [--host 127.0.0.1] [--no-demo] [--no-schedule]',
  options: { 'no-demo': { type: 'boolean' }, 'no-schedule': { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' } },
  async run({ values }, ctx) {
    const port = values.port === undefined ? undefined : intOption(values, 'port', ctx.config.port, 0);
    // Loaded here, not at the top: every other command (a build timed as a whole process)
    // would otherwise pay for loading the API, about 2 s of the CLI's start.
    const { startServer } = await import('../../api/server.ts');
    const server = await startServer({
      config: ctx.config,
      port,
      host: values.host as string | undefined,
      demo: values['no-demo'] !== true,
      schedule: values['no-schedule'] !== true,
    });
    if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    await server.close();
    return 0;
  },
};

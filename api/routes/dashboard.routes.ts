import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ApiApp, AppContext } from '../app-context.ts';

/** Shown at `/` until the dashboard is built (the dashboard issue replaces this). */
export function placeholderPage(dashboardDir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Parley</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}</style></head>
<body><h1>Parley is running</h1>
<p>The dashboard has not been built: <code>${dashboardDir.replaceAll('<', '&lt;')}</code> does not exist. Build it from the checkout (the README's Dashboard section says how) and reload this page.</p>
<p>The API works already: <a href="/docs">/docs</a> describes every route, <a href="/api/health">/api/health</a> shows the warehouse.</p>
</body></html>
`;
}

/** Serves the built dashboard (`dashboard/dist`) at `/`, or a placeholder that says how to build it. */
export async function dashboardRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  if (fs.existsSync(path.join(ctx.dashboardDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: ctx.dashboardDir, prefix: '/', wildcard: true });
    return;
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(placeholderPage(ctx.dashboardDir) as never));
}

import fs from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import type { ApiApp, AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { ARCHIVE_FILE_PATTERN, archiveRoot, listArchive } from '../reports/report-archive.ts';
import { isValidWeek } from '../../warehouse/reports/iso-week.ts';
import { errorResponses, Timestamp, Week } from '../schemas.ts';

const TYPES: Record<string, string> = { md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' };

/** `GET /api/reports/archive` and `GET /api/reports/archive/:week/:file`: the weekly reports written every Monday. */
export async function reportsArchiveRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  const root = archiveRoot(ctx.config.dataDir);
  app.get(
    '/api/reports/archive',
    {
      config: { roles: ['manager'] },
      schema: {
        summary: 'Archived weekly reports, newest week first',
        tags: ['reports'],
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({
            weeks: Type.Array(Type.Object({ week: Type.String(), files: Type.Array(Type.Object({ name: Type.String(), kind: Type.String(), format: Type.String(), bytes: Type.Integer(), written_at: Timestamp, url: Type.String() })) })),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      weeks: listArchive(root).map((w) => ({ week: w.week, files: w.files.map((f) => ({ ...f, written_at: f.written_at.toISOString(), url: `/api/reports/archive/${w.week}/${f.name}` })) })),
    }),
  );

  app.get(
    '/api/reports/archive/:week/:file',
    {
      config: { roles: ['manager'] },
      schema: {
        summary: 'Download one archived report file',
        tags: ['reports'],
        security: [{ bearer: [] }],
        params: Type.Object({ week: Week, file: Type.String({ pattern: ARCHIVE_FILE_PATTERN }) }),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { week, file } = request.params;
      // Both names are checked against strict patterns, so the path cannot leave the archive.
      const full = path.join(root, week, file);
      if (!isValidWeek(week) || !fs.existsSync(full)) throw new ApiError('API_NOT_FOUND', `No archived ${file} for ${week}; GET /api/reports/archive lists what exists.`);
      const format = file.split('.').pop()!;
      return reply.type(TYPES[format]!).header('content-disposition', `${format === 'html' ? 'inline' : 'attachment'}; filename="${week}-${file}"`).send(fs.createReadStream(full) as never);
    },
  );
}

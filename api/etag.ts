import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentDataVersion as trackedDataVersion } from '../warehouse/data-version.ts';
import type { Warehouse } from '../warehouse/db.ts';

/** The warehouse's data version (changes whenever a load or build commits); known in memory between bumps. */
export function currentDataVersion(wh: Warehouse): Promise<number> {
  return trackedDataVersion(wh);
}

/** The ETag of an answer built from data version `version`. */
export function etagFor(version: number): string {
  return `"dv-${version}"`;
}

/**
 * Sets the ETag of an answer made from the marts at `version`, and answers 304 when the
 * client already has it. Returns true when the 304 was sent (the route stops there).
 */
export function answeredNotModified(request: FastifyRequest, reply: FastifyReply, version: number): boolean {
  const etag = etagFor(version);
  reply.header('etag', etag).header('cache-control', 'no-cache');
  const sent = request.headers['if-none-match'];
  if (sent && (sent.trim() === '*' || sent.split(',').map((t) => t.trim().replace(/^W\//, '')).includes(etag))) {
    reply.code(304).send();
    return true;
  }
  return false;
}

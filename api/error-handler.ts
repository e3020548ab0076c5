import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isParleyError } from '../config/parley-error.ts';
import type { ApiErrorCode } from './errors.ts';

/** The JSON body of an error answer. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Fastify's own errors that are the caller's doing, by Fastify code. */
const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'API_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'API_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'API_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'API_BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'API_BAD_REQUEST',
};

/**
 * One readable sentence from schema errors: alternatives of literals become "must be one of
 * a, b" instead of one "must be equal to constant" per alternative.
 */
export function validationMessage(context: string, errors: readonly { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> }[]): string {
  const byPath = new Map<string, { allowed: unknown[]; messages: string[] }>();
  for (const e of errors) {
    const at = byPath.get(e.instancePath ?? '') ?? { allowed: [], messages: [] };
    byPath.set(e.instancePath ?? '', at);
    if (e.keyword === 'const') at.allowed.push(e.params?.allowedValue);
    else if (e.keyword !== 'anyOf' && e.message) at.messages.push(e.message);
  }
  const parts = [...byPath].map(([where, { allowed, messages }]) => {
    const what = `${context}${where ? where : ''}`;
    const text = allowed.length > 0 ? [`must be one of ${allowed.join(', ')}`] : [...new Set(messages)];
    return `${what} ${text.join(', ')}`;
  });
  return parts.join('; ');
}

/**
 * Answers every error as `{error: {code, message}}` with the right status: typed Parley
 * errors carry theirs, schema failures are 400, Fastify's body errors keep their 4xx, and
 * anything unexpected is a logged 500 that names the request id (never a stack trace).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      return reply.code(400).send(errorBody('API_BAD_REQUEST', validationMessage(err.validationContext ?? 'request', err.validation)));
    }
    if (isParleyError(err)) {
      if (err.httpStatus >= 500) request.log.error({ err, code: err.code }, err.message);
      return reply.code(err.httpStatus).send(errorBody(err.code, err.message));
    }
    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) return reply.code(err.statusCode ?? 400).send(errorBody(mapped, err.message));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody(err.statusCode === 404 ? 'API_NOT_FOUND' : 'API_BAD_REQUEST', err.message));
    }
    request.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errorBody('API_INTERNAL', `Something failed inside the server (request ${request.id}); the server log has the details.`));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('API_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}. The API is described at /docs.`));
  });
}
